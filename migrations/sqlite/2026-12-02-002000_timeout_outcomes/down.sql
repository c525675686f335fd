DROP TABLE sheltered_housing_budgets;
ALTER TABLE timeout_stays DROP COLUMN updated_at;
ALTER TABLE timeout_stays DROP COLUMN cancelled_by;
ALTER TABLE timeout_stays DROP COLUMN cancelled_at;
ALTER TABLE timeout_stays DROP COLUMN outcome_note;
ALTER TABLE timeout_stays DROP COLUMN outcome;
