-- Commit markers: a transaction that wrote also inserts one row here, in the
-- same commit (common/db_commit.cc). When the connection is lost after COMMIT
-- was sent, a fresh connection looks for the row: there, the transaction
-- committed and is answered as done; absent, it did not and may run again.
-- Never both. Rows older than ten minutes are pruned.
CREATE TABLE IF NOT EXISTS commit_markers (
  created_us  BIGINT NOT NULL,
  id          BIGINT NOT NULL,
  PRIMARY KEY (created_us, id)
) ENGINE=InnoDB;
