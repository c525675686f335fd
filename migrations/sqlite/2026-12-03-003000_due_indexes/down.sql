DROP INDEX referrals_waiting;
DROP INDEX clients_exits;
DROP INDEX clients_registration_expiry;
