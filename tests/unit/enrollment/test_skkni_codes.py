"""SKKNI unit codes: the 2016-onward and the 2012-15 forms, no others, no repeats."""

from __future__ import annotations

import pytest

from enrollment.domain.skkni import check_skkni_units, is_skkni_code
from lintas_shared.domain import InvalidCommand

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "code",
    ["C.25LAS01.001.1", "C.24LAS01.012.2", "I.563030.006.01", "I.563030.001.01"],
)
def test_accepts_both_generations_of_unit_codes(code: str) -> None:
    assert is_skkni_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "C25LAS01.001.1",
        "C.25LAS01.001",
        "C.25las01.001.1",
        "I.563030.006.1",
        "I.56303.006.01",
        "Z.25LAS01.001.1",
        "welding",
        "",
    ],
)
def test_refuses_codes_of_no_known_form(code: str) -> None:
    assert not is_skkni_code(code)


def test_names_the_position_of_each_bad_code() -> None:
    with pytest.raises(InvalidCommand) as refused:
        check_skkni_units(["C.25LAS01.001.1", "bogus", "C.25LAS01.001.1"])
    found = {(v.rule, v.field) for v in refused.value.violations}
    assert found == {
        ("skkni-unit-code", "skkni_units[1]"),
        ("skkni-units-distinct", "skkni_units[2]"),
    }


def test_trims_surrounding_spaces() -> None:
    assert check_skkni_units([" I.563030.006.01 "]) == ("I.563030.006.01",)
