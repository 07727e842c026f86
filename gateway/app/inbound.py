"""Inbound canonical documents over HTTP: stored raw first, then checked and processed."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from access import AccessError, Forbidden, NotVisible, PrincipalKind
from gateway.app.auth import Caller, CurrentCaller
from gateway.app.deps import AppSettings, Sessions
from gateway.app.problems import INTERRUPTED, field_errors, problem, request_schema
from gateway.app.reads import with_etag
from gateway.model import (
    CapacityCommit,
    Channel,
    Document,
    ForecastCommit,
    InventoryPosition,
    PlanningSchedule,
    Provenance,
    PurchaseOrder,
    PurchaseOrderAcknowledgment,
    Receipt,
    ShipNotice,
)
from gateway.settings import Settings
from gateway.store import queries
from gateway.store.documents import document_ids_for_message
from gateway.store.feeds import report_of
from gateway.store.inbox import (
    FAILED,
    RECEIVED,
    Handler,
    Stored,
    process_message,
    store_message,
)
from gateway.store.tables import InboxRow

router = APIRouter(prefix="/api/v1", tags=["inbound"])
_DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)


class DocumentRejected(ValueError):
    """A canonical JSON document that does not validate; carries the field errors."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        first = errors[0] if errors else {"field": "body", "message": "invalid"}
        super().__init__(f"{first['field'] or 'body'}: {first['message']}")


def parse_canonical(
    _session: Session, row: InboxRow, expected: type[BaseModel] | None = None
) -> Sequence[BaseModel]:
    """Inbox handler for canonical JSON: validate (as one expected type, or any document by its
    ``type``) and stamp provenance. Field names in errors start with the type when the body
    could be any type (``purchase_order.lines.2.quantity``), else at the body's root."""
    try:
        if expected is None:
            document = _DOCUMENT.validate_json(row.body)
        else:
            document = expected.model_validate_json(row.body)
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


def authorized_parser(caller: Caller, expected: type[BaseModel] | None = None) -> Handler:
    """Parse canonical JSON, then check that the caller may send it."""

    def handle(session: Session, row: InboxRow) -> Sequence[BaseModel]:
        documents = parse_canonical(session, row, expected)
        authorize_documents(caller, documents)
        for document in documents:
            if isinstance(document, PurchaseOrderAcknowledgment):
                prefix = "" if expected else f"{document.type}."
                try:
                    check_acknowledged_order(session, caller, document)
                except DocumentRejected as error:
                    for entry in error.errors:
                        entry["field"] = prefix + entry["field"]
                    raise
        return documents

    return handle


def check_acknowledged_order(
    session: Session, caller: Caller, ack: PurchaseOrderAcknowledgment
) -> None:
    """An acknowledgment must answer a PO the sender can see, line by line.

    A PO that does not exist and another supplier's PO get the same answer (422 naming
    ``po_number``), so the answer reveals nothing about other suppliers' orders. The ack takes
    the PO's supplier when the sender (an admin) named none.
    """
    # The sender's reach, not its key's: a write-only key may still acknowledge its own POs.
    scope = caller.authorizer.scope(caller.principal, "purchase_order", "read")
    visible = "\x00" not in ack.po_number  # NUL is no PO number, and no SQL parameter
    order = queries.get_purchase_order(session, scope, ack.po_number) if visible else None
    if order is None:
        message = f"no purchase order {ack.po_number} to acknowledge for this sender"
        raise DocumentRejected([_error("po_number", message, "reference.unknown_po")])
    if ack.supplier_id is None:
        ack.supplier_id = order.supplier_id
    elif order.supplier_id not in (None, ack.supplier_id):
        message = f"purchase order {ack.po_number} is not {ack.supplier_id}'s"
        raise DocumentRejected([_error("supplier_id", message, "reference.other_supplier")])
    ordered = {line.line_number for line in order.lines}
    errors = [
        _error(f"lines.{i}.line_number", f"purchase order {ack.po_number} has no line "
               f"{line.line_number}", "reference.unknown_line")
        for i, line in enumerate(ack.lines)
        if line.line_number not in ordered
    ]  # fmt: skip
    if errors:
        raise DocumentRejected(errors)


