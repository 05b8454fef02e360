-- History (履历): every change of a resource — who, when, what changed (JSON of
-- old and new values, personal values masked) — written in the transaction of
-- the change (common/history.h). `owner` is the resource whose history lists
-- the row (orgUnits/{id}, members/{id}), `resource` the one that changed (a
-- unit's place or position, or the owner itself).
CREATE TABLE IF NOT EXISTS history (
  seq          BIGINT NOT NULL AUTO_INCREMENT,
  id           VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  owner        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  resource     VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  action       VARCHAR(32)  NOT NULL,
  actor        VARCHAR(128) NOT NULL,
  request_id   VARCHAR(64)  NOT NULL,
  at_us        BIGINT NOT NULL,
  changes      MEDIUMTEXT NOT NULL,
  PRIMARY KEY (seq),
  KEY ix_history_owner (owner, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
