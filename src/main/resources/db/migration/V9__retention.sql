-- Data retention (io.herald.store.Retention, routes/retention.camel.yaml). Portable between H2 and PostgreSQL.
--
-- After herald.retention.message-content a final message's personal data is erased: recipient, subject, bodies,
-- unsubscribe URL, last error and its events' details become NULL (recipient may now be NULL: only for an erased
-- message), content_erased_at says when. An SMS keeps its encoding and segment count, worked out from its text just
-- before the text goes (sms_encoding, sms_segments; NULL until then: GET /v1/messages/{id} computes them from the text).
ALTER TABLE message ALTER COLUMN recipient DROP NOT NULL;
ALTER TABLE message ADD COLUMN content_erased_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE message ADD COLUMN sms_encoding VARCHAR(5);
ALTER TABLE message ADD COLUMN sms_segments INT;

-- The sandbox transport's records go with their message's content: looked up by message (PostgreSQL, unlike H2, does
-- not index a foreign key by itself, and every message deleted would scan this table for its references).
CREATE INDEX sandbox_delivery_message ON sandbox_delivery (message_id);

-- The same for the dead letters of the callbacks that go with an erased or deleted message.
CREATE INDEX callback_dead_letter_callback ON callback_dead_letter (callback_id);
