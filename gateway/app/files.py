"""Supplier files over HTTP: a CSV, XLSX or XML upload in, 202 with the message id and the row
report (also at ``GET /api/v1/messages/{id}``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from access import AccessError, Forbidden
from adapters.api.feeds import DOCUMENT_MODELS, FeedError, Limits
from adapters.api.feeds.mapping import FeedDocumentType
from gateway.app.auth import Caller, CurrentCaller
from gateway.app.deps import AppSettings, Sessions
from gateway.app.inbound import (
    IdempotencyKey,
    authorize_documents,
    partner_of,
    read_body,
    writes_of,
)
from gateway.app.problems import INTERRUPTED, problem
from gateway.feeds import MEDIA_TYPES, FileOptions, FileReceipt, NoGoodRows, receive_file
from gateway.settings import Settings
from gateway.store.inbox import FAILED

router = APIRouter(prefix="/api/v1", tags=["files"])
MULTIPART_OVERHEAD = 64 * 1024  # part headers and boundaries around the file
SHOWN_PROBLEMS = 100

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "type": {"type": "string", "description": "the document type"},
                    },
                }
            },
            **{
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in MEDIA_TYPES.values()
            },
        },
    }
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "Stored and processed; good rows kept, bad rows in the report"},
    401: {"description": "Missing, malformed, unknown, expired or revoked API key"},
    403: {"description": "Stored, but this key may not send these documents"},
    409: {"description": "This Idempotency-Key was used before with another body"},
    413: {"description": "The file is larger than GATEWAY_MAX_FILE_BYTES"},
    503: INTERRUPTED,
    422: {"description": "Stored, but unusable: unreadable, unsafe, missing columns, no good row"},
}
DocumentTypeQuery = Annotated[
    FeedDocumentType | None,
    Query(alias="type", description="Which of the partner's mappings reads the file."),
]


@router.post(
    "/files",
    status_code=202,
    summary="Upload a supplier file (CSV, XLSX or XML), read with the partner's column mapping",
    description="Send the file as `multipart/form-data` (part `file`) or as the raw body with "
    "its media type. It is stored raw before it is read. Rows are kept row by row: the answer "
    "and `GET /api/v1/messages/{id}` list each refused row with its column and the reason.",
    responses=_RESPONSES,
    openapi_extra=_BODY,
)
async def upload_file(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    caller: CurrentCaller,
    document_type: DocumentTypeQuery = None,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    if "write" not in caller.key_scopes:  # a read-only key stores nothing
        raise Forbidden("this API key is limited to read", "access.key_scope")
    limit = settings.max_file_bytes
    media_type = request.headers.get("content-type", "")
    file_name = None
    if media_type.startswith("multipart/form-data"):
        body, file_name, media_type, form_type = await _multipart(request, limit)
        if form_type is not None and form_type not in DOCUMENT_MODELS:
            kinds = ", ".join(DOCUMENT_MODELS)
            raise HTTPException(422, f"type: {form_type[:40]!r} is not one of {kinds}")
        document_type = document_type or form_type  # type: ignore[assignment]
    else:
        _refuse_declared_length(request, limit)
        body = await read_body(request, limit)
    options = FileOptions(
        file_name=file_name,
        media_type=media_type or None,
        document_type=document_type,
        dedupe_key=_dedupe_key(idempotency_key),
        limits=_limits(settings),
    )

    def ingest() -> FileReceipt:
        with writes_of(request):  # SQLite: one writer at a time, like the JSON and X12 routes
            return receive_file(
                sessions,
                body,
                partner_id=partner_of(caller),
                options=options,
                authorize=_authorizer(caller),
                resume=True,  # a re-send of a file stored before a crash is processed now
            )

    return _answer(await run_in_threadpool(ingest))


def _dedupe_key(idempotency_key: str | None) -> str | None:
    # The inbox keeps a key longer than its column as the key's hash (store_message).
    return f"idempotency:{idempotency_key}" if idempotency_key else None


def _limits(settings: Settings) -> Limits:
    return Limits(max_bytes=settings.max_file_bytes)


def _authorizer(caller: Caller) -> Any:
    return lambda documents: authorize_documents(caller, documents)


def _refuse_declared_length(request: Request, limit: int) -> None:
    """413 at once for a declared length over the limit: nothing of it is read."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the file exceeds the {limit}-byte limit")


async def _multipart(request: Request, limit: int) -> tuple[bytes, str | None, str, str | None]:
    """The file part of a multipart upload: bytes, name, media type, and the ``type`` field."""
    _refuse_declared_length(request, limit + MULTIPART_OVERHEAD)
    raw = await read_body(request, limit + MULTIPART_OVERHEAD)

    async def replay() -> Message:  # the body was read under the limit; parse it from memory
        return {"type": "http.request", "body": raw, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=5)
    except Exception as error:  # starlette's MultiPartException and malformed bodies
        raise HTTPException(400, f"not a readable multipart body: {error}") from None
    try:
        upload, chosen = form.get("file"), form.get("type")
        if not isinstance(upload, UploadFile):
            raise HTTPException(422, "a multipart upload carries the file in a part named 'file'")
        data = await upload.read()
        if len(data) > limit:
            raise HTTPException(413, f"the file exceeds the {limit}-byte limit")
        media = upload.content_type or ""
        if media == "application/octet-stream":
            media = ""  # says nothing: detect the format from the name and the bytes
        return data, upload.filename, media, chosen if isinstance(chosen, str) else None
    finally:
        await form.close()


def _answer(receipt: FileReceipt) -> Any:
    message_id = receipt.stored.message_id
    if not receipt.stored.same_body:
        return problem(
            409,
            "Idempotency-Key reused",
            "this Idempotency-Key was already used with a different body",
            message_id=message_id,
        )
    error = receipt.outcome.error if receipt.outcome else None
    if isinstance(error, AccessError):
        return problem(
            error.status, "Forbidden", str(error), code=error.code, message_id=message_id
        )
    report = receipt.report or {}
    if receipt.status == FAILED:
        return _refusal(message_id, error, report)
    body = {
        "message_id": message_id,
        "status": receipt.status,
        "duplicate": receipt.stored.duplicate,
        **{k: v for k, v in report.items() if k != "problems"},
        "problems": report.get("problems", [])[:SHOWN_PROBLEMS],
        "report_url": f"/api/v1/messages/{message_id}",
    }
    return JSONResponse(body, status_code=202)


def _refusal(message_id: str, error: Exception | None, report: dict[str, Any]) -> Any:
    problems = report.get("problems", [])[:SHOWN_PROBLEMS]
    errors = [
        {"field": f"row {p['row']}" + (f", {p['column']}" if p["column"] else ""), **p}
        for p in problems
    ]
    code = error.code if isinstance(error, FeedError) else None
    if isinstance(error, NoGoodRows):
        code = "feed.no_good_rows"
    detail = str(error) if error else report.get("error") or "the file failed earlier"
    return problem(
        422,
        "Unusable file",
        detail,
        code=code,
        message_id=message_id,
        errors=errors,
        report_url=f"/api/v1/messages/{message_id}",
    )
