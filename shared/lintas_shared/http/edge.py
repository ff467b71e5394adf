"""The HTTP edge every service shares: refuse bad requests early, bound bodies, map failures.

Plain ASGI (no ``BaseHTTPMiddleware`` task per request). It sits inside the correlation
middleware, so its log lines and answers carry the request's correlation id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from fastapi import params
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lintas_shared.http.document import PROBLEM_JSON, Problem
from lintas_shared.http.failures import failure_problem, is_outage
from lintas_shared.http.request_checks import (
    RequestFacts,
    inspect_scope,
    is_json_media_type,
    json_control_problem,
)

DEFAULT_MAX_BODY_BYTES = 64 * 1024

log = structlog.get_logger(__name__)


class EdgeMiddleware:
    """Control characters, correlation id, body size, media type, and unhandled errors."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self._json_routes: list[APIRoute] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem, facts = inspect_scope(scope)
        if problem is None and facts.announces_body:
            problem, body = await self._read_body(facts, receive)
            if body is None:
                return  # the client went away: nobody to answer
            problem = problem or self._body_problem(scope, facts, body)
            receive = _replay(body, receive)
        if problem is not None:
            await send_problem(send, problem, _instance(scope))
            return
        await self._call_guarded(scope, receive, send)

    async def _call_guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            problem = failure_problem(exc, _correlation_id(scope))
            route = getattr(scope.get("route"), "path", None)
            if problem.status >= 500 and not is_outage(problem):
                log.error("request_failed", route=route, exc_info=exc)
            else:
                log.warning(
                    "request_unavailable" if is_outage(problem) else "request_refused",
                    route=route,
                    error=type(exc).__name__,
                )
            if started:
                raise  # the answer is half sent: nothing sound can follow
            await send_problem(send, problem, _instance(scope))

    async def _read_body(
        self, facts: RequestFacts, receive: Receive
    ) -> tuple[Problem | None, bytes | None]:
        """The whole body, counted as it arrives (a chunked body has no length)."""
        if (
            facts.content_length is not None
            and facts.content_length > self.max_body_bytes
        ):
            return self._too_large(), b""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None, None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return self._too_large(), b""
            chunks.append(chunk)
            if not message.get("more_body", False):
                return None, b"".join(chunks)

    def _too_large(self) -> Problem:
        return Problem(
            413,
            "body-too-large",
            f"the request body is larger than {self.max_body_bytes} bytes, the limit "
            "of this service; send a smaller body",
            title="Request body too large",
            errors=[
                {"field": "body", "message": f"at most {self.max_body_bytes} bytes"}
            ],
        )

    def _body_problem(
        self, scope: Scope, facts: RequestFacts, body: bytes
    ) -> Problem | None:
        if not body:
            return None
        if not is_json_media_type(facts.content_type):
            if not self._takes_json(scope):
                return None
            sent = (facts.content_type or "none")[:100]
            return Problem(
                415,
                "unsupported-media-type",
                "this operation takes a JSON body: send it with Content-Type: "
                f"application/json (the request said {sent!r})",
                title="Unsupported media type",
                errors=[{"field": "Content-Type", "message": "use application/json"}],
            )
        return json_control_problem(body)

    def _takes_json(self, scope: Scope) -> bool:
        if self._json_routes is None:
            self._json_routes = _json_body_routes(scope.get("app"))
        return any(route.matches(scope)[0] is Match.FULL for route in self._json_routes)


async def send_problem(send: Send, problem: Problem, instance: str | None) -> None:
    body = problem.encode(instance)
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in problem.headers().items()),
    ]
    await send(
        {"type": "http.response.start", "status": problem.status, "headers": headers}
    )
    await send({"type": "http.response.body", "body": body})


def _json_body_routes(app: object) -> list[APIRoute]:
    routes = getattr(getattr(app, "router", None), "routes", [])
    return [
        route
        for route in routes
        if isinstance(route, APIRoute)
        and route.body_field is not None
        and not isinstance(route.body_field.field_info, params.Form)
    ]


def _replay(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """Hand the app the body already read, then the real channel (for disconnects)."""
    pending = True

    async def replayed() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _instance(scope: Scope) -> str:
    """The path as sent (percent-encoded), so no control character is echoed."""
    raw = scope.get("raw_path")
    return raw.decode("latin-1") if raw else scope["path"]


def _correlation_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-correlation-id":
            return value.decode("latin-1")
    return None
