-- To-dos a service raises for a unit's secretaries (common/todos.h): what is
-- open now, and the outbox of every opening and closing, read by seq by the
-- organization service, which gathers every service's into one feed. A
-- service that raises none leaves both empty.
CREATE TABLE IF NOT EXISTS todo_open (
  todo_key    VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- unit|kind|subject
  unit_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind        INT NOT NULL,
  subject     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title       VARCHAR(300) NOT NULL,
  due_date    CHAR(10) CHARACTER SET ascii NOT NULL DEFAULT '',
  opened_us   BIGINT NOT NULL,
  PRIMARY KEY (todo_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Written only under the sweep's lock (todo_sweeps), so rows commit in seq
-- order: a reader after seq N never misses a row that commits later.
CREATE TABLE IF NOT EXISTS todo_changes (
  seq         BIGINT NOT NULL AUTO_INCREMENT,
  todo_key    VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind        INT NOT NULL,
  subject     VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title       VARCHAR(300) NOT NULL,
  due_date    CHAR(10) CHARACTER SET ascii NOT NULL DEFAULT '',
  opened      TINYINT NOT NULL,  -- 1 opened (or changed while open), 0 closed
  opened_us   BIGINT NOT NULL,
  at_us       BIGINT NOT NULL,
  PRIMARY KEY (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row, locked by each sweep: replicas sweep one at a time.
CREATE TABLE IF NOT EXISTS todo_sweeps (
  id          TINYINT NOT NULL,
  swept_us    BIGINT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT IGNORE INTO todo_sweeps (id, swept_us) VALUES (1, 0);
