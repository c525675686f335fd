-- Time-out stays gain an outcome and can be cancelled (a cancelled stay stays on record but
-- does not count against the year's plan); Beschermd Wonen Licht gets a yearly budget in
-- weeks per team, set by the coordinator (a year without one counts the seed's 18 weeks).
-- Keep in step with the other folder of the same name.
ALTER TABLE timeout_stays ADD COLUMN outcome TEXT;
ALTER TABLE timeout_stays ADD COLUMN outcome_note TEXT;
ALTER TABLE timeout_stays ADD COLUMN cancelled_at TIMESTAMP;
ALTER TABLE timeout_stays ADD COLUMN cancelled_by BIGINT REFERENCES users (id);
ALTER TABLE timeout_stays ADD COLUMN updated_at TIMESTAMP;

CREATE TABLE sheltered_housing_budgets (
    team_id BIGINT NOT NULL REFERENCES teams (id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    weeks INTEGER NOT NULL CHECK (weeks BETWEEN 0 AND 520),
    set_by BIGINT NOT NULL REFERENCES users (id),
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, year)
);
