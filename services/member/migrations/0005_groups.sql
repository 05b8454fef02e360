-- A member's party group (党小组, 楼栋党小组): a unit directly under their
-- branch; '' when none. Rosters are read by group.
ALTER TABLE members
  ADD COLUMN group_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '' AFTER branch_id,
  ADD KEY ix_members_group (group_id, id);
