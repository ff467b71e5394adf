"""The HTTP API on PostgreSQL: problem documents, idempotency, queries, expiry by the clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import httpx
import pytest

from certification.adapters.postgres.enrollment_view import apply_event
from certification.application.context import CertificationContext
from certification.application.expire_due import run_expiry_scheduler
from lintas_shared.contracts import Track
from lintas_shared.contracts.enrollment import OfficerEnrolled
from lintas_shared.identity import TokenVerifier
from tests.integration.certification.support import (
    ASSESSOR,
    BLK_OPERATOR,
    bearer,
    code_of,
    http_app,
    without_token,
)
from tests.support.identity import Identity
from tests.unit.certification.certification_factories import (
    END,
    START,
    TODAY,
    officer_enrolled,
)
from tests.unit.certification.fakes import FixedClock

pytestmark = pytest.mark.integration

TECH_K = {
    "kind": "TECHNICAL",
    "result": "K",
    "lsp": "LSP Pelatihan Kerja Padang",
    "assessed_on": "2026-05-04",
    "skkni_units": ["C.16MEB01.001.1"],
}
METH_K = {**TECH_K, "kind": "METHODOLOGY", "skkni_units": ["I.563030.006.01"]}


@pytest.fixture
async def http(
    cert_pool: asyncpg.Pool,
    context: CertificationContext,
    verifier: TokenVerifier,
    identity: Identity,
) -> AsyncIterator[httpx.AsyncClient]:
    """The API as BPVP Padang's operator (other principals pass their own headers)."""
    transport = httpx.ASGITransport(app=http_app(context, cert_pool, verifier))
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://t",
        headers=bearer(identity, BLK_OPERATOR),
    ) as client:
        yield client


@pytest.fixture
def assessor(identity: Identity) -> dict[str, str]:
    """The LSP assessor accredited for the factories' trade (MEUBEL) and others."""
    return bearer(identity, ASSESSOR)


async def _known(pool: asyncpg.Pool, enrolled: OfficerEnrolled) -> OfficerEnrolled:
    async with pool.acquire() as conn:
        await apply_event(conn, enrolled)
    return enrolled


async def _certify(
    http: httpx.AsyncClient, enrolled: OfficerEnrolled, assessor: dict[str, str]
) -> str:
    base = f"/enrollments/{enrolled.enrollment_id}"
    done = {"completed_on": END.isoformat(), "attended_jp": 320}
    assert (await http.post(f"{base}/completion", json=done)).is_success
    assert (
        await http.post(f"{base}/assessments", json=TECH_K, headers=assessor)
    ).is_success
    last = await http.post(f"{base}/assessments", json=METH_K, headers=assessor)
    return str(last.json()["certificate"]["certificate_number"])


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (
            {"completed_on": "2026-06-16", "attended_jp": 300},
            422,
            "date-in-future",
            "completed_on",
        ),
        (
            {"completed_on": "2026-03-01", "attended_jp": 300},
            409,
            "date-before-package-start",
            "completed_on",
        ),
        (
            {"completed_on": "2026-04-30", "attended_jp": 999},
            422,
            "attendance-above-package-jp",
            "attended_jp",
        ),
        (
            {"completed_on": "2026-04-30", "attended_jp": -1},
            422,
            "invalid-request",
            "attended_jp",
        ),
    ],
)
async def test_completion_refusals_name_the_rule_and_the_field(
    http: httpx.AsyncClient,
    cert_pool: asyncpg.Pool,
    body: dict[str, object],
    status: int,
    code: str,
    field: str,
) -> None:
    enrolled = await _known(cert_pool, officer_enrolled())

    answer = await http.post(
        f"/enrollments/{enrolled.enrollment_id}/completion",
        json=body,
    )

    assert answer.status_code == status
    problem = answer.json()
    assert problem["type"].endswith(f"/{code}")
    assert problem["errors"][0]["field"] == field
    assert await cert_pool.fetchval("SELECT count(*) FROM events") == 0


async def test_methodology_for_reskilling_and_withdrawn_enrollment_are_refused(
    http: httpx.AsyncClient, cert_pool: asyncpg.Pool, assessor: dict[str, str]
) -> None:
    reskilling = await _known(cert_pool, officer_enrolled(track=Track.RESKILLING))
    withdrawn = officer_enrolled()
    await _known(cert_pool, withdrawn)
    await cert_pool.execute(
        "UPDATE enrollments SET withdrawn = true WHERE enrollment_id = $1",
        withdrawn.enrollment_id,
    )

    methodology = await http.post(
        f"/enrollments/{reskilling.enrollment_id}/assessments",
        json=METH_K,
        headers=assessor,
    )
    after_withdrawal = await http.post(
        f"/enrollments/{withdrawn.enrollment_id}/assessments",
        json=TECH_K,
        headers=assessor,
    )

    assert methodology.status_code == 422
    assert methodology.json()["type"].endswith("/no-methodology-for-reskilling")
    assert after_withdrawal.status_code == 409
    assert after_withdrawal.json()["type"].endswith("/enrollment-withdrawn")
    assert "retryable" not in after_withdrawal.json()
    assert await cert_pool.fetchval("SELECT count(*) FROM events") == 0


