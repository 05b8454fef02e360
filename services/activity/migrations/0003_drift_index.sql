-- The early warning reads the held activities of the last months, every
-- district at once (the to-do sweep).
CREATE INDEX by_state_start ON activities (state, start_us);
