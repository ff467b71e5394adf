"""Every role × every command and query of the three services × own unit, other unit, none.

The services run as their own processes on real Kafka and PostgreSQL (``e2e_system``);
the callers hold real tokens of the local issuers. The expected answer of each cell is
written out below from DESIGN.md's "Who may do what" and the rule names of the identity
README, not computed by the policy the services use.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from certification.application.repository import record_stream
from lintas_shared.contracts.certification import TrainingCompleted
from lintas_shared.topics import CERTIFICATION_EVENTS, ENROLLMENT_EVENTS
from tests.e2e.conftest import RunningSystem
from tests.e2e.matrix_support import (
    BLK,
    END,
    LAPAS,
    NO_TOKEN,
    Pilot,
    columns,
    unit_of,
)
from tests.integration.certification.support import read_keyed
from tests.support.identity import Identity

pytestmark = pytest.mark.e2e

COLUMNS = columns()
OK, EMPTY, UNAUTH = "2xx", "2xx-none-of-ours", "401"

# Caller groups, as DESIGN.md's table names them.
LAPAS_OWN = ["lapas-operator/own", "lapas-system/own"]
LAPAS_OTHER = ["lapas-operator/other", "lapas-system/other"]
BLK_OWN = ["blk-operator/own", "blk-system/own"]
BLK_OTHER = ["blk-operator/other", "blk-system/other"]
CENTRE_OP = ["kemnaker-centre-operator/own"]
ASSESSORS = ["lsp-assessor/own", "lsp-assessor/other"]
ANALYSTS = ["kanwil-analyst/own", "kanwil-analyst/other", "centre-analyst/own"]
DPOS = ["ditjenpas-dpo/own", "kemnaker-dpo/own"]
AUDITORS = ["ditjenpas-auditor/own", "kemnaker-auditor/own"]
IN_SCOPE = [
    *LAPAS_OWN,
    *BLK_OWN,
    *CENTRE_OP,
    "kanwil-analyst/own",
    "centre-analyst/own",
]
OUT_OF_SCOPE = [*LAPAS_OTHER, *BLK_OTHER, "kanwil-analyst/other"]
NO_READER_SCOPE = [*ASSESSORS, *DPOS, *AUDITORS]
SIGNED_IN = [c for c in COLUMNS if c != NO_TOKEN]
# Roles that never run these commands (the rule their refusal names).
READ_ONLY = {
    "analyst-reads-only": ANALYSTS,
    "data-protection-officer-erases-only": DPOS,
    "auditor-reads-only": AUDITORS,
}
NOT_THEIR_COMMAND = {**READ_ONLY, "assessor-records-assessments-only": ASSESSORS}


def row(
    ok: Iterable[str] = (),
    deny: dict[str, list[str]] | None = None,
    empty: Iterable[str] = (),
    status: dict[int, list[str]] | None = None,
) -> dict[str, str]:
    """One action's expected answers, by caller; no token is 401 unless `ok` says."""
    cells: dict[str, str] = {c: OK for c in ok}
    cells |= {c: EMPTY for c in empty}
    for rule, callers in (deny or {}).items():
        cells |= {c: f"403 {rule}" for c in callers}
    for code, callers in (status or {}).items():
        cells |= {c: str(code) for c in callers}
    cells.setdefault(NO_TOKEN, UNAUTH)
    return cells


