-- The follow-up of an action past its due date is keyed by the due date too, so an action
-- moved to a later day raises one again when that day has passed. Follow-ups opened
-- before get the due date their action has now.
-- Keep in step with ../../postgres/2026-12-03-001000_plan_action_keys/up.sql.
UPDATE followups
SET dedupe_key = dedupe_key || ':' || (
    SELECT plan_actions.due_on FROM plan_actions
    WHERE followups.dedupe_key = 'plan_action:' || plan_actions.client_id || ':' || plan_actions.id
)
WHERE kind = 'plan_action'
  AND EXISTS (
    SELECT 1 FROM plan_actions
    WHERE followups.dedupe_key = 'plan_action:' || plan_actions.client_id || ':' || plan_actions.id
);
