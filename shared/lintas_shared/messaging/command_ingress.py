"""Kafka command ingress: agency systems send commands, each gets one reply, then we commit.

A command is a JSON ``CommandEnvelope``; its ``access_token`` (the agency system's
client-credentials token) is verified with the service's ``TokenVerifier`` and the command
runs as that principal through the catalogue (authorized and audited as on HTTP): a
missing or bad token is answered REFUSED with the 401 problem, a denied action with the
403 problem. Its ``message_id`` is the idempotency key (``kafka:<agency>/<unit>:<id>``),
so a resent or redelivered command is answered from its first outcome. The offset of a
command is committed only after its outcome is recorded and its reply acknowledged by
Kafka (FastStream ``AckPolicy.MANUAL``). An infrastructure error (PostgreSQL or Kafka
down) never skips a command: the partition is rewound to it and it is retried with
backoff for as long as the outage lasts. A refusal is an outcome, not an
error: it is replied and committed. Any other failure (a bug) is retried a few times,
then the command is dead-lettered and answered REFUSED with a retryable 500 problem. A
record that is not an envelope at all goes to the dead-letter topic.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import Any, Protocol, TypeVar

import structlog
from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from aiokafka.structs import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from lintas_shared.application.catalogue import CommandCatalogue
from lintas_shared.audit import AuditedContext
from lintas_shared.commands import Outcome
from lintas_shared.http.problems import Problem
from lintas_shared.http.refusals import command_problem
from lintas_shared.identity import IdentitySettings, Principal, TokenVerifier
from lintas_shared.identity.fastapi import Unauthenticated
from lintas_shared.identity.tokens import TokenRefused
from lintas_shared.kafka_security import KafkaSecurity, faststream_options
from lintas_shared.messaging.command_messages import (
    CommandEnvelope,
    CommandReply,
    ReplyStatus,
    parse_envelope,
    reply_to,
    without_credentials,
)
from lintas_shared.messaging.consumer import TRANSIENT
from lintas_shared.messaging.deadletter import dead_letter

log = structlog.get_logger(__name__)

CommandHandler = Callable[[CommandEnvelope, str], Awaitable[Outcome]]
RefusalMapper = Callable[[Exception], Problem | None]
Ctx = TypeVar("Ctx", bound=AuditedContext)

# What a command that cannot be answered from the envelope is refused with.
kafka_refusal: RefusalMapper = partial(command_problem, key_field="message_id")


class CommandTopicSettings(Protocol):
    """The settings a write service's command ingress reads."""

    @property
    def kafka_bootstrap(self) -> str: ...
    @property
    def command_topic(self) -> str: ...
    @property
    def reply_topic(self) -> str: ...
    @property
    def command_group_id(self) -> str: ...
    @property
    def kafka_security(self) -> KafkaSecurity: ...


async def envelope_principal(
    verifier: TokenVerifier, envelope: CommandEnvelope
) -> Principal:
    """The principal the envelope's access token proves, or the 401 problem."""
    if not envelope.access_token:
        raise Unauthenticated(
            "missing-credentials",
            "send the agency system's access token in access_token",
            error=None,
            rule="missing-credentials",
        )
    try:
        return await verifier.verify(envelope.access_token)
    except TokenRefused as refused:
        raise Unauthenticated(
            "invalid-token",
            f"{refused.reason}: {refused.detail}",
            error="invalid_token",
            rule=refused.reason.value,
        ) from None


def catalogue_handler(
    catalogue: CommandCatalogue[Ctx], ctx: Ctx, verifier: TokenVerifier
) -> CommandHandler:
    """Verify the token, validate the payload as the named command, run it as HTTP."""

    async def handle(envelope: CommandEnvelope, key: str) -> Outcome:
        principal = await envelope_principal(verifier, envelope)
        model = catalogue.model(envelope.command)
        if model is None:
            raise Problem(
                400,
                "unknown-command",
                f"unknown command {envelope.command!r}",
                errors=[{"field": "command", "message": f"one of {catalogue.names()}"}],
            )
        command = model.model_validate(envelope.payload)
        # Scoped to the principal's unit, as on HTTP: another system reusing a message
        # id gets its own answer, never this one's.
        scoped = key.replace("kafka:", f"kafka:{principal.agency}/{principal.unit}:", 1)
        return await catalogue.run(
            ctx,
            command,
            principal,
            scoped,
            correlation_id=envelope.correlation(),
            causation_id=str(envelope.message_id),
        )

    return handle


