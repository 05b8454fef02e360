-- Who said "me too" to a request: each resident counts once per request, and
-- a second MeToo of the same resident changes nothing.
CREATE TABLE request_me_too (
  request_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  resident    VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  created_us  BIGINT NOT NULL,
  PRIMARY KEY (request_id, resident)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
