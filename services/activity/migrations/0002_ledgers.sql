-- Service hours and points: two ledgers in one append-only table of double
-- entries (the service's database user may only insert and read them), the
-- points used against each cap per cycle, the districts' point rules, and the
-- cursors of the outboxes credits are read from.

-- amount moves from debit_account to credit_account. source_key makes a
-- credit happen once ("event:{id}:{ledger}", "activity:{id}:{member}:{ledger}");
-- reverses makes a correction happen once.
CREATE TABLE ledger_entries (
  id              VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  ledger          TINYINT NOT NULL,       -- 1 hours (minutes), 2 points
  debit_account   VARCHAR(140) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  credit_account  VARCHAR(140) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  amount          BIGINT NOT NULL,
  member_id       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  source          VARCHAR(140) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  point_source    TINYINT NOT NULL DEFAULT 0,
  cycle           VARCHAR(10)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  source_key      VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NULL,
  reverses        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL,
  memo            VARCHAR(200) NOT NULL DEFAULT '',
  actor           VARCHAR(128) NOT NULL,
  year            SMALLINT NOT NULL,
  created_us      BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY once (source_key),
  UNIQUE KEY reversed_once (reverses),
  KEY by_member (member_id, created_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Points granted per member, rule and cycle; its row is locked while a credit
-- is decided, so that concurrent credits never pass the cap.
CREATE TABLE point_caps (
  member_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  rule_key    VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  cycle       VARCHAR(10) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  used        INT NOT NULL,
  PRIMARY KEY (member_id, rule_key, cycle)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE point_rules (
  district_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  source         TINYINT NOT NULL,
  activity_type  TINYINT NOT NULL,
  points         INT NOT NULL,
  cap            INT NOT NULL,
  cycle          TINYINT NOT NULL,   -- a Cadence: 2 monthly, 3 quarterly, 5 yearly
  PRIMARY KEY (district_id, source, activity_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE point_rule_sets (
  district_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version      BIGINT NOT NULL,
  updated_us   BIGINT NOT NULL,
  PRIMARY KEY (district_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- How far each outbox has been read ("dispatch"): moved in the transaction
-- that writes the credits of what was read.
CREATE TABLE credit_cursors (
  source      VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  after_seq   BIGINT NOT NULL,
  updated_us  BIGINT NOT NULL,
  PRIMARY KEY (source)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO credit_cursors (source, after_seq, updated_us) VALUES ('dispatch', 0, 0);
