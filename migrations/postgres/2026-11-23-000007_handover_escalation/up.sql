-- Warm handovers and escalation by hand. Keep in step with the sqlite folder of the same name.

-- A warm handover (warme overdracht): one casemanager hands a client to another; both
-- answer for her from starts_on until overlap_until (the end of the old assignment).
-- The note is client data: it is shown to the team on her file and never sent anywhere.
CREATE TABLE handovers (
    id BIGSERIAL PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    from_user_id BIGINT NOT NULL REFERENCES users (id),
    to_user_id BIGINT NOT NULL REFERENCES users (id),
    starts_on DATE NOT NULL,
    overlap_until DATE NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (overlap_until >= starts_on),
    CHECK (from_user_id <> to_user_id)
);
CREATE INDEX handovers_client ON handovers (client_id, created_at);

-- The process director's view: follow-ups escalated to her are few among many.
CREATE INDEX followups_escalation ON followups (escalation_level, status);

-- Notifications learn which client they concern, for the deep link of a handover push
-- (their kinds are not checked by the database since 000004).
ALTER TABLE notifications ADD COLUMN client_id BIGINT REFERENCES clients (id) ON DELETE CASCADE;
