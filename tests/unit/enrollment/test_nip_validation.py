"""NIP rules: 18 digits, real birth date, real appointment month after the 18th birthday and
not in the future, gender digit 1 or 2."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enrollment.domain.nip import Gender, parse_nip
from lintas_shared.domain import InvalidCommand
from tests.unit.enrollment.factories import TODAY, nip

pytestmark = pytest.mark.unit


def rules_broken(value: str, today: date = TODAY) -> set[str]:
    with pytest.raises(InvalidCommand) as refused:
        parse_nip(value, today)
    assert all(v.field == "nip" for v in refused.value.violations)
    return {v.rule for v in refused.value.violations}


def test_accepts_a_valid_nip_and_reads_what_it_encodes() -> None:
    parsed = parse_nip("198703152010121003", TODAY)
    assert parsed.birth_date == date(1987, 3, 15)
    assert parsed.appointed == (2010, 12)
    assert parsed.gender is Gender.MALE
    assert parsed.sequence == 3


@given(st.randoms(use_true_random=False))
def test_accepts_every_generated_fictitious_nip(rng: random.Random) -> None:
    value = nip(rng)
    assert parse_nip(value, TODAY).value == value


@pytest.mark.parametrize(
    "value", ["19870315201012100", "1987031520101210031", "19870315201012100X", ""]
)
def test_refuses_an_nip_that_is_not_18_digits(value: str) -> None:
    assert rules_broken(value) == {"nip-format"}


@pytest.mark.parametrize("birth", ["19870230", "19871301", "19870000", "20230229"])
def test_refuses_an_nip_whose_birth_date_is_not_real(birth: str) -> None:
    assert "nip-birth-date" in rules_broken(f"{birth}201012" + "1003")


@pytest.mark.parametrize("month", ["00", "13", "99"])
def test_refuses_an_nip_whose_appointment_month_is_not_real(month: str) -> None:
    assert rules_broken(f"198703152010{month}1003") == {"nip-appointment-month"}


def test_refuses_an_appointment_in_the_future() -> None:
    assert rules_broken("198703152026121003") == {"nip-appointment-not-in-future"}


def test_accepts_an_appointment_in_the_current_month() -> None:
    assert parse_nip("198703152026111003", TODAY).appointed == (2026, 11)


def test_refuses_an_appointment_before_the_18th_birthday() -> None:
    assert rules_broken("198703152005021003") == {"nip-appointment-after-18th-birthday"}


def test_accepts_an_appointment_in_the_month_of_the_18th_birthday() -> None:
    assert parse_nip("198703152005031003", TODAY).appointed == (2005, 3)


@pytest.mark.parametrize("digit", ["0", "3", "9"])
def test_refuses_a_gender_digit_other_than_1_or_2(digit: str) -> None:
    assert rules_broken(f"19870315201012{digit}003") == {"nip-gender"}


def test_names_every_rule_an_nip_breaks_at_once() -> None:
    assert rules_broken("198702302010123003") == {"nip-birth-date", "nip-gender"}
