"""Scoped reads for suppliers, planners and integration teams."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query

from access import NotVisible
from gateway.app.auth import CurrentCaller
from gateway.app.deps import Sessions
from gateway.store import queries

router = APIRouter(prefix="/api/v1", tags=["reads"])


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
def segments(caller: CurrentCaller, sessions: Sessions) -> list[dict[str, Any]]:
    scope = caller.scope("segment", "read")
    with sessions() as session:
        rows = queries.list_segments(session, scope)
        return [
            {"id": r.id, "name": r.name, "service_level_target": r.service_level_target}
            for r in rows
        ]


@router.get("/purchase-orders", summary="Purchase orders in the caller's scope")
def purchase_orders(
    caller: CurrentCaller,
    sessions: Sessions,
    cursor: Annotated[int, Query(ge=0, description="Id after which to continue")] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    scope = caller.scope("purchase_order", "read")
    with sessions() as session:
        orders, last = queries.list_purchase_orders(session, scope, after_id=cursor, limit=limit)
    return {
        "items": [o.model_dump(mode="json", exclude={"provenance"}) for o in orders],
        "next_cursor": last if len(orders) == limit else None,
    }


@router.get("/purchase-orders/{po_number}", summary="One purchase order in scope")
def purchase_order(po_number: str, caller: CurrentCaller, sessions: Sessions) -> dict[str, Any]:
    scope = caller.record_scope("purchase_order")
    with sessions() as session:
        order = queries.get_purchase_order(session, scope, po_number)
    if order is None:  # absent or out of scope: the same answer, audited
        raise NotVisible(f"no purchase order {po_number}")
    return order.model_dump(mode="json", exclude={"provenance"})


@router.get(
    "/demand-signal",
    summary="Weekly demand in the caller's segments, redacted for suppliers",
    description="Totals per segment, and per item. A supplier sees only the items it "
    "supplies, scaled to its share; never another supplier's name, volume or price.",
)
def demand_signal(
    caller: CurrentCaller,
    sessions: Sessions,
    weeks: Annotated[int, Query(ge=1, le=156)] = 26,
) -> dict[str, Any]:
    scope = caller.scope("demand_signal", "read")
    since = dt.date.today() - dt.timedelta(weeks=weeks)
    with sessions() as session:
        segments, items = queries.demand_signal(session, scope, since)
    return {
        "since": since.isoformat(),
        "scaled_to_supplier_share": scope.supplier_id is not None,
        "segments": _series(segments, "segment_id"),
        "items": _series(items, "item_id"),
    }


def _series(rows: list[tuple[str, dt.date, Decimal]], key: str) -> list[dict[str, Any]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for name, week, quantity in rows:
        grouped.setdefault(name, []).append({"week": week.isoformat(), "quantity": float(quantity)})
    return [{key: name, "weeks": weeks} for name, weeks in grouped.items()]
