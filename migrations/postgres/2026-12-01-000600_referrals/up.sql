-- Referrals and interventions: what the team asks of a partner for a client, and when.
CREATE TABLE referrals (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    client_id BIGINT NOT NULL REFERENCES clients (id),
    kind TEXT NOT NULL CHECK (kind IN (
        'diagnostics', 'treatment', 'housing_application', 'sheltered_housing', 'time_out',
        'exit_support', 'debt_income', 'identity_papers', 'home_region', 'other')),
    -- The partner asked; none when it is not (yet) known who takes it on.
    partner_id BIGINT REFERENCES partners (id),
    requested_on DATE NOT NULL,
    started_on DATE,
    ended_on DATE,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN (
        'completed', 'placed', 'refused_by_partner', 'declined_by_client', 'dropped_out',
        'withdrawn', 'other')),
    outcome_note TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_client ON referrals (client_id);
CREATE INDEX referrals_team ON referrals (team_id, requested_on);
