-- The history of units moves to the table every service shares
-- (common/migrations/0002_history.sql): a unit's rows are owned by the unit.
INSERT INTO history (seq, id, district_id, owner, resource, action, actor, request_id, at_us, changes)
  SELECT seq, id, district_id, CONCAT('orgUnits/', unit_id), resource, action, actor, request_id, at_us, changes
  FROM org_events ORDER BY seq;
DROP TABLE org_events;
