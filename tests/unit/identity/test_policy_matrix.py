"""Every pilot persona x every action x own unit / other unit / not signed in.

The expected table is written out here by hand from DESIGN.md's "Who may do what", not
derived from the rules module, so a change in the rules that breaks it fails a cell.
"""

from __future__ import annotations

import pytest

from lintas_deploy.personas import PERSONAS, Persona
from lintas_shared.contracts.base import Kejuruan
from lintas_shared.identity import Action, Agency, Resource, authorize
from lintas_shared.identity.policy import Allowed, Denied
from lintas_shared.identity.rules import POLICIES

pytestmark = pytest.mark.unit

SUMBAR, SUMUT = "Sumatera Barat", "Sumatera Utara"
PADANG = dict(
    lapas="LAPAS-IIA-PADANG",
    blk="BPVP-PADANG",
    lapas_province=SUMBAR,
    blk_province=SUMBAR,
    parties=frozenset({"LAPAS-IIA-PADANG", "BPVP-PADANG"}),
    kejuruan=Kejuruan.TEKNIK_LAS,
)
MEDAN = dict(
    lapas="LAPAS-I-MEDAN",
    blk="BBPVP-MEDAN",
    lapas_province=SUMUT,
    blk_province=SUMUT,
    parties=frozenset({"LAPAS-I-MEDAN", "BBPVP-MEDAN"}),
    kejuruan=Kejuruan.TIK,
)
OTHER_MINISTRY = {Agency.DITJENPAS: Agency.KEMNAKER, Agency.KEMNAKER: Agency.DITJENPAS}


def own(p: Persona) -> Resource:
    """A resource of the persona's own units, province, trades and agency."""
    return Resource(**PADANG, authority=p.agency)  # type: ignore[arg-type]


def other(p: Persona) -> Resource:
    """A resource of another Lapas, BLK, province, trade and ministry."""
    return Resource(**MEDAN, authority=OTHER_MINISTRY.get(p.agency))  # type: ignore[arg-type]


GROUP = {
    "lapas-padang-operator": "lapas",
    "sdp-lapas-padang": "lapas",  # an agency system acts with its unit's role
    "bpvp-padang-operator": "blk",
    "training-system-bpvp-padang": "blk",
    "lsp-assessor": "assessor",
    "kemnaker-centre-operator": "centre_op",
    "kanwil-sumbar-analyst": "kanwil",
    "ditjenpas-centre-analyst": "centre_an",
    "ditjenpas-dpo": "dpo",
    "kemnaker-dpo": "dpo",
    "ditjenpas-auditor": "auditor",
    "kemnaker-auditor": "auditor",
}
GROUPS = (
    "lapas",
    "blk",
    "assessor",
    "centre_op",
    "kanwil",
    "centre_an",
    "dpo",
    "auditor",
)

# "+" allowed; otherwise the rule that refuses. Each cell is "own other".
R = {
    "an": "analyst-reads-only",
    "au": "auditor-reads-only",
    "dp": "data-protection-officer-erases-only",
    "as": "assessor-records-assessments-only",
    "pty": "party-acts-on-own-agreement",
    "blk": "blk-owns-package",
    "lap": "lapas-acts-for-own-officers",
    "acc": "assessor-accredited-for-kejuruan",
    "bas": "blk-assesses-where-package-says",
    "iss": "issuing-blk-revokes",
    "sl": "lapas-sees-own-officers",
    "sb": "blk-sees-own-trainees",
    "sp": "kanwil-sees-own-province",
    "row": "officer-rows-need-a-reader-scope",
    "aud": "auditor-reads-audit-trail",
    "dpo": "dpo-erases-own-agency-data",
    "+": "+",
}
_AGREEMENT = "+ pty | + pty | as as | + + | an an | an an | dp dp | au au"
_BLK_SIDE = "blk blk | + blk | as as | + + | an an | an an | dp dp | au au"
_ENROL = "+ lap | lap lap | as as | lap lap | an an | an an | dp dp | au au"
_EVERYONE = "+ + | + + | + + | + + | + + | + + | + + | + +"
_ROWS = "+ sl | + sb | row row | + + | + sp | + + | row row | row row"
_AUDIT = "aud aud | aud aud | aud aud | aud aud | aud aud | aud aud | aud aud | + +"
TABLE = {
    Action.AGREEMENT_SIGN: _AGREEMENT,
    Action.AGREEMENT_TERMINATE: _AGREEMENT,
    Action.PACKAGE_OPEN: _BLK_SIDE,
    Action.PACKAGE_CANCEL: _BLK_SIDE,
    Action.PACKAGE_CLOSE: _BLK_SIDE,
    Action.TRAINING_COMPLETE: _BLK_SIDE,
    Action.OFFICER_ENROL: _ENROL,
    Action.ENROLLMENT_WITHDRAW: _ENROL,
    Action.AGREEMENT_READ: _EVERYONE,
    Action.PACKAGE_READ: _EVERYONE,
    Action.REPORT_AGGREGATE_READ: _EVERYONE,
    Action.CERTIFICATE_VERIFY: _EVERYONE,
    Action.ROSTER_READ: _ROWS,
    Action.OFFICER_ENROLLMENTS_READ: _ROWS,
    Action.TRAINING_RECORD_READ: _ROWS,
    Action.OFFICER_CERTIFICATES_READ: _ROWS,
    Action.REPORT_OFFICER_READ: _ROWS,
    Action.COMPETENCY_ASSESS: "acc acc | bas bas | + acc | acc acc | an an | an an | dp dp | au au",
    Action.CERTIFICATE_REVOKE: "iss iss | + iss | as as | + + | an an | an an | dp dp | au au",
    Action.AUDIT_READ: _AUDIT,
    Action.EVIDENCE_VERIFY: _AUDIT,
    Action.ERASURE_REQUEST: "dpo dpo | dpo dpo | as as | dpo dpo | an an | an an | + dpo | au au",
}


def _expected(action: Action, group: str) -> tuple[str, str]:
    cells = [c.split() for c in TABLE[action].split("|")]
    own_cell, other_cell = cells[GROUPS.index(group)]
    return R[own_cell], R[other_cell]


def _outcome(decision: Allowed | Denied) -> str:
    return "+" if isinstance(decision, Allowed) else decision.rule


CASES = [(p, a) for p in PERSONAS if p.id in GROUP for a in Action]


def test_the_table_covers_every_action_and_every_persona_group() -> None:
    assert set(TABLE) == set(Action) == set(POLICIES)
    assert {p.id for p in PERSONAS} - set(GROUP) == {"lapas-bukittinggi-operator"}


@pytest.mark.parametrize(
    ("persona", "action"), CASES, ids=lambda v: str(getattr(v, "id", v))
)
def test_each_persona_and_action_on_own_and_other_unit(
    persona: Persona, action: Action
) -> None:
    principal = persona.principal("http://issuer.test")
    want_own, want_other = _expected(action, GROUP[persona.id])
    assert _outcome(authorize(principal, action, own(persona))) == want_own
    assert _outcome(authorize(principal, action, other(persona))) == want_other


@pytest.mark.parametrize("action", list(Action))
def test_without_signing_in_only_certificate_verification_is_allowed(
    action: Action,
) -> None:
    decision = authorize(None, action, Resource(**PADANG))  # type: ignore[arg-type]
    if action is Action.CERTIFICATE_VERIFY:
        assert isinstance(decision, Allowed)
    else:
        assert decision == Denied(
            "sign-in-required", f"{action} needs a signed-in principal"
        )
