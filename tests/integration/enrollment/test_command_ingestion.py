"""Commands on a real Kafka broker into the PostgreSQL store, answered on the reply topic."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from enrollment.application.catalogue import CATALOGUE
from lintas_shared.commands import Outcome
from lintas_shared.identity import Principal, TokenVerifier, UnitKind
from lintas_shared.messaging.command_ingress import (
    CommandEnvelope,
    CommandIngress,
    catalogue_handler,
)
from tests.integration.enrollment.conftest import Pg
from tests.support.identity import Identity
from tests.support.kafka_login import admin_options, admin_security
from tests.unit.enrollment import factories as f
from tests.unit.enrollment.identity import principal

pytestmark = pytest.mark.integration

Handler = Callable[[CommandEnvelope, str], Awaitable[Outcome]]


@pytest.fixture
async def verifier(identity: Identity) -> AsyncIterator[TokenVerifier]:
    checking = identity.verifier()
    try:
        yield checking
    finally:
        await checking.aclose()


def sender_of(payload: Any) -> Principal:
    """The unit that may send this command: the Lapas it names, else its BLK."""
    lapas = payload.get("lapas_code") or (payload.get("lapas") or {}).get("code")
    if lapas:
        return principal(lapas, UnitKind.LAPAS)
    return principal(payload["blk"]["code"], UnitKind.BLK)


class Link:
    """A command topic and reply topic of their own, a producer and a reply reader."""

    def __init__(self, bootstrap: str, identity: Identity) -> None:
        suffix = uuid.uuid4().hex[:10]
        self.bootstrap = bootstrap
        self.identity = identity
        self.commands = f"test.enrollment.commands.{suffix}"
        self.replies_topic = f"test.enrollment.replies.{suffix}"
        self.group = f"test-enrollment-commands-{suffix}"
        self.replies: list[dict[str, Any]] = []

    async def __aenter__(self) -> Link:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, **admin_options())
        await admin.start()
        try:
            await admin.create_topics(
                [
                    NewTopic(self.commands, num_partitions=3, replication_factor=1),
                    NewTopic(
                        self.replies_topic, num_partitions=3, replication_factor=1
                    ),
                ]
            )
        finally:
            await admin.close()
        self.producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap, acks="all", **admin_options()
        )
        await self.producer.start()
        self.reader = AIOKafkaConsumer(
            self.replies_topic,
            bootstrap_servers=self.bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            **admin_options(),
        )
        await self.reader.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.producer.stop()
        await self.reader.stop()

    def ingress(self, handle: Handler) -> CommandIngress:
        return CommandIngress(
            service="enrollment",
            bootstrap=self.bootstrap,
            topic=self.commands,
            reply_topic=self.replies_topic,
            group_id=self.group,
            handle=handle,
            security=admin_security(),
        )

    async def send(
        self,
        command: str,
        payload: Any,
        message_id: str | None = None,
        *,
        sender: Principal | None = None,
    ) -> str:
        """Send with a real access token of `sender` (default: ``sender_of``)."""
        message_id = message_id or str(uuid.uuid4())
        envelope = {
            "message_id": message_id,
            "command": command,
            "access_token": self.identity.token_for(sender or sender_of(payload)),
            "correlation_id": f"corr-{message_id[:8]}",
            "payload": payload,
        }
        await self.producer.send_and_wait(
            self.commands, json.dumps(envelope).encode(), key=message_id.encode()
        )
        return message_id

    async def reply(
        self, message_id: str, nth: int = 1, timeout: float = 30
    ) -> dict[str, Any]:
        """The nth reply to ``message_id``, waiting for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = [r for r in self.replies if r["message_id"] == message_id]
            if len(found) >= nth:
                return found[nth - 1]
            if loop.time() > deadline:
                raise AssertionError(f"no reply {nth} to {message_id}: {self.replies}")
            batch = await self.reader.getmany(timeout_ms=200)
            for records in batch.values():
                self.replies += [json.loads(r.value) for r in records]

    async def wait_committed(self, expected: int, timeout: float = 20) -> int:
        """The committed total once it reaches ``expected`` (commits follow replies)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # Polls the broker: there is no event to wait on for another client's commit.
        while (found := await self.committed()) < expected and loop.time() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        return found

    async def committed(self) -> int:
        """Offsets the ingress group committed on the command topic, summed."""
        reader = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            group_id=self.group,
            enable_auto_commit=False,
            **admin_options(),
        )
        await reader.start()
        try:
            partitions = [TopicPartition(self.commands, p) for p in range(3)]
            return sum([(await reader.committed(tp)) or 0 for tp in partitions])
        finally:
            await reader.stop()


@asynccontextmanager
async def running(ingress: CommandIngress) -> AsyncIterator[CommandIngress]:
    task = asyncio.create_task(ingress.run())
    try:
        yield ingress
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def body(model: Any, **drop: bool) -> dict[str, Any]:
    return dict(model.model_dump(mode="json", exclude=set(drop)))


async def test_commands_are_answered_with_event_ids_refusals_and_replays(
    pg: Pg, kafka_bootstrap: str, identity: Identity, verifier: TokenVerifier
) -> None:
    lapas, blk = f.lapas(), f.blk()
    async with (
        Link(kafka_bootstrap, identity) as link,
        running(link.ingress(catalogue_handler(CATALOGUE, pg.ctx, verifier))),
    ):
        signed = await link.reply(
            await link.send(
                "SignAgreement",
                body(f.sign_agreement(lapas, blk)),
                sender=principal(blk.code, UnitKind.BLK),
            )
        )
        countersigned = await link.reply(
            await link.send(
                "CountersignAgreement",
                {"agreement_id": signed["result"]["agreement_id"]},
                sender=principal(lapas.code, UnitKind.LAPAS),
            )
        )
        opened = await link.reply(
            await link.send("OpenTrainingPackage", body(f.open_package(blk, seats=1)))
        )
        package_id = opened["result"]["package_id"]
        enrol = body(f.enrol(uuid.UUID(package_id), lapas.code))
        first_id = await link.send("EnrolOfficer", enrol)
        # Answered before the next is sent: commands on different partitions (keyed
        # by message id) may be taken in any order.
        accepted = await link.reply(first_id)
        full_id = await link.send(
            "EnrolOfficer", body(f.enrol(uuid.UUID(package_id), lapas.code))
        )
        await link.send("EnrolOfficer", enrol, message_id=first_id)
        refused = await link.reply(full_id)
        replayed = await link.reply(first_id, nth=2)
        assert await link.wait_committed(6) == 6
    assert signed["status"] == countersigned["status"] == "ACCEPTED"
    assert opened["status"] == accepted["status"] == "ACCEPTED"
    assert refused["status"] == "REFUSED"
    assert refused["problem"]["type"].endswith("/seats-exhausted")
    assert (replayed["replayed"], replayed["result"]) == (True, accepted["result"])
    (event_id,) = accepted["result"]["event_ids"]
    row = await pg.pool.fetchrow(
        "SELECT type, metadata FROM events WHERE event_id = $1", uuid.UUID(event_id)
    )
    assert row["type"] == "lintas.OfficerEnrolled.v1"
    assert row["metadata"]["causation_id"] == first_id
    assert row["metadata"]["correlation_id"] == f"corr-{first_id[:8]}"
    assert row["metadata"]["actor_unit"] == lapas.code
    assert row["metadata"]["actor_subject"] == sender_of(enrol).subject
    assert await pg.count("enrollment_view") == 1


async def test_a_bad_token_or_a_denied_action_is_refused_and_writes_nothing(
    pg: Pg, kafka_bootstrap: str, identity: Identity, verifier: TokenVerifier
) -> None:
    lapas, blk = f.lapas(), f.blk()
    agreement = body(f.sign_agreement(lapas, blk))
    async with (
        Link(kafka_bootstrap, identity) as link,
        running(link.ingress(catalogue_handler(CATALOGUE, pg.ctx, verifier))),
    ):
        outsider = principal(f.blk().code, UnitKind.BLK)
        denied = await link.reply(
            await link.send("SignAgreement", agreement, sender=outsider)
        )
        forged_id = str(uuid.uuid4())
        forged = {
            "message_id": forged_id,
            "command": "SignAgreement",
            "access_token": identity.token_for(sender_of(agreement))[:-4] + "AAAA",
            "payload": agreement,
        }
        await link.producer.send_and_wait(
            link.commands, json.dumps(forged).encode(), key=forged_id.encode()
        )
        forged_reply = await link.reply(forged_id)
    assert denied["status"] == forged_reply["status"] == "REFUSED"
    assert denied["problem"]["status"] == 403
    assert denied["problem"]["errors"][0]["rule"] == "party-acts-on-own-agreement"
    assert forged_reply["problem"]["status"] == 401
    assert forged_reply["problem"]["errors"][0]["rule"] == "bad-signature"
    assert await pg.count("events") == 0
    outcomes = await pg.pool.fetch("SELECT outcome, unit FROM audit_log")
    assert [(r["outcome"], r["unit"]) for r in outcomes] == [("denied", outsider.unit)]


async def test_a_command_is_retried_through_an_outage_never_skipped(
    pg: Pg, kafka_bootstrap: str, identity: Identity, verifier: TokenVerifier
) -> None:
    real = catalogue_handler(CATALOGUE, pg.ctx, verifier)
    failures = {"left": 3}

    async def flaky(envelope: CommandEnvelope, key: str) -> Outcome:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionRefusedError("database is down")
        return await real(envelope, key)

    async with Link(kafka_bootstrap, identity) as link, running(link.ingress(flaky)):
        first = await link.send(
            "SignAgreement", body(f.sign_agreement(f.lapas(), f.blk()))
        )
        second = await link.send(
            "SignAgreement", body(f.sign_agreement(f.lapas(), f.blk()))
        )
        replies = [await link.reply(first), await link.reply(second)]
    assert failures["left"] == 0
    assert [r["status"] for r in replies] == ["ACCEPTED", "ACCEPTED"]
    assert [r["message_id"] for r in link.replies].count(first) == 1
    assert await pg.count("agreement_view") == 2


async def test_answered_commands_are_not_answered_again_after_a_restart(
    pg: Pg, kafka_bootstrap: str, identity: Identity, verifier: TokenVerifier
) -> None:
    async with Link(kafka_bootstrap, identity) as link:
        async with running(
            link.ingress(catalogue_handler(CATALOGUE, pg.ctx, verifier))
        ):
            sent = [
                await link.send(
                    "SignAgreement", body(f.sign_agreement(f.lapas(), f.blk()))
                )
                for _ in range(3)
            ]
            for message_id in sent:
                await link.reply(message_id)
            assert await link.wait_committed(3) == 3
        async with running(
            link.ingress(catalogue_handler(CATALOGUE, pg.ctx, verifier))
        ):
            late = await link.send(
                "SignAgreement", body(f.sign_agreement(f.lapas(), f.blk()))
            )
            await link.reply(late)
        assert await link.wait_committed(4) == 4
        assert len(link.replies) == 4


async def test_a_dead_lettered_command_does_not_keep_the_senders_token(
    kafka_bootstrap: str, identity: Identity
) -> None:
    """A command that keeps failing is dead-lettered with its token redacted: the
    dead-letter topic is kept and read by operators, a token there could be replayed."""

    async def always_fails(envelope: CommandEnvelope, key: str) -> Outcome:
        raise RuntimeError("a bug in the handler")

    async with Link(kafka_bootstrap, identity) as link:
        ingress = link.ingress(always_fails)
        ingress._bug_attempts = 2  # fewer retries keep the test short
        ingress._max_backoff = 0.2
        async with running(ingress):
            message_id = await link.send("SignAgreement", {"blk": {"code": "BPVP-X"}})
            reply = await link.reply(message_id, timeout=60)
        assert reply["status"] == "REFUSED"
        letter = await _dead_letter_of(kafka_bootstrap, message_id)
    body = json.loads(letter.value)
    assert body["message_id"] == message_id
    assert body["access_token"] == "[redacted]"
    assert b"eyJ" not in letter.value  # no JWT (base64url of '{"') anywhere


async def _dead_letter_of(bootstrap: str, message_id: str) -> Any:
    reader = AIOKafkaConsumer(
        "lintas.deadletter",
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        **admin_options(),
    )
    await reader.start()
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while loop.time() < deadline:
            batch = await reader.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    if record.key == message_id.encode():
                        return record
        raise AssertionError(f"no dead letter for {message_id}")
    finally:
        await reader.stop()
