-- Query tables of the enrollment service, kept by the inline projection in the same
-- transaction as the events, so a query never sees an event without its effect.
CREATE TABLE IF NOT EXISTS agreement_view (
    agreement_id       uuid PRIMARY KEY,
    number             text NOT NULL,
    lapas              jsonb NOT NULL,
    lapas_code         text NOT NULL,
    blk                jsonb NOT NULL,
    blk_code           text NOT NULL,
    kejuruan           text[] NOT NULL,
    valid_from         date NOT NULL,
    valid_until        date NOT NULL,
    terminated_on      date,
    termination_reason text
);
CREATE INDEX IF NOT EXISTS agreement_view_lapas ON agreement_view (lapas_code, blk_code);
CREATE INDEX IF NOT EXISTS agreement_view_blk ON agreement_view (blk_code);

CREATE TABLE IF NOT EXISTS package_view (
    package_id     uuid PRIMARY KEY,
    code           text NOT NULL,
    title          text NOT NULL,
    blk            jsonb NOT NULL,
    blk_code       text NOT NULL,
    kejuruan       text NOT NULL,
    track          text NOT NULL,
    start_date     date NOT NULL,
    end_date       date NOT NULL,
    jp_technical   integer NOT NULL,
    jp_methodology integer NOT NULL,
    seats          integer NOT NULL,
    -- The constraint restates the rule the package stream enforces.
    seats_taken    integer NOT NULL DEFAULT 0 CHECK (seats_taken BETWEEN 0 AND seats),
    skkni_units    text[] NOT NULL,
    status         text NOT NULL DEFAULT 'OPEN'
);
CREATE INDEX IF NOT EXISTS package_view_blk ON package_view (blk_code, start_date);

CREATE TABLE IF NOT EXISTS enrollment_view (
    enrollment_id     uuid PRIMARY KEY,
    package_id        uuid NOT NULL REFERENCES package_view (package_id),
    package_code      text NOT NULL,
    kejuruan          text NOT NULL,
    start_date        date NOT NULL,
    end_date          date NOT NULL,
    nip               text NOT NULL,
    name              text NOT NULL,
    position          text NOT NULL,
    lapas             jsonb NOT NULL,
    agreement_id      uuid NOT NULL,
    enrolled_at       timestamptz NOT NULL,
    enrolled_on       date NOT NULL,
    status            text NOT NULL DEFAULT 'ENROLLED',
    withdrawn_at      timestamptz,
    withdrawal_reason text
);
CREATE INDEX IF NOT EXISTS enrollment_view_package ON enrollment_view (package_id, status);
CREATE INDEX IF NOT EXISTS enrollment_view_nip ON enrollment_view (nip);
