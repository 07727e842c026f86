"""Errors as RFC 9457 problem details (``application/problem+json``), never an HTML page."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.store.inbox import ProcessingDeferred

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_S = 5
INTERRUPTED = {
    "description": "Stored, but processing was interrupted by a database error that passes: "
    "send the same message again after Retry-After seconds to resume it"
}
log = logging.getLogger("gateway")


def problem(status: int, title: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    """A problem-details response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def retry_later(title: str, detail: str, **extra: Any) -> JSONResponse:
    """A 503 problem with ``Retry-After``: the failure should pass; send the request again."""
    answer = problem(503, title, detail, **extra)
    answer.headers["Retry-After"] = str(RETRY_AFTER_S)
    return answer


def field_errors(errors: list[Any]) -> list[dict[str, Any]]:
    """Pydantic errors as ``{"field": "lines.0.quantity", "message": ...}`` entries."""
    return [
        {
            "field": ".".join(str(part) for part in error.get("loc", ()) if part != "body"),
            "message": error.get("msg", "invalid"),
            "type": error.get("type", "value_error"),
        }
        for error in errors
    ]


def install(app: FastAPI) -> None:
    """Answer every error, expected or not, with problem details."""

    app.add_middleware(RefuseNul)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        return problem(error.status_code, _title(error.status_code), str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = field_errors(list(error.errors()))
        return problem(422, "Invalid request", _summary(errors), errors=errors)

    @app.exception_handler(ClientDisconnect)
    async def _gone(request: Request, _error: ClientDisconnect) -> JSONResponse:
        # The client left mid-body (a cut connection, a slow upload given up): nobody will
        # read the answer, and it is no server error worth a traceback.
        log.info("client left during the body of %s %s", request.method, request.url.path)
        return problem(400, "Bad Request", "the client disconnected before the body ended")

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, _error: RecursionError) -> JSONResponse:
        # A body nested deeper than Python's recursion limit (e.g. 100,000 "[" sent to a
        # route whose framework parses JSON with the standard library) is the client's error.
        log.warning("a too deeply nested body on %s %s", request.method, request.url.path)
        return problem(400, "Bad Request", "the body is nested too deeply to read")

    @app.exception_handler(ProcessingDeferred)
    async def _deferred(request: Request, error: ProcessingDeferred) -> JSONResponse:
        # Stored, not processed: the database failed for a reason that should pass. The
        # message is not failed, so the same message sent again resumes it.
        return retry_later("Processing interrupted", str(error), message_id=error.message_id)

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _database_down(request: Request, error: Exception) -> JSONResponse:
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, error)
        detail = "the database is unavailable; nothing was acknowledged, try again"
        return retry_later("Service Unavailable", detail)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "the error was logged; nothing was acknowledged")


class RefuseNul:
    """Refuse a NUL character in the path or a query parameter with a 422 naming it.

    PostgreSQL text cannot hold NUL: refused at the door, it is a client error that names the
    parameter, rather than a database error (a 500) wherever the value reaches SQL. Plain
    ASGI, so the check costs one scan per request and no extra task.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        field = nul_parameter(scope) if scope["type"] == "http" else None
        if field is None:
            await self.app(scope, receive, send)
            return
        message = "must not contain NUL (\\u0000)"
        error = {"field": field, "message": message, "type": "value_error.nul"}
        response = problem(422, "Invalid request", f"{field}: {message}", errors=[error])
        await response(scope, receive, send)


def nul_parameter(scope: Scope) -> str | None:
    """``path`` or ``query.NAME`` when that holds a NUL character, else None."""
    if "\x00" in scope.get("path", ""):
        return "path"
    query: bytes = scope.get("query_string", b"")
    if b"%00" not in query and b"\x00" not in query:
        return None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return "query." + name.replace("\x00", "")
    return None


def request_schema(model_name: str) -> dict[str, Any]:
    """OpenAPI for a JSON body read raw (stored before it is validated): the canonical schema
    by reference, registered in the components by ``gateway.app.openapi``."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model_name}"}}
            },
        }
    }


def _summary(errors: list[dict[str, Any]]) -> str:
    first = errors[0] if errors else {"field": "", "message": "invalid"}
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first['field'] or 'body'}: {first['message']}{more}"


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
