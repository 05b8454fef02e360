-- When the sweeper found that nobody had taken up a request within
-- --unanswered_days (0: not flagged). It reads the ones due from the key.
ALTER TABLE requests ADD COLUMN unanswered_us BIGINT NOT NULL DEFAULT 0 AFTER phone_masked;
ALTER TABLE requests ADD KEY ix_requests_unanswered (state, unanswered_us, created_us);
