-- Certificates as issued, revoked and expired: an inline projection of the certification
-- streams, written in the same transaction as the events (never stale for a reader).
CREATE TABLE IF NOT EXISTS certificates (
    certificate_number  text        PRIMARY KEY,
    nip                 text        NOT NULL,
    kejuruan            text        NOT NULL,
    officer_name        text        NOT NULL,
    blk                 jsonb       NOT NULL,
    lapas               jsonb       NOT NULL,
    enrollment_id       uuid        NOT NULL,
    package_id          uuid        NOT NULL,
    issued_on           date        NOT NULL,
    expires_on          date        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('valid', 'revoked', 'expired')),
    revoked_on          date,
    revoke_reason       text,
    expired_on          date
);
-- The stream per (NIP, kejuruan) already serialises issuing; this is the last line of
-- defence should a bug ever try to keep two certificates valid at once.
CREATE UNIQUE INDEX IF NOT EXISTS certificates_one_valid
    ON certificates (nip, kejuruan) WHERE status = 'valid';
CREATE INDEX IF NOT EXISTS certificates_due ON certificates (expires_on) WHERE status = 'valid';
CREATE INDEX IF NOT EXISTS certificates_enrollment ON certificates (enrollment_id);
