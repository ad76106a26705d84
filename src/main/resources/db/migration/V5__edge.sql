-- Idempotency keys (SPEC §3) and per-account rate-limit overrides.

CREATE TABLE idempotency_record (
    account_id   BIGINT        NOT NULL REFERENCES account (id),
    idem_key     VARCHAR(255)  NOT NULL,
    request_hash VARCHAR(64)   NOT NULL,
    http_status  INT,
    content_type VARCHAR(100),
    response     VARCHAR(1000000),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (account_id, idem_key)
);
CREATE INDEX idempotency_created ON idempotency_record (created_at);

ALTER TABLE account ADD COLUMN rate_limit INT;
