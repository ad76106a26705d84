-- SMPP (io.herald.sms.smpp): the parts an SMS went out as, one row per submit_sm that an upstream acknowledged.
-- Portable between H2 and PostgreSQL.
--
-- upstream + smsc_message_id: the submit_sm_resp message id, which the delivery receipts name (unique per upstream).
-- part_index: 1..part_count; part_count: how many parts the message went out as (all rows of a message carry it).
-- state: ENROUTE until the part's receipt: DELIVRD, or one of UNDELIV, EXPIRED, REJECTD, DELETED (final, failed),
--   or another receipt word (ACCEPTD, UNKNOWN) which is not final. The message is DELIVERED when every part is
--   DELIVRD, NOT_DELIVERED as soon as one failed (io.herald.sms.smpp.SmppReceipts).
-- No foreign key to message: retention deletes a message's parts with it (io.herald.retention.Retention).
CREATE TABLE sms_part (
    message_id      VARCHAR(36)  NOT NULL,
    part_index      INT          NOT NULL,
    part_count      INT          NOT NULL,
    upstream        VARCHAR(100) NOT NULL,
    smsc_message_id VARCHAR(65)  NOT NULL,
    state           VARCHAR(10)  NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (message_id, part_index)
);
CREATE INDEX sms_part_smsc_id ON sms_part (upstream, smsc_message_id);
