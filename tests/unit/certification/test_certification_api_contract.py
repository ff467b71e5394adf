"""The published API contract: every command takes actor headers and an Idempotency-Key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from certification.adapters.http.app import create_app
from certification.application.catalogue import CATALOGUE
from certification.application.record_assessment import RecordCompetencyAssessment
from certification.domain.errors import EnrollmentNotKnownYet
from lintas_shared.eventstore import ConcurrencyConflict
from lintas_shared.http.problems import Problem
from lintas_shared.messaging.command_ingress import kafka_refusal as command_problem

pytestmark = pytest.mark.unit


def test_every_post_documents_actor_headers_idempotency_key_and_problems() -> None:
    spec = create_app().openapi()

    posts = {
        path: operation["post"]
        for path, operation in spec["paths"].items()
        if "post" in operation
    }

    assert set(posts) == {
        "/enrollments/{enrollment_id}/completion",
        "/enrollments/{enrollment_id}/assessments",
        "/revocations",
    }
    for operation in posts.values():
        headers = {
            p["name"]: p["required"]
            for p in operation["parameters"]
            if p["in"] == "header"
        }
        assert headers["X-Actor-Agency"] is headers["X-Actor-Unit"] is True
        assert headers["Idempotency-Key"] is False
        assert {"400", "409", "422"} <= set(operation["responses"])


def test_public_certificate_check_is_documented_without_personal_fields() -> None:
    spec = create_app().openapi()

    check = spec["components"]["schemas"]["CertificateCheck"]["properties"]

    assert "nip" not in check and "lapas" not in check
    assert {"status", "kejuruan", "blk", "valid_until", "holder_name"} <= set(check)


def test_kafka_command_refusals_become_problems_and_bugs_do_not() -> None:
    retry = command_problem(EnrollmentNotKnownYet.because("not here yet"))
    with pytest.raises(ValidationError) as invalid:
        RecordCompetencyAssessment.model_validate({"kind": "PRACTICAL"})
    contended = command_problem(ConcurrencyConflict("s", 1, 2))

    assert isinstance(retry, Problem) and retry.retryable and retry.status == 409
    bad = command_problem(invalid.value)
    assert isinstance(bad, Problem) and bad.status == 422
    assert isinstance(contended, Problem) and contended.retryable
    assert command_problem(RuntimeError("bug")) is None
    model = CATALOGUE.model("RecordCompetencyAssessment")
    assert model is RecordCompetencyAssessment
