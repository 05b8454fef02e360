-- Party dues (党费): what each member owes a month from a month on (the
-- base pay sealed), the months paid, the payments, the reasons a branch
-- recorded for not paying, and each reading of a sealed field in clear.
-- Months are counted as year * 12 + (month - 1).
CREATE TABLE dues_assessments (
  member_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  from_month     INT NOT NULL,
  district_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  category       TINYINT NOT NULL,
  base_sealed    VARBINARY(256) NOT NULL DEFAULT '',
  rate_bp        INT NOT NULL,
  monthly_fen    BIGINT NOT NULL,
  set_by         VARCHAR(128) NOT NULL,
  version        BIGINT NOT NULL,
  updated_us     BIGINT NOT NULL,
  PRIMARY KEY (member_id, from_month),
  KEY by_update (updated_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per member with an assessment: where their dues are kept (the
-- unit of the latest assessment) and from which month they are owed.
CREATE TABLE dues_accounts (
  member_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_path      VARCHAR(700) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name   VARCHAR(100) NOT NULL DEFAULT '',
  first_month    INT NOT NULL,
  reason_sealed  VARBINARY(4200) NOT NULL DEFAULT '',
  reason_us      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (member_id),
  KEY by_path (district_id, unit_path(255), member_id),
  KEY by_reason (reason_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE dues_months (
  member_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  month          INT NOT NULL,
  due_fen        BIGINT NOT NULL,
  payment_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (member_id, month)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE dues_payments (
  seq            BIGINT NOT NULL AUTO_INCREMENT,
  id             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_path      VARCHAR(700) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  months         VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  amount_fen     BIGINT NOT NULL,
  due_fen        BIGINT NOT NULL,
  method         TINYINT NOT NULL,
  note           VARCHAR(1000) NOT NULL DEFAULT '',
  recorded_by    VARCHAR(128) NOT NULL,
  created_us     BIGINT NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY by_id (id),
  KEY by_member (member_id, seq),
  KEY by_path (district_id, unit_path(255), seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE dues_disclosures (
  seq            BIGINT NOT NULL AUTO_INCREMENT,
  district_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  field          VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  reader         VARCHAR(128) NOT NULL,
  method         VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  read_us        BIGINT NOT NULL,
  PRIMARY KEY (seq),
  KEY by_member (member_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
