-- The yearly appraisal of a member by the community they registered with
-- where they live (双报到).
CREATE TABLE appraisals (
  member_id     VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  community_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  year          INT NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  grade         TINYINT NOT NULL,
  comment       VARCHAR(500) NOT NULL,
  appraiser     VARCHAR(128) NOT NULL,
  version       BIGINT NOT NULL,
  updated_us    BIGINT NOT NULL,
  PRIMARY KEY (member_id, community_id, year),
  KEY ix_appraisals_community (community_id, year, member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
