-- The to-dos of every service gathered into one feed (services/org/todos.cc):
-- what is open per unit, the feed of openings and closings that WatchTodos
-- streams, and how far each service's outbox has been read. Gathering runs
-- under the lock of the row '*' of todo_cursors, so the feed's rows commit
-- in seq order and a reader after seq N never misses a later commit.
CREATE TABLE todo_items (
  todo_key    VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- unit|kind|subject
  source      VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind        INT NOT NULL,
  subject     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title       VARCHAR(300) NOT NULL,
  due_date    CHAR(10) CHARACTER SET ascii NOT NULL DEFAULT '',
  opened_us   BIGINT NOT NULL,
  PRIMARY KEY (todo_key),
  KEY ix_todo_items_unit (unit_id, todo_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE todo_feed (
  seq         BIGINT NOT NULL AUTO_INCREMENT,
  source      VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  source_seq  BIGINT NOT NULL,
  todo_key    VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind        INT NOT NULL,
  subject     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title       VARCHAR(300) NOT NULL,
  due_date    CHAR(10) CHARACTER SET ascii NOT NULL DEFAULT '',
  opened      TINYINT NOT NULL,
  opened_us   BIGINT NOT NULL,
  at_us       BIGINT NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY uk_todo_feed_source (source, source_seq),
  KEY ix_todo_feed_unit (unit_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE todo_cursors (
  source      VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  after_seq   BIGINT NOT NULL,
  PRIMARY KEY (source)
) ENGINE=InnoDB;
-- '*' is the lock row; each source's row is added when it is first gathered.
INSERT INTO todo_cursors (source, after_seq) VALUES ('*', 0);
