-- SMS upstreams and routing (SPEC §6, io.herald.sms.routing). Portable between H2 and PostgreSQL.
--
-- The name of the routing table's upstream that carried an SMS (written with its SENT state); NULL for email, for
-- sandbox-key messages and for messages no upstream took. Names are the table's, up to 100 characters.
ALTER TABLE message ADD COLUMN upstream VARCHAR(100);