def command_ingress(
    service: str,
    catalogue: CommandCatalogue[Ctx],
    ctx: Ctx,
    settings: CommandTopicSettings,
    verifier: TokenVerifier | None = None,
) -> CommandIngress:
    """The ingress of a write service's command topic, answering from its catalogue.

    `verifier` checks the envelopes' access tokens (default: LINTAS_IDENTITY_* env).
    """
    verifier = verifier or TokenVerifier(IdentitySettings())
    return CommandIngress(
        service=service,
        bootstrap=settings.kafka_bootstrap,
        topic=settings.command_topic,
        reply_topic=settings.reply_topic,
        group_id=settings.command_group_id,
        handle=catalogue_handler(catalogue, ctx, verifier),
        security=settings.kafka_security,
    )


class CommandIngress:
    """Consumes one command topic into a service's executor and answers on a reply topic.

    ``handle(envelope, idempotency_key)`` runs the command; ``refusal(exc)``
    turns the service's refusals into problems and returns None for anything else, which
    is retried (without limit for outages, ``bug_attempts`` times for other errors).
    """

    def __init__(
        self,
        *,
        service: str,
        bootstrap: str,
        topic: str,
        reply_topic: str,
        group_id: str,
        handle: CommandHandler,
        refusal: RefusalMapper = kafka_refusal,
        max_records: int = 100,
        max_backoff: float = 10.0,
        bug_attempts: int = 5,
        security: KafkaSecurity | None = None,
    ) -> None:
        self.service = service
        self._handle = handle
        self._refusal = refusal
        self._max_backoff = max_backoff
        self._bug_attempts = bug_attempts
        self._failures = _Failures()
        self.broker = KafkaBroker(
            bootstrap,
            client_id=f"lintas-{service}-commands",
            acks="all",
            enable_idempotence=True,
            **faststream_options(security),
        )
        self._replies = self.broker.publisher(
            reply_topic,
            title=f"{reply_topic}:reply",
            description="One reply per command: ACCEPTED with the event ids, or "
            "REFUSED with an RFC 9457 problem. Keyed by the command's message id.",
            schema=CommandReply,
        )
        subscription = self.broker.subscriber(
            topic,
            batch=True,
            group_id=group_id,
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            isolation_level="read_committed",
            max_records=max_records,
            decoder=_raw_bodies,
            title=f"{topic}:command",
            description="Commands as CommandEnvelope JSON: message_id, command, "
            "access_token, correlation_id, payload.",
        )
        subscription(self._on_batch)
        self.running = False

    async def run(self) -> None:
        """Consume until cancelled; waits for Kafka if it is not up yet."""
        backoff = 0.5
        while True:
            try:
                await self.broker.start()
            except Exception as exc:
                log.warning(
                    "command_ingress_waiting", service=self.service, error=repr(exc)
                )
                await _stop_quietly(self.broker)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            self.running = True
            try:
                await asyncio.Event().wait()
            finally:
                self.running = False
                await _stop_quietly(self.broker)

    async def _on_batch(self, body: list[Any], message: KafkaMessage) -> None:
        """Answer each command in order; commit what is done, rewind what is not."""
        records: tuple[ConsumerRecord, ...] = message.raw_message
        consumer = message.consumer
        done: dict[TopicPartition, int] = {}
        for index, record in enumerate(records):
            try:
                if self._failures.exhausted(record, self._bug_attempts):
                    await self._give_up(record)
                else:
                    await self._answer(record)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._failures.note(record, exc)
                await _commit(consumer, done)
                await self._rewind(consumer, records[index:], exc)
                return
            done[TopicPartition(record.topic, record.partition)] = record.offset + 1
        self._failures.clear()
        try:
            await message.ack()  # commits the positions after this batch
        except CommitFailedError as exc:
            # A rebalance moved the partition: its new owner re-reads these commands
            # and answers them from their idempotency keys.
            log.info("command_commit_skipped", error=repr(exc))

    async def _answer(self, record: ConsumerRecord) -> None:
        envelope, problem = parse_envelope(record.value)
        if envelope is None:
            await self._dead_letter(record, problem)
            return
        await self._publish(await self._outcome(envelope))

    async def _outcome(self, envelope: CommandEnvelope) -> CommandReply:
        try:
            outcome = await self._handle(envelope, f"kafka:{envelope.message_id}")
        except Exception as exc:
            problem = self._refusal(exc)
            if problem is None:
                raise
            return reply_to(envelope, ReplyStatus.REFUSED, problem=problem.to_dict())
        return reply_to(
            envelope,
            ReplyStatus.ACCEPTED,
            result=outcome.response,
            replayed=outcome.replayed,
        )

    async def _publish(self, reply: CommandReply) -> None:
        # Awaits the broker's acknowledgement (acks=all) before the offset is committed.
        await self._replies.publish(
            reply.model_dump(mode="json"),
            key=str(reply.message_id).encode(),
            headers={"correlation_id": reply.correlation_id},
        )

    async def _give_up(self, record: ConsumerRecord) -> None:
        reason = f"command failed {self._failures.count} times: {self._failures.last!r}"
        await self._dead_letter(record, reason)
        envelope, _ = parse_envelope(record.value)
        if envelope is not None:
            problem = Problem(500, "command-failed", reason, retryable=True)
            await self._publish(
                reply_to(envelope, ReplyStatus.REFUSED, problem=problem.to_dict())
            )

    async def _rewind(
        self, consumer: Any, pending: tuple[ConsumerRecord, ...], exc: Exception
    ) -> None:
        wait = min(0.2 * 2 ** (self._failures.count - 1), self._max_backoff)
        log.warning(
            "command_retrying",
            service=self.service,
            error=repr(exc),
            offset=pending[0].offset,
            wait=wait,
        )
        first: dict[TopicPartition, int] = {}
        for record in pending:
            tp = TopicPartition(record.topic, record.partition)
            first.setdefault(tp, record.offset)
        for tp, offset in first.items():
            consumer.seek(tp, offset)
        await asyncio.sleep(wait)

    async def _dead_letter(self, record: ConsumerRecord, reason: str) -> None:
        letter = dead_letter(
            record, consumer=f"{self.service}-commands", reason=reason, attempts=1
        )
        letter = replace(letter, value=without_credentials(letter.value))
        headers = {k: v.decode("utf-8", "replace") for k, v in letter.headers}
        await self.broker.publish(
            letter.value, letter.topic, key=letter.key, headers=headers
        )
        log.error("command_dead_lettered", service=self.service, reason=reason)


