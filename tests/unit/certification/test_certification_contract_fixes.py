"""The verification path states what a code looks like; a stored-state rule is a 409."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.adapters.http.app import create_app
from certification.adapters.http.verification import CODE_PATTERN
from certification.domain import errors
from certification.domain.verification import canonical_code, verification_code
from lintas_shared.http.refusals import refusal_problem

pytestmark = pytest.mark.unit


def test_the_verification_path_documents_the_code_pattern() -> None:
    operation = create_app().openapi()["paths"]["/certificates/{code}"]["get"]
    (code,) = [p for p in operation["parameters"] if p["name"] == "code"]
    assert code["schema"]["pattern"] == CODE_PATTERN


@settings(max_examples=200, deadline=None)
@given(st.from_regex(CODE_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 64))
def test_every_path_the_pattern_admits_is_a_code(text: str) -> None:
    # The handler relies on it: a schema-valid path never fails canonical_code.
    assert canonical_code(text) is not None


@pytest.mark.parametrize("text", ["0", "LNT/BPVP-PADANG/2026/000007", "A" * 25])
def test_what_cannot_be_a_code_does_not_match(text: str) -> None:
    assert not re.fullmatch(CODE_PATTERN, text)


def test_a_real_code_written_in_groups_matches() -> None:
    code = verification_code(b"k" * 32, "LNT/BPVP-PADANG/TEKNIK-LAS/2026/000007")
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    assert re.fullmatch(CODE_PATTERN, grouped)


def test_a_date_before_the_stored_package_start_is_a_409_conflict() -> None:
    refusal = errors.DateBeforePackageStart.because("before the package started")
    assert refusal_problem(refusal).status == 409
