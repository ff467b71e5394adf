"""Named rules beyond the matrix: package-specific assessment, messages, read scopes."""

from __future__ import annotations

import pytest

from lintas_deploy.personas import persona
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.identity import (
    Action,
    Principal,
    Resource,
    ScopeKind,
    authorize,
    officer_scope,
)
from lintas_shared.identity.policy import Allowed, Denied

pytestmark = pytest.mark.unit

ISS = "http://issuer.test"


def _p(persona_id: str) -> Principal:
    return persona(persona_id).principal(ISS)


def test_blk_records_assessments_only_where_its_package_says_so() -> None:
    blk = _p("bpvp-padang-operator")
    says = Resource(blk="BPVP-PADANG", kejuruan=Kejuruan.TIK, blk_assesses=True)
    assert authorize(blk, Action.COMPETENCY_ASSESS, says) == Allowed(
        "blk-assesses-where-package-says"
    )
    elsewhere = Resource(blk="BBPVP-MEDAN", kejuruan=Kejuruan.TIK, blk_assesses=True)
    denied = authorize(blk, Action.COMPETENCY_ASSESS, elsewhere)
    assert (
        isinstance(denied, Denied) and denied.rule == "blk-assesses-where-package-says"
    )
    assert "BBPVP-MEDAN" in denied.message


def test_another_lapas_cannot_enrol_padang_officers_and_is_told_why() -> None:
    denied = authorize(
        _p("lapas-bukittinggi-operator"),
        Action.OFFICER_ENROL,
        Resource(lapas="LAPAS-IIA-PADANG", blk="BPVP-PADANG"),
    )
    assert denied == Denied(
        "lapas-acts-for-own-officers",
        "the officer belongs to LAPAS-IIA-PADANG; you act for LAPAS LAPAS-IIA-BUKITTINGGI",
    )


def test_assessor_refusal_names_the_accredited_trades() -> None:
    denied = authorize(
        _p("lsp-assessor"), Action.COMPETENCY_ASSESS, Resource(kejuruan=Kejuruan.TIK)
    )
    assert isinstance(denied, Denied)
    assert (
        denied.message == "you are accredited for BARISTA, MEUBEL, TEKNIK_LAS, not TIK"
    )


def test_a_denied_decision_is_falsy_and_an_allowed_one_truthy() -> None:
    assert authorize(_p("kemnaker-centre-operator"), Action.CERTIFICATE_REVOKE)
    assert not authorize(_p("lapas-padang-operator"), Action.CERTIFICATE_REVOKE)


@pytest.mark.parametrize(
    ("persona_id", "kind", "rule"),
    [
        ("lapas-padang-operator", ScopeKind.LAPAS, "lapas-sees-own-officers"),
        ("bpvp-padang-operator", ScopeKind.BLK, "blk-sees-own-trainees"),
        ("kanwil-sumbar-analyst", ScopeKind.PROVINCE, "kanwil-sees-own-province"),
        ("ditjenpas-centre-analyst", ScopeKind.NATIONAL, "centre-sees-national"),
        ("kemnaker-centre-operator", ScopeKind.NATIONAL, "centre-sees-national"),
    ],
)
def test_officer_read_scope_of_each_reader(
    persona_id: str, kind: ScopeKind, rule: str
) -> None:
    principal = _p(persona_id)
    scope = officer_scope(principal)
    assert not isinstance(scope, Denied)
    assert (scope.kind, scope.rule) == (kind, rule)
    assert scope.unit == principal.unit and scope.province == principal.province


@pytest.mark.parametrize(
    "persona_id", ["lsp-assessor", "kemnaker-dpo", "ditjenpas-auditor"]
)
def test_roles_without_a_reader_scope_get_no_officer_rows(persona_id: str) -> None:
    scope = officer_scope(_p(persona_id))
    assert (
        isinstance(scope, Denied) and scope.rule == "officer-rows-need-a-reader-scope"
    )
    assert officer_scope(None) == Denied(
        "sign-in-required", "officer-level data needs a signed-in principal"
    )


def test_kanwil_scope_follows_the_lapas_province_not_the_blk_province() -> None:
    kanwil = _p("kanwil-sumbar-analyst")
    trained_elsewhere = Resource(lapas_province="Sumatera Barat", blk_province="Riau")
    from_elsewhere = Resource(lapas_province="Riau", blk_province="Sumatera Barat")
    assert authorize(kanwil, Action.REPORT_OFFICER_READ, trained_elsewhere)
    assert not authorize(kanwil, Action.REPORT_OFFICER_READ, from_elsewhere)
