-- A signal sent as a warning: an acute danger at the zone (a violent or dangerous
-- customer right now), pushed at once to everyone on tonight's shifts and the coordinator,
-- and shown on Vanavond until tonight's shifts end. Keep in step with the postgres folder of
-- the same name.
ALTER TABLE signals ADD COLUMN warning BOOLEAN NOT NULL DEFAULT FALSE;
