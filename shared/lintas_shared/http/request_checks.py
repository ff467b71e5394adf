"""Checks on a raw request (ASGI scope and body) that no route should have to make."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import Scope

from lintas_shared.http.document import Problem

# C0 controls, DEL, and the C1 controls as UTF-8 (U+0080-U+009F). PostgreSQL refuses NUL
# outright and the others are never meaningful in a code, a key or a query value.
_CONTROL = re.compile(rb"[\x00-\x1f\x7f]|\xc2[\x80-\x9f]")
# In header values HTAB is legal field whitespace (RFC 9110 section 5.5).
_HEADER_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
CORRELATION_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
CORRELATION_ID_RULE = "1-128 visible ASCII characters (a UUID is fine)"
# The same set as text (the decoded JSON strings of a body), and as a JSON Schema pattern
# for the OpenAPI document, so the contract says what the edge refuses.
TEXT_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
NO_CONTROL_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f]*$"
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """The few headers the edge needs, read in one pass."""

    content_length: int | None
    chunked: bool
    content_type: str | None

    @property
    def announces_body(self) -> bool:
        return self.chunked or bool(self.content_length)


def inspect_scope(scope: Scope) -> tuple[Problem | None, RequestFacts]:
    """Refuse control characters anywhere in the head, and a malformed correlation id."""
    problem = _path_problem(scope) or _query_problem(scope.get("query_string", b""))
    content_length: int | None = None
    chunked = False
    content_type: str | None = None
    for raw_name, value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        if problem is None and (found := _HEADER_CONTROL.search(value)):
            problem = _control_problem(f"header.{name}", f"the {name} header", found)
        if name == "x-correlation-id" and problem is None:
            problem = _correlation_problem(value)
        elif name == "content-length":
            try:
                content_length = int(value)
            except ValueError:
                content_length = None
        elif name == "transfer-encoding":
            chunked = True
        elif name == "content-type":
            content_type = value.decode("latin-1")
    return problem, RequestFacts(content_length, chunked, content_type)


def is_json_media_type(content_type: str | None) -> bool:
    if content_type is None:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def json_control_problem(body: bytes) -> Problem | None:
    """A control character in a JSON string (a key or a value), named by its field.

    Malformed JSON is left to the route, which names its position. A body with neither
    a backslash escape nor a UTF-8 C1 byte cannot hold one, so it is not parsed twice.
    """
    if b"\\" not in body and not _UTF8_C1.search(body):
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None
    found = _control_in(document, ())
    if found is None:
        return None
    where, char = found
    field = ".".join(where) or "body"
    return _control_problem(field, f"the JSON body at {field}", char)


def _control_in(
    value: Any, where: tuple[str, ...]
) -> tuple[tuple[str, ...], str] | None:
    if isinstance(value, str):
        found = TEXT_CONTROL.search(value)
        return (where, found.group()) if found else None
    if isinstance(value, dict):
        for key, item in value.items():
            if found := TEXT_CONTROL.search(key):
                return (*where, key), found.group()
            if inner := _control_in(item, (*where, key)):
                return inner
    if isinstance(value, list):
        for index, item in enumerate(value):
            if inner := _control_in(item, (*where, str(index))):
                return inner
    return None


def _path_problem(scope: Scope) -> Problem | None:
    raw = scope.get("raw_path") or scope["path"].encode()
    decoded = unquote_to_bytes(raw)
    if found := _CONTROL.search(decoded):
        return _control_problem("path", "the path (percent-decoded)", found)
    return None


def _query_problem(query: bytes) -> Problem | None:
    if not query:
        return None
    decoded = unquote_to_bytes(query.replace(b"+", b" "))
    if not _CONTROL.search(decoded):
        return None
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        name_text = unquote_to_bytes(name.replace(b"+", b" "))
        if found := _CONTROL.search(name_text):
            return _control_problem("query", "a query parameter name", found)
        if found := _CONTROL.search(unquote_to_bytes(value.replace(b"+", b" "))):
            label = name_text.decode("utf-8", "replace")
            return _control_problem(
                f"query.{label}", f"query parameter {label!r} (percent-decoded)", found
            )
    return _control_problem("query", "the query string", _CONTROL.search(decoded))


def _control_problem(
    field: str, where: str, found: re.Match[bytes] | str | None
) -> Problem:
    if isinstance(found, str):
        char = found
    else:
        char = found.group().decode("utf-8", "replace") if found else "\x00"
    code_point = f"U+{ord(char):04X}"
    message = f"control character {code_point} is not accepted"
    return Problem(
        400,
        "control-character",
        f"{where} contains the control character {code_point}; remove it",
        title="Control character in request",
        errors=[{"field": field, "message": message}],
    )


def _correlation_problem(value: bytes) -> Problem | None:
    if CORRELATION_ID.match(value.decode("latin-1")):
        return None
    return Problem(
        400,
        "invalid-correlation-id",
        f"X-Correlation-Id must be {CORRELATION_ID_RULE}; send a valid one or none "
        "(a new one is then generated)",
        errors=[{"field": "X-Correlation-Id", "message": CORRELATION_ID_RULE}],
    )
