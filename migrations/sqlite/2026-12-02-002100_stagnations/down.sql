DROP TABLE stagnation_events;
DROP TABLE stagnations;
ALTER TABLE clients DROP COLUMN top15;
