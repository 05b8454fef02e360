-- Idempotent creates (AIP-155): the first result of a request id, per caller
-- (common/idempotency.h). Subjects and request ids are identifiers, compared
-- byte for byte (case matters in a token's subject).
--
-- Every service's first migration created this table before it moved here:
-- on such a database it exists already, and is brought to this shape.
CREATE TABLE IF NOT EXISTS request_ids (
  subject       VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  request_id    VARCHAR(64)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  district_id   VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  method        VARCHAR(64)  NOT NULL,
  resource      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_us    BIGINT NOT NULL,
  PRIMARY KEY (subject, request_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
ALTER TABLE request_ids
  MODIFY subject VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  MODIFY request_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
