"""Each command declares its action and resource; the catalogue decides and audits."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from certification.application.catalogue import CATALOGUE
from certification.application.context import CertificationContext
from certification.application.record_assessment import RecordCompetencyAssessment
from certification.application.record_completion import RecordTrainingCompletion
from certification.application.revoke_certification import RevokeCertification
from certification.domain.errors import CertificateNotFound
from certification.domain.policy import CertificationPolicy
from lintas_shared.contracts import AssessmentKind, CompetencyResult, Kejuruan
from lintas_shared.contracts.certification import CompetencyAssessed, TrainingCompleted
from lintas_shared.eventstore import InMemoryEventStore, RecordedEvent
from lintas_shared.http.problems import Problem
from lintas_shared.identity import Action, Agency, Principal, Role, UnitKind
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


def _principal(
    unit: str, kind: UnitKind, role: Role = Role.OPERATOR, **kw: object
) -> Principal:
    agency = {UnitKind.LAPAS: Agency.DITJENPAS, UnitKind.LSP: Agency.LSP}.get(
        kind, Agency.KEMNAKER
    )
    return Principal.model_validate(
        {
            "subject": f"subject-{unit.lower()}",
            "kind": "person",
            "agency": agency,
            "unit": unit,
            "unit_kind": kind,
            "roles": [role],
            "issuer": "http://issuer.test",
            **kw,
        }
    )


LAPAS = _principal("LAPAS-IIA-PADANG", UnitKind.LAPAS)
BLK = _principal("BPVP-PADANG", UnitKind.BLK)
MEUBEL_ASSESSOR = _principal(
    "LSP-MEUBEL", UnitKind.LSP, Role.ASSESSOR, kejuruan=["MEUBEL"]
)


def _context() -> tuple[CertificationContext, InMemoryEnrollmentDirectory, MemoryAudit]:
    store = InMemoryEventStore()
    directory = InMemoryEnrollmentDirectory()
    audit = MemoryAudit()
    context = CertificationContext(
        store=store,
        directory=directory,
        index=StoreCertificateIndex(store),
        numbers=InMemoryCertificateNumbers(),
        clock=FixedClock(TODAY),
        policy=CertificationPolicy.of(0.9),
        audit=audit,
    )
    return context, directory, audit


def _assessment(enrollment_id: object) -> RecordCompetencyAssessment:
    return RecordCompetencyAssessment.model_validate(
        {
            "enrollment_id": enrollment_id,
            "assessment_id": uuid4(),
            "kind": AssessmentKind.TECHNICAL,
            "result": CompetencyResult.K,
            "lsp": "LSP Meubel",
            "assessed_on": END + timedelta(days=1),
            "skkni_units": ["C.16MEB01.001.1"],
        }
    )


async def _everything(context: CertificationContext) -> list[RecordedEvent]:
    return await context.store.read_by_type(
        [TrainingCompleted.type_name(), CompetencyAssessed.type_name()]
    )


def test_every_command_declares_its_action() -> None:
    assert CATALOGUE.action(RecordTrainingCompletion) is Action.TRAINING_COMPLETE
    assert CATALOGUE.action(RecordCompetencyAssessment) is Action.COMPETENCY_ASSESS
    assert CATALOGUE.action(RevokeCertification) is Action.CERTIFICATE_REVOKE


async def test_a_denied_command_writes_nothing_and_is_audited_with_its_rule() -> None:
    context, directory, audit = _context()
    enrolled = officer_enrolled()
    directory.apply(enrolled)
    cmd = RecordTrainingCompletion(
        enrollment_id=enrolled.enrollment_id, completed_on=END, attended_jp=300
    )

    with pytest.raises(Problem) as refused:
        await CATALOGUE.run(context, cmd, LAPAS, None)

    assert refused.value.status == 403 and refused.value.code == "blk-owns-package"
    assert await _everything(context) == []
    (entry,) = audit.entries
    assert (entry.action, entry.outcome.value, entry.rule) == (
        "training.complete",
        "denied",
        "blk-owns-package",
    )
    assert entry.scope["blk"] == "BPVP-PADANG"
    assert enrolled.officer.nip not in repr(entry)


async def test_the_assessor_is_checked_against_the_packages_kejuruan() -> None:
    context, directory, audit = _context()
    meubel = officer_enrolled(kejuruan=Kejuruan.MEUBEL)
    barista = officer_enrolled(kejuruan=Kejuruan.BARISTA)
    directory.apply(meubel)
    directory.apply(barista)

    await CATALOGUE.run(
        context, _assessment(meubel.enrollment_id), MEUBEL_ASSESSOR, None
    )
    with pytest.raises(Problem) as refused:
        await CATALOGUE.run(
            context, _assessment(barista.enrollment_id), MEUBEL_ASSESSOR, None
        )

    assert refused.value.code == "assessor-accredited-for-kejuruan"
    assert [e.outcome.value for e in audit.entries] == ["allowed", "denied"]
    (recorded,) = await _everything(context)
    assert recorded.metadata.actor_unit == "LSP-MEUBEL"
    assert recorded.metadata.actor_subject == MEUBEL_ASSESSOR.subject


async def test_revoking_an_unknown_number_is_a_404_before_any_decision() -> None:
    context, _, audit = _context()
    cmd = RevokeCertification(certificate_number="LNT/BPVP-PADANG/X/1", reason="uji")

    with pytest.raises(CertificateNotFound):
        await CATALOGUE.run(context, cmd, BLK, None)

    assert [e.outcome.value for e in audit.entries] == ["unresolved"]
