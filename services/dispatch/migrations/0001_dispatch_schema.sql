-- The dispatch service's schema: categories and the working-day calendar
-- (data, per district), requests with their timeline, and the outbox of
-- events for other services. Every row carries district_id.

-- Edited after release: the table request_ids moved to common/migrations/
-- (0001_request_ids.sql); a database that applied the earlier text holds
-- the same tables.
-- accepts applied checksum ece5d8e6cb1463f8

CREATE TABLE categories (
  district_id         VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  code                VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name        VARCHAR(50)  NOT NULL,
  limit_hours         INT NOT NULL DEFAULT 0,
  limit_working_days  INT NOT NULL DEFAULT 0,
  skills              VARCHAR(1000) NOT NULL DEFAULT '',   -- one per line
  grabbable           TINYINT NOT NULL DEFAULT 0,
  version             BIGINT NOT NULL,
  PRIMARY KEY (district_id, code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the days that break the Monday-to-Friday rule.
CREATE TABLE calendar_days (
  district_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  day          DATE NOT NULL,
  kind         TINYINT NOT NULL,   -- 1 holiday, 2 make-up working day
  label        VARCHAR(50) NOT NULL DEFAULT '',
  PRIMARY KEY (district_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- unit_path is the responsible unit's materialized path in the org tree
-- ("/district/street/community/branch/group/"), copied at submission: lists by
-- subtree are a prefix range, and escalation walks it upwards without asking
-- the org service.
CREATE TABLE requests (
  id                    VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id           VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  category              VARCHAR(32)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  description           VARCHAR(2000) NOT NULL,
  place_id              VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  address               VARCHAR(200) NOT NULL DEFAULT '',
  phone_sealed          VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  urgency               TINYINT NOT NULL,
  photo_urls            TEXT NOT NULL,
  state                 TINYINT NOT NULL,
  resident              VARCHAR(128) NOT NULL,
  responsible_unit      VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  community_id          VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  unit_path             VARCHAR(700) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  escalated_to          VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  escalation_level      INT NOT NULL DEFAULT 0,
  next_escalation_us    BIGINT NOT NULL,       -- 0 once it cannot escalate further or is done
  assignee              VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  due_us                BIGINT NOT NULL,
  accept_due_us         BIGINT NOT NULL DEFAULT 0,
  me_too_count          INT NOT NULL DEFAULT 0,
  resolution            VARCHAR(2000) NOT NULL DEFAULT '',
  department            VARCHAR(100) NOT NULL DEFAULT '',
  department_reference  VARCHAR(100) NOT NULL DEFAULT '',
  minutes_spent         INT NOT NULL DEFAULT 0,
  result_photo_urls     TEXT NOT NULL,
  rating                TINYINT NOT NULL DEFAULT 0,
  created_us            BIGINT NOT NULL,
  updated_us            BIGINT NOT NULL,
  resolved_us           BIGINT NOT NULL DEFAULT 0,
  version               BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_requests_path (district_id, unit_path, id),
  KEY ix_requests_duplicate (place_id, category, state),
  KEY ix_requests_assignee (assignee, id),
  KEY ix_requests_resident (resident, id),
  KEY ix_requests_escalation (next_escalation_us),
  KEY ix_requests_accept (state, accept_due_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE request_timeline (
  seq          BIGINT NOT NULL AUTO_INCREMENT,
  request_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  action       VARCHAR(32)  NOT NULL,
  actor        VARCHAR(128) NOT NULL,
  at_us        BIGINT NOT NULL,
  from_state   TINYINT NOT NULL,
  to_state     TINYINT NOT NULL,
  detail       VARCHAR(2000) NOT NULL DEFAULT '',
  -- Who hears of it (WatchRequests): the resident, the member concerned (the
  -- one dispatched, declining, timing out, working it), the community (offers).
  resident     VARCHAR(128) NOT NULL DEFAULT '',
  member       VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  community_id VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  PRIMARY KEY (seq),
  KEY ix_timeline_request (request_id, seq),
  KEY ix_timeline_resident (resident, seq),
  KEY ix_timeline_member (member, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every clear read of a resident's phone.
CREATE TABLE phone_disclosures (
  seq          BIGINT NOT NULL AUTO_INCREMENT,
  district_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  request_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  reader       VARCHAR(128) NOT NULL,
  method       VARCHAR(64)  NOT NULL,
  at_us        BIGINT NOT NULL,
  PRIMARY KEY (seq),
  KEY ix_phone_disclosures_request (request_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Events for other services (a transactional outbox): written in the same
-- transaction as the change they tell of.
CREATE TABLE outbox (
  seq          BIGINT NOT NULL AUTO_INCREMENT,
  id           VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  district_id  VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  type         VARCHAR(64)  NOT NULL,
  payload      MEDIUMBLOB NOT NULL,
  created_us   BIGINT NOT NULL,
  PRIMARY KEY (seq),
  UNIQUE KEY uk_outbox_id (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
