"""The published AsyncAPI contract: event, command, reply and dead-letter topics.

The kernel knows the events, the command envelope, the reply and the dead letter; each
write service's commands are handed in (``CommandSide``), because the kernel imports no
service. ``lintas_deploy.asyncapi`` composes the whole system's document.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel, Field, create_model

from lintas_shared.contracts.base import IntegrationEvent
from lintas_shared.contracts.certification import CERTIFICATION_EVENTS
from lintas_shared.contracts.enrollment import ENROLLMENT_EVENTS
from lintas_shared.messaging.command_messages import CommandEnvelope, CommandReply
from lintas_shared.topics import CERTIFICATION_EVENTS as CERTIFICATION_TOPIC
from lintas_shared.topics import DEAD_LETTERS
from lintas_shared.topics import ENROLLMENT_EVENTS as ENROLLMENT_TOPIC

ENVELOPE = (
    "CloudEvents 1.0, Kafka binary mode. The record key is the stream id (``ce_subject``), so "
    "one stream's events share a partition and keep their order. The JSON body is the event "
    "data below. Headers: ce_specversion=1.0, ce_id (UUID, the deduplication key), ce_source "
    "(lintas/<service>), ce_type (lintas.<EventName>.v<version>), ce_subject (stream id), "
    "ce_time (RFC 3339), ce_streamversion (position in the stream), ce_correlationid, "
    "ce_causationid (optional), ce_actoragency and ce_actorunit (who acted), "
    "content-type=application/json. Delivery is at least once: deduplicate by ce_id. Across "
    "streams nothing is ordered."
)
COMMANDS = (
    "A command from an agency system: a JSON CommandEnvelope whose `payload` holds the "
    "command's fields. Key the record by `message_id` (any key works; the same key keeps "
    "one system's commands in order). A resend with the same `message_id` writes nothing "
    "new and is answered with the first outcome. Every command gets exactly one reply on "
    "the service's reply topic. A record that is not an envelope goes to the dead-letter "
    "topic unanswered."
)
REPLIES = (
    "The outcome of one command, keyed by the command's `message_id`: ACCEPTED with "
    "`result`, or REFUSED with an RFC 9457 `problem` naming the rule. A problem with "
    "`retryable: true` is worth sending again with the same `message_id`."
)
DEAD_LETTER = (
    "A record a consumer could not process after its retries: the original key, body and "
    "headers unchanged, plus `dlq_*` headers saying which consumer gave up, why, after how "
    "many attempts, and where the record came from. Operators list and replay them with "
    "`python -m lintas_shared.deadletters`; a replay publishes the record to its original "
    "topic with the `dlq_*` headers removed."
)
_TEXT = {"type": "string"}
_EVENT_HEADER_PROPERTIES: dict[str, Any] = {
    "ce_specversion": {"type": "string", "const": "1.0"},
    "ce_id": {"type": "string", "format": "uuid", "description": "Dedup key."},
    "ce_source": {"type": "string", "description": "lintas/<service>"},
    "ce_type": {"type": "string", "description": "lintas.<EventName>.v<version>"},
    "ce_subject": {"type": "string", "description": "Stream id; the record key."},
    "ce_time": {"type": "string", "format": "date-time"},
    "ce_correlationid": _TEXT,
    "ce_causationid": _TEXT,
    "ce_actoragency": {"type": "string", "description": "Acting agency."},
    "ce_actorunit": {"type": "string", "description": "Acting unit."},
    "ce_streamversion": {"type": "string", "pattern": "^[0-9]+$"},
    "content-type": {"type": "string", "const": "application/json"},
}
EVENT_HEADERS: dict[str, Any] = {
    "type": "object",
    "required": [k for k in _EVENT_HEADER_PROPERTIES if k != "ce_causationid"],
    "properties": _EVENT_HEADER_PROPERTIES,
}
_DEAD_LETTER_HEADER_PROPERTIES: dict[str, Any] = {
    "dlq_consumer": {"type": "string", "description": "Consumer that gave up."},
    "dlq_reason": {"type": "string", "maxLength": 2000, "description": "Why."},
    "dlq_attempts": {"type": "string", "pattern": "^[0-9]+$"},
    "dlq_original_topic": _TEXT,
    "dlq_original_partition": {"type": "string", "pattern": "^[0-9]+$"},
    "dlq_original_offset": {"type": "string", "pattern": "^[0-9]+$"},
    "dlq_failed_at": {"type": "string", "format": "date-time"},
}
DEAD_LETTER_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "The original record's headers (ce_* for an event), plus these.",
    "required": list(_DEAD_LETTER_HEADER_PROPERTIES),
    "properties": _DEAD_LETTER_HEADER_PROPERTIES,
    "additionalProperties": {"type": "string"},
}
REPLY_HEADERS: dict[str, Any] = {
    "type": "object",
    "properties": {"correlation_id": _TEXT},
}


@dataclass(frozen=True)
class CommandSide:
    """The commands one write service takes on its command topic, and its replies."""

    service: str
    command_topic: str
    reply_topic: str
    commands: Mapping[str, type[BaseModel]]  # command name -> payload model


def specification(sides: Sequence[CommandSide] = ()) -> dict[str, Any]:
    """The AsyncAPI 3 document as plain data (events always; commands of ``sides``)."""
    broker = KafkaBroker("kafka:9092")
    _events(broker, ENROLLMENT_TOPIC, ENROLLMENT_EVENTS)
    _events(broker, CERTIFICATION_TOPIC, CERTIFICATION_EVENTS)
    for side in sides:
        _commands(broker, side)
    broker.publisher(
        DEAD_LETTERS,
        title=f"{DEAD_LETTERS}:DeadLetter",
        description=DEAD_LETTER,
        schema=bytes,
    )
    document: dict[str, Any] = (
        AsyncAPI(
            broker,
            title="Lintas integration events and commands",
            version="1.0.0",
            description=(
                "Events Lintas publishes for the corrections service (Ditjenpas) and "
                "the Ministry of Manpower (Kemnaker), the commands agency systems may "
                "send on Kafka and their replies, and the dead-letter topic. Topics "
                "keep events forever."
            ),
        )
        .to_specification()
        .to_jsonable()
    )
    _complete(document, sides)
    return _sorted(document)


def render(sides: Sequence[CommandSide] = ()) -> str:
    return yaml.safe_dump(specification(sides), sort_keys=False, allow_unicode=True)


def _events(
    broker: KafkaBroker, topic: str, events: tuple[type[IntegrationEvent], ...]
) -> None:
    for model in events:
        broker.publisher(
            topic,
            title=f"{topic}:{model.type_name()}",
            description=f"{(model.__doc__ or '').strip()}\n\n{ENVELOPE}",
            schema=model,
        )


def _commands(broker: KafkaBroker, side: CommandSide) -> None:
    for name, model in sorted(side.commands.items()):
        doc = (model.__doc__ or "").strip()

        async def accept(message: Any) -> None:
            """Only described here; the service's command ingress handles it."""

        accept.__annotations__["message"] = _envelope(name, model)
        broker.subscriber(
            side.command_topic,
            # Never started (it only describes the topic), but say it like the ingress:
            # offsets are committed by hand after the outcome is recorded.
            ack_policy=AckPolicy.MANUAL,
            title=f"{side.command_topic}:{name}",
            description=f"{name}: {doc}\n\n{COMMANDS}",
        )(accept)
    broker.publisher(
        side.reply_topic,
        title=f"{side.reply_topic}:CommandReply",
        description=f"Replies of the {side.service} service. {REPLIES}",
        schema=CommandReply,
    )


