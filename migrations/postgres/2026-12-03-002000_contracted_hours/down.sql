ALTER TABLE users DROP COLUMN contracted_hours_per_week;
