"""Each principal's officer scope becomes one row filter; aggregates need only sign-in."""

from __future__ import annotations

import pytest

from lintas_shared.audit import AuditEntry, AuditOutcome
from lintas_shared.http.problems import Problem
from lintas_shared.identity import Agency, Principal, Role, UnitKind
from reporting.adapters.http.access import ReadAccess
from reporting.domain.access import RowScope
from reporting.domain.models import MODELS, ReadModel

pytestmark = pytest.mark.unit
SUMBAR = "Sumatera Barat"


def _principal(
    agency: Agency,
    unit: str,
    kind: UnitKind,
    role: Role,
    province: str | None = SUMBAR,
) -> Principal:
    return Principal(
        subject="persona-1",
        kind="person",
        agency=agency,
        unit=unit,
        unit_kind=kind,
        province=province,
        roles=frozenset({role}),
        issuer="http://issuer.test",
    )


class Trail:
    """In-memory audit writer."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def write(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


async def model_scope(
    principal: Principal, model: ReadModel, trail: Trail | None = None
) -> RowScope | None:
    access = ReadAccess(lambda: trail or Trail())
    return await access.model_scope(principal, model, form="json", filters=["year"])


D, K = Agency.DITJENPAS, Agency.KEMNAKER
CASES = [
    (
        _principal(D, "LAPAS-IIA-PADANG", UnitKind.LAPAS, Role.OPERATOR),
        "lapas",
        "LAPAS-IIA-PADANG",
    ),
    (_principal(K, "BPVP-PADANG", UnitKind.BLK, Role.OPERATOR), "blk", "BPVP-PADANG"),
    (
        _principal(D, "KANWIL-DITJENPAS-SUMBAR", UnitKind.KANWIL, Role.ANALYST),
        "lapas_province",
        SUMBAR,
    ),
    (
        _principal(K, "KANWIL-KEMNAKER-SUMBAR", UnitKind.KANWIL, Role.ANALYST),
        "blk_province",
        SUMBAR,
    ),
    (_principal(D, "DITJENPAS-PUSAT", UnitKind.CENTRE, Role.ANALYST, None), None, None),
]


@pytest.mark.parametrize(("principal", "kind", "value"), CASES)
async def test_each_reader_sees_officer_rows_of_its_own_scope_only_audited(
    principal: Principal, kind: str | None, value: str | None
) -> None:
    trail = Trail()
    for name in ("instructors", "officer_progress"):
        scope = await model_scope(principal, MODELS[name], trail)
        assert scope is not None  # narrows the type; the next line checks the value
        assert (scope.kind, scope.value) == (kind, value)
    assert [e.scope["model"] for e in trail.entries] == [
        "instructors",
        "officer_progress",
    ]
    for entry in trail.entries:
        assert entry.outcome is AuditOutcome.ALLOWED
        assert entry.action == "report.officer.read"
        assert entry.unit == principal.unit
        assert entry.scope["reader_scope"] == (kind or "national")
        assert entry.scope["filters"] == ["year"]
        if kind is not None:
            assert entry.scope[kind] == value


@pytest.mark.parametrize(("principal", "kind", "value"), CASES)
async def test_every_signed_in_reader_reads_aggregates_unscoped_unaudited(
    principal: Principal, kind: str | None, value: str | None
) -> None:
    trail = Trail()
    for name, model in MODELS.items():
        if not model.officer_level:
            assert await model_scope(principal, model, trail) is None, name
    assert trail.entries == []


@pytest.mark.parametrize(
    "principal",
    [
        _principal(D, "DITJENPAS-PUSAT", UnitKind.CENTRE, Role.AUDITOR, None),
        _principal(K, "KEMNAKER-PUSAT", UnitKind.CENTRE, Role.DATA_PROTECTION_OFFICER),
    ],
)
async def test_a_reader_without_an_officer_scope_is_refused_and_audited(
    principal: Principal,
) -> None:
    trail = Trail()
    with pytest.raises(Problem) as refused:
        await model_scope(principal, MODELS["instructors"], trail)
    assert refused.value.status == 403
    assert refused.value.code == "officer-rows-need-a-reader-scope"
    (entry,) = trail.entries
    assert entry.outcome is AuditOutcome.DENIED
    assert entry.rule == "officer-rows-need-a-reader-scope"
    assert await model_scope(principal, MODELS["national"]) is None
