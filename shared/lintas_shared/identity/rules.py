"""Authorization as data: the actions of the three services and who may do each, where.

Each action lists its grants. A grant is a named rule: the roles and unit kinds (and
agencies) it is for, and the checks on the resource it must pass. `policy.authorize`
evaluates this table and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from lintas_shared.contracts.base import Kejuruan
from lintas_shared.identity.principal import Agency, Role, UnitKind


class Action(StrEnum):
    """Every command and query of enrollment, certification and reporting (and audit)."""

    AGREEMENT_SIGN = "agreement.sign"
    AGREEMENT_TERMINATE = "agreement.terminate"
    PACKAGE_OPEN = "package.open"
    PACKAGE_CANCEL = "package.cancel"
    PACKAGE_CLOSE = "package.close"
    OFFICER_ENROL = "enrollment.enrol"
    ENROLLMENT_WITHDRAW = "enrollment.withdraw"
    AGREEMENT_READ = "agreement.read"
    PACKAGE_READ = "package.read"
    ROSTER_READ = "package.roster.read"
    OFFICER_ENROLLMENTS_READ = "officer.enrollments.read"
    TRAINING_COMPLETE = "training.complete"
    COMPETENCY_ASSESS = "competency.assess"
    CERTIFICATE_REVOKE = "certificate.revoke"
    CERTIFICATE_VERIFY = "certificate.verify"
    TRAINING_RECORD_READ = "training-record.read"
    OFFICER_CERTIFICATES_READ = "officer.certificates.read"
    REPORT_AGGREGATE_READ = "report.aggregate.read"
    REPORT_OFFICER_READ = "report.officer.read"
    AUDIT_READ = "audit.read"
    EVIDENCE_VERIFY = "evidence.verify"
    ERASURE_REQUEST = "erasure.request"


@dataclass(frozen=True)
class Resource:
    """What an action touches, as far as authorization needs to know."""

    lapas: str | None = None  # the Lapas of the officer concerned
    blk: str | None = None  # the BLK of the package (of the certificate: the issuer)
    lapas_province: str | None = None
    blk_province: str | None = None
    parties: frozenset[str] = frozenset()  # the two units of an agreement
    kejuruan: Kejuruan | None = None
    blk_assesses: bool = False  # the package lets its BLK record assessments
    authority: Agency | None = None  # whose data it is (erasure requests)


class Check(StrEnum):
    """A condition on the resource, relative to the principal."""

    OWN_LAPAS = "own-lapas"
    OWN_BLK = "own-blk"
    PARTY = "party-to-agreement"
    ACCREDITED = "accredited-kejuruan"
    BLK_ASSESSES = "package-lets-blk-assess"
    OWN_PROVINCE = "own-province"
    OWN_AUTHORITY = "own-agency-data"


ALL_ROLES = frozenset(Role)
ALL_UNITS = frozenset(UnitKind)
MINISTRIES = frozenset({Agency.DITJENPAS, Agency.KEMNAKER})


@dataclass(frozen=True)
class Grant:
    """A named rule: who (roles, unit kinds, agencies) may, if the checks pass."""

    rule: str
    roles: frozenset[Role] = ALL_ROLES
    unit_kinds: frozenset[UnitKind] = ALL_UNITS
    agencies: frozenset[Agency] = frozenset(Agency)
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class ActionPolicy:
    """The grants of one action; `public` actions need no principal at all.

    `fallback_rule` names the refusal when no grant is for the principal at all
    (default: the first grant's rule).
    """

    grants: tuple[Grant, ...]
    command: bool
    officer_level: bool = False
    public: bool = False
    fallback_rule: str | None = None

    @property
    def denied_rule(self) -> str:
        """The rule reported when no grant applies to the principal."""
        return self.fallback_rule or self.grants[0].rule


OP = frozenset({Role.OPERATOR})
_BLK_OWNS = Grant(
    "blk-owns-package", OP, frozenset({UnitKind.BLK}), checks=(Check.OWN_BLK,)
)
_CENTRE_ANY_BLK = Grant(
    "centre-acts-for-any-blk",
    OP,
    frozenset({UnitKind.CENTRE}),
    frozenset({Agency.KEMNAKER}),
)
_PARTY = Grant(
    "party-acts-on-own-agreement",
    OP,
    frozenset({UnitKind.LAPAS, UnitKind.BLK}),
    checks=(Check.PARTY,),
)
_LAPAS_OWN = Grant(
    "lapas-acts-for-own-officers",
    OP,
    frozenset({UnitKind.LAPAS}),
    checks=(Check.OWN_LAPAS,),
)
_READERS = frozenset({Role.OPERATOR, Role.ANALYST})
# Officer-level rows (NIP, name): the reader's own Lapas, BLK, province, or nationally.
OFFICER_ROWS = (
    Grant(
        "lapas-sees-own-officers",
        _READERS,
        frozenset({UnitKind.LAPAS}),
        checks=(Check.OWN_LAPAS,),
    ),
    Grant(
        "blk-sees-own-trainees",
        _READERS,
        frozenset({UnitKind.BLK}),
        checks=(Check.OWN_BLK,),
    ),
    Grant(
        "kanwil-sees-own-province",
        _READERS,
        frozenset({UnitKind.KANWIL}),
        checks=(Check.OWN_PROVINCE,),
    ),
    Grant("centre-sees-national", _READERS, frozenset({UnitKind.CENTRE}), MINISTRIES),
)
_AGGREGATES = (Grant("signed-in-reads-aggregates"),)
_AUDITOR = (
    Grant("auditor-reads-audit-trail", frozenset({Role.AUDITOR}), agencies=MINISTRIES),
)

OFFICER_ROWS_RULE = "officer-rows-need-a-reader-scope"


def _rows() -> ActionPolicy:
    return ActionPolicy(
        OFFICER_ROWS, command=False, officer_level=True, fallback_rule=OFFICER_ROWS_RULE
    )


POLICIES: Mapping[Action, ActionPolicy] = {
    Action.AGREEMENT_SIGN: ActionPolicy((_PARTY, _CENTRE_ANY_BLK), command=True),
    Action.AGREEMENT_TERMINATE: ActionPolicy((_PARTY, _CENTRE_ANY_BLK), command=True),
    Action.PACKAGE_OPEN: ActionPolicy((_BLK_OWNS, _CENTRE_ANY_BLK), command=True),
    Action.PACKAGE_CANCEL: ActionPolicy((_BLK_OWNS, _CENTRE_ANY_BLK), command=True),
    Action.PACKAGE_CLOSE: ActionPolicy((_BLK_OWNS, _CENTRE_ANY_BLK), command=True),
    Action.OFFICER_ENROL: ActionPolicy((_LAPAS_OWN,), command=True),
    Action.ENROLLMENT_WITHDRAW: ActionPolicy((_LAPAS_OWN,), command=True),
    Action.AGREEMENT_READ: ActionPolicy(_AGGREGATES, command=False),
    Action.PACKAGE_READ: ActionPolicy(_AGGREGATES, command=False),
    Action.ROSTER_READ: _rows(),
    Action.OFFICER_ENROLLMENTS_READ: _rows(),
    Action.TRAINING_COMPLETE: ActionPolicy((_BLK_OWNS, _CENTRE_ANY_BLK), command=True),
    Action.COMPETENCY_ASSESS: ActionPolicy(
        (
            Grant(
                "assessor-accredited-for-kejuruan",
                frozenset({Role.ASSESSOR}),
                frozenset({UnitKind.LSP}),
                checks=(Check.ACCREDITED,),
            ),
            Grant(
                "blk-assesses-where-package-says",
                OP,
                frozenset({UnitKind.BLK}),
                checks=(Check.OWN_BLK, Check.BLK_ASSESSES),
            ),
        ),
        command=True,
    ),
    Action.CERTIFICATE_REVOKE: ActionPolicy(
        (
            Grant(
                "issuing-blk-revokes",
                OP,
                frozenset({UnitKind.BLK}),
                checks=(Check.OWN_BLK,),
            ),
            Grant(
                "centre-revokes",
                OP,
                frozenset({UnitKind.CENTRE}),
                frozenset({Agency.KEMNAKER}),
            ),
        ),
        command=True,
    ),
    Action.CERTIFICATE_VERIFY: ActionPolicy(
        (Grant("anyone-verifies-one-certificate"),), command=False, public=True
    ),
    Action.TRAINING_RECORD_READ: _rows(),
    Action.OFFICER_CERTIFICATES_READ: _rows(),
    Action.REPORT_AGGREGATE_READ: ActionPolicy(_AGGREGATES, command=False),
    Action.REPORT_OFFICER_READ: _rows(),
    Action.AUDIT_READ: ActionPolicy(_AUDITOR, command=False),
    Action.EVIDENCE_VERIFY: ActionPolicy(_AUDITOR, command=False),
    Action.ERASURE_REQUEST: ActionPolicy(
        (
            Grant(
                "dpo-erases-own-agency-data",
                frozenset({Role.DATA_PROTECTION_OFFICER}),
                agencies=MINISTRIES,
                checks=(Check.OWN_AUTHORITY,),
            ),
        ),
        command=True,
    ),
}

# A principal whose every role is one of these gets this rule when refused a command.
ROLE_LIMITS: Mapping[Role, str] = {
    Role.ANALYST: "analyst-reads-only",
    Role.AUDITOR: "auditor-reads-only",
    Role.DATA_PROTECTION_OFFICER: "data-protection-officer-erases-only",
    Role.ASSESSOR: "assessor-records-assessments-only",
}
SIGN_IN_REQUIRED = "sign-in-required"
