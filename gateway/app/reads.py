"""Scoped reads for suppliers, planners and integration teams."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from access import NotVisible
from gateway.app.auth import CurrentCaller
from gateway.app.deps import Sessions
from gateway.app.problems import problem
from gateway.model import PurchaseOrder
from gateway.store import queries

router = APIRouter(prefix="/api/v1", tags=["reads"])


def with_etag(request: Request, payload: Any) -> Response:
    """JSON with a strong ETag of its bytes; 304 when the client already holds them.

    The tag is computed from what this caller would receive, so it never reveals whether data
    outside the caller's scope changed.
    """
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str).encode()
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    wanted = {t.strip() for t in request.headers.get("if-none-match", "").split(",")}
    if tag in wanted or "*" in wanted:
        return Response(status_code=304, headers={"ETag": tag})
    return Response(body, media_type="application/json", headers={"ETag": tag})


def document_page(
    request: Request, documents: list[BaseModel], last: int | None, limit: int
) -> Response:
    """A cursor page of canonical documents (without provenance), with its ETag."""
    payload = {
        "items": [d.model_dump(mode="json", exclude={"provenance"}) for d in documents],
        "next_cursor": last if len(documents) == limit else None,
    }
    return with_etag(request, payload)


class PurchaseOrderPage(BaseModel):
    """A page of purchase orders; ``next_cursor`` continues, null on the last page."""

    items: list[PurchaseOrder]
    next_cursor: int | None


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Unchanged since the ETag sent in If-None-Match"},
    422: {"description": "A query parameter is invalid; `errors` names it"},
}
# Row ids are BIGINT: a larger cursor would be a database error on PostgreSQL, not a 422.
Cursor = Annotated[int, Query(ge=0, le=2**63 - 1, description="Id after which to continue")]
DateFrom = Annotated[dt.date | None, Query(description="Earliest date, inclusive")]
DateTo = Annotated[dt.date | None, Query(description="Latest date, inclusive")]
OrderStatus = Literal["unacknowledged", "accepted", "accepted_with_changes", "rejected"]


def bad_range(date_from: dt.date | None, date_to: dt.date | None) -> Response | None:
    """A 422 naming ``date_to`` when the range is upside down, else None."""
    if date_from is None or date_to is None or date_from <= date_to:
        return None
    message = f"date_to {date_to} is before date_from {date_from}"
    error = {"field": "query.date_to", "message": message, "type": "value_error.date_range"}
    return problem(422, "Invalid request", f"query.date_to: {message}", errors=[error])


@router.get("/me", summary="Who this API key is, and where it may read")
def me(caller: CurrentCaller) -> dict[str, Any]:
    principal = caller.principal
    readable = {}
    for obj in ("purchase_order", "planning_schedule", "message", "segment"):
        scope = caller.authorizer.scope(principal, obj, "read")
        readable[obj] = "all" if scope.segments is None else sorted(scope.segments)
    return {
        "principal": principal.id,
        "kind": principal.kind.value,
        "supplier_id": principal.supplier_id,
        "key_id": principal.key_id,
        "key_scopes": list(caller.key_scopes),
        "segments_readable": readable,
    }


@router.get("/segments", summary="The segments this caller may see")
def segments(request: Request, caller: CurrentCaller, sessions: Sessions) -> Response:
    scope = caller.scope("segment", "read")
    with sessions() as session:
        rows = queries.list_segments(session, scope)
        payload = [
            {"id": r.id, "name": r.name, "service_level_target": r.service_level_target}
            for r in rows
        ]
    return with_etag(request, payload)


@router.get(
    "/purchase-orders",
    summary="Purchase orders in the caller's scope, filtered, cursor-paginated",
    description="Filter by order date (`date_from`, `date_to`, inclusive) and by `status`: "
    "that of the latest acknowledgment, or `unacknowledged`. Carries an `ETag`.",
    responses={200: {"model": PurchaseOrderPage}, **NOT_MODIFIED},
)
def purchase_orders(
    request: Request,
    caller: CurrentCaller,
    sessions: Sessions,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    status: OrderStatus | None = None,
) -> Response:
    scope = caller.scope("purchase_order", "read")
    if (refusal := bad_range(date_from, date_to)) is not None:
        return refusal
    filters = queries.OrderFilters(date_from, date_to, status)
    with sessions() as session:
        orders, last = queries.list_purchase_orders(
            session, scope, after_id=cursor, limit=limit, filters=filters
        )
    return document_page(request, list(orders), last, limit)


@router.get(
    "/purchase-orders/{po_number}",
    summary="One purchase order in scope (404 for another supplier's)",
    responses={200: {"model": PurchaseOrder}, 304: NOT_MODIFIED[304]},
)
def purchase_order(
    request: Request, po_number: str, caller: CurrentCaller, sessions: Sessions
) -> Response:
    scope = caller.record_scope("purchase_order")
    with sessions() as session:
        order = queries.get_purchase_order(session, scope, po_number)
    if order is None:  # absent or out of scope: the same answer, audited
        raise NotVisible(f"no purchase order {po_number}")
    return with_etag(request, order.model_dump(mode="json", exclude={"provenance"}))


@router.get(
    "/demand-signal",
    summary="Weekly demand in the caller's segments, redacted for suppliers",
    description="Totals per segment, and per item. A supplier sees only the items it "
    "supplies, scaled to its share; never another supplier's name, volume or price.",
)
def demand_signal(
    request: Request,
    caller: CurrentCaller,
    sessions: Sessions,
    weeks: Annotated[int, Query(ge=1, le=156)] = 26,
) -> Response:
    scope = caller.scope("demand_signal", "read")
    since = dt.date.today() - dt.timedelta(weeks=weeks)
    with sessions() as session:
        segments, items = queries.demand_signal(session, scope, since)
    payload = {
        "since": since.isoformat(),
        "scaled_to_supplier_share": scope.supplier_id is not None,
        "segments": _series(segments, "segment_id"),
        "items": _series(items, "item_id"),
    }
    return with_etag(request, payload)


def _series(rows: list[tuple[str, dt.date, Decimal]], key: str) -> list[dict[str, Any]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for name, week, quantity in rows:
        grouped.setdefault(name, []).append({"week": week.isoformat(), "quantity": float(quantity)})
    return [{key: name, "weeks": weeks} for name, weeks in grouped.items()]
