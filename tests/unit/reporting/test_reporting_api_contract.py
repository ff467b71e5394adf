"""The query API's OpenAPI tells the truth: per-model filters, patterns, problem statuses."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from reporting.adapters.http.csv_export import cell, lines
from reporting.bootstrap import build_app
from reporting.domain.models import MODELS
from reporting.settings import ReportingSettings

pytestmark = pytest.mark.unit
PAGING = {"page", "page_size", "format"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    settings = ReportingSettings(database_url="postgresql://nobody@127.0.0.1:1/none")
    return build_app(settings, project=False).openapi()


def _query_params(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}


def _schema(param: dict[str, Any]) -> dict[str, Any]:
    schema = param["schema"]
    return next(s for s in schema.get("anyOf", [schema]) if s != {"type": "null"})


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_model_lists_exactly_the_filters_it_accepts(
    spec: dict[str, Any], name: str
) -> None:
    model = MODELS[name]
    expected = set(model.accepts)
    expected |= {"from", "to"} if model.period else set()
    expected |= {"group_by"} if model.can_roll_up else set()
    read = _query_params(spec["paths"][f"/api/v1/{name}"]["get"])
    export = _query_params(spec["paths"][f"/export/{name}.csv"]["get"])
    assert set(read) == expected | PAGING
    assert set(export) == expected


def test_national_and_trend_accept_the_dashboard_filters() -> None:
    for name in ("national", "trend"):
        assert {"province", "kejuruan", "year"} <= set(MODELS[name].accepts)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_error_a_model_route_returns_is_a_documented_problem(
    spec: dict[str, Any], name: str
) -> None:
    for path in (f"/api/v1/{name}", f"/export/{name}.csv"):
        responses = spec["paths"][path]["get"]["responses"]
        for status in ("400", "422", "503"):
            assert set(responses[status]["content"]) == {"application/problem+json"}
        assert "text/csv" in responses["200"]["content"]
    headers = spec["paths"][f"/export/{name}.csv"]["get"]["responses"]["200"]["headers"]
    assert {"X-Row-Cap", "X-Total-Rows", "X-Truncated"} <= set(headers)


def test_officer_lookup_takes_the_nip_in_the_body_and_documents_its_refusals(
    spec: dict[str, Any],
) -> None:
    operation = spec["paths"]["/api/v1/officers/lookup"]["post"]
    for status in ("401", "403", "404", "422"):
        assert "application/problem+json" in operation["responses"][status]["content"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    nip = spec["components"]["schemas"][ref]["properties"]["nip"]
    assert nip["pattern"] == "^[0-9]{18}$"


def test_no_path_or_query_parameter_carries_a_nip(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        assert "nip" not in path.lower(), path
        for operation in item.values():
            names = {p["name"].lower() for p in operation.get("parameters", [])}
            assert "nip" not in names, path


def test_every_read_requires_a_bearer_token_and_documents_401(
    spec: dict[str, Any],
) -> None:
    reads = [
        (path, method)
        for path, item in spec["paths"].items()
        if path.startswith(("/api/v1/", "/export/"))
        for method in item
    ]
    assert len(reads) == 2 * len(MODELS) + 3
    for path, method in reads:
        responses = spec["paths"][path][method]["responses"]
        assert "application/problem+json" in responses["401"]["content"], path


@pytest.mark.parametrize(
    "name", sorted(n for n, m in MODELS.items() if m.officer_level)
)
def test_officer_level_models_document_403(spec: dict[str, Any], name: str) -> None:
    for path in (f"/api/v1/{name}", f"/export/{name}.csv"):
        assert "403" in spec["paths"][path]["get"]["responses"]


def test_the_models_with_officer_columns_are_exactly_the_scoped_ones() -> None:
    named = {n for n, m in MODELS.items() if {"nip", "officer_name"} & set(m.columns)}
    assert named == {n for n, m in MODELS.items() if m.officer_level}
    assert named == {"instructors", "officer_progress"}


def test_every_text_parameter_has_a_pattern_or_vocabulary_refusing_control_chars(
    spec: dict[str, Any],
) -> None:
    seen = 0
    for path, item in spec["paths"].items():
        if not path.startswith(("/api/v1/", "/export/")):
            continue
        for param in item.get("get", {}).get("parameters", []):
            if param["in"] == "header":
                continue  # Authorization: checked by the token verifier
            schema = _schema(param)
            if schema.get("type") != "string" or "format" in schema:
                continue
            if "$ref" in schema or "enum" in schema:
                continue
            seen += 1
            assert "maxLength" in schema, (path, param)
            pattern = schema["pattern"]
            assert not re.search(pattern, "AB\x00CD"), (path, param["name"])
            assert not re.search(pattern, "AB\nCD"), (path, param["name"])
    assert seen > 20


def test_page_sizes_and_years_are_bounded(spec: dict[str, Any]) -> None:
    params = _query_params(spec["paths"]["/api/v1/lapas"]["get"])
    assert _schema(params["page_size"])["maximum"] == 1000
    assert "maximum" in _schema(params["page"])
    assert _schema(params["year"])["maximum"] == 2100


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text: str) -> None:
    assert cell(text) == "'" + text


@pytest.mark.parametrize("number", [-3, -2.5, Decimal("-0.25"), 0, 7])
def test_real_numbers_stay_numbers_even_when_negative(number: object) -> None:
    assert cell(number) == number


def test_harmless_text_lists_and_nulls_are_written_plainly() -> None:
    assert cell("Budi Saputra") == "Budi Saputra"
    assert cell(None) == ""
    assert cell(["MEUBEL", "=X"]) == "MEUBEL;=X"
    assert cell(["=X", "MEUBEL"]) == "'=X;MEUBEL"


def test_the_first_chunk_opens_with_a_byte_order_mark_and_the_header() -> None:
    text = lines(["name", "n"], [{"name": "=A1", "n": -1}], first=True)
    assert text == "\ufeffname,n\r\n'=A1,-1\r\n"
    assert not lines(["n"], [{"n": 1}], first=False).startswith("\ufeff")
