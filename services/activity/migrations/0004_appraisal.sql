-- Democratic appraisal (民主评议党员): a round per branch and year, its
-- members (the branch's when it began), what each wrote of themselves and of
-- others, the votes, and the grades the branch meeting decided.
CREATE TABLE appraisal_rounds (
  id             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_path      VARCHAR(700) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  year           SMALLINT NOT NULL,
  stage          TINYINT NOT NULL,
  decided_at     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  version        BIGINT NOT NULL,
  created_us     BIGINT NOT NULL,
  updated_us     BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY one_a_year (unit_id, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE appraisal_members (
  round_id      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name  VARCHAR(100) NOT NULL DEFAULT '',
  voting        TINYINT NOT NULL,
  self_text     TEXT NOT NULL,
  grade         TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (round_id, member_id),
  KEY by_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE appraisal_notes (
  round_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  about_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  author_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  text       TEXT NOT NULL,
  PRIMARY KEY (round_id, about_id, author_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE appraisal_votes (
  round_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  about_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  voter_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  grade      TINYINT NOT NULL,
  PRIMARY KEY (round_id, about_id, voter_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
