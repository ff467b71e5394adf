-- Public verification goes by an unguessable code, never by the sequential number.
-- The code is an HMAC of the number (certification/domain/verification.py), written by
-- the inline projection; rows issued before this migration get theirs at startup.
ALTER TABLE certificates ADD COLUMN IF NOT EXISTS verification_code text;
CREATE UNIQUE INDEX IF NOT EXISTS certificates_verification_code
    ON certificates (verification_code);

-- The HMAC key when none is configured (LINTAS_CERTIFICATION_VERIFICATION_KEY): made
-- once, kept here, so codes stay the same across restarts and projection rebuilds.
CREATE TABLE IF NOT EXISTS verification_key (
    only_one  boolean PRIMARY KEY DEFAULT true CHECK (only_one),
    key       bytea   NOT NULL CHECK (length(key) >= 32)
);

-- The package facts this service keeps: may the package's own BLK record assessments?
-- The enrollment events do not say so yet, so it stays false (an LSP assesses).
ALTER TABLE packages ADD COLUMN IF NOT EXISTS blk_assesses boolean NOT NULL DEFAULT false;
