-- The sweeper closes resolved requests nobody confirmed within --confirm_days:
-- it reads the oldest resolved ones from this index, not every request.
ALTER TABLE requests ADD KEY ix_requests_resolved (state, resolved_us);
