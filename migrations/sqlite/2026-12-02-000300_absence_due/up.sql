-- When her absence follow-up falls due, kept per client in the same transaction as
-- whatever decides it (her last contact, her status, her own threshold, her intake day),
-- so that the sweep reads only the clients due now through an index instead of every open
-- file. NULL: nothing due (closed, or the absence was already handled). Keep in step with
-- the postgres folder of the same name.
ALTER TABLE clients ADD COLUMN absence_due_at TIMESTAMP;
CREATE INDEX clients_absence_due ON clients (absence_due_at);

-- The rules the moments above were computed with (the default thresholds and the time
-- zone, as text). A server started with other rules computes every moment again.
CREATE TABLE absence_rules (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rules TEXT NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
