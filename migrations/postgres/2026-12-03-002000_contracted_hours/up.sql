-- The hours a week an account is contracted for (set by the team's coordinator), so that
-- the report pack can set the hours on shift per role against them. Unset for accounts
-- that work no shifts. Keep in step with the other folder of the same name.
ALTER TABLE users ADD COLUMN contracted_hours_per_week INTEGER
    CHECK (contracted_hours_per_week BETWEEN 0 AND 60);
