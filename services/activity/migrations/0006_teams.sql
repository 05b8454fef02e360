-- Volunteer teams (志愿服务队): the teams of a unit, their skills and members,
-- and the service they record, each record crediting its members' hours.
CREATE TABLE volunteer_teams (
  id             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_path      VARCHAR(700) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name   VARCHAR(100) NOT NULL,
  description    VARCHAR(1000) NOT NULL DEFAULT '',
  skills         VARCHAR(1000) NOT NULL DEFAULT '',  -- one per line
  leader_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  member_count   INT NOT NULL DEFAULT 0,
  version        BIGINT NOT NULL,
  created_us     BIGINT NOT NULL,
  updated_us     BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY by_path (district_id, unit_path(255), id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A team's skills again, one row each, for finding teams by skill.
CREATE TABLE team_skills (
  skill          VARCHAR(32) NOT NULL,
  team_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (skill, team_id),
  KEY by_team (team_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE team_members (
  team_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name   VARCHAR(100) NOT NULL DEFAULT '',
  skills         VARCHAR(1000) NOT NULL DEFAULT '',  -- one per line
  joined_us      BIGINT NOT NULL,
  PRIMARY KEY (team_id, member_id),
  KEY by_member (member_id, team_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE service_records (
  seq            BIGINT NOT NULL AUTO_INCREMENT,
  id             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  team_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  service_date   DATE NOT NULL,
  minutes        INT NOT NULL,
  description    VARCHAR(1000) NOT NULL,
  recorded_by    VARCHAR(128) NOT NULL,
  created_us     BIGINT NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY by_id (id),
  KEY by_team (team_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who served in each record, for a member's list.
CREATE TABLE service_record_members (
  record_seq     BIGINT NOT NULL,
  member_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  PRIMARY KEY (record_seq, member_id),
  KEY by_member (member_id, record_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
