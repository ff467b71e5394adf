"""Against PostgreSQL: concurrent commands never make two valid certificates or reuse a number."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import asyncpg
import pytest

from certification.adapters.postgres.enrollment_view import apply_event
from certification.application.context import CertificationContext
from certification.application.record_assessment import (
    RecordCompetencyAssessment,
    record_assessment,
)
from certification.application.record_completion import (
    RecordTrainingCompletion,
    record_completion,
)
from lintas_shared.contracts import AssessmentKind, CompetencyResult
from lintas_shared.contracts.certification import InstructorCertified
from lintas_shared.contracts.enrollment import OfficerEnrolled
from lintas_shared.envelope import EventMetadata
from tests.unit.certification.certification_factories import END, officer_enrolled

pytestmark = pytest.mark.integration

BLK = EventMetadata("KEMNAKER", "BPVP-PADANG")


def _assess(
    enrolled: OfficerEnrolled, kind: AssessmentKind
) -> RecordCompetencyAssessment:
    return RecordCompetencyAssessment(
        enrollment_id=enrolled.enrollment_id,
        assessment_id=uuid.uuid4(),
        kind=kind,
        result=CompetencyResult.K,
        lsp="LSP Pelatihan Kerja Padang",
        assessed_on=END + timedelta(days=3),
        skkni_units=("C.16MEB01.001.1",),
    )


async def _enrol_and_nearly_qualify(
    pool: asyncpg.Pool, context: CertificationContext, enrolled: OfficerEnrolled
) -> None:
    async with pool.acquire() as conn:
        await apply_event(conn, enrolled)
    await record_completion(
        context,
        RecordTrainingCompletion(
            enrollment_id=enrolled.enrollment_id, completed_on=END, attended_jp=320
        ),
        BLK,
        None,
    )
    await record_assessment(
        context, _assess(enrolled, AssessmentKind.TECHNICAL), BLK, None
    )


async def test_concurrent_final_assessments_of_one_officer_make_one_valid_certificate(
    cert_pool: asyncpg.Pool, context: CertificationContext
) -> None:
    nip = officer_enrolled().officer.nip
    enrollments = [officer_enrolled(nip=nip) for _ in range(8)]
    for enrolled in enrollments:
        await _enrol_and_nearly_qualify(cert_pool, context, enrolled)

    outcomes = await asyncio.gather(
        *(
            record_assessment(
                context, _assess(e, AssessmentKind.METHODOLOGY), BLK, None
            )
            for e in enrollments
        )
    )

    issued = await cert_pool.fetchval(
        "SELECT count(*) FROM events WHERE type = $1", InstructorCertified.type_name()
    )
    assert issued == 1
    assert (
        await cert_pool.fetchval(
            "SELECT count(*) FROM certificates WHERE nip = $1 AND status = 'valid'", nip
        )
        == 1
    )
    numbers = {o.response["certificate"]["certificate_number"] for o in outcomes}
    assert len(numbers) == 1  # every answer names the one certificate


async def test_concurrent_certifications_at_one_blk_get_consecutive_unique_numbers(
    cert_pool: asyncpg.Pool, context: CertificationContext
) -> None:
    enrollments = [officer_enrolled() for _ in range(24)]
    for enrolled in enrollments:
        await _enrol_and_nearly_qualify(cert_pool, context, enrolled)

    await asyncio.gather(
        *(
            record_assessment(
                context, _assess(e, AssessmentKind.METHODOLOGY), BLK, None
            )
            for e in enrollments
        )
    )

    numbers = await cert_pool.fetch("SELECT certificate_number FROM certificates")
    assert sorted(r[0] for r in numbers) == [
        f"LNT/BPVP-PADANG/MEUBEL/2026/{n:06d}" for n in range(1, 25)
    ]


async def test_the_same_command_redelivered_concurrently_is_applied_once(
    cert_pool: asyncpg.Pool, context: CertificationContext
) -> None:
    enrolled = officer_enrolled()
    await _enrol_and_nearly_qualify(cert_pool, context, enrolled)
    command = _assess(enrolled, AssessmentKind.METHODOLOGY)

    outcomes = await asyncio.gather(
        *(record_assessment(context, command, BLK, key="kafka:msg-1") for _ in range(6))
    )

    assert sum(not o.replayed for o in outcomes) == 1
    assert all(o.response == outcomes[0].response for o in outcomes)
    assert (
        await cert_pool.fetchval(
            "SELECT count(*) FROM events WHERE type = 'lintas.CompetencyAssessed.v1'"
        )
        == 2
    )  # the technical K and this one methodology K
    assert await cert_pool.fetchval("SELECT count(*) FROM certificates") == 1
