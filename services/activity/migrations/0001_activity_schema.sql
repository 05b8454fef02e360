-- The activity service's schema: activities (organizational life, study,
-- service) with the attendance of each member, and each unit's compliance
-- rules. Every row carries district_id.

-- host_path is the host unit's materialized path in the org tree
-- ("/district/street/community/branch/"), copied at creation: lists and
-- compliance by subtree are a prefix range (a unit moved later keeps its old
-- activities under the old path). start_date is the start's Beijing date:
-- the year and period an activity counts in.
CREATE TABLE activities (
  id                  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id         VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  host_unit_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  host_path           VARCHAR(700) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  host_unit_type      TINYINT NOT NULL,
  type                TINYINT NOT NULL,
  state               TINYINT NOT NULL,
  title               VARCHAR(200) NOT NULL,
  host                VARCHAR(128) NOT NULL,
  lecturer            VARCHAR(100) NOT NULL DEFAULT '',
  place               VARCHAR(200) NOT NULL DEFAULT '',
  start_us            BIGINT NOT NULL,
  end_us              BIGINT NOT NULL,
  start_date          DATE NOT NULL,
  agenda              TEXT NOT NULL,
  minutes             TEXT NOT NULL,
  photo_urls          TEXT NOT NULL,           -- one per line
  open_to_all         TINYINT NOT NULL DEFAULT 0,
  venue_lat_e6        INT NULL,
  venue_lng_e6        INT NULL,
  radius_m            INT NOT NULL DEFAULT 0,
  delivered_to        TEXT NOT NULL,           -- member ids, one per line
  check_in_secret     CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  -- Frozen when held (before, counted from attendances on read).
  expected_count      INT NOT NULL DEFAULT 0,
  voting_expected     INT NOT NULL DEFAULT 0,
  present_count       INT NOT NULL DEFAULT 0,
  voting_present      INT NOT NULL DEFAULT 0,
  leave_count         INT NOT NULL DEFAULT 0,
  absent_count        INT NOT NULL DEFAULT 0,
  valid               TINYINT NOT NULL DEFAULT 0,
  cancel_reason       VARCHAR(200) NOT NULL DEFAULT '',
  version             BIGINT NOT NULL,
  created_us          BIGINT NOT NULL,
  updated_us          BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY by_unit (host_unit_id, start_us),
  -- Compliance of a subtree reads this index alone.
  KEY by_path (district_id, host_path, start_date, state, type, valid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per member expected at or signed up to an activity. status: 1
-- expected, 2 signed up, 3 leave, 4 present, 5 absent. study_minutes is set
-- when the activity is held (present members of study types), in the year of
-- its start_date.
CREATE TABLE attendances (
  activity_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name    VARCHAR(100) NOT NULL DEFAULT '',
  status          TINYINT NOT NULL,
  expected        TINYINT NOT NULL,
  voting          TINYINT NOT NULL DEFAULT 0,
  leave_reason    VARCHAR(200) NOT NULL DEFAULT '',
  check_in_us     BIGINT NOT NULL DEFAULT 0,
  check_in_method TINYINT NOT NULL DEFAULT 0,
  lat_e6          INT NULL,
  lng_e6          INT NULL,
  recorded_by     VARCHAR(128) NOT NULL DEFAULT '',
  year            SMALLINT NOT NULL,
  study_minutes   INT NOT NULL DEFAULT 0,
  version         BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (activity_id, member_id),
  KEY by_member (member_id, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The rules a unit set for itself; a type without a row keeps its default.
-- cadence: 1 none, 2 monthly, 3 quarterly, 4 half-yearly, 5 yearly.
CREATE TABLE compliance_rules (
  district_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  type         TINYINT NOT NULL,
  cadence      TINYINT NOT NULL,
  min_count    INT NOT NULL,
  PRIMARY KEY (district_id, unit_id, type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The version of a unit's rules (their etag), once it set any.
CREATE TABLE compliance_rule_sets (
  unit_id      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  version      BIGINT NOT NULL,
  updated_us   BIGINT NOT NULL,
  PRIMARY KEY (unit_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
