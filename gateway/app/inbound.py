"""Inbound canonical documents over HTTP: stored raw first, then checked and processed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from access import AccessError, Forbidden, NotVisible, PrincipalKind
from gateway.app.auth import Caller, CurrentCaller
from gateway.app.deps import AppSettings, Sessions
from gateway.app.problems import field_errors, problem
from gateway.model import Channel, Document, Provenance
from gateway.store import queries
from gateway.store.documents import document_ids_for_message
from gateway.store.inbox import FAILED, Handler, process_message, store_message
from gateway.store.tables import InboxRow

router = APIRouter(prefix="/api/v1", tags=["inbound"])
_DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)


class DocumentRejected(ValueError):
    """A canonical JSON document that does not validate; carries the field errors."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        first = errors[0] if errors else {"field": "body", "message": "invalid"}
        super().__init__(f"{first['field'] or 'body'}: {first['message']}")


def parse_canonical(_session: Session, row: InboxRow) -> Sequence[BaseModel]:
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


def authorize_documents(caller: Caller, documents: Sequence[BaseModel]) -> None:
    """Check that the caller may write each document, as itself; stamp a supplier's id."""
    for document in documents:
        doc_type: str = getattr(document, "type")  # noqa: B009
        scope = caller.scope(doc_type, "write")
        if caller.principal.kind is PrincipalKind.SUPPLIER:
            claimed = getattr(document, "supplier_id", None)
            if claimed not in (None, scope.supplier_id):
                raise Forbidden(f"a supplier may only send its own documents, not {claimed}'s")
            setattr(document, "supplier_id", scope.supplier_id)  # noqa: B010


def authorized_parser(caller: Caller) -> Handler:
    """Parse canonical JSON, then check that the caller may send it."""

    def handle(session: Session, row: InboxRow) -> Sequence[BaseModel]:
        documents = parse_canonical(session, row)
        authorize_documents(caller, documents)
        return documents

    return handle


def partner_of(caller: Caller) -> str:
    """Who a message is from: the supplier for supplier keys, else the principal."""
    return caller.principal.supplier_id or caller.principal.id


async def read_body(request: Request, limit: int) -> bytes:
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
        401: {"description": "Missing, malformed, unknown, expired or revoked API key"},
        403: {"description": "Stored, but this key may not send this document"},
        422: {"description": "Stored, but the document is invalid; errors name the fields"},
    },
)
async def submit_document(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    caller: CurrentCaller,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Any:
    if "write" not in caller.key_scopes:  # a read-only key stores nothing
        raise Forbidden("this API key is limited to read", "access.key_scope")
    body = await read_body(request, settings.max_body_bytes)
    stored = store_message(
        sessions,
        partner_id=partner_of(caller),
        channel=Channel.API.value,
        content_type=request.headers.get("content-type", "application/json"),
        body=body,
        dedupe_key=f"idempotency:{idempotency_key}" if idempotency_key else None,
    )
    status, error = stored.status, None
    if not stored.duplicate:
        outcome = process_message(sessions, stored.message_id, authorized_parser(caller))
        status, error = outcome.status, outcome.error
    if isinstance(error, AccessError):
        return problem(
            error.status, "Forbidden", str(error), code=error.code, message_id=stored.message_id
        )
    if status == FAILED:
        errors = error.errors if isinstance(error, DocumentRejected) else []
        detail = str(error) if error else "the message failed earlier; see its status"
        return problem(422, "Invalid document", detail, message_id=stored.message_id, errors=errors)
    return JSONResponse(
        {"message_id": stored.message_id, "status": status, "duplicate": stored.duplicate},
        status_code=202,
    )


@router.get("/messages/{message_id}", summary="Status of an inbound message")
def message_status(message_id: str, sessions: Sessions, caller: CurrentCaller) -> dict[str, Any]:
    scope = caller.record_scope("message")
    with sessions() as session:
        message = queries.get_message(session, scope, message_id)
        if message is None:  # absent or out of scope: the same answer, audited
            raise NotVisible(f"no message {message_id}")
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