def _error(field: str, message: str, kind: str) -> dict[str, Any]:
    return {"field": field, "message": message, "type": kind}


def partner_of(caller: Caller) -> str:
    """Who a message is from: the supplier for supplier keys, else the principal."""
    return caller.principal.supplier_id or caller.principal.id


def refused(message_id: str, status: str, error: Exception | None, title: str) -> Any:
    """The problem answer for a stored message that was not accepted, or None if it was.

    A message the key may not send is 403; one that failed processing is 422; both carry the
    message id, since the raw message is kept either way.
    """
    if isinstance(error, AccessError):
        return problem(
            error.status, "Forbidden", str(error), code=error.code, message_id=message_id
        )
    if status != FAILED:
        return None
    errors = getattr(error, "errors", [])  # DocumentRejected, UnstorableValueError
    detail = str(error) if error else "the message failed earlier; see its status"
    if isinstance(error, SQLAlchemyError):  # no SQL in answers; the message keeps the text
        detail = f"the document could not be stored ({type(error).__name__})"
    return problem(422, title, detail, message_id=message_id, errors=errors)


async def read_body(request: Request, limit: int) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HTTPException(413, f"the body exceeds the {limit}-byte limit")
    return bytes(body)


_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "Stored and processed; the message id identifies it"},
    401: {"description": "Missing, malformed, unknown, expired or revoked API key"},
    403: {"description": "Stored, but this key may not send this document"},
    409: {"description": "This Idempotency-Key was used before with another body"},
    413: {"description": "The body is larger than GATEWAY_MAX_BODY_BYTES"},
    422: {"description": "Stored, but the document is invalid; errors name the fields"},
    503: INTERRUPTED,
}
IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=200,
        description="Repeat a write safely: the same key and body "
        "return the first answer; the same key with another body is a 409.",
    ),
]


def writes_of(request: Request) -> AbstractContextManager[Any]:
    """The app's write lock on SQLite (one writer at a time), a no-op elsewhere."""
    lock: AbstractContextManager[Any] | None = getattr(request.app.state, "write_lock", None)
    return lock if lock is not None else nullcontext()


async def accept_json(
    request: Request,
    sessions: sessionmaker[Session],
    settings: Settings,
    caller: Caller,
    idempotency_key: str | None,
    expected: type[BaseModel] | None = None,
) -> Any:
    """Store a JSON write raw, then process it once; answer as the API promises."""
    if "write" not in caller.key_scopes:  # a read-only key stores nothing
        raise Forbidden("this API key is limited to read", "access.key_scope")
    body = await read_body(request, settings.max_body_bytes)
    content_type = request.headers.get("content-type", "application/json")

    def ingest() -> tuple[Stored, str, Exception | None]:
        # Off the event loop: a commit waits for the disk (two per message), and the loop
        # must keep reading other requests meanwhile. SQLite takes one writer at a time
        # anyway, so its writes queue on a lock instead of failing as busy.
        with writes_of(request):
            stored = store_message(
                sessions,
                partner_id=partner_of(caller),
                channel=Channel.API.value,
                content_type=content_type,
                body=body,
                dedupe_key=f"idempotency:{idempotency_key}" if idempotency_key else None,
            )
            # A re-send of a message stored but never processed (the process died between
            # the two commits) is processed now: the first answer never reached the client.
            if not stored.same_body or (stored.duplicate and stored.status != RECEIVED):
                return stored, stored.status, None
            handler = authorized_parser(caller, expected)
            outcome = process_message(sessions, stored.message_id, handler)
            return stored, outcome.status, outcome.error

    stored, status, error = await run_in_threadpool(ingest)
    request.state.message_id = stored.message_id  # for the access log
    if not stored.same_body:
        return problem(
            409,
            "Idempotency-Key reused",
            "this Idempotency-Key was already used with a different body",
            message_id=stored.message_id,
        )
    refusal = refused(stored.message_id, status, error, "Invalid document")
    if refusal is not None:
        return refusal
    return JSONResponse(
        {"message_id": stored.message_id, "status": status, "duplicate": stored.duplicate},
        status_code=202,
    )


