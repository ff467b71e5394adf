"""Verification codes: 128 unguessable bits, stable for a key, one per certificate."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from certification.adapters.postgres.queries import initials
from certification.domain.verification import (
    CODE_LENGTH,
    canonical_code,
    verification_code,
)

pytestmark = pytest.mark.unit

KEY = b"k" * 32
NUMBER = "LNT/BPVP-PADANG/TEKNIK-LAS/2026/000007"


def test_a_code_is_26_base32_characters_carrying_128_bits() -> None:
    code = verification_code(KEY, NUMBER)

    assert re.fullmatch(r"[A-Z2-7]{26}", code)
    assert CODE_LENGTH * 5 >= 128 > (CODE_LENGTH - 1) * 5


def test_the_same_key_and_number_give_the_same_code_so_a_rebuild_keeps_it() -> None:
    assert verification_code(KEY, NUMBER) == verification_code(bytes(KEY), NUMBER)


def test_each_certificate_of_a_series_gets_an_unrelated_code() -> None:
    numbers = [f"LNT/BPVP-PADANG/TEKNIK-LAS/2026/{n:06d}" for n in range(1, 2001)]

    codes = [verification_code(KEY, n) for n in numbers]

    assert len(set(codes)) == len(codes)
    # Consecutive numbers share no telling prefix: nothing to count up from.
    shared = [
        next((i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y), 26)
        for a, b in pairwise(codes)
    ]
    assert max(shared) < 4


def test_another_key_gives_other_codes() -> None:
    assert verification_code(KEY, NUMBER) != verification_code(b"q" * 32, NUMBER)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        verification_code(b"short", NUMBER)


def test_codes_are_read_back_whatever_their_case_and_grouping() -> None:
    code = verification_code(KEY, NUMBER)
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()

    assert canonical_code(grouped) == code
    assert canonical_code(f" {code[:13]} {code[13:]} ") == code


@pytest.mark.parametrize(
    "text", ["", "A" * 25, "A" * 27, "1" * 26, "LNT/BPVP-PADANG/TEKNIK-LAS/2026/000007"]
)
def test_what_cannot_be_a_code_is_not_looked_up(text: str) -> None:
    assert canonical_code(text) is None


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Budi Santoso", "B. S."), ("rahmat", "R."), ("  Siti  Nur Aini ", "S. N. A.")],
)
def test_the_public_sees_the_holders_initials_only(name: str, shown: str) -> None:
    assert initials(name) == shown
