-- The audit trail: every command (allowed, denied, or refused for an unknown target) and
-- every read of officer-level data. `scope` holds unit codes, trades and ids, never a NIP
-- or a name. Append-only: the service writes and reads, nothing updates or deletes.
CREATE TABLE IF NOT EXISTS audit_log (
    id             bigserial   PRIMARY KEY,
    at             timestamptz NOT NULL,
    subject        text        NOT NULL,
    agency         text        NOT NULL,
    unit           text        NOT NULL,
    roles          text[]      NOT NULL,
    action         text        NOT NULL,
    outcome        text        NOT NULL CHECK (outcome IN ('allowed', 'denied', 'unresolved')),
    rule           text        NOT NULL,
    scope          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    correlation_id text
);

CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);
CREATE INDEX IF NOT EXISTS audit_log_action_at ON audit_log (action, at);
CREATE INDEX IF NOT EXISTS audit_log_unit_at ON audit_log (unit, at);
