-- Back to one key per action: the due date (the last 11 characters, ':YYYY-MM-DD') goes.
UPDATE followups
SET dedupe_key = substr(dedupe_key, 1, length(dedupe_key) - 11)
WHERE kind = 'plan_action' AND dedupe_key LIKE 'plan_action:%:%:____-__-__';
