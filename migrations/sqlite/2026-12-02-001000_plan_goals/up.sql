-- Her plan, second part: her goals in her own words, each linked to one or more life
-- domains, and the actions under a goal with their owner (a casemanager or coordinator of
-- her team, or a partner organisation with a named contact person) and due date.
-- Keep in step with ../../postgres/2026-12-02-001000_plan_goals/up.sql.

-- The coordinator may let the team's peer workers read scores and their notes.
ALTER TABLE teams ADD COLUMN peers_see_scores BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE plan_goals (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    -- Life domain codes joined by ',' (at least one), in the matrix's order.
    domains TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'reached', 'dropped')),
    set_on DATE NOT NULL,
    -- The day it was reached or dropped.
    status_on DATE,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_goals_client ON plan_goals (client_id);

CREATE TABLE plan_actions (
    id INTEGER PRIMARY KEY,
    goal_id BIGINT NOT NULL REFERENCES plan_goals (id) ON DELETE CASCADE,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    -- Who does it: one of the team, or a partner organisation and its contact person.
    owner_id BIGINT REFERENCES users (id),
    partner_id BIGINT REFERENCES partners (id),
    partner_contact TEXT,
    due_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    -- The day it was done or dropped.
    status_on DATE,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((owner_id IS NULL) <> (partner_id IS NULL))
);
CREATE INDEX plan_actions_client ON plan_actions (client_id);
CREATE INDEX plan_actions_due ON plan_actions (status, due_on);

-- A phone's outbox sends a new goal, a new action or an action's new status with its own
-- key, so a retry whose answer was lost finds what the first one wrote. `target` is
-- goal, action or action_status; `target_id` the goal or action.
CREATE TABLE plan_idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
