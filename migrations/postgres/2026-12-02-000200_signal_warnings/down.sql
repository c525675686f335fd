ALTER TABLE signals DROP COLUMN warning;
