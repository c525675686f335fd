-- The sweep reads only what may be due, each kind from an index in the order it falls due,
-- so that a sweep with nothing new to do does not grow with the number of clients.
-- Registrations of registered clients by expiry day.
CREATE INDEX clients_registration_expiry ON clients (registration_status, registration_expires_on);
-- Closed files by exit day: the check-ins of her aftercare.
CREATE INDEX clients_exits ON clients (caseload_status, exit_on);
-- Referrals neither started nor ended, by request day.
CREATE INDEX referrals_waiting ON referrals (started_on, ended_on, requested_on);
