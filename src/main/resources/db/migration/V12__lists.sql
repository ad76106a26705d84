-- List and search endpoints (issue 14; docs/lists.md). Portable between H2 and PostgreSQL.

-- An operator may disable an account (PATCH /admin/accounts/{id}): its keys are then refused like revoked ones.
ALTER TABLE account ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;

-- The first characters of a key (key_ and 4 more), stored when it is created, so that an operator can tell keys apart
-- (NULL for keys made before this migration).
ALTER TABLE api_key ADD COLUMN key_prefix VARCHAR(12);

-- When the key was last used, to within herald.cache.ttl: written when the edge cache reads the key from the database
-- (the first request after each ttl), never per request.
ALTER TABLE api_key ADD COLUMN last_used_at TIMESTAMP WITH TIME ZONE;

-- Lists are newest first and paged by the last key seen (keyset paging): each list reads its account's rows in the
-- order of one index. GET /v1/messages: an account's messages by accepted time (the recipient and dispatch filters use
-- message_recipient and message_dispatch).
CREATE INDEX message_account_created ON message (account_id, created_at, id);
-- GET /admin/accounts/{id}/keys (api_key had no index on its account)
CREATE INDEX api_key_account ON api_key (account_id, id);
-- GET /v1/dispatches and GET /v1/campaigns: (account_id, id) serves whatever (account_id) served.
CREATE INDEX dispatch_account_id ON dispatch (account_id, id);
DROP INDEX IF EXISTS dispatch_account;
CREATE INDEX campaign_account_id ON campaign (account_id, id);
DROP INDEX IF EXISTS campaign_account;