class _Failures:
    """Consecutive failures of the record at the head of a partition."""

    def __init__(self) -> None:
        self.where: tuple[str, int, int] | None = None
        self.count = 0
        self.transient = False
        self.last: Exception | None = None

    def note(self, record: ConsumerRecord, exc: Exception) -> None:
        where = (record.topic, record.partition, record.offset)
        if where != self.where:
            self.where, self.count = where, 0
        self.count += 1
        self.last = exc
        self.transient = isinstance(exc, TRANSIENT)

    def exhausted(self, record: ConsumerRecord, attempts: int) -> bool:
        """True for a record that kept failing for a reason other than an outage."""
        return (
            self.where == (record.topic, record.partition, record.offset)
            and not self.transient
            and self.count >= attempts
        )

    def clear(self) -> None:
        self.where, self.count, self.transient, self.last = None, 0, False, None


async def _commit(consumer: Any, done: dict[TopicPartition, int]) -> None:
    if not done:
        return
    try:
        await consumer.commit(done)
    except CommitFailedError as exc:
        # A rebalance moved the partition: its new owner re-reads these commands and
        # answers them from their idempotency keys.
        log.info("command_commit_skipped", error=repr(exc))


async def _stop_quietly(broker: KafkaBroker) -> None:
    try:
        await broker.stop()
    except (KafkaError, OSError, RuntimeError) as exc:
        log.info("command_broker_stop_failed", error=repr(exc))


async def _raw_bodies(message: Any) -> Any:
    # The envelope is parsed per record so one bad record cannot fail the whole batch.
    return message.body


__all__ = [
    "CommandEnvelope",
    "CommandHandler",
    "CommandIngress",
    "CommandReply",
    "CommandTopicSettings",
    "RefusalMapper",
    "ReplyStatus",
    "catalogue_handler",
    "command_ingress",
]
