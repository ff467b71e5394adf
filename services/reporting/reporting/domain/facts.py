"""Fact tables and column groups: what each event is allowed to fill in, and nothing else.

Every fact row is keyed by a natural id. Each event type owns one column *group* of one
row; a group is replaced only by an event that is later by (event time, event id). Writes
are therefore idempotent and commutative: any order and any duplication of the same set
of events ends in the same rows. No column is ever incremented.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql_type: str


@dataclass(frozen=True, slots=True)
class Group:
    """The columns of ``table`` one event type owns, plus its (time, id) version stamp."""

    name: str
    table: str
    key: Column
    columns: tuple[Column, ...]

    @property
    def time_column(self) -> str:
        return f"{self.name}_event_time"

    @property
    def id_column(self) -> str:
        return f"{self.name}_event_id"


def _cols(spec: str) -> tuple[Column, ...]:
    """``"a uuid, b text"`` -> columns; keeps the group table below readable."""
    out = []
    for part in spec.split(","):
        name, sql_type = part.split()
        out.append(Column(name, sql_type))
    return tuple(out)


UNIT_LAPAS = "lapas_code text, lapas_name text, lapas_province text"
UNIT_BLK = "blk_code text, blk_name text, blk_province text"
ENROLLMENT_KEY = Column("enrollment_id", "uuid")
PACKAGE_KEY = Column("package_id", "uuid")
CERTIFICATE_KEY = Column("certificate_number", "text")

GROUPS: dict[str, Group] = {
    g.name: g
    for g in (
        Group(
            "enrolled",
            "enrollment_f",
            ENROLLMENT_KEY,
            _cols(
                "package_id uuid, package_code text, kejuruan text, track text, "
                f"{UNIT_BLK}, {UNIT_LAPAS}, agreement_id uuid, nip text, "
                "officer_name text, officer_position text, start_date date, "
                "end_date date, jp_total int, enrolled_at timestamptz, enrolled_on date"
            ),
        ),
        Group(
            "withdrawn",
            "enrollment_f",
            ENROLLMENT_KEY,
            _cols(
                "w_package_id uuid, w_nip text, withdraw_reason text, "
                "withdrawn_at timestamptz"
            ),
        ),
        Group(
            "completed",
            "enrollment_f",
            ENROLLMENT_KEY,
            _cols(
                "c_package_id uuid, c_nip text, c_kejuruan text, c_track text, "
                "c_blk_code text, c_lapas_code text, completed_on date, "
                "attended_jp int, c_jp_total int"
            ),
        ),
        Group(
            "assessed",
            "assessment_f",
            Column("assessment_id", "uuid"),
            _cols(
                "enrollment_id uuid, package_id uuid, nip text, kejuruan text, "
                "kind text, result text, lsp text, assessed_on date"
            ),
        ),
        Group(
            "certified",
            "certificate_f",
            CERTIFICATE_KEY,
            _cols(
                "enrollment_id uuid, package_id uuid, nip text, officer_name text, "
                f"kejuruan text, {UNIT_BLK}, {UNIT_LAPAS}, issued_on date, "
                "expires_on date"
            ),
        ),
        Group(
            "revoked",
            "certificate_f",
            CERTIFICATE_KEY,
            _cols("r_nip text, r_kejuruan text, revoke_reason text, revoked_on date"),
        ),
        Group(
            "expired",
            "certificate_f",
            CERTIFICATE_KEY,
            _cols("x_nip text, x_kejuruan text, expired_on date"),
        ),
        Group(
            "opened",
            "package_f",
            PACKAGE_KEY,
            _cols(
                f"code text, title text, {UNIT_BLK}, kejuruan text, track text, "
                "start_date date, end_date date, jp_technical int, "
                "jp_methodology int, seats int"
            ),
        ),
        Group("cancelled", "package_f", PACKAGE_KEY, _cols("cancel_reason text")),
        Group("closed", "package_f", PACKAGE_KEY, ()),
        Group(
            "signed",
            "agreement_f",
            Column("agreement_id", "uuid"),
            _cols(
                f"number text, {UNIT_LAPAS}, {UNIT_BLK}, kejuruan_list text, "
                "valid_from date, valid_until date"
            ),
        ),
        Group(
            "named",
            "unit_f",
            Column("code", "text"),
            _cols("kind text, name text, province text"),
        ),
        Group(
            "terminated",
            "agreement_f",
            Column("agreement_id", "uuid"),
            _cols("terminate_reason text, terminated_on date"),
        ),
    )
}

FACT_TABLES: frozenset[str] = frozenset(g.table for g in GROUPS.values())