def _envelope(name: str, model: type[BaseModel]) -> type[BaseModel]:
    """The envelope of one command: ``command`` fixed to its name, its payload model."""
    fixed_name: Any = Literal[name]
    return create_model(
        f"{name}Command",
        __base__=CommandEnvelope,
        __doc__=f"The envelope of the {name} command.",
        command=(fixed_name, Field(description="The command name.")),
        payload=(model, Field(description=f"The fields of {name}.")),
    )


def _complete(document: dict[str, Any], sides: Sequence[CommandSide]) -> None:
    """What FastStream cannot say: headers, keys, correlation, and the reply links."""
    messages = document["components"]["messages"]
    replies = {s.command_topic: s.reply_topic for s in sides}
    for channel_name, channel in document["channels"].items():
        topic = channel["address"]
        [(_, ref)] = channel["messages"].items()
        message = messages[ref["$ref"].rsplit("/", 1)[1]]
        if topic in (ENROLLMENT_TOPIC, CERTIFICATION_TOPIC):
            message["headers"] = EVENT_HEADERS
            message["correlationId"] = {"location": "$message.header#/ce_correlationid"}
            _key(message, "The stream id (same as ce_subject).")
        elif topic in replies:
            message["correlationId"] = {"location": "$message.payload#/message_id"}
            _key(message, "Any; message_id keeps one system's commands in order.")
            reply_channel = f"{replies[topic]}:CommandReply"
            document["operations"][channel_name]["reply"] = {
                "channel": {"$ref": f"#/channels/{reply_channel}"},
                "messages": [{"$ref": f"#/channels/{reply_channel}/messages/Message"}],
            }
        elif topic == DEAD_LETTERS:
            message["headers"] = DEAD_LETTER_HEADERS
            message["correlationId"] = {"location": "$message.header#/ce_correlationid"}
            message["payload"] = {
                "description": "The failed record's body, byte for byte (an event's "
                "JSON data, a command envelope, or what could not be parsed)."
            }
            document["components"]["schemas"].pop(f"{channel_name}:Message:Payload")
            _key(message, "The failed record's key, unchanged.")
        else:  # a reply topic
            message["headers"] = REPLY_HEADERS
            message["correlationId"] = {"location": "$message.payload#/message_id"}
            _key(message, "The message_id of the command answered.")


def _sorted(document: dict[str, Any]) -> dict[str, Any]:
    """Named parts in name order, so the document is the same on every run."""
    for part in ("channels", "operations"):
        document[part] = dict(sorted(document[part].items()))
    for part in ("messages", "schemas"):
        components = document["components"]
        components[part] = dict(sorted(components[part].items()))
    return document


def _key(message: dict[str, Any], description: str) -> None:
    message["bindings"] = {
        "kafka": {
            "key": {"type": "string", "description": description},
            "bindingVersion": "0.4.0",
        }
    }


if __name__ == "__main__":
    sys.stdout.write(render())
