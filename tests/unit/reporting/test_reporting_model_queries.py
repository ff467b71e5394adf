"""Read-model catalogue and query building: filters, periods, roll-ups, refusals."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.adapters.postgres.queries import (
    BadQuery,
    ModelQuery,
    Unscoped,
    build_sql,
)
from reporting.domain.access import RowScope
from reporting.domain.facts import FACT_TABLES
from reporting.domain.models import MODELS, facts_for

pytestmark = pytest.mark.unit
NATIONAL = RowScope(None, None, "centre-sees-national")


def test_rebuilding_everything_replays_every_fact_table() -> None:
    assert facts_for(None) == FACT_TABLES


def test_rebuilding_the_agreements_model_replays_only_its_facts() -> None:
    assert facts_for(["agreements"]) == {"agreement_f", "unit_f"}


def test_unknown_model_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="nope"):
        facts_for(["nope"])


def test_filters_become_parameters_not_sql_text() -> None:
    sql, args, _ = build_sql(
        "rm_g1", MODELS["packages"], ModelQuery({"province": "x'; DROP TABLE y; --"})
    )
    assert "DROP" not in sql
    assert args == ["x'; DROP TABLE y; --"]


def test_period_filters_the_models_date_column_inclusively() -> None:
    q = ModelQuery(
        period_from=date(2024, 1, 1), period_to=date(2024, 12, 31), scope=NATIONAL
    )
    sql, args, _ = build_sql("rm_g1", MODELS["instructors"], q)
    assert "(issued_on)::date >= $1" in sql and "(issued_on)::date <= $2" in sql
    assert args == [date(2024, 1, 1), date(2024, 12, 31)]


def test_roll_up_sums_measures_and_recomputes_ratios_from_the_sums() -> None:
    q = ModelQuery(group_by=("province",))
    sql, _, columns = build_sql("rm_g1", MODELS["blk"], q)
    assert "GROUP BY province" in sql
    assert "sum(enrolled)::bigint AS enrolled" in sql
    assert "sum(enrolled)::numeric / NULLIF(sum(seats), 0)" in sql
    assert columns[0] == "province" and "fill_rate" in columns


def test_filter_a_model_does_not_offer_is_refused_naming_the_parameter() -> None:
    with pytest.raises(BadQuery) as refused:
        build_sql("rm_g1", MODELS["trend"], ModelQuery({"lapas": "LAPAS-X"}))
    assert refused.value.field == "lapas"


def test_group_by_outside_the_dimensions_is_refused() -> None:
    with pytest.raises(BadQuery) as refused:
        build_sql("rm_g1", MODELS["lapas"], ModelQuery(group_by=("enrolled",)))
    assert refused.value.field == "group_by"


def test_row_models_cannot_be_rolled_up() -> None:
    with pytest.raises(BadQuery):
        build_sql(
            "rm_g1",
            MODELS["instructors"],
            ModelQuery(group_by=("kejuruan",), scope=NATIONAL),
        )


def test_schema_name_must_be_a_generation() -> None:
    with pytest.raises(ValueError, match="generation"):
        build_sql("public; --", MODELS["national"], ModelQuery())


@pytest.mark.parametrize("name", ["instructors", "officer_progress"])
def test_an_officer_level_model_is_never_queried_without_a_scope(name: str) -> None:
    with pytest.raises(Unscoped):
        build_sql("rm_g1", MODELS[name], ModelQuery())


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("lapas", "lapas_code"),
        ("blk", "blk_code"),
        ("lapas_province", "province"),
        ("blk_province", "blk_province"),
    ],
)
def test_the_scope_is_a_bound_where_term_on_its_column(kind: str, column: str) -> None:
    scope = RowScope(kind, "X'; --", "rule")
    for name in ("instructors", "officer_progress"):
        q = ModelQuery({"kejuruan": "MEUBEL"}, scope=scope)
        sql, args, _ = build_sql("rm_g1", MODELS[name], q)
        assert f"{column} = $2" in sql, sql
        assert args == ["MEUBEL", "X'; --"]


def test_officer_progress_reads_the_view_that_has_the_blk_province() -> None:
    scope = RowScope("blk_province", "Sumatera Barat", "kanwil-sees-own-province")
    sql, _, columns = build_sql(
        "rm_g1", MODELS["officer_progress"], ModelQuery(scope=scope)
    )
    assert "FROM rm_g1.enrollment_status WHERE blk_province = $1" in sql
    assert "blk_province" not in columns


def test_a_national_scope_adds_no_term_and_aggregates_take_none() -> None:
    sql, args, _ = build_sql("rm_g1", MODELS["instructors"], ModelQuery(scope=NATIONAL))
    assert "WHERE" not in sql and args == []
    sql, _, _ = build_sql("rm_g1", MODELS["lapas"], ModelQuery())
    assert "WHERE" not in sql
