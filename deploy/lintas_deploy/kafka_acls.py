"""Kafka principals and their ACLs as data: who may write, read and join which groups.

The broker denies whatever is not listed here (`allow.everyone.if.no.acl.found=false`);
only `ADMIN` (the broker itself and the deploy tooling) is a super user.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from lintas_shared.topics import (
    CERTIFICATION_COMMANDS,
    CERTIFICATION_EVENTS,
    CERTIFICATION_REPLIES,
    DEAD_LETTERS,
    ENROLLMENT_COMMANDS,
    ENROLLMENT_EVENTS,
    ENROLLMENT_REPLIES,
)

ADMIN = "lintas-admin"
CLUSTER = "kafka-cluster"  # the one name of Kafka's CLUSTER resource


class Resource(IntEnum):
    """Kafka's ResourceType codes (CreateAcls/DescribeAcls wire values)."""

    TOPIC = 2
    GROUP = 3
    CLUSTER = 4


class Pattern(IntEnum):
    """Kafka's PatternType codes: a literal name or every name with this prefix."""

    LITERAL = 3
    PREFIXED = 4


class Operation(IntEnum):
    """Kafka's AclOperation codes used here (READ and WRITE imply DESCRIBE)."""

    READ = 3
    WRITE = 4
    IDEMPOTENT_WRITE = 12


@dataclass(frozen=True)
class Principal:
    """One SCRAM user: the topics it writes and reads, its consumer-group prefixes."""

    username: str
    purpose: str
    writes: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    group_prefixes: tuple[str, ...] = ()


ALLOW = 3  # Kafka's AclPermissionType ALLOW (DENY is 2)


@dataclass(frozen=True, order=True)
class AclBinding:
    """One rule (ours: ALLOW from any host); int codes, so any broker rule fits."""

    resource: int
    name: str
    pattern: int
    principal: str
    operation: int
    host: str = "*"
    permission: int = ALLOW


# Group prefixes follow the group ids in each service's settings today:
# enrollment `lintas-enrollment-commands`; certification `certification-commands`,
# `certification-enrollment-view`; reporting `reporting-projector`.
PRINCIPALS: dict[str, Principal] = {
    "enrollment": Principal(
        "svc-enrollment",
        "enrollment service: relay, command ingress",
        writes=(ENROLLMENT_EVENTS, ENROLLMENT_REPLIES, DEAD_LETTERS),
        reads=(ENROLLMENT_COMMANDS,),
        group_prefixes=("lintas-enrollment-",),
    ),
    "certification": Principal(
        "svc-certification",
        "certification service: relay, enrollment view, command ingress",
        writes=(CERTIFICATION_EVENTS, CERTIFICATION_REPLIES, DEAD_LETTERS),
        reads=(ENROLLMENT_EVENTS, CERTIFICATION_COMMANDS),
        group_prefixes=("certification-",),
    ),
    "reporting": Principal(
        "svc-reporting",
        "reporting service: projector, rebuilds (read only but for dead letters)",
        writes=(DEAD_LETTERS,),
        reads=(ENROLLMENT_EVENTS, CERTIFICATION_EVENTS),
        group_prefixes=("reporting-",),
    ),
    # Agency systems: Ditjenpas's prisons database enrols officers; Kemnaker's
    # training system opens packages (enrollment) and records results (certification).
    "ditjenpas": Principal(
        "sys-ditjenpas",
        "Ditjenpas agency system (Lapas): enrollment commands",
        writes=(ENROLLMENT_COMMANDS,),
        reads=(ENROLLMENT_REPLIES,),
        group_prefixes=("ditjenpas-",),
    ),
    "kemnaker": Principal(
        "sys-kemnaker",
        "Kemnaker agency system (BLK): package and certification commands",
        writes=(ENROLLMENT_COMMANDS, CERTIFICATION_COMMANDS),
        reads=(ENROLLMENT_REPLIES, CERTIFICATION_REPLIES),
        group_prefixes=("kemnaker-",),
    ),
}


def principal_bindings(p: Principal) -> set[AclBinding]:
    """The ALLOW rules of one principal (its producers are idempotent)."""
    user = f"User:{p.username}"
    rules = {
        AclBinding(Resource.TOPIC, t, Pattern.LITERAL, user, Operation.WRITE)
        for t in p.writes
    }
    rules |= {
        AclBinding(Resource.TOPIC, t, Pattern.LITERAL, user, Operation.READ)
        for t in p.reads
    }
    rules |= {
        AclBinding(Resource.GROUP, g, Pattern.PREFIXED, user, Operation.READ)
        for g in p.group_prefixes
    }
    if p.writes:
        rules.add(
            AclBinding(
                Resource.CLUSTER,
                CLUSTER,
                Pattern.LITERAL,
                user,
                Operation.IDEMPOTENT_WRITE,
            )
        )
    return rules


def acl_bindings(principals: dict[str, Principal] | None = None) -> set[AclBinding]:
    """Every ALLOW rule of the Lintas principals: the broker's whole ACL table."""
    chosen = PRINCIPALS if principals is None else principals
    return set().union(*(principal_bindings(p) for p in chosen.values()))


def usernames(principals: dict[str, Principal] | None = None) -> list[str]:
    """Every SCRAM user the broker needs: the admin first, then each principal."""
    chosen = PRINCIPALS if principals is None else principals
    return [ADMIN, *(p.username for p in chosen.values())]


def acl_table(principals: dict[str, Principal] | None = None) -> str:
    """A Markdown table of the ACLs (for the README and for reviewing changes)."""
    chosen = PRINCIPALS if principals is None else principals
    lines = [
        "| principal | writes | reads | consumer groups |",
        "|---|---|---|---|",
    ]
    for p in chosen.values():
        groups = ", ".join(f"`{g}*`" for g in p.group_prefixes)
        lines.append(
            f"| `{p.username}` | {_codes(p.writes)} | {_codes(p.reads)} | {groups} |"
        )
    return "\n".join(lines)


def _codes(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{n}`" for n in names) or "—"
