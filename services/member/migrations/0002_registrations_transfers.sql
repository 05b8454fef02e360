-- Self-registration (亮明身份) and transfers of the formal relation (组织关系转接).

-- Codes a community hands out; registrations through them go to its secretaries.
CREATE TABLE registration_codes (
  code          VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  community_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  place_id      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  label         VARCHAR(100) NOT NULL,
  revoked       TINYINT NOT NULL DEFAULT 0,
  created_by    VARCHAR(128) NOT NULL,
  created_us    BIGINT NOT NULL,
  PRIMARY KEY (code),
  KEY ix_registration_codes_community (community_id, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The applicant's form is kept whole, sealed (it holds the national ID, the
-- phone and notes); the national ID's blind index finds a member on file.
CREATE TABLE registrations (
  id                    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id           VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  community_id          VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  code                  VARCHAR(16)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name          VARCHAR(50)  NOT NULL,
  form_sealed           MEDIUMTEXT   CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  national_id_index     CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  current_organization  VARCHAR(100) NOT NULL DEFAULT '',
  state                 TINYINT NOT NULL,
  submitted_by          VARCHAR(128) NOT NULL,
  submitted_us          BIGINT NOT NULL,
  decided_by            VARCHAR(128) NOT NULL DEFAULT '',
  decided_us            BIGINT NOT NULL DEFAULT 0,
  reason                VARCHAR(200) NOT NULL DEFAULT '',
  member_id             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  version               BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_registrations_community (community_id, state, id),
  KEY ix_registrations_identity (national_id_index, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE transfers (
  id                    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id           VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member_id             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind                  TINYINT NOT NULL,
  from_unit             VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  to_unit               VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  state                 TINYINT NOT NULL,
  current_step          INT NOT NULL DEFAULT 0,
  -- The unit whose decision the transfer waits for ('' when not pending).
  waiting_unit          VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  letter_number         VARCHAR(50)  NOT NULL DEFAULT '',
  outside_organization  VARCHAR(100) NOT NULL DEFAULT '',
  dues_paid_through     CHAR(7)      CHARACTER SET ascii NOT NULL DEFAULT '',
  reason                VARCHAR(200) NOT NULL,
  cancel_reason         VARCHAR(200) NOT NULL DEFAULT '',
  started_by            VARCHAR(128) NOT NULL,
  valid_until           DATE NOT NULL,
  created_us            BIGINT NOT NULL,
  updated_us            BIGINT NOT NULL,
  version               BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_transfers_member (member_id, id),
  KEY ix_transfers_from (from_unit, id),
  KEY ix_transfers_to (to_unit, id),
  KEY ix_transfers_waiting (waiting_unit, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE transfer_steps (
  transfer_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  idx           INT NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  org_unit      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  decision      TINYINT NOT NULL,
  decided_by    VARCHAR(128) NOT NULL DEFAULT '',
  decided_us    BIGINT NOT NULL DEFAULT 0,
  reason        VARCHAR(200) NOT NULL DEFAULT '',
  PRIMARY KEY (transfer_id, idx)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