async def test_commands_need_a_token_and_honour_idempotency_keys(
    http: httpx.AsyncClient, cert_pool: asyncpg.Pool, assessor: dict[str, str]
) -> None:
    enrolled = await _known(cert_pool, officer_enrolled())
    url = f"/enrollments/{enrolled.enrollment_id}/assessments"
    keyed = {**assessor, "Idempotency-Key": "assess-0001"}

    anonymous = await without_token(http, "POST", url, json=TECH_K)
    first = await http.post(url, json=TECH_K, headers=keyed)
    again = await http.post(url, json=TECH_K, headers=keyed)
    other_body = await http.post(url, json=METH_K, headers=keyed)

    assert anonymous.status_code == 401
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert other_body.status_code == 422
    assert other_body.json()["type"].endswith("/idempotency-key-reused")
    assert await cert_pool.fetchval("SELECT count(*) FROM events") == 1


async def test_skkni_codes_of_both_generations_are_accepted_and_others_refused(
    http: httpx.AsyncClient, cert_pool: asyncpg.Pool, assessor: dict[str, str]
) -> None:
    enrolled = await _known(cert_pool, officer_enrolled())
    url = f"/enrollments/{enrolled.enrollment_id}/assessments"
    units = ["C.25LAS01.001.1", "C.24LAS01.002.1", "I.563030.006.01"]

    good = await http.post(url, json={**TECH_K, "skkni_units": units}, headers=assessor)
    bad = await http.post(
        url, json={**TECH_K, "skkni_units": ["LAS-1"]}, headers=assessor
    )

    assert good.status_code == 201
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "skkni_units.0"


async def test_training_record_of_an_unknown_enrollment_is_a_retryable_404(
    http: httpx.AsyncClient,
) -> None:
    answer = await http.get(
        f"/enrollments/{officer_enrolled().enrollment_id}/training-record"
    )

    assert answer.status_code == 404
    assert answer.json()["retryable"] is True


async def test_operator_queries_show_record_and_certificates(
    http: httpx.AsyncClient, cert_pool: asyncpg.Pool, assessor: dict[str, str]
) -> None:
    enrolled = await _known(cert_pool, officer_enrolled())
    number = await _certify(http, enrolled, assessor)

    record = await http.get(f"/enrollments/{enrolled.enrollment_id}/training-record")
    mine = await http.get(f"/officers/{enrolled.officer.nip}/certificates")

    assert record.status_code == 200
    assert record.json()["completion"] == {
        "completed_on": "2026-04-30",
        "attended_jp": 320,
    }
    assert [a["kind"] for a in record.json()["assessments"]] == [
        "TECHNICAL",
        "METHODOLOGY",
    ]
    assert record.json()["unmet_requirements"] == []
    assert record.json()["required_jp"] == 288
    assert [c["certificate_number"] for c in mine.json()] == [number]
    assert mine.json()[0]["lapas"]["code"] == "LAPAS-IIA-PADANG"


async def test_revoked_certificate_reads_revoked_in_the_public_check(
    http: httpx.AsyncClient, cert_pool: asyncpg.Pool, assessor: dict[str, str]
) -> None:
    number = await _certify(http, await _known(cert_pool, officer_enrolled()), assessor)

    revoked = await http.post(
        "/revocations",
        json={"certificate_number": number, "reason": "pelanggaran disiplin"},
    )
    again = await http.post(
        "/revocations",
        json={"certificate_number": number, "reason": "pelanggaran disiplin"},
    )
    code = await code_of(http, number)
    check = await without_token(http, "GET", f"/certificates/{code}")
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()

    assert revoked.status_code == 201
    assert again.status_code == 409
    assert check.json()["status"] == "revoked"
    assert check.json()["revoked_on"] == TODAY.isoformat()
    assert (await http.get(f"/certificates/{grouped}")).json() == check.json()


async def test_scheduler_expires_due_certificates_by_the_injected_clock(
    http: httpx.AsyncClient,
    cert_pool: asyncpg.Pool,
    context: CertificationContext,
    clock: FixedClock,
    assessor: dict[str, str],
) -> None:
    number = await _certify(http, await _known(cert_pool, officer_enrolled()), assessor)
    last_day = await cert_pool.fetchval(
        "SELECT expires_on FROM certificates WHERE certificate_number = $1", number
    )
    clock.day = last_day + timedelta(days=1)

    scheduler = asyncio.create_task(run_expiry_scheduler(context, interval=0.05))
    try:
        for _ in range(100):
            status = await cert_pool.fetchval(
                "SELECT status FROM certificates WHERE certificate_number = $1", number
            )
            if status == "expired":
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.cancel()
        await asyncio.gather(scheduler, return_exceptions=True)

    assert status == "expired"
    assert (
        await cert_pool.fetchval(
            "SELECT count(*) FROM events WHERE type = 'lintas.CertificationExpired.v1'"
        )
        == 1
    )
    check = await http.get(f"/certificates/{await code_of(http, number)}")
    assert check.json()["status"] == "expired"
    assert check.json()["expired_on"] == clock.day.isoformat()
    assert last_day > START
