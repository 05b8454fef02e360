-- The gateway's schema: who may sign in (people's accounts, app backends and
-- government systems), their sessions, members' app bindings, and the audit
-- chain of every call through the gateway.

-- People. Passwords are Argon2id strings (libsodium); TOTP secrets are sealed
-- with the gateway's field keys (common/crypto.h), never kept in clear.
CREATE TABLE accounts (
  id               VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  username         VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name     VARCHAR(200) NOT NULL,
  member           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL,
  position         VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL,
  roles            VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  -- "*" or the id of the unit at the top of the account's subtree, and that
  -- unit's materialized path ("/district/.../unit/"; "/" for "*"), so that an
  -- operator's reach over accounts is a prefix test.
  org_scope        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  org_path         VARCHAR(400) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  password_hash    VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  must_change_password TINYINT NOT NULL,
  totp_secret      VARBINARY(200) NULL,
  totp_pending     VARBINARY(200) NULL,
  totp_last_step   BIGINT NOT NULL,
  failed_attempts  INT NOT NULL,
  locked_until_us  BIGINT NOT NULL,
  disabled         TINYINT NOT NULL,
  version          BIGINT NOT NULL,
  created_us       BIGINT NOT NULL,
  updated_us       BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_accounts_username (username),
  KEY ix_accounts_path (org_path, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- App backends (kind 1) and government systems (kind 2).
CREATE TABLE clients (
  id               VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name     VARCHAR(200) NOT NULL,
  kind             TINYINT NOT NULL,
  allowed_roles    VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  org_scope        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  org_path         VARCHAR(400) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  methods          TEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  certificate_subject VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  secret_hash      VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  disabled         TINYINT NOT NULL,
  version          BIGINT NOT NULL,
  created_us       BIGINT NOT NULL,
  updated_us       BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_clients_subject (certificate_subject)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Sessions: the bearer token is kept only as its SHA-256.
CREATE TABLE sessions (
  id               VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  token_hash       BINARY(32) NOT NULL,
  principal        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  -- Only enrolment, a password change and sign-out until the account has
  -- its second factor and a password of its own.
  restricted       TINYINT NOT NULL,
  client_address   VARCHAR(128) NOT NULL,
  created_us       BIGINT NOT NULL,
  last_seen_us     BIGINT NOT NULL,
  expires_us       BIGINT NOT NULL,
  ended_us         BIGINT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_sessions_token (token_hash),
  KEY ix_sessions_principal (principal, id)
) ENGINE=InnoDB;

-- One-time codes a secretary issues for a member to bind an app account.
CREATE TABLE binding_codes (
  code_hash        BINARY(32) NOT NULL,
  member           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  issued_by        VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  expires_us       BIGINT NOT NULL,
  used_us          BIGINT NULL,
  PRIMARY KEY (code_hash)
) ENGINE=InnoDB;

CREATE TABLE member_bindings (
  client_id        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  member           VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  app_user         VARCHAR(128) NOT NULL,
  created_us       BIGINT NOT NULL,
  PRIMARY KEY (client_id, member, app_user)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The audit chain. hash = SM3(previous record's hash || the record's
-- canonical text); seq runs without gaps from 1. audit_head holds the last
-- record's seq and hash, so that removing the newest records is found too.
CREATE TABLE audit_records (
  seq              BIGINT NOT NULL,
  at_us            BIGINT NOT NULL,
  caller           VARCHAR(128) NOT NULL,
  on_behalf        VARCHAR(128) NOT NULL,
  client_address   VARCHAR(128) NOT NULL,
  method           VARCHAR(200) NOT NULL,
  resources        TEXT NOT NULL,
  code             VARCHAR(32)  NOT NULL,
  latency_us       BIGINT NOT NULL,
  request_id       VARCHAR(64)  NOT NULL,
  hash             BINARY(32) NOT NULL,
  PRIMARY KEY (seq),
  KEY ix_audit_caller (caller, seq),
  KEY ix_audit_time (at_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each resource name a record carries, for listing by resource.
CREATE TABLE audit_resources (
  resource         VARCHAR(128) NOT NULL,
  seq              BIGINT NOT NULL,
  PRIMARY KEY (resource, seq),
  KEY ix_audit_resources_seq (seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_head (
  id               TINYINT NOT NULL,
  seq              BIGINT NOT NULL,
  hash             BINARY(32) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, REPEAT(CHAR(0), 32));

-- Where pruning cut the chain: the last pruned record's seq and hash, signed
-- with the gateway's key (ES256 over "lianxin-audit-checkpoint|seq|hex hash").
CREATE TABLE audit_checkpoints (
  seq              BIGINT NOT NULL,
  hash             BINARY(32) NOT NULL,
  at_us            BIGINT NOT NULL,
  kid              VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  signature        VARBINARY(200) NOT NULL,
  PRIMARY KEY (seq)
) ENGINE=InnoDB;
