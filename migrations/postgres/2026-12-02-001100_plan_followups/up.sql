-- A follow-up addressed to one person instead of her casemanagers: an action of her plan
-- past its due date goes to its owner. Empty for every other follow-up.
-- Keep in step with ../../sqlite/2026-12-02-001100_plan_followups/up.sql.
ALTER TABLE followups ADD COLUMN owner_id BIGINT REFERENCES users (id);
