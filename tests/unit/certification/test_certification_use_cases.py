"""Use cases against the in-memory store: what is appended, published, refused, replayed."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from certification.application.context import CertificationContext
from certification.application.expire_due import expire_due
from certification.application.record_assessment import (
    RecordCompetencyAssessment,
    record_assessment,
)
from certification.application.record_completion import (
    RecordTrainingCompletion,
    record_completion,
)
from certification.application.revoke_certification import (
    RevokeCertification,
    revoke_certification,
)
from certification.domain import errors
from certification.domain.policy import CertificationPolicy
from lintas_shared.contracts import AssessmentKind, CompetencyResult, Track
from lintas_shared.contracts.certification import InstructorCertified
from lintas_shared.contracts.enrollment import OfficerEnrolled
from lintas_shared.envelope import EventMetadata
from lintas_shared.eventstore import (
    ConcurrencyConflict,
    InMemoryEventStore,
    RecordedEvent,
)
from lintas_shared.topics import CERTIFICATION_EVENTS
from tests.unit.certification.certification_factories import (
    END,
    TODAY,
    officer_enrolled,
)
from tests.unit.certification.fakes import (
    FixedClock,
    InMemoryCertificateNumbers,
    InMemoryEnrollmentDirectory,
    MemoryAudit,
    StoreCertificateIndex,
)

pytestmark = pytest.mark.unit

BLK = EventMetadata("KEMNAKER", "BPVP-PADANG")
CERTIFIED = InstructorCertified.type_name()


class InterleavingStore(InMemoryEventStore):
    """Yields to other tasks after every read, so concurrent commands really overlap."""

    def __init__(self) -> None:
        super().__init__()
        self.conflicts = 0

    async def read_stream(self, stream_id: str) -> list[RecordedEvent]:
        events = await super().read_stream(stream_id)
        await asyncio.sleep(0)
        return events

    async def append(self, *args: Any, **kwargs: Any) -> list[RecordedEvent]:
        try:
            return await super().append(*args, **kwargs)
        except ConcurrencyConflict:
            self.conflicts += 1
            raise


def _context() -> tuple[CertificationContext, InMemoryEnrollmentDirectory]:
    store = InterleavingStore()
    directory = InMemoryEnrollmentDirectory()
    context = CertificationContext(
        store=store,
        directory=directory,
        index=StoreCertificateIndex(store),
        numbers=InMemoryCertificateNumbers(),
        clock=FixedClock(TODAY),
        policy=CertificationPolicy.of(0.9),
        audit=MemoryAudit(),
    )
    return context, directory


def _assess(
    enrolled: OfficerEnrolled,
    kind: AssessmentKind,
    result: CompetencyResult,
    day: int = 1,
) -> RecordCompetencyAssessment:
    return RecordCompetencyAssessment(
        enrollment_id=enrolled.enrollment_id,
        assessment_id=uuid4(),
        kind=kind,
        result=result,
        lsp="LSP Pelatihan Kerja Padang",
        assessed_on=END + timedelta(days=day),
        skkni_units=("C.25LAS01.001.1",),
    )


async def _qualify(context: CertificationContext, enrolled: OfficerEnrolled) -> None:
    """Complete and pass the technical test; only the methodology K is left."""
    await record_completion(
        context,
        RecordTrainingCompletion(
            enrollment_id=enrolled.enrollment_id, completed_on=END, attended_jp=300
        ),
        BLK,
        None,
    )
    await record_assessment(
        context,
        _assess(enrolled, AssessmentKind.TECHNICAL, CompetencyResult.K),
        BLK,
        None,
    )


def _published(context: CertificationContext, type_name: str) -> list[dict]:
    store = context.store
    assert isinstance(store, InMemoryEventStore)
    return [
        e.data
        for topic, _, e in store.outbox
        if topic == CERTIFICATION_EVENTS and (e.type == type_name)
    ]


async def test_bk_then_k_certifies_and_publishes_instructor_certified() -> None:
    context, directory = _context()
    enrolled = officer_enrolled(track=Track.INSTRUCTOR)
    directory.apply(enrolled)
    await _qualify(context, enrolled)
    meth = AssessmentKind.METHODOLOGY

    first = await record_assessment(
        context, _assess(enrolled, meth, CompetencyResult.BK, 2), BLK, None
    )
    second = await record_assessment(
        context, _assess(enrolled, meth, CompetencyResult.K, 9), BLK, None
    )

    assert first.response["certificate"] is None
    assert first.response["unmet_requirements"] == ["methodology-k"]
    assert second.response["unmet_requirements"] == []
    (certified,) = _published(context, CERTIFIED)
    assert certified["nip"] == enrolled.officer.nip
    assert certified["certificate_number"] == "LNT/BPVP-PADANG/MEUBEL/2026/000001"
    assert certified["issued_on"] == (END + timedelta(days=9)).isoformat()
    assert (
        second.response["certificate"]["certificate_number"]
        == (certified["certificate_number"])
    )


async def test_unknown_enrollment_is_refused_retryably_and_writes_nothing() -> None:
    context, _ = _context()

    with pytest.raises(errors.EnrollmentNotKnownYet) as refused:
        await record_completion(
            context,
            RecordTrainingCompletion(
                enrollment_id=uuid4(), completed_on=END, attended_jp=300
            ),
            BLK,
            None,
        )

    assert refused.value.retryable
    assert await context.store.read_by_type([CERTIFIED]) == []
    assert isinstance(context.store, InMemoryEventStore)
    assert context.store.outbox == []


async def test_completion_succeeds_once_the_enrollment_arrives() -> None:
    context, directory = _context()
    enrolled = officer_enrolled()
    command = RecordTrainingCompletion(
        enrollment_id=enrolled.enrollment_id, completed_on=END, attended_jp=300
    )
    with pytest.raises(errors.EnrollmentNotKnownYet):
        await record_completion(context, command, BLK, key="k-12345678")

    directory.apply(enrolled)
    outcome = await record_completion(context, command, BLK, key="k-12345678")

    assert outcome.response["completed"] and not outcome.replayed


async def test_reskilling_completion_is_published_but_never_certifies() -> None:
    context, directory = _context()
    enrolled = officer_enrolled(track=Track.RESKILLING, jp_total=240)
    directory.apply(enrolled)

    await record_completion(
        context,
        RecordTrainingCompletion(
            enrollment_id=enrolled.enrollment_id, completed_on=END, attended_jp=240
        ),
        BLK,
        None,
    )
    outcome = await record_assessment(
        context,
        _assess(enrolled, AssessmentKind.TECHNICAL, CompetencyResult.K),
        BLK,
        None,
    )

    assert len(_published(context, "lintas.TrainingCompleted.v1")) == 1
    assert _published(context, CERTIFIED) == []
    assert "instructor-track" in outcome.response["unmet_requirements"]


async def test_repeated_idempotency_key_replays_without_appending() -> None:
    context, directory = _context()
    enrolled = officer_enrolled()
    directory.apply(enrolled)
    command = RecordTrainingCompletion(
        enrollment_id=enrolled.enrollment_id, completed_on=END, attended_jp=300
    )

    first = await record_completion(context, command, BLK, key="key-0001")
    again = await record_completion(context, command, BLK, key="key-0001")

    assert again.replayed and again.response == first.response
    assert len(_published(context, "lintas.TrainingCompleted.v1")) == 1


async def test_concurrent_qualifying_enrollments_yield_one_valid_certificate() -> None:
    context, directory = _context()
    nip = officer_enrolled().officer.nip
    enrollments = [officer_enrolled(nip=nip) for _ in range(4)]
    for enrolled in enrollments:
        directory.apply(enrolled)
        await _qualify(context, enrolled)

    await asyncio.gather(
        *(
            record_assessment(
                context,
                _assess(e, AssessmentKind.METHODOLOGY, CompetencyResult.K),
                BLK,
                None,
            )
            for e in enrollments
        )
    )

    assert len(_published(context, CERTIFIED)) == 1
    assert isinstance(context.store, InterleavingStore)
    assert context.store.conflicts > 0  # the commands did race


async def test_concurrent_certifications_get_distinct_numbers() -> None:
    context, directory = _context()
    enrollments = [officer_enrolled() for _ in range(5)]
    for enrolled in enrollments:
        directory.apply(enrolled)
        await _qualify(context, enrolled)

    await asyncio.gather(
        *(
            record_assessment(
                context,
                _assess(e, AssessmentKind.METHODOLOGY, CompetencyResult.K),
                BLK,
                None,
            )
            for e in enrollments
        )
    )

    numbers = [c["certificate_number"] for c in _published(context, CERTIFIED)]
    assert sorted(numbers) == [
        f"LNT/BPVP-PADANG/MEUBEL/2026/{n:06d}" for n in range(1, 6)
    ]


async def test_expiry_runs_once_after_the_last_valid_day() -> None:
    context, directory = _context()
    enrolled = officer_enrolled()
    directory.apply(enrolled)
    await _qualify(context, enrolled)
    await record_assessment(
        context,
        _assess(enrolled, AssessmentKind.METHODOLOGY, CompetencyResult.K),
        BLK,
        None,
    )
    clock = context.clock
    assert isinstance(clock, FixedClock)

    clock.day = END + timedelta(days=1) + timedelta(days=3 * 365)
    assert await expire_due(context) == 0
    clock.advance(2)
    assert await expire_due(context) == 1
    assert await expire_due(context) == 0

    (expired,) = _published(context, "lintas.CertificationExpired.v1")
    assert expired["certificate_number"].startswith("LNT/BPVP-PADANG/MEUBEL/")


async def test_revocation_finds_the_certificate_by_number() -> None:
    context, directory = _context()
    enrolled = officer_enrolled()
    directory.apply(enrolled)
    await _qualify(context, enrolled)
    outcome = await record_assessment(
        context,
        _assess(enrolled, AssessmentKind.METHODOLOGY, CompetencyResult.K),
        BLK,
        None,
    )
    number = outcome.response["certificate"]["certificate_number"]

    await revoke_certification(
        context,
        RevokeCertification(certificate_number=number, reason="misconduct"),
        BLK,
        None,
    )

    (revoked,) = _published(context, "lintas.CertificationRevoked.v1")
    assert revoked["revoked_on"] == TODAY.isoformat()
    with pytest.raises(errors.CertificateNotValid):
        await revoke_certification(
            context,
            RevokeCertification(certificate_number=number, reason="misconduct"),
            BLK,
            None,
        )
