DROP TABLE plan_idempotency_keys;
DROP TABLE plan_actions;
DROP TABLE plan_goals;
ALTER TABLE teams DROP COLUMN peers_see_scores;