AGREEMENT_CMD = row(
    ok=[*LAPAS_OWN, *BLK_OWN, *CENTRE_OP],
    deny={
        "party-acts-on-own-agreement": [*LAPAS_OTHER, *BLK_OTHER],
        **NOT_THEIR_COMMAND,
    },
)
BLK_CMD = row(
    ok=[*BLK_OWN, *CENTRE_OP],
    deny={
        "blk-owns-package": [*LAPAS_OWN, *LAPAS_OTHER, *BLK_OTHER],
        **NOT_THEIR_COMMAND,
    },
)
LAPAS_CMD = row(
    ok=LAPAS_OWN,
    deny={
        "lapas-acts-for-own-officers": [*LAPAS_OTHER, *BLK_OWN, *BLK_OTHER, *CENTRE_OP],
        **NOT_THEIR_COMMAND,
    },
)
ASSESS_CMD = row(
    ok=["lsp-assessor/own"],
    deny={
        "assessor-accredited-for-kejuruan": [
            "lsp-assessor/other",
            *LAPAS_OWN,
            *LAPAS_OTHER,
            *CENTRE_OP,
        ],
        # The pilot's packages do not let their BLK assess (packages.blk_assesses).
        "blk-assesses-where-package-says": [*BLK_OWN, *BLK_OTHER],
        **READ_ONLY,
    },
)
REVOKE_CMD = row(
    ok=[*BLK_OWN, *CENTRE_OP],
    deny={
        "issuing-blk-revokes": [*LAPAS_OWN, *LAPAS_OTHER, *BLK_OTHER],
        **NOT_THEIR_COMMAND,
    },
)
AGGREGATE = row(ok=SIGNED_IN)
SCOPED_LIST = row(
    ok=IN_SCOPE,
    empty=OUT_OF_SCOPE,
    deny={"officer-rows-need-a-reader-scope": NO_READER_SCOPE},
)
SCOPED_REPORT = row(
    ok=[*IN_SCOPE, *OUT_OF_SCOPE],
    deny={"officer-rows-need-a-reader-scope": NO_READER_SCOPE},
)
SCOPED_ONE = row(
    ok=IN_SCOPE,
    deny={
        "lapas-sees-own-officers": LAPAS_OTHER,
        "blk-sees-own-trainees": BLK_OTHER,
        "kanwil-sees-own-province": ["kanwil-analyst/other"],
        "officer-rows-need-a-reader-scope": NO_READER_SCOPE,
    },
)
LOOKUP = row(
    ok=IN_SCOPE,
    status={404: OUT_OF_SCOPE},
    deny={"officer-rows-need-a-reader-scope": NO_READER_SCOPE},
)
AUDIT = row(
    ok=AUDITORS,
    deny={"auditor-reads-audit-trail": [c for c in SIGNED_IN if c not in AUDITORS]},
)
PUBLIC = row(ok=COLUMNS)

AGGREGATE_MODELS = (
    "national",
    "trend",
    "time_to_certification",
    "packages",
    "lapas",
    "provinces",
    "blk",
    "agreements",
)
OFFICER_MODELS = ("instructors", "officer_progress")


@dataclass(frozen=True)
class Op:
    """One HTTP endpoint: which service, how its request is made, its expected row."""

    name: str
    service: str
    expected: dict[str, str]
    fresh: bool = False  # changes state: each cell gets its own target


OPS: tuple[Op, ...] = (
    Op("sign-agreement", "enrollment", AGREEMENT_CMD, fresh=True),
    Op("countersign-agreement", "enrollment", AGREEMENT_CMD, fresh=True),
    Op("terminate-agreement", "enrollment", AGREEMENT_CMD, fresh=True),
    Op("open-package", "enrollment", BLK_CMD, fresh=True),
    Op("cancel-package", "enrollment", BLK_CMD, fresh=True),
    Op("close-package", "enrollment", BLK_CMD, fresh=True),
    Op("enrol", "enrollment", LAPAS_CMD, fresh=True),
    Op("withdraw", "enrollment", LAPAS_CMD, fresh=True),
    Op("list-agreements", "enrollment", AGGREGATE),
    Op("get-agreement", "enrollment", AGGREGATE),
    Op("list-packages", "enrollment", AGGREGATE),
    Op("blk-packages", "enrollment", AGGREGATE),
    Op("get-package", "enrollment", AGGREGATE),
    Op("roster", "enrollment", SCOPED_LIST),
    Op("officer-enrollments", "enrollment", SCOPED_LIST),
    Op("enrollment-audit", "enrollment", AUDIT),
    Op("complete", "certification", BLK_CMD, fresh=True),
    Op("assess", "certification", ASSESS_CMD, fresh=True),
    Op("revoke", "certification", REVOKE_CMD, fresh=True),
    Op("training-record", "certification", SCOPED_ONE),
    Op("certificate-by-number", "certification", SCOPED_ONE),
    Op("officer-certificates", "certification", SCOPED_LIST),
    Op("verify-certificate", "certification", PUBLIC),
    Op("certification-audit", "certification", AUDIT),
    *(Op(f"report-{m}", "reporting", AGGREGATE) for m in AGGREGATE_MODELS),
    *(Op(f"export-{m}", "reporting", AGGREGATE) for m in AGGREGATE_MODELS),
    *(Op(f"report-{m}", "reporting", SCOPED_REPORT) for m in OFFICER_MODELS),
    *(Op(f"export-{m}", "reporting", SCOPED_REPORT) for m in OFFICER_MODELS),
    Op("report-catalogue", "reporting", AGGREGATE),
    Op("report-generations", "reporting", AGGREGATE),
    Op("officer-lookup", "reporting", LOOKUP),
    Op("reporting-audit", "reporting", AUDIT),
)
BY_NAME = {op.name: op for op in OPS}
XFAIL: dict[str, str] = {}  # cell id -> what the service does instead (none seen)


