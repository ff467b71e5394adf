"""Evaluate the rules table: `authorize(principal, action, resource)` -> Allowed | Denied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from lintas_shared.identity.principal import Agency, Principal
from lintas_shared.identity.rules import (
    OFFICER_ROWS,
    POLICIES,
    ROLE_LIMITS,
    SIGN_IN_REQUIRED,
    Action,
    Check,
    Grant,
    Resource,
)


@dataclass(frozen=True)
class Allowed:
    """The action may go ahead; `rule` is the grant that allowed it."""

    rule: str

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class Denied:
    """The action is refused by `rule`; `message` says why, for the caller."""

    rule: str
    message: str

    def __bool__(self) -> bool:
        return False


Decision = Allowed | Denied


def _unit(p: Principal) -> str:
    return f"{p.unit_kind} {p.unit}"


def _own_lapas(p: Principal, r: Resource) -> str | None:
    if r.lapas == p.unit:
        return None
    return f"the officer belongs to {r.lapas or 'no Lapas'}; you act for {_unit(p)}"


def _own_blk(p: Principal, r: Resource) -> str | None:
    if r.blk == p.unit:
        return None
    return f"the package belongs to {r.blk or 'no BLK'}; you act for {_unit(p)}"


def _party(p: Principal, r: Resource) -> str | None:
    if p.unit in r.parties:
        return None
    parties = " and ".join(sorted(r.parties)) or "nobody"
    return f"the agreement is between {parties}; you act for {_unit(p)}"


def _accredited(p: Principal, r: Resource) -> str | None:
    if r.kejuruan is not None and r.kejuruan in p.kejuruan:
        return None
    held = ", ".join(sorted(p.kejuruan)) or "none"
    return f"you are accredited for {held}, not {r.kejuruan or 'an unknown kejuruan'}"


def _blk_assesses(p: Principal, r: Resource) -> str | None:
    if r.blk_assesses:
        return None
    return "this package's assessments come from an accredited LSP assessor"


def _own_province(p: Principal, r: Resource) -> str | None:
    # A Ditjenpas Kanwil oversees the Lapas of its province; Kemnaker's its BLKs.
    theirs = r.lapas_province if p.agency is Agency.DITJENPAS else r.blk_province
    if theirs is not None and theirs == p.province:
        return None
    return f"the row is in province {theirs or 'unknown'}; your scope is {p.province}"


def _own_authority(p: Principal, r: Resource) -> str | None:
    if r.authority is p.agency:
        return None
    return f"the data is under {r.authority or 'no'} authority, not {p.agency}"


CHECKS: dict[Check, Callable[[Principal, Resource], str | None]] = {
    Check.OWN_LAPAS: _own_lapas,
    Check.OWN_BLK: _own_blk,
    Check.PARTY: _party,
    Check.ACCREDITED: _accredited,
    Check.BLK_ASSESSES: _blk_assesses,
    Check.OWN_PROVINCE: _own_province,
    Check.OWN_AUTHORITY: _own_authority,
}


def applies_to(grant: Grant, principal: Principal) -> bool:
    """True if `grant` is for this principal's agency, unit kind and one of its roles."""
    return (
        principal.agency in grant.agencies
        and principal.unit_kind in grant.unit_kinds
        and not grant.roles.isdisjoint(principal.roles)
    )


def authorize(
    principal: Principal | None, action: Action, resource: Resource | None = None
) -> Decision:
    """Decide `action` on `resource` for `principal` (None: not signed in)."""
    policy = POLICIES[action]
    resource = resource or Resource()
    if policy.public:
        return Allowed(policy.grants[0].rule)
    if principal is None:
        return Denied(SIGN_IN_REQUIRED, f"{action} needs a signed-in principal")
    first_failure: Denied | None = None
    for grant in policy.grants:
        if not applies_to(grant, principal):
            continue
        why = next(
            (m for c in grant.checks if (m := CHECKS[c](principal, resource))), None
        )
        if why is None:
            return Allowed(grant.rule)
        first_failure = first_failure or Denied(grant.rule, why)
    if first_failure is not None:
        return first_failure
    limits = {ROLE_LIMITS.get(role) for role in principal.roles}
    if policy.command and None not in limits:
        rule = sorted(r for r in limits if r)[0]
        return Denied(rule, f"{action} is a command; your roles do not run commands")
    who = "; ".join(_describe(g) for g in policy.grants)
    return Denied(
        policy.denied_rule,
        f"{action} is for {who}; you are {_roles(principal)} at {_unit(principal)}",
    )


def _roles(p: Principal) -> str:
    return "/".join(sorted(p.roles))


def _describe(grant: Grant) -> str:
    roles = "/".join(sorted(grant.roles))
    kinds = "/".join(sorted(grant.unit_kinds))
    return f"{roles} of a {kinds} unit"


class ScopeKind(StrEnum):
    """How far a reader sees officer-level rows."""

    LAPAS = "lapas"
    BLK = "blk"
    PROVINCE = "province"
    NATIONAL = "national"


@dataclass(frozen=True)
class OfficerScope:
    """The officer-level rows a principal may read: a filter for list queries."""

    kind: ScopeKind
    rule: str
    unit: str | None = None
    province: str | None = None
    agency: Agency | None = None


_SCOPE_OF_CHECK = {
    Check.OWN_LAPAS: ScopeKind.LAPAS,
    Check.OWN_BLK: ScopeKind.BLK,
    Check.OWN_PROVINCE: ScopeKind.PROVINCE,
}


def officer_scope(principal: Principal | None) -> OfficerScope | Denied:
    """The scope of officer-level rows `principal` may read (same grants as rows)."""
    if principal is None:
        return Denied(
            SIGN_IN_REQUIRED, "officer-level data needs a signed-in principal"
        )
    for grant in OFFICER_ROWS:
        if applies_to(grant, principal):
            kind = (
                _SCOPE_OF_CHECK[grant.checks[0]] if grant.checks else ScopeKind.NATIONAL
            )
            return OfficerScope(
                kind, grant.rule, principal.unit, principal.province, principal.agency
            )
    decision = authorize(principal, Action.REPORT_OFFICER_READ)
    assert isinstance(decision, Denied)  # no grant applies, so it is refused
    return decision
