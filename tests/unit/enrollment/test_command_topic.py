"""Commands from the Kafka command topic, under FastStream's in-memory TestKafkaBroker."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from faststream.kafka import TestKafkaBroker

from enrollment.adapters.kafka.commands import command_ingress
from enrollment.settings import EnrollmentSettings
from lintas_shared import topics
from lintas_shared.identity import Principal, UnitKind
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.identity import (
    NamedPrincipalVerifier,
    principal,
    token_for,
)

pytestmark = pytest.mark.unit


@dataclass
class Wire:
    broker: Any
    replies: list[dict[str, Any]] = field(default_factory=list)
    dead: list[bytes] = field(default_factory=list)

    async def send(
        self,
        command: str,
        payload: Any,
        message_id: str | None = None,
        *,
        sender: Principal | None = None,
        token: str | None = "",
    ) -> str:
        """Send as `sender` (default: the Lapas the payload names, else a BLK);
        ``token=None`` sends no access token at all."""
        message_id = message_id or str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "message_id": message_id,
            "command": command,
            "payload": payload,
        }
        if token == "":
            token = token_for(sender or _sender_for(payload))
        if token is not None:
            envelope["access_token"] = token
        await self.broker.publish(envelope, topics.ENROLLMENT_COMMANDS)
        return message_id

    def reply(self, message_id: str) -> dict[str, Any]:
        (found,) = [r for r in self.replies if r["message_id"] == message_id][-1:]
        return found


def _sender_for(payload: Any) -> Principal:
    lapas = payload.get("lapas_code") or (payload.get("lapas") or {}).get("code")
    if lapas:
        return principal(lapas, UnitKind.LAPAS)
    return principal("BPVP-PADANG", UnitKind.BLK)


@asynccontextmanager
async def wired(h: f.Harness) -> AsyncIterator[Wire]:
    ingress = command_ingress(
        h.ctx,
        EnrollmentSettings(kafka_bootstrap="in-memory:9092"),
        NamedPrincipalVerifier(),
    )
    wire = Wire(ingress.broker)

    @ingress.broker.subscriber(topics.ENROLLMENT_REPLIES)
    async def on_reply(body: dict[str, Any]) -> None:
        wire.replies.append(body)

    @ingress.broker.subscriber(topics.DEAD_LETTERS)
    async def on_dead(body: bytes) -> None:
        wire.dead.append(body)

    async with TestKafkaBroker(ingress.broker) as broker:
        wire.broker = broker
        yield wire


def payload(model: Any) -> dict[str, Any]:
    return dict(model.model_dump(mode="json"))


async def test_an_accepted_command_is_answered_with_its_event_ids() -> None:
    h = f.Harness()
    lapas = f.lapas()
    async with wired(h) as wire:
        sent = await wire.send(
            "SignAgreement", payload(f.sign_agreement(lapas, f.blk()))
        )
    reply = wire.reply(sent)
    assert (reply["status"], reply["replayed"]) == ("ACCEPTED", False)
    (stored,) = [e for _, _, e in h.store.outbox]
    assert reply["result"]["event_ids"] == [str(stored.event_id)]
    assert stored.metadata.causation_id == sent
    assert stored.metadata.actor_unit == lapas.code
    assert (
        stored.metadata.actor_subject == principal(lapas.code, UnitKind.LAPAS).subject
    )


async def test_a_missing_or_bad_token_is_refused_401_and_writes_nothing() -> None:
    h = f.Harness()
    body = payload(f.sign_agreement(f.lapas(), f.blk()))
    async with wired(h) as wire:
        missing = await wire.send("SignAgreement", body, token=None)
        bad = await wire.send("SignAgreement", body, token="forged")
    assert wire.reply(missing)["status"] == "REFUSED"
    assert wire.reply(missing)["problem"]["status"] == 401
    assert wire.reply(missing)["problem"]["errors"][0]["rule"] == "missing-credentials"
    assert wire.reply(bad)["problem"]["status"] == 401
    assert wire.reply(bad)["problem"]["errors"][0]["rule"] == "malformed"
    assert await h.events() == []


async def test_a_denied_command_is_refused_403_naming_the_rule() -> None:
    h = f.Harness()
    s = await f.scene(h)
    other_lapas = principal("LAPAS-IIA-BUKITTINGGI", UnitKind.LAPAS)
    async with wired(h) as wire:
        events = await h.events()
        sent = await wire.send(
            "EnrolOfficer",
            payload(f.enrol(s.package_id, s.lapas.code)),
            sender=other_lapas,
        )
    problem = wire.reply(sent)["problem"]
    assert (problem["status"], problem["errors"][0]["rule"]) == (
        403,
        "lapas-acts-for-own-officers",
    )
    assert await h.events() == events
    assert h.audit.entries_written[-1].outcome == "denied"


async def test_a_resent_message_id_is_answered_from_the_first_outcome() -> None:
    h = f.Harness()
    body = payload(f.sign_agreement(f.lapas(), f.blk()))
    async with wired(h) as wire:
        sent = await wire.send("SignAgreement", body)
        events = await h.events()
        await wire.send("SignAgreement", body, message_id=sent)
    first, second = [r for r in wire.replies if r["message_id"] == sent]
    assert second["replayed"] is True
    assert second["result"] == first["result"]
    assert await h.events() == events


async def test_a_refused_command_is_answered_with_the_problem_and_writes_nothing() -> (
    None
):
    h = f.Harness()
    s = await f.scene(h, seats=1)
    async with wired(h) as wire:
        ok = await wire.send(
            "EnrolOfficer", payload(f.enrol(s.package_id, s.lapas.code))
        )
        events = await h.events()
        full = await wire.send(
            "EnrolOfficer", payload(f.enrol(s.package_id, s.lapas.code))
        )
    assert wire.reply(ok)["status"] == "ACCEPTED"
    refused = wire.reply(full)
    assert refused["status"] == "REFUSED"
    assert refused["problem"]["status"] == 409
    assert refused["problem"]["type"].endswith("/seats-exhausted")
    assert await h.events() == events


async def test_an_unknown_command_or_invalid_payload_is_refused_by_name() -> None:
    h = f.Harness()
    async with wired(h) as wire:
        unknown = await wire.send("EnrollEveryone", {})
        invalid = await wire.send("SignAgreement", {"number": "PKS-1"})
    assert wire.reply(unknown)["problem"]["status"] == 400
    assert wire.reply(unknown)["problem"]["errors"][0]["field"] == "command"
    problem = wire.reply(invalid)["problem"]
    assert problem["status"] == 422
    assert {"lapas", "blk", "kejuruan"} <= {e["field"] for e in problem["errors"]}


async def test_a_record_that_is_no_command_envelope_is_dead_lettered() -> None:
    h = f.Harness()
    async with wired(h) as wire:
        await wire.broker.publish(b"not json at all", topics.ENROLLMENT_COMMANDS)
    assert wire.dead == [b"not json at all"]
    assert wire.replies == []
