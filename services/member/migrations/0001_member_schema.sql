-- The member service's schema. Every table carries district_id (the district
-- committee at the root of the member's branch's tree).
--
-- Personal data (national ID, phone, health and attitude notes) is stored only
-- sealed (common/crypto.h: SM4-CTR + HMAC-SM3 or AES-256-GCM, key id inside);
-- national ID and phone are found through blind indexes (HMAC-SM3 of the
-- normalized value), never by decrypting the table. Sealed values are stored
-- base64, indexes hex.

-- Edited after release: the table request_ids moved to common/migrations/
-- (0001_request_ids.sql); a database that applied the earlier text holds
-- the same tables.
-- accepts applied checksum 3eb8840f523108b6

CREATE TABLE members (
  id                       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id              VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  branch_id                VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name             VARCHAR(50) NOT NULL,
  gender                   TINYINT NOT NULL,
  ethnicity                VARCHAR(20) NOT NULL,
  birth_date               DATE NOT NULL,
  national_id_sealed       VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  national_id_index        CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  phone_sealed             VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NULL,
  phone_index              CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  compound_id              VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  building_id              VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  stairwell_id             VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  room                     VARCHAR(20) NOT NULL DEFAULT '',
  standing                 TINYINT NOT NULL,
  join_date                DATE NULL,
  full_member_date         DATE NULL,
  lifecycle                TINYINT NOT NULL,
  lifecycle_since          DATE NULL,
  categories               INT NOT NULL DEFAULT 0,    -- bit (1 << Category)
  availability             INT NOT NULL DEFAULT 0,    -- bit (1 << Availability)
  residence_community_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  registered_community_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  occupation               VARCHAR(100) NOT NULL DEFAULT '',
  hardship                 TINYINT NOT NULL DEFAULT 0,
  hardship_help            VARCHAR(500) NOT NULL DEFAULT '',
  health_sealed            VARCHAR(4200) CHARACTER SET ascii COLLATE ascii_bin NULL,
  attitude_sealed          VARCHAR(4200) CHARACTER SET ascii COLLATE ascii_bin NULL,
  contact_status           TINYINT NOT NULL,
  lost_since               DATE NULL,
  version                  BIGINT NOT NULL,
  created_us               BIGINT NOT NULL,
  updated_us               BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_members_national_id (national_id_index),
  KEY ix_members_phone (phone_index),
  KEY ix_members_branch (branch_id, id),
  KEY ix_members_building (building_id, id),
  KEY ix_members_lost (district_id, contact_status, lost_since)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE member_skills (
  member_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  skill        VARCHAR(50) NOT NULL,
  PRIMARY KEY (member_id, skill),
  KEY ix_member_skills_skill (skill, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE member_events (
  seq          BIGINT NOT NULL AUTO_INCREMENT,
  id           VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  action       VARCHAR(32)  NOT NULL,
  actor        VARCHAR(128) NOT NULL,
  request_id   VARCHAR(64)  NOT NULL,
  at_us        BIGINT NOT NULL,
  changes      MEDIUMTEXT NOT NULL,
  PRIMARY KEY (seq),
  KEY ix_member_events_member (member_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every personal value shown in clear.
CREATE TABLE member_disclosures (
  seq          BIGINT NOT NULL AUTO_INCREMENT,
  district_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  branch_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  reader       VARCHAR(128) NOT NULL,
  field        VARCHAR(32)  NOT NULL,
  method       VARCHAR(64)  NOT NULL,
  request_id   VARCHAR(64)  NOT NULL,
  at_us        BIGINT NOT NULL,
  PRIMARY KEY (seq),
  KEY ix_member_disclosures_member (member_id, seq),
  KEY ix_member_disclosures_branch (branch_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
