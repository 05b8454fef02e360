-- A member's posts are found by member when the member dies, leaves or is
-- expelled (EndMemberPositions).
ALTER TABLE org_positions ADD KEY ix_org_positions_member (member);
