-- The organization service's schema. Every table carries district_id (the id
-- of the district committee at the root of the tree) so that the data can be
-- sharded by district later. Ids are random strings made by the service
-- (common/ids.h); AUTO_INCREMENT appears only as an internal ordering key.
--
-- Subtrees use a materialized path: each unit stores "/root/.../parent/self/".
-- A subtree is then one range scan on (district_id, path), ordered by path,
-- which is also the pagination cursor; ancestors are the ids in the path.
-- Moving a unit rewrites the paths of its subtree in one UPDATE. We chose it
-- over a closure table (rows grow with depth × units and moves touch many
-- rows) and nested sets (every insert shifts half the table).

-- Edited after release: the table request_ids moved to common/migrations/
-- (0001_request_ids.sql); a database that applied the earlier text holds
-- the same tables.
-- accepts applied checksum 809080e9731fd89a

CREATE TABLE org_units (
  id            VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  parent_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL,
  path          VARCHAR(400) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  depth         INT NOT NULL,
  type          TINYINT NOT NULL,
  code          VARCHAR(64) NOT NULL,
  display_name  VARCHAR(200) NOT NULL,
  state         TINYINT NOT NULL,
  merged_into   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NULL,
  version       BIGINT NOT NULL,
  created_us    BIGINT NOT NULL,
  updated_us    BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_org_units_code (district_id, code),
  KEY ix_org_units_path (district_id, path),
  KEY ix_org_units_type_path (district_id, type, path),
  KEY ix_org_units_parent (parent_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change: who, when, what (JSON of old and new values).
CREATE TABLE org_events (
  seq           BIGINT NOT NULL AUTO_INCREMENT,
  id            VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  resource      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  action        VARCHAR(32)  NOT NULL,
  actor         VARCHAR(128) NOT NULL,
  request_id    VARCHAR(64)  NOT NULL,
  at_us         BIGINT NOT NULL,
  changes       MEDIUMTEXT NOT NULL,
  PRIMARY KEY (seq),
  KEY ix_org_events_unit (unit_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE org_positions (
  id            VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  role          TINYINT NOT NULL,
  member        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  holder_name   VARCHAR(100) NOT NULL,
  term_start    DATE NULL,
  term_end      DATE NULL,
  version       BIGINT NOT NULL,
  created_us    BIGINT NOT NULL,
  updated_us    BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_org_positions_unit (unit_id, id),
  KEY ix_org_positions_term (district_id, term_end, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Compounds, buildings and stairwells of a community.
CREATE TABLE org_places (
  id            VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  community_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  parent_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  kind          TINYINT NOT NULL,
  display_name  VARCHAR(100) NOT NULL,
  address       VARCHAR(200) NOT NULL,
  version       BIGINT NOT NULL,
  created_us    BIGINT NOT NULL,
  updated_us    BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_org_places_parent (community_id, parent_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which unit covers which place. level 1: a branch (or general branch);
-- level 2: a party group or building party group. One unit per level per place.
CREATE TABLE org_coverage (
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  place_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  level         TINYINT NOT NULL,
  unit_id       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (place_id, level),
  KEY ix_org_coverage_unit (unit_id, place_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE org_partners (
  id              VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  community_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind            TINYINT NOT NULL,
  display_name    VARCHAR(200) NOT NULL,
  liaison_name    VARCHAR(100) NOT NULL,
  liaison_contact VARCHAR(200) NOT NULL,
  note            VARCHAR(1000) NOT NULL,
  version         BIGINT NOT NULL,
  created_us      BIGINT NOT NULL,
  updated_us      BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_org_partners_community (community_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE org_community_settings (
  community_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  building_group_min_residents INT NOT NULL,
  version       BIGINT NOT NULL,
  PRIMARY KEY (community_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
