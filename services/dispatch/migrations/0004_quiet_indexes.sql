-- Indexes that a step of a request's life need not touch. Before, every step
-- moved two entries (both keyed by state): each step cost MariaDB two
-- secondary-index deletes and inserts, and their purge.
--   Duplicates are looked for among the requests of a place and category
--   created in the last days: keyed by creation time, which never changes;
--   the state is checked on the rows found (few).
--   Acceptance time-outs: accept_due_us is non-zero only while a request
--   awaits its member's answer (cleared on every way out), so it alone
--   finds them and changes only on dispatch and answer.
UPDATE requests SET accept_due_us = 0 WHERE state <> 3 AND accept_due_us <> 0;
ALTER TABLE requests
  DROP KEY ix_requests_duplicate,
  ADD KEY ix_requests_duplicate (place_id, category, created_us),
  DROP KEY ix_requests_accept,
  ADD KEY ix_requests_accept (accept_due_us);
-- Callers' subjects and request ids are identifiers: compared byte for byte
-- (case matters in a token's subject), and cheaper to index that way than
-- by the Unicode collation.
ALTER TABLE requests MODIFY resident VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
ALTER TABLE request_timeline MODIFY resident VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '';
ALTER TABLE request_ids
  MODIFY subject VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  MODIFY request_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
