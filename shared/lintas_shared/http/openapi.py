"""OpenAPI post-processing: every error documented as the problem document it really is."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from lintas_shared.http.document import PROBLEM_JSON
from lintas_shared.http.request_checks import CORRELATION_ID_RULE, NO_CONTROL_PATTERN

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")
# A string with one of these already says what it accepts (a date, a UUID, a code).
_CONSTRAINED = ("pattern", "format", "enum", "const")

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details: what was wrong, and where.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {
            "type": "string",
            "format": "uri",
            "description": "URI naming the kind of problem; its last segment is a slug.",
        },
        "title": {"type": "string", "description": "Short summary of the kind."},
        "status": {
            "type": "integer",
            "minimum": 100,
            "maximum": 599,
            "description": "The HTTP status code.",
        },
        "detail": {"type": "string", "description": "What was wrong in this request."},
        "instance": {"type": "string", "description": "The request path."},
        "errors": {
            "type": "array",
            "description": "Each field or rule that failed.",
            "items": {"$ref": "#/components/schemas/ProblemError"},
        },
        "retryable": {
            "type": "boolean",
            "description": "True when the same request may succeed later; wait "
            "Retry-After seconds and send it again with the same Idempotency-Key.",
        },
    },
}
PROBLEM_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ProblemError",
    "type": "object",
    "required": ["message"],
    "properties": {
        "field": {
            "type": "string",
            "description": "Where: a dotted body path (officer.nip), query.NAME, "
            "a header name, path, or body.",
        },
        "rule": {"type": "string", "description": "The business rule that refused."},
        "message": {"type": "string", "description": "What was wrong there."},
    },
}
RETRY_AFTER = {
    "description": "Seconds to wait before retrying.",
    "schema": {"type": "integer", "minimum": 0},
}


def install_openapi(app: FastAPI, max_body_bytes: int) -> None:
    """Wrap ``app.openapi`` so the generated document is post-processed once."""
    generate: Callable[[], dict[str, Any]] = app.openapi
    done: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if "schema" not in done:
            done["schema"] = problem_openapi(generate(), max_body_bytes)
            app.openapi_schema = done["schema"]
        return done["schema"]

    app.openapi = openapi  # type: ignore[method-assign]


def problem_openapi(document: dict[str, Any], max_body_bytes: int) -> dict[str, Any]:
    """A copy of ``document`` whose error responses are problem documents."""
    doc = copy.deepcopy(document)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["ProblemError"] = PROBLEM_ERROR_SCHEMA
    for path_item in doc.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in _METHODS:
                _fix_operation(operation, max_body_bytes)
                _forbid_control_characters(operation, schemas)
    for name in _FASTAPI_ERROR_SCHEMAS:
        if f'"#/components/schemas/{name}"' not in json.dumps(doc):
            schemas.pop(name, None)
    return doc


def _fix_operation(operation: dict[str, Any], max_body_bytes: int) -> None:
    responses = operation.setdefault("responses", {})
    for status, response in responses.items():
        if status == "422" and _is_fastapi_validation(response):
            responses[status] = _problem_response(
                "Invalid request: each failing field is named in `errors`."
            )
        elif status[0] in "45":
            content = response.setdefault("content", {})
            content.pop("application/json", None)
            content.setdefault(PROBLEM_JSON, {}).setdefault("schema", PROBLEM_REF)
    edge = {
        "400": "Bad request: a control character (NUL included) in the path, query, "
        "headers or a JSON string, an X-Correlation-Id that is not "
        f"{CORRELATION_ID_RULE}, or, for a JSON body, malformed JSON (the position "
        "is named in words).",
        "500": "Unexpected error, logged with the correlation id; no detail shown.",
        "503": "The database or broker is unavailable: safe to retry after "
        "Retry-After seconds with the same Idempotency-Key (`retryable: true`).",
    }
    if "requestBody" in operation:
        edge["413"] = f"The body is larger than {max_body_bytes} bytes."
        edge["415"] = "The body is not sent as Content-Type: application/json."
    for status, description in edge.items():
        responses.setdefault(status, _problem_response(description))
    responses["503"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
    operation["responses"] = dict(sorted(responses.items()))
    _document_correlation_id(operation)


def _forbid_control_characters(
    operation: dict[str, Any], schemas: dict[str, Any]
) -> None:
    """Say in the contract what the edge refuses: control characters in any string of
    the path, the query or a JSON body."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") in ("path", "query"):
            _no_control(parameter.get("schema", {}), schemas, set())
    for media in operation.get("requestBody", {}).get("content", {}).values():
        _no_control(media.get("schema", {}), schemas, set())


def _no_control(schema: Any, schemas: dict[str, Any], seen: set[str]) -> None:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/") and ref not in seen:
        seen.add(ref)
        _no_control(schemas.get(ref.rsplit("/", 1)[1]), schemas, seen)
    if schema.get("type") == "string" and not any(k in schema for k in _CONSTRAINED):
        schema["pattern"] = NO_CONTROL_PATTERN
    for key in ("items", "additionalProperties"):
        _no_control(schema.get(key), schemas, seen)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for member in schema.get(key, []):
            _no_control(member, schemas, seen)
    for member in schema.get("properties", {}).values():
        _no_control(member, schemas, seen)


def _document_correlation_id(operation: dict[str, Any]) -> None:
    parameters = operation.setdefault("parameters", [])
    schema = {"type": "string", "pattern": "^[!-~]{1,128}$", "maxLength": 128}
    for parameter in parameters:
        if parameter.get("in") == "header" and (
            parameter.get("name", "").lower() == "x-correlation-id"
        ):
            parameter["schema"] = schema
            return
    parameters.append(
        {
            "name": "X-Correlation-Id",
            "in": "header",
            "required": False,
            "description": "Correlation id carried through events, logs and the "
            f"response; {CORRELATION_ID_RULE}. Generated when absent.",
            "schema": schema,
        }
    )


def _is_fastapi_validation(response: dict[str, Any]) -> bool:
    return "HTTPValidationError" in json.dumps(response.get("content", {}))


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
    }
