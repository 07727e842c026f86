"""How long the app waits for a request body: an idle timeout between chunks and a deadline.

uvicorn has no timeout for a body in progress (its keep-alive timeout closes only idle
connections between requests), so a client trickling a body would hold its connection and its
handler for as long as it keeps sending. This plain ASGI layer (not BaseHTTPMiddleware, which
buffers streamed bodies) bounds each wait for the next chunk by ``GATEWAY_BODY_IDLE_TIMEOUT_S``
and the whole body by ``GATEWAY_BODY_TIMEOUT_S`` from the moment the app starts reading it.

A timeout is raised from ``receive``, like the size limit in ``body_limit``: every route reads
its whole body before it stores anything, so a body cut off here is never stored nor
acknowledged. The answer is a 408 problem naming the limit and the bytes that arrived, with
``Connection: close`` (RFC 9110 §15.5.9): the rest of the body is not worth reading. Any
answer sent before the request's body was read closes the connection too.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.app.problems import problem

__all__ = ["BodyDeadline", "BodyTimeout", "BodyTimeouts", "install"]

log = logging.getLogger("gateway")
Limit = Literal["idle", "total"]


class BodyTimeout(HTTPException):
    """Raised from ``receive``: FastAPI's body parsing re-raises HTTP exceptions as they are."""

    def __init__(self, limit: Limit, seconds: float, received_bytes: int) -> None:
        self.limit: Limit = limit
        self.received_bytes = received_bytes
        if limit == "idle":
            reason = f"no part of the request body arrived for {seconds:g} s"
        else:
            reason = f"the request body did not arrive within {seconds:g} s"
        detail = f"{reason} ({received_bytes} bytes received); nothing was stored"
        super().__init__(408, detail, headers={"Connection": "close"})


@dataclass
class BodyTimeouts:
    """Bodies timed out in this process, by limit (for ``/metrics``)."""

    counts: dict[str, int] = field(default_factory=lambda: {"idle": 0, "total": 0})


class BodyDeadline:
    """Bound each wait for a body chunk (``idle_s``) and the whole body (``total_s``)."""

    def __init__(
        self, app: ASGIApp, idle_s: float, total_s: float, timeouts: BodyTimeouts | None = None
    ) -> None:
        self.app = app
        self.idle_s = idle_s
        self.total_s = total_s
        self.timeouts = timeouts or BodyTimeouts()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reading = _Reading(self, scope, receive)

        async def closing(message: Message) -> None:
            # Whoever answers a timed-out request (the app's handler or this layer), the
            # connection closes after it: the client may still be trickling the rest. So does
            # an answer given before the body was read (a 401 for a bad key, a 413 from the
            # declared length): uvicorn would otherwise go on reading the unread rest for as
            # long as the client sends it, with no timeout of its own.
            if message["type"] == "http.response.start" and (
                reading.timed_out is not None or reading.unread
            ):
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"connection"]
                message["headers"] = [*headers, (b"connection", b"close")]
            reading.started = reading.started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, reading.receive, closing)
        except BodyTimeout as error:
            if not reading.started:  # a route that let the timeout through unanswered
                await timeout_problem(error)(scope, receive, send)


class _Reading:
    """The body of one request as it arrives: bytes so far, when reading began, done or not."""

    def __init__(self, deadline: BodyDeadline, scope: Scope, receive: Receive) -> None:
        self.deadline = deadline
        self.scope = scope
        self.upstream = receive
        self.received_bytes = 0
        self.first_wait: float | None = None
        self.complete = False
        self.started = False
        self.timed_out: BodyTimeout | None = None

    @property
    def unread(self) -> bool:
        """The request declared a body and not all of it has been read."""
        if self.complete:
            return False
        headers = dict(self.scope.get("headers", []))
        return b"transfer-encoding" in headers or headers.get(b"content-length", b"0") != b"0"

    async def receive(self) -> Message:
        if self.complete or self.timed_out is not None:
            # The body is in (or given up): later calls wait for a disconnect, unbounded.
            return await self.upstream()
        now = time.monotonic()
        self.first_wait = self.first_wait or now
        left = self.deadline.total_s - (now - self.first_wait)
        limit: Limit = "idle" if self.deadline.idle_s <= left else "total"
        try:
            # asyncio.timeout, not wait_for: no task per chunk. Cancelling uvicorn's receive
            # is safe, it only waits for an event; bytes that arrive later stay buffered.
            async with asyncio.timeout(max(min(self.deadline.idle_s, left), 0.0)):
                message = await self.upstream()
        except TimeoutError:
            raise self._give_up(limit) from None
        if message["type"] == "http.request":
            self.received_bytes += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        return message

    def _give_up(self, limit: Limit) -> BodyTimeout:
        seconds = self.deadline.idle_s if limit == "idle" else self.deadline.total_s
        self.timed_out = BodyTimeout(limit, seconds, self.received_bytes)
        self.deadline.timeouts.counts[limit] += 1
        client = self.scope.get("client")
        log.warning(
            "request body timed out (%s, %g s) on %s %s after %d bytes",
            limit,
            seconds,
            self.scope.get("method"),
            self.scope.get("path"),
            self.received_bytes,
            extra={
                "limit": limit,
                "received_bytes": self.received_bytes,
                "client": client[0] if client else None,
            },
        )
        return self.timed_out


def timeout_problem(error: BodyTimeout) -> JSONResponse:
    """The 408 problem: which limit, how many bytes arrived; the connection closes after it."""
    response = problem(
        408,
        "Request Timeout",
        str(error.detail),
        limit=error.limit,
        received_bytes=error.received_bytes,
    )
    response.headers["Connection"] = "close"
    return response


def install(app: FastAPI, idle_s: float, total_s: float) -> BodyTimeouts:
    """Add the layer and its 408 answer to the app; return the counts ``/metrics`` reads."""
    timeouts = BodyTimeouts()
    app.add_middleware(BodyDeadline, idle_s=idle_s, total_s=total_s, timeouts=timeouts)

    @app.exception_handler(BodyTimeout)
    async def _timed_out(_request: Request, error: BodyTimeout) -> JSONResponse:
        return timeout_problem(error)

    return timeouts
