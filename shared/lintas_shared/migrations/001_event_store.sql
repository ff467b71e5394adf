-- Event store, transactional outbox and idempotency keys of a write service.
CREATE TABLE IF NOT EXISTS events (
    position     bigserial   NOT NULL,
    event_id     uuid        NOT NULL UNIQUE,
    stream_id    text        NOT NULL,
    version      integer     NOT NULL CHECK (version > 0),
    type         text        NOT NULL,
    data         jsonb       NOT NULL,
    metadata     jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (stream_id, version)
);
CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);

-- One row per event to publish. The relay reads unpublished rows, never "rows after the
-- last position", so a transaction that commits late is never skipped.
CREATE TABLE IF NOT EXISTS outbox (
    id           bigserial   PRIMARY KEY,
    event_id     uuid        NOT NULL REFERENCES events (event_id),
    topic        text        NOT NULL,
    message_key  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE IF NOT EXISTS idempotency_keys (
    key          text        PRIMARY KEY,
    request_hash text        NOT NULL,
    response     jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
