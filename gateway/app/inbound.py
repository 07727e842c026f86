"""Inbound canonical documents over HTTP: stored raw first, then processed.

Until the access issue lands, the sending partner names itself in ``X-Partner-ID``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter, ValidationError

from gateway.app.deps import AppSettings, Sessions
from gateway.app.problems import field_errors, problem
from gateway.model import Channel, Document, Provenance
from gateway.store.documents import document_ids_for_message
from gateway.store.inbox import FAILED, get_message, process_message, store_message
from gateway.store.tables import InboxRow

router = APIRouter(prefix="/api/v1", tags=["inbound"])
_DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)


class DocumentRejected(ValueError):
    """A canonical JSON document that does not validate; carries the field errors."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        first = errors[0] if errors else {"field": "body", "message": "invalid"}
        super().__init__(f"{first['field'] or 'body'}: {first['message']}")


def parse_canonical(row: InboxRow) -> Sequence[BaseModel]:
    """Inbox handler for canonical JSON: validate and stamp provenance."""
    try:
        document = _DOCUMENT.validate_json(row.body)
    except ValidationError as error:
        raise DocumentRejected(field_errors(list(error.errors()))) from None
    document.provenance = Provenance(
        channel=Channel(row.channel),
        partner_id=row.partner_id,
        message_id=row.id,
        received_at=row.received_at,
    )
    return [document]


async def _read_body(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HTTPException(413, f"the body exceeds the {limit}-byte limit")
    return bytes(body)


@router.post(
    "/documents",
    status_code=202,
    summary="Submit one canonical document (JSON)",
    responses={
        202: {"description": "Stored and processed; the message id identifies it"},
        422: {"description": "Stored, but the document is invalid; errors name the fields"},
    },
)
async def submit_document(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    x_partner_id: Annotated[str, Header(min_length=1, max_length=80)],
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Any:
    body = await _read_body(request, settings.max_body_bytes)
    stored = store_message(
        sessions,
        partner_id=x_partner_id,
        channel=Channel.API.value,
        content_type=request.headers.get("content-type", "application/json"),
        body=body,
        dedupe_key=f"idempotency:{idempotency_key}" if idempotency_key else None,
    )
    outcome_status, error = stored.status, None
    if not stored.duplicate:
        outcome = process_message(sessions, stored.message_id, parse_canonical)
        outcome_status, error = outcome.status, outcome.error
    if outcome_status == FAILED:
        errors = error.errors if isinstance(error, DocumentRejected) else []
        message = get_message(sessions, stored.message_id)
        return problem(
            422,
            "Invalid document",
            str(error) if error else (message.error if message else None),
            message_id=stored.message_id,
            errors=errors,
        )
    return JSONResponse(
        {"message_id": stored.message_id, "status": outcome_status, "duplicate": stored.duplicate},
        status_code=202,
    )


@router.get("/messages/{message_id}", summary="Status of an inbound message")
def message_status(message_id: str, sessions: Sessions) -> dict[str, Any]:
    message = get_message(sessions, message_id)
    if message is None:
        raise HTTPException(404, f"no message {message_id}")
    with sessions() as session:
        documents = document_ids_for_message(session, message_id)
    return {
        "message_id": message.id,
        "partner_id": message.partner_id,
        "channel": message.channel,
        "status": message.status,
        "error": message.error,
        "received_at": message.received_at.isoformat(),
        "sha256": message.sha256,
        "size_bytes": message.size_bytes,
        "attempts": message.attempts,
        "documents": documents,
    }
