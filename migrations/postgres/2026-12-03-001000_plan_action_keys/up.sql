-- The follow-up of an action past its due date is keyed by the due date too, so an action
-- moved to a later day raises one again when that day has passed. Follow-ups opened
-- before get the due date their action has now.
-- Keep in step with ../../sqlite/2026-12-03-001000_plan_action_keys/up.sql.
UPDATE followups
SET dedupe_key = followups.dedupe_key || ':' || to_char(plan_actions.due_on, 'YYYY-MM-DD')
FROM plan_actions
WHERE followups.kind = 'plan_action'
  AND followups.dedupe_key = 'plan_action:' || plan_actions.client_id || ':' || plan_actions.id;
