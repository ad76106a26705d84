-- Delivery claims, so that several Herald instances on one database never attempt the same message at once.
-- Portable between H2 and PostgreSQL.
--
-- claimed_until: no delivery attempt of the message may start before this time.
--   While an instance delivers the message, claimed_by names it and claimed_until ends its lease (a crashed
--   instance's claim runs out by itself); while a retry waits out its backoff, claimed_by is NULL and claimed_until
--   is when the retry is due. NULL: never attempted, waiting in the delivery queue.
-- claimed_by: the instance that claimed the message last (after SENT/FAILED: the one that delivered it).
ALTER TABLE message ADD COLUMN claimed_by VARCHAR(100);
ALTER TABLE message ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX message_claim ON message (status, claimed_until);
