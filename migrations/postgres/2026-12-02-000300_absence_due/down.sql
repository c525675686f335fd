DROP TABLE absence_rules;
DROP INDEX clients_absence_due;
ALTER TABLE clients DROP COLUMN absence_due_at;
