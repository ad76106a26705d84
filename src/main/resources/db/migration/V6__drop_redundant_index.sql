-- message_status (status) is the leading column of message_claim (status, claimed_until): every query it served,
-- message_claim serves, and each message stored no longer pays for a sixth index.
DROP INDEX IF EXISTS message_status;