def _cells() -> list[Any]:
    cells = []
    for op in OPS:
        for column in COLUMNS:
            cell = f"{column.replace('/none', '')}/{op.name}"
            marks = []
            if cell in XFAIL:
                marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[cell]))
            cells.append(pytest.param(op.name, column, id=cell, marks=marks))
    return cells


@dataclass
class World:
    pilot: Pilot
    clients: dict[str, httpx.AsyncClient]
    targets: dict[tuple[str, str], dict[str, Any]]
    results: list[tuple[str, str, str, str]]


ENROLLED_TARGETS = ("withdraw", "complete", "assess", "revoke")


async def _target(
    p: Pilot, op: str, column: str, packages: dict[str, str]
) -> dict[str, Any]:
    """A fresh object for one state-changing cell (made by its rightful owner)."""
    if op == "countersign-agreement":
        # Signed by the other party than the caller's side, so the caller signs second.
        first = (
            "lapas-operator/own"
            if not column.startswith("lapas")
            else "blk-operator/own"
        )
        return {"agreement_id": await p.sign(first, both=False)}
    if op == "terminate-agreement":
        return {"agreement_id": await p.sign()}
    if op in ("cancel-package", "close-package"):
        return {"package_id": await p.open(future=True)}
    if op not in ENROLLED_TARGETS:
        return {}
    # A package has at most 100 seats: each of these commands' cells enrol in their own.
    enrollment_id, _ = await p.enrol(packages[op])
    if op == "withdraw":
        return {"enrollment_id": enrollment_id, "package_id": packages[op]}
    if op == "complete":
        return {"enrollment_id": enrollment_id}
    if op == "assess":
        await p.complete(enrollment_id)
        return {"enrollment_id": enrollment_id}
    if op == "revoke":
        return {"number": await p.certify(enrollment_id)}
    raise AssertionError(f"no target for {op}")


def request_of(w: World, op: str, column: str) -> tuple[str, str, dict[str, Any]]:
    """(method, path, httpx keyword arguments) of one cell's request."""
    p, t = w.pilot, w.targets.get((op, column), {})
    nip = {"nip": p.nip}
    if op == "sign-agreement":
        body = {
            "number": f"PKS/M/{uuid.uuid4().hex[:8]}/2026",
            "lapas": LAPAS,
            "blk": BLK,
            "kejuruan": ["TEKNIK_LAS"],
            "valid_from": "2026-01-01",
            "valid_until": "2028-12-31",
        }
        return "POST", "/agreements", {"json": body}
    if op == "countersign-agreement":
        return "POST", f"/agreements/{t['agreement_id']}/signature", {}
    if op == "terminate-agreement":
        body = {"reason": "Matrix: kerja sama diakhiri"}
        return "POST", f"/agreements/{t['agreement_id']}/termination", {"json": body}
    if op == "open-package":
        return "POST", "/packages", {"json": p.package_body(future=True)}
    if op == "cancel-package":
        body = {"reason": "Matrix: dibatalkan"}
        return "POST", f"/packages/{t['package_id']}/cancellation", {"json": body}
    if op == "close-package":
        return "POST", f"/packages/{t['package_id']}/closure", {}
    if op == "enrol":
        path = f"/packages/{p.package_id}/enrollments"
        return "POST", path, {"json": p.enrolment_body()}
    if op == "withdraw":
        path = (
            f"/packages/{t['package_id']}/enrollments/{t['enrollment_id']}/withdrawal"
        )
        return "POST", path, {"json": {"reason": "Matrix: mengundurkan diri"}}
    simple = {
        "list-agreements": "/agreements",
        "get-agreement": f"/agreements/{p.agreement_id}",
        "list-packages": "/packages",
        "blk-packages": f"/blks/{BLK['code']}/packages",
        "get-package": f"/packages/{p.package_id}",
        "roster": f"/packages/{p.package_id}/roster",
        "officer-enrollments": f"/officers/{p.nip}/enrollments",
        "training-record": f"/enrollments/{p.enrollment_id}/training-record",
        "officer-certificates": f"/officers/{p.nip}/certificates",
        "verify-certificate": f"/certificates/{p.verification_code}",
        "report-catalogue": "/api/v1/models",
        "report-generations": "/api/v1/generations",
    }
    if op in simple:
        return "GET", simple[op], {}
    if op.endswith("-audit"):
        return "GET", "/audit", {}
    if op == "complete":
        done = {"completed_on": END.isoformat(), "attended_jp": 300}
        return "POST", f"/enrollments/{t['enrollment_id']}/completion", {"json": done}
    if op == "assess":
        body = p.assessment("METHODOLOGY", "K", 2)
        return "POST", f"/enrollments/{t['enrollment_id']}/assessments", {"json": body}
    if op == "revoke":
        body = {"certificate_number": t["number"], "reason": "Matrix: dicabut"}
        return "POST", "/revocations", {"json": body}
    if op == "certificate-by-number":
        return "GET", "/certificates", {"params": {"number": p.certificate_number}}
    if op.startswith("report-"):
        return "GET", f"/api/v1/{op.removeprefix('report-')}", {}
    if op.startswith("export-"):
        return "GET", f"/export/{op.removeprefix('export-')}.csv", {}
    if op == "officer-lookup":
        return "POST", "/api/v1/officers/lookup", {"json": nip}
    raise AssertionError(f"no request for {op}")


