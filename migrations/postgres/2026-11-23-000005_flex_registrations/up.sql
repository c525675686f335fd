-- The flex budget, and follow-ups before a registration expires.
-- Keep in step with the sqlite folder of the same name.

ALTER TABLE followups DROP CONSTRAINT followups_kind_check;
ALTER TABLE followups ADD CONSTRAINT followups_kind_check
    CHECK (kind IN ('absence', 'reminder', 'registration_expiry'));

-- The team's flex budget for a calendar year, in euro cents.
CREATE TABLE flex_budgets (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, year)
);

-- What was spent for a client, on a local date, in euro cents. When a client's record is
-- deleted her expenses stay as amounts without her (SET NULL): the year's accounts stay true.
CREATE TABLE flex_expenses (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT REFERENCES clients (id) ON DELETE SET NULL,
    spent_on DATE NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    category TEXT NOT NULL CHECK (category IN ('clothing', 'sleeping_gear', 'food', 'transport', 'phone', 'housing', 'documents', 'other')),
    description TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX flex_expenses_team ON flex_expenses (team_id, spent_on);
CREATE INDEX flex_expenses_client ON flex_expenses (client_id, spent_on);
