"""A unit code that could carry a NIP (18 digits in a row) is refused at the edge."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintas_shared.contracts.units import UNIT_CODE_PATTERN
from tests.unit.enrollment.api import memory_api

_BODY = {
    "number": "0",
    "kejuruan": ["TIK"],
    "lapas": {"code": "LAPAS-IIA-PADANG", "name": "Lapas Padang", "province": "SB"},
    "valid_from": "2026-01-01",
    "valid_until": "2027-01-01",
}


@pytest.mark.parametrize("code", ["0" * 18, "0" * 63, "BPVP-" + "1" * 18])
async def test_an_agreement_naming_a_nip_like_unit_code_is_a_422_not_a_500(
    code: str,
) -> None:
    # Once a 500: the audit trail refused the code as a NIP after the edge let it in.
    body = _BODY | {"blk": {"code": code, "name": "BLK", "province": "SB"}}
    async with memory_api() as api:
        answer = await api.client.post(
            "/agreements",
            json=body,
            headers=api.lapas("LAPAS-IIA-PADANG") | {"Idempotency-Key": "k-12345678"},
        )
    assert answer.status_code == 422, answer.text
    assert "blk.code" in answer.json()["detail"]


@settings(max_examples=200, deadline=None)
@given(st.from_regex(UNIT_CODE_PATTERN, fullmatch=True))
def test_every_code_the_contract_admits_holds_no_run_of_18_digits(code: str) -> None:
    assert not re.search(r"\d{18}", code)


@pytest.mark.parametrize("code", ["LAPAS-IIA-PADANG", "BPVP-PADANG", "00", "1" * 17])
def test_real_unit_codes_still_match(code: str) -> None:
    assert re.fullmatch(UNIT_CODE_PATTERN, code)
