-- Her plan's review date set by hand. Without one (or once a newer assessment was
-- recorded after it was set) the plan is reviewed three months after her latest
-- assessment.
-- Keep in step with ../../postgres/2026-12-03-001010_plan_reviews/up.sql.
CREATE TABLE plan_reviews (
    client_id BIGINT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
    review_on DATE NOT NULL,
    set_by BIGINT REFERENCES users (id),
    set_at TIMESTAMP NOT NULL
);
