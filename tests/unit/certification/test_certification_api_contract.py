"""The published API contract: bearer tokens, an Idempotency-Key, no actor headers."""

from __future__ import annotations

from typing import Any

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


def test_every_post_documents_the_token_the_idempotency_key_and_problems() -> None:
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
        assert "X-Actor-Agency" not in headers and "X-Actor-Unit" not in headers
        assert headers["Idempotency-Key"] is False
        assert "authorization" in {name.lower() for name in headers}
        assert {"400", "401", "403", "409", "422"} <= set(operation["responses"])


def test_every_read_but_the_public_check_needs_a_token() -> None:
    spec = create_app().openapi()

    gets = {
        path: operation["get"]
        for path, operation in spec["paths"].items()
        if "get" in operation
    }

    public = {p for p, op in gets.items() if "authorization" not in _headers(op)}
    assert public == {"/certificates/{code}"}
    assert {"/audit", "/certificates", "/officers/{nip}/certificates"} <= set(gets)
    assert "429" in gets["/certificates/{code}"]["responses"]


def _headers(operation: dict[str, Any]) -> set[str]:
    params = operation.get("parameters", [])
    return {p["name"].lower() for p in params if p["in"] == "header"}


def test_public_certificate_check_is_documented_without_personal_fields() -> None:
    spec = create_app().openapi()

    check = spec["components"]["schemas"]["CertificateVerification"]["properties"]

    assert not {"nip", "lapas", "holder_name", "officer_name", "revoke_reason"} & set(
        check
    )
    assert {"status", "kejuruan", "blk", "valid_until", "holder_initials"} <= set(check)


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
