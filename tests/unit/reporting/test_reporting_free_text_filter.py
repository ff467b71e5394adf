"""The province filter's documented pattern refuses exactly what the HTTP edge refuses."""

import re

import pytest

from lintas_shared.http.request_checks import TEXT_CONTROL
from reporting.adapters.http.params import PROVINCE

pytestmark = pytest.mark.unit


def test_the_province_pattern_refuses_what_the_edge_refuses() -> None:
    # ECMA reading, as validators and schemathesis use it: `$` is the end of the input.
    documented = re.compile(PROVINCE.removesuffix("$") + r"\Z")
    for code in range(0x3000):
        value = f"A{chr(code)}"
        assert bool(documented.match(value)) is not bool(TEXT_CONTROL.search(value))
