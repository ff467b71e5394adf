"""The catalogue's hook: resolve, authorize (403 naming the rule), audit, then run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from lintas_deploy.personas import persona
from lintas_shared.application import Command, CommandCatalogue, Entry
from lintas_shared.audit import AuditEntry, AuditOutcome
from lintas_shared.commands import Outcome
from lintas_shared.domain.refusals import NotFound
from lintas_shared.envelope import EventMetadata
from lintas_shared.http.problems import Problem
from lintas_shared.identity import Action, Principal, Resource

pytestmark = pytest.mark.unit

PACKAGES = {UUID(int=1): "BPVP-PADANG"}


class CancelIt(Command):
    package_id: UUID
    note: str = "an officer's NIP 199001012020121001 is never audited"


@dataclass
class Ctx:
    audit: Trail = field(default_factory=lambda: Trail())
    ran: list[EventMetadata] = field(default_factory=list)


@dataclass
class Trail:
    entries: list[AuditEntry] = field(default_factory=list)

    async def write(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


async def _resolve(ctx: Ctx, cmd: CancelIt) -> Resource:
    blk = PACKAGES.get(cmd.package_id)
    if blk is None:
        raise NotFound.of("package-not-found", "no such package", "package_id")
    return Resource(blk=blk)


async def _handler(
    ctx: Ctx, cmd: Any, metadata: EventMetadata, key: str | None
) -> Outcome:
    ctx.ran.append(metadata)
    return Outcome({"ok": True}, replayed=False)


CATALOGUE: CommandCatalogue[Ctx] = CommandCatalogue(
    [Entry(CancelIt, _handler, Action.PACKAGE_CANCEL, _resolve)]
)


def _p(persona_id: str) -> Principal:
    return persona(persona_id).principal("http://issuer.test")


async def test_an_allowed_command_runs_with_the_principal_as_its_actor() -> None:
    ctx = Ctx()
    principal = _p("bpvp-padang-operator")
    outcome = await CATALOGUE.run(
        ctx, CancelIt(package_id=UUID(int=1)), principal, None, correlation_id="c-1"
    )
    assert outcome.response == {"ok": True}
    (metadata,) = ctx.ran
    assert (metadata.actor_agency, metadata.actor_unit) == ("KEMNAKER", "BPVP-PADANG")
    assert metadata.actor_subject == principal.subject
    assert metadata.correlation_id == "c-1"
    (entry,) = ctx.audit.entries
    assert (entry.outcome, entry.rule, entry.action) == (
        AuditOutcome.ALLOWED,
        "blk-owns-package",
        "package.cancel",
    )
    assert entry.scope == {
        "blk": "BPVP-PADANG",
        "ids": {"package_id": str(UUID(int=1))},
    }
    assert entry.correlation_id == "c-1" and entry.unit == "BPVP-PADANG"


async def test_a_denied_command_is_a_403_naming_the_rule_audited_and_never_run() -> (
    None
):
    ctx = Ctx()
    with pytest.raises(Problem) as refused:
        await CATALOGUE.run(
            ctx, CancelIt(package_id=UUID(int=1)), _p("lapas-padang-operator"), None
        )
    assert refused.value.status == 403
    assert refused.value.to_dict()["errors"][0]["rule"] == "blk-owns-package"
    assert ctx.ran == []
    (entry,) = ctx.audit.entries
    assert (entry.outcome, entry.unit) == (AuditOutcome.DENIED, "LAPAS-IIA-PADANG")
    assert "199001012020121001" not in repr(entry)


async def test_an_unknown_target_is_refused_before_authorization_and_audited() -> None:
    ctx = Ctx()
    with pytest.raises(NotFound):
        await CATALOGUE.run(
            ctx, CancelIt(package_id=uuid4()), _p("bpvp-padang-operator"), None
        )
    assert ctx.ran == []
    (entry,) = ctx.audit.entries
    assert (entry.outcome, entry.rule) == (AuditOutcome.UNRESOLVED, "package-not-found")


async def test_an_authorized_command_cannot_run_on_self_declared_metadata() -> None:
    with pytest.raises(TypeError):
        await CATALOGUE.run(
            Ctx(),
            CancelIt(package_id=UUID(int=1)),
            EventMetadata("KEMNAKER", "BPVP-PADANG"),
            None,
        )


def test_an_audit_scope_refuses_a_nip() -> None:
    with pytest.raises(ValueError, match="NIP"):
        AuditEntry.of(
            _p("kemnaker-auditor"),
            Action.ROSTER_READ,
            AuditOutcome.ALLOWED,
            "x",
            time=datetime.now(UTC),
            scope={"nip": "199001012020121001"},
        )
