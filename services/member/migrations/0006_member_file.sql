-- The rest of the national member-information system's items, the
-- probation's extension, and where a mobile member went. The contact's phone
-- there is sealed like the member's own (common/crypto.h).
ALTER TABLE members
  ADD COLUMN education               TINYINT NOT NULL DEFAULT 0,
  ADD COLUMN job_post                VARCHAR(100) NOT NULL DEFAULT '',
  ADD COLUMN professional_title      VARCHAR(100) NOT NULL DEFAULT '',
  ADD COLUMN admission               TINYINT NOT NULL DEFAULT 0,
  ADD COLUMN work_unit               VARCHAR(200) NOT NULL DEFAULT '',
  ADD COLUMN household_registration  VARCHAR(200) NOT NULL DEFAULT '',
  ADD COLUMN branch_since            DATE NULL,
  ADD COLUMN probation_until         DATE NULL,  -- set only when extended
  ADD COLUMN mobility_destination    VARCHAR(200) NOT NULL DEFAULT '',
  ADD COLUMN mobility_organization   VARCHAR(200) NOT NULL DEFAULT '',
  ADD COLUMN mobility_contact_name   VARCHAR(50) NOT NULL DEFAULT '',
  ADD COLUMN mobility_contact_sealed VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN mobility_since          DATE NULL;
