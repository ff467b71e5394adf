-- Local view of the enrollment service's packages and enrollments, written by the consumer.
-- Events may arrive in any order: each flag is set by its own event and never cleared, so
-- a withdrawal or a cancellation that arrives first still holds once the opening arrives.
CREATE TABLE IF NOT EXISTS packages (
    package_id      uuid        PRIMARY KEY,
    opened          boolean     NOT NULL DEFAULT false,
    code            text,
    title           text,
    blk             jsonb,
    kejuruan        text,
    track           text,
    start_date      date,
    end_date        date,
    jp_technical    integer,
    jp_methodology  integer,
    seats           integer,
    skkni_units     text[],
    closed          boolean     NOT NULL DEFAULT false,
    cancelled       boolean     NOT NULL DEFAULT false,
    cancel_reason   text,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS enrollments (
    enrollment_id    uuid        PRIMARY KEY,
    package_id       uuid        NOT NULL,
    nip              text        NOT NULL,
    enrolled         boolean     NOT NULL DEFAULT false,
    officer_name     text,
    package_code     text,
    kejuruan         text,
    track            text,
    blk              jsonb,
    lapas            jsonb,
    start_date       date,
    end_date         date,
    jp_total         integer,
    enrolled_at      timestamptz,
    withdrawn        boolean     NOT NULL DEFAULT false,
    withdrawn_at     timestamptz,
    withdraw_reason  text,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS enrollments_package ON enrollments (package_id);
CREATE INDEX IF NOT EXISTS enrollments_nip ON enrollments (nip);
