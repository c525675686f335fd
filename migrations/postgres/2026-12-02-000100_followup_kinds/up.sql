-- Follow-up kinds are no longer checked by the database, as notification kinds are not
-- (since 000004): the plan, referrals and case meetings each add kinds, and the one mapping
-- of kinds to their stored text is `FollowupKind` in backend/domain/followup.rs, which
-- refuses any other text on reading. Keep in step with the sqlite folder of the same name.
ALTER TABLE followups DROP CONSTRAINT followups_kind_check;
