-- When her plan's review follow-up falls due: her plan's review day (the day set by hand,
-- else three months after her latest assessment) while her file is open and no follow-up
-- was opened for that day yet; NULL otherwise. Kept in the same transaction as every
-- change that decides it (an assessment, a review day set by hand, her status), so that
-- the sweep reads only the plans due now through an index instead of every assessment of
-- every open file. Keep in step with the postgres folder of the same name.
ALTER TABLE clients ADD COLUMN review_due_on DATE;
CREATE INDEX clients_review_due ON clients (review_due_on);

-- The moments of today's files. Three months later is clamped to the end of a shorter
-- month, as the application adds months (31 January: 30 April).
UPDATE clients SET review_due_on = (
    SELECT CASE
        WHEN pr.review_on IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM assessments a
            WHERE a.client_id = clients.id AND a.recorded_at > pr.set_at
        ) THEN pr.review_on
        WHEN latest.day IS NULL THEN NULL
        WHEN strftime('%d', date(latest.day, '+3 months')) = strftime('%d', latest.day)
            THEN date(latest.day, '+3 months')
        ELSE date(latest.day, 'start of month', '+4 months', '-1 day')
    END
    FROM (SELECT MAX(a.assessed_on) AS day FROM assessments a WHERE a.client_id = clients.id) AS latest
    LEFT JOIN plan_reviews pr ON pr.client_id = clients.id
)
WHERE caseload_status IN ('active', 'regular_care');
UPDATE clients SET review_due_on = NULL
WHERE review_due_on IS NOT NULL AND EXISTS (
    SELECT 1 FROM followups f
    WHERE f.dedupe_key = 'plan_review:' || clients.id || ':' || clients.review_due_on
);

-- Due notices: open follow-ups without a notice yet, by due moment (not every open one).
CREATE INDEX followups_unnotified ON followups (status, notified_at, due_at);
-- Escalation: follow-ups by state, level and kind, in the order their notice went out,
-- so that each level reads only those whose time to escalate has come.
CREATE INDEX followups_escalation_due ON followups (status, escalation_level, kind, notified_at);
-- Snoozes whose time is up, by the moment they wake (not every snoozed follow-up).
CREATE INDEX followups_snoozed ON followups (status, snoozed_until);

-- The same for what else the sweep opens once per key, each NULL once its follow-up was
-- opened (or, for a file no longer open, once the sweep passed it: reopening the file
-- computes them again). An action's due day while it is open; a decision's due day; a
-- waiting referral's request day (by kind: each kind waits its own period).
ALTER TABLE plan_actions ADD COLUMN followup_due_on DATE;
CREATE INDEX plan_actions_followup_due ON plan_actions (followup_due_on);
UPDATE plan_actions SET followup_due_on = due_on
WHERE status = 'open' AND NOT EXISTS (
    SELECT 1 FROM followups f WHERE f.dedupe_key = 'plan_action:' || plan_actions.client_id || ':' || plan_actions.id || ':' || plan_actions.due_on
);
ALTER TABLE case_meeting_decisions ADD COLUMN followup_due_on DATE;
CREATE INDEX case_meeting_decisions_followup_due ON case_meeting_decisions (followup_due_on);
UPDATE case_meeting_decisions SET followup_due_on = due_on
WHERE client_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM followups f
    WHERE f.dedupe_key = 'meeting_decision:' || case_meeting_decisions.client_id || ':' || case_meeting_decisions.id
);
ALTER TABLE referrals ADD COLUMN waiting_since DATE;
CREATE INDEX referrals_waiting_since ON referrals (kind, waiting_since);
UPDATE referrals SET waiting_since = requested_on
WHERE started_on IS NULL AND ended_on IS NULL AND NOT EXISTS (
    SELECT 1 FROM followups f WHERE f.dedupe_key = 'referral_waiting:' || referrals.id
);
-- The day from which the sweep looks at her registration: her expiry day while it has no
-- follow-up (the sweep compares it with today and the warning period), or the day of a
-- change (a renewal, an end, her file closed), so that the next sweep closes a follow-up
-- the change made outdated. NULL: nothing to look at.
ALTER TABLE clients ADD COLUMN registration_due_on DATE;
CREATE INDEX clients_registration_due ON clients (registration_due_on);
UPDATE clients SET registration_due_on = registration_expires_on
WHERE registration_status = 'registered' AND caseload_status <> 'closed'
    AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.dedupe_key = 'registration_expiry:' || clients.id || ':' || clients.registration_expires_on);
UPDATE clients SET registration_due_on = CURRENT_DATE
WHERE EXISTS (
    SELECT 1 FROM followups f
    WHERE f.client_id = clients.id AND f.kind = 'registration_expiry' AND f.status <> 'closed'
);
-- Shift reminders: the shifts starting within the reminder's lead, by start, of any team.
CREATE INDEX shifts_start ON shifts (starts_at);
