-- When each timeline row and outbox event was written, by the database's
-- clock: readers by seq read only as far as no earlier seq can still commit
-- (common/settled_seq.h).
ALTER TABLE request_timeline ADD COLUMN written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
ALTER TABLE outbox ADD COLUMN written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
