-- Read-model generations: each is a PostgreSQL schema (rm_gN) holding fact tables and
-- views; the pointer row names the one queries and the live projector use.
CREATE SCHEMA IF NOT EXISTS rm_control;

CREATE SEQUENCE IF NOT EXISTS rm_control.generation_seq;

CREATE TABLE IF NOT EXISTS rm_control.generations (
    name        text        PRIMARY KEY,
    layout      integer     NOT NULL,
    state       text        NOT NULL CHECK (state IN ('building', 'current', 'retired')),
    facts       text[]      NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    switched_at timestamptz,
    -- Progress of the rebuild filling it, for operators and the API.
    replayed    bigint      NOT NULL DEFAULT 0,
    to_replay   bigint      NOT NULL DEFAULT 0
);

-- Exactly one row. The live projector reads it FOR SHARE in every batch; a switch takes
-- it FOR UPDATE, so no batch straddles a switch.
CREATE TABLE IF NOT EXISTS rm_control.pointer (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),
    generation  text        NOT NULL REFERENCES rm_control.generations (name),
    switched_at timestamptz NOT NULL DEFAULT now()
);

-- Stable names for people querying with SQL: views over the current generation,
-- replaced in the switch transaction.
CREATE SCHEMA IF NOT EXISTS rm;
