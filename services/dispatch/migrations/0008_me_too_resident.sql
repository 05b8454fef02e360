-- A resident's WatchRequests also follows the requests they said "me too" to:
-- found by resident.
ALTER TABLE request_me_too ADD KEY ix_me_too_resident (resident, request_id);
