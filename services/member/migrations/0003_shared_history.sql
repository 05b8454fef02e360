-- The history of members moves to the table every service shares
-- (common/migrations/0002_history.sql): a member's rows are owned by the member.
INSERT INTO history (seq, id, district_id, owner, resource, action, actor, request_id, at_us, changes)
  SELECT seq, id, district_id, CONCAT('members/', member_id), CONCAT('members/', member_id), action, actor,
         request_id, at_us, changes
  FROM member_events ORDER BY seq;
DROP TABLE member_events;
