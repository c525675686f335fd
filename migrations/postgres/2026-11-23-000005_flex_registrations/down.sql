DROP TABLE flex_expenses;
DROP TABLE flex_budgets;

DELETE FROM notifications WHERE kind = 'registration_expiry';
DELETE FROM followups WHERE kind = 'registration_expiry';
ALTER TABLE followups DROP CONSTRAINT followups_kind_check;
ALTER TABLE followups ADD CONSTRAINT followups_kind_check
    CHECK (kind IN ('absence', 'reminder'));
