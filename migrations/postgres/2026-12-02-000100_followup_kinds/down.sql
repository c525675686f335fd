DELETE FROM notifications
    WHERE followup_id IN (SELECT id FROM followups
                          WHERE kind NOT IN ('absence', 'reminder', 'registration_expiry'));
DELETE FROM followup_events
    WHERE followup_id IN (SELECT id FROM followups
                          WHERE kind NOT IN ('absence', 'reminder', 'registration_expiry'));
DELETE FROM followups WHERE kind NOT IN ('absence', 'reminder', 'registration_expiry');
ALTER TABLE followups ADD CONSTRAINT followups_kind_check
    CHECK (kind IN ('absence', 'reminder', 'registration_expiry'));
