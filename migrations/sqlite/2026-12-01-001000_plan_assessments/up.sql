-- Her plan, first part: assessments of the 13 ZRM life domains. An assessment is never
-- overwritten: its author corrects it within 24 hours (`corrected_at`), after that a new
-- one records the change. A domain without a row was not assessed; a row with no score
-- was named but not scored. Keep in step with ../../postgres/2026-12-01-001000_plan_assessments/up.sql.
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    assessed_on DATE NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    corrected_at TIMESTAMP,
    -- A phone that recorded it offline sends it with its own key, so a retry whose
    -- answer was lost finds this one instead of adding another.
    idempotency_key TEXT,
    request_hash TEXT,
    UNIQUE (recorded_by, idempotency_key)
);
CREATE INDEX assessments_client ON assessments (client_id, assessed_on);

CREATE TABLE assessment_scores (
    id INTEGER PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    domain TEXT NOT NULL
        CHECK (domain IN ('finances', 'work_education', 'time_use', 'housing',
            'domestic_relations', 'mental_health', 'physical_health', 'substance_use',
            'basic_adl', 'instrumental_adl', 'social_network', 'social_participation',
            'justice')),
    score INTEGER CHECK (score BETWEEN 1 AND 5),
    note TEXT,
    UNIQUE (assessment_id, domain)
);
