"""X12 over HTTP: a raw interchange in, 202 with the message id, its 997 to fetch."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from access import Forbidden, NotVisible
from gateway.app.auth import CurrentCaller
from gateway.app.deps import AppSettings, Sessions
from gateway.app.inbound import authorize_documents, partner_of, read_body, refused, writes_of
from gateway.app.problems import INTERRUPTED
from gateway.store import queries
from gateway.x12_inbound import Receipt, acknowledgments, receive_x12

router = APIRouter(prefix="/api/v1", tags=["x12"])
X12_MEDIA = "application/edi-x12"


@router.post(
    "/x12",
    status_code=202,
    summary="Submit an X12 interchange (850, 856, 830, 997)",
    openapi_extra={"requestBody": {"content": {X12_MEDIA: {"schema": {"type": "string"}}}}},
    responses={
        202: {"description": "Stored and processed; the 997 is at /messages/{id}/ack"},
        403: {"description": "Stored, but this key may not send these documents"},
        422: {"description": "Stored, but the body holds no X12 interchange"},
        503: INTERRUPTED,
    },
)
async def submit_x12(
    request: Request, caller: CurrentCaller, sessions: Sessions, settings: AppSettings
) -> Any:
    if "write" not in caller.key_scopes:
        raise Forbidden("this API key is limited to read", "access.key_scope")
    body = await read_body(request, settings.max_body_bytes)

    def ingest() -> Receipt:
        # Off the event loop, like the JSON writes: the commits wait for the disk.
        with writes_of(request):
            return receive_x12(
                sessions,
                body,
                partner_id=partner_of(caller),
                authorize=lambda documents: authorize_documents(caller, documents),
            )

    receipt = await run_in_threadpool(ingest)
    message_id = receipt.stored.message_id
    request.state.message_id = message_id  # for the access log
    error = receipt.outcome.error if receipt.outcome else None
    status = receipt.outcome.status if receipt.outcome else receipt.stored.status
    refusal = refused(message_id, status, error, "Not X12")
    if refusal is not None:
        return refusal
    return JSONResponse(
        {
            "message_id": message_id,
            "status": status,
            "duplicate": receipt.stored.duplicate,
            "accepted": receipt.accepted,
            "documents": receipt.outcome.documents if receipt.outcome else None,
            "interchanges": receipt.interchanges,
            "ack_url": f"/api/v1/messages/{message_id}/ack",
        },
        status_code=202,
    )


@router.get(
    "/messages/{message_id}/ack",
    summary="The TA1 and 997 answering an X12 message",
    response_class=PlainTextResponse,
    responses={200: {"content": {X12_MEDIA: {}}}},
)
def message_ack(message_id: str, caller: CurrentCaller, sessions: Sessions) -> PlainTextResponse:
    scope = caller.record_scope("message")
    with sessions() as session:
        if queries.get_message(session, scope, message_id) is None:
            raise NotVisible(f"no message {message_id}")
        acks = acknowledgments(session, message_id)
    if not acks:
        raise NotVisible(f"no acknowledgment for message {message_id}")
    return PlainTextResponse("".join(ack.body for ack in acks), media_type=X12_MEDIA)
