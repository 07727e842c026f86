"""The request body limit for every route, not only the ones that read the body themselves.

The inbound routes stop reading at ``GATEWAY_MAX_BODY_BYTES``, but JSON routes parsed by
FastAPI (admin, sync, GraphQL) would read any body whole into memory. This plain ASGI layer
refuses a declared length over the limit before reading anything, and cuts off a body that
grows past it (chunked, or lying about its length) with the same 413. File uploads keep their
own, larger limit (``GATEWAY_MAX_FILE_BYTES``), checked by their route.
"""

from __future__ import annotations

from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.app.problems import problem

OWN_LIMIT_PATHS = frozenset({"/api/v1/files"})


class BodyTooLarge(HTTPException):
    """Raised from ``receive``: FastAPI's body parsing re-raises HTTP exceptions as they are."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body exceeds the {limit}-byte limit")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in OWN_LIMIT_PATHS:
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = dict(scope.get("headers", ())).get(b"content-length", b"")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            await _refuse(limit, scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:
                raise
            await _refuse(limit, scope, receive, send)


async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    detail = f"the body exceeds the {limit}-byte limit"
    await problem(413, HTTPStatus(413).phrase, detail)(scope, receive, send)