async def _pilot_setup(p: Pilot, reporting: httpx.AsyncClient) -> None:
    p.agreement_id = await p.sign()
    p.package_id = await p.open(future=False, seats=100)
    p.enrollment_id, p.nip = await p.enrol()
    p.certificate_number = await p.certify(p.enrollment_id)
    view = await ok_get(
        p.certification,
        "/certificates",
        {"number": p.certificate_number},
        p.as_blk,
    )
    p.verification_code = str(view["verification_code"])
    # Reporting reads the events: wait until its models hold the pilot's officer.
    for _ in range(200):
        found = await reporting.post(
            "/api/v1/officers/lookup", json={"nip": p.nip}, headers=p.as_lapas
        )
        if found.status_code == 200 and found.json()["certificates"]:
            return
        await asyncio.sleep(0.3)
    raise AssertionError(f"reporting never showed the officer: {found.text}")


async def ok_get(
    client: httpx.AsyncClient,
    path: str,
    params: dict[str, str],
    headers: dict[str, str],
) -> dict[str, Any]:
    answer = await client.get(path, params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@pytest.fixture(scope="module")
async def world(e2e_system: RunningSystem, identity: Identity) -> AsyncIterator[World]:
    """The pilot's objects, and one fresh target per state-changing cell, via the API."""
    urls = {
        "enrollment": e2e_system.enrollment,
        "certification": e2e_system.certification,
        "reporting": e2e_system.reporting,
    }
    limits = httpx.Limits(max_connections=20)
    clients = {
        name: httpx.AsyncClient(base_url=url, timeout=60, limits=limits)
        for name, url in urls.items()
    }
    pilot = Pilot(e2e_system, identity, clients["enrollment"], clients["certification"])
    await _pilot_setup(pilot, clients["reporting"])
    fresh = [(op.name, c) for op in OPS if op.fresh for c in COLUMNS]
    packages = {
        op: await pilot.open(future=False, seats=100) for op in ENROLLED_TARGETS
    }
    gate = asyncio.Semaphore(8)  # the machine has two cores, shared

    async def one(key: tuple[str, str]) -> dict[str, Any]:
        async with gate:
            return await _target(pilot, *key, packages)

    made = await asyncio.gather(*(one(k) for k in fresh))
    w = World(pilot, clients, dict(zip(fresh, made, strict=True)), [])
    yield w
    _summary(w.results)
    for client in clients.values():
        await client.aclose()


SHORT = {OK: "ok", EMPTY: "ok-", UNAUTH: "401", "404": "404"}


def _summary(results: list[tuple[str, str, str, str]]) -> None:
    """The matrix as seen (ok, ok- = none of the pilot's rows, 401, 403, 404; a cell
    that differed from the table shows `!`), and the count of each expected answer."""
    seen = {(op, column): (e, s) for op, column, e, s in results}
    lines = [
        f"authorization matrix: {len(results)} of {len(OPS) * len(COLUMNS)} cells run,"
        f" {sum(e != s for e, s in seen.values())} differ from the table",
        "callers: " + ", ".join(f"{i}={c}" for i, c in enumerate(COLUMNS)),
        f"{'':<30}" + "".join(f"{i:>4}" for i in range(len(COLUMNS))),
    ]
    for op in OPS:
        marks = []
        for column in COLUMNS:
            e, s = seen.get((op.name, column), ("", "?"))
            code = SHORT.get(s, s[:3])
            marks.append(f"{code if e == s else '!' + code:>4}")
        lines.append(f"{op.name:<30}" + "".join(marks))
    counts = Counter(e for _, _, e, _ in results)
    lines += [f"  {n:>4} x {e}" for e, n in sorted(counts.items())]
    text = "\n".join(lines)
    print("\n" + text)
    out = Path("artifacts")
    out.mkdir(exist_ok=True)
    (out / "authorization-matrix.txt").write_text(text + "\n")


def _outcome(answer: httpx.Response, expected: str, mine: bool) -> str:
    """What the answer was, in the table's terms."""
    if answer.is_success:
        if expected == EMPTY:
            return OK if mine else EMPTY
        return OK
    if answer.status_code == 403:
        rule = answer.json()["errors"][0]["rule"]
        assert answer.json()["type"].endswith(rule), answer.text
        return f"403 {rule}"
    return str(answer.status_code)


def _holds_ours(op: str, answer: httpx.Response, p: Pilot) -> bool:
    """Whether a scoped list answer shows the pilot's officer."""
    if op == "roster":
        ids = [str(r["enrollment_id"]) for r in answer.json()["enrollments"]]
        return p.enrollment_id in ids
    return len(answer.json()) > 0  # the officer's enrollments or certificates


async def _send(w: World, op: str, column: str) -> httpx.Response:
    method, path, kwargs = request_of(w, op, column)
    headers = w.pilot.h(column) | {"Idempotency-Key": f"matrix-{uuid.uuid4()}"}
    client = w.clients[BY_NAME[op].service]
    for _ in range(40):
        answer = await client.request(method, path, headers=headers, **kwargs)
        if answer.status_code != 429:  # the public check's rate limit: wait
            return answer
        await asyncio.sleep(float(answer.headers.get("Retry-After", "1")))
    return answer


def test_every_cell_has_an_expected_answer() -> None:
    for op in OPS:
        assert sorted(op.expected) == sorted(COLUMNS), op.name


@pytest.mark.parametrize(("op", "column"), _cells())
async def test_cell(world: World, op: str, column: str) -> None:
    expected = BY_NAME[op].expected[column]
    answer = await _send(world, op, column)
    mine = False
    if answer.is_success and expected in (OK, EMPTY) and op in LISTS:
        mine = _holds_ours(op, answer, world.pilot)
        if expected == OK:
            assert mine, f"{column} should see the pilot's officer: {answer.text}"
    seen = _outcome(answer, expected, mine)
    world.results.append((op, column, expected, seen))
    assert seen == expected, f"{answer.status_code} {answer.text[:400]}"
    if seen == UNAUTH:
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


LISTS = ("roster", "officer-enrollments", "officer-certificates")


async def test_event_actor_is_the_token_unit_not_the_x_actor_headers(
    world: World,
) -> None:
    p = world.pilot
    claims = {"X-Actor-Agency": "KEMNAKER", "X-Actor-Unit": "BBPVP-MEDAN"}
    body = p.enrolment_body()
    enrolled = await p.enrollment.post(
        f"/packages/{p.package_id}/enrollments",
        json=body,
        headers=p.as_lapas | claims,
    )
    assert enrolled.status_code == 201, enrolled.text
    (event_id,) = enrolled.json()["event_ids"]
    events = await read_keyed(
        p.system.kafka_bootstrap, ENROLLMENT_EVENTS, [f"package-{p.package_id}"], 1
    )
    (event,) = [e for e in events if str(e.id) == str(event_id)]
    assert event.metadata.actor_unit == unit_of("lapas-operator/own")
    assert event.metadata.actor_agency == "DITJENPAS"

    enrollment_id = str(enrolled.json()["enrollment_id"])
    blk = p.as_blk | {"X-Actor-Agency": "DITJENPAS", "X-Actor-Unit": "LAPAS-X"}
    body = {"completed_on": END.isoformat(), "attended_jp": 300}
    for _ in range(200):
        done = await p.certification.post(
            f"/enrollments/{enrollment_id}/completion", json=body, headers=blk
        )
        if not (done.status_code in (404, 409) and done.json().get("retryable")):
            break
        await asyncio.sleep(0.3)
    assert done.status_code == 201, done.text
    stream = record_stream(UUID(enrollment_id))
    events = await read_keyed(
        p.system.kafka_bootstrap, CERTIFICATION_EVENTS, [stream], 1
    )
    (completed,) = [e for e in events if e.type == TrainingCompleted.type_name()]
    assert completed.metadata.actor_unit == unit_of("blk-operator/own")
    assert completed.metadata.actor_agency == "KEMNAKER"
