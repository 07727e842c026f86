"""Request ids and the access log: one record per HTTP request, with who and how long.

A plain ASGI middleware (not Starlette's BaseHTTPMiddleware, which buffers streamed bodies).
The request id comes from the caller's ``X-Request-Id`` when it is a sane token (a proxy's
id then joins both logs), else a new one; it is bound to every record logged while the
request runs and returned in the response's ``X-Request-Id``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.logs import log_context

log = logging.getLogger("gateway.access")
HEADER = b"x-request-id"
_SANE = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == HEADER and _SANE.match(value):
            return str(value.decode("ascii"))
    return uuid.uuid4().hex


class AccessLog:
    """Bind a request id, answer with it, and log the request when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER, request_id.encode())]
            await send(message)

        with log_context(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra=_fields(scope, status, started),
                )


def _fields(scope: Scope, status: int, started: float) -> dict[str, Any]:
    state = scope.get("state") or {}
    principal = state.get("principal")
    client = scope.get("client")
    fields: dict[str, Any] = {
        "method": scope["method"],
        "path": scope["path"],
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        "client": client[0] if client else None,
        "principal": getattr(principal, "id", None),
    }
    if state.get("message_id"):
        fields["message_id"] = state["message_id"]
    return fields