@router.post(
    "/documents",
    status_code=202,
    summary="Submit one canonical document of any type (JSON, with its `type`)",
    responses=_RESPONSES,
    openapi_extra=request_schema("Document"),
)
async def submit_document(
    request: Request,
    sessions: Sessions,
    settings: AppSettings,
    caller: CurrentCaller,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    return await accept_json(request, sessions, settings, caller, idempotency_key)


def _typed_route(path: str, model: type[BaseModel], what: str, note: str = "") -> None:
    async def submit(
        request: Request,
        sessions: Sessions,
        settings: AppSettings,
        caller: CurrentCaller,
        idempotency_key: IdempotencyKey = None,
    ) -> Any:
        return await accept_json(request, sessions, settings, caller, idempotency_key, model)

    submit.__name__ = f"submit_{path.strip('/').replace('-', '_')}"
    router.add_api_route(
        path,
        submit,
        methods=["POST"],
        status_code=202,
        summary=f"Submit {what}",
        description=f"The body is a canonical `{model.__name__}` (its `type` may be left out). "
        "It is stored raw before it is validated, so nothing sent is lost." + note,
        responses=_RESPONSES,
        openapi_extra=request_schema(model.__name__),
    )


_ACK_NOTE = (
    " It must answer a purchase order the sender may read, and only lines that order has: "
    "an unknown PO, another supplier's PO (the same answer) or an unknown line is a 422 "
    "naming `po_number` or `lines.N.line_number`, and the message is kept as failed."
)
for _path, _model, _what, *_note in (
    ("/ship-notices", ShipNotice, "a ship notice (ASN)"),
    (
        "/po-acknowledgments",
        PurchaseOrderAcknowledgment,
        "a purchase order acknowledgment (accept, change or reject per line)",
        _ACK_NOTE,
    ),
    ("/inventory-positions", InventoryPosition, "an inventory position report"),
    ("/forecast-commits", ForecastCommit, "a forecast commitment"),
    ("/capacity-commits", CapacityCommit, "a capacity commitment"),
    ("/receipts", Receipt, "a goods receipt (ERP)"),
    ("/purchase-orders", PurchaseOrder, "a purchase order (ERP)"),
    ("/planning-schedules", PlanningSchedule, "a planning schedule"),
):
    _typed_route(_path, _model, _what, *_note)


class MessageStatus(BaseModel):
    """An inbound message: its status, error, and the documents stored from it by type."""

    message_id: str
    partner_id: str
    channel: str
    status: str
    error: str | None
    received_at: str
    sha256: str
    size_bytes: int
    attempts: int
    documents: dict[str, list[int]]
    feed: dict[str, Any] | None = None  # files only: the row-by-row report


@router.get(
    "/messages/{message_id}",
    summary="Status of an inbound message",
    responses={200: {"model": MessageStatus}, 304: {"description": "Unchanged (ETag)"}},
)
def message_status(
    request: Request, message_id: str, sessions: Sessions, caller: CurrentCaller
) -> Response:
    scope = caller.record_scope("message")
    with sessions() as session:
        message = queries.get_message(session, scope, message_id)
        if message is None:  # absent or out of scope: the same answer, audited
            raise NotVisible(f"no message {message_id}")
        documents = document_ids_for_message(session, message_id)
        feed = report_of(session, message_id)  # files only: the row-by-row report
    status = MessageStatus(
        message_id=message.id,
        partner_id=message.partner_id,
        channel=message.channel,
        status=message.status,
        error=message.error,
        received_at=message.received_at.isoformat(),
        sha256=message.sha256,
        size_bytes=message.size_bytes,
        attempts=message.attempts,
        documents=documents,
        feed=feed,
    )
    return with_etag(request, status.model_dump(mode="json"))
