"""Batch reads of the stored planning results behind the DataLoaders, scoped in SQL.

Each wraps a batch read of ``gateway.store.planning`` (one statement per batch of items or
suppliers, on the request's forecast run) with the caller's scope as an extra ``where``, and
returns one result per key, in key order. ``at_risk`` is the segment-health computation: one
statement that aggregates buffers, consensus forecast, inventory and open orders per item.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from access import Scope
from gateway.graphql import scopes
from gateway.scorecards import scorecard_scope
from gateway.store import planning as store
from gateway.store.document_tables import (
    InventoryCurrentRow,
    PurchaseOrderLineRow,
    PurchaseOrderRow,
    ReceiptLineRow,
)
from gateway.store.planning import RunKey
from gateway.store.planning_tables import (
    BufferRow,
    ForecastCellRow,
    ProposalChangeRow,
    ScorecardRow,
)
from gateway.store.tables import ItemRow, ItemSourceRow

DAYS_PER_WEEK = 7
# An order line overdue by more than this is not counted as supply on the way.
OVERDUE_WEEKS = 8


def _items_in(scope: Scope, column: Any) -> ColumnElement[bool]:
    """``column`` (an item id) names an item in the scope (a supplier's: one it supplies)."""
    if scope.is_empty:
        return false()
    return column.in_(select(ItemRow.id).where(scopes.items_where(scope)))  # type: ignore[no-any-return]


def forecasts(
    session: Session, scope: Scope, keys: Sequence[str], run_id: int | None
) -> list[tuple[list[store.ForecastCell], list[dict[str, Any]]]]:
    """Per item: its forecast cells and its series (method, accuracy) per location."""
    if run_id is None:
        return [([], []) for _ in keys]
    cells = store.latest_forecasts(
        session, keys, run_id, where=_items_in(scope, ForecastCellRow.item_id)
    )
    from gateway.store.planning_tables import ForecastSeriesRow

    series = store.latest_series(
        session, keys, run_id, where=_items_in(scope, ForecastSeriesRow.item_id)
    )
    return [(cells[k], series[k]) for k in keys]


def buffers(
    session: Session, scope: Scope, keys: Sequence[str], run_id: int | None
) -> list[list[dict[str, Any]]]:
    if run_id is None:
        return [[] for _ in keys]
    found = store.latest_buffers(session, keys, run_id, where=_items_in(scope, BufferRow.item_id))
    return [sorted(found[k], key=lambda b: b["location_id"]) for k in keys]


def scorecards(
    session: Session,
    scope: Scope,
    keys: Sequence[str],
    run_id: int | None,
    segment: str | None,
    months: int,
) -> list[list[Any]]:
    """Per supplier: its newest ``months`` scorecard rows per segment in the scope's segments
    (a supplier: its own only), by segment then newest first; one statement, so only the
    months asked for leave the database."""
    if run_id is None or scope.is_empty or not keys:
        return [[] for _ in keys]
    query = _scorecards_query(
        scope.supplier_id is not None, scope.segments is not None, segment is not None
    )
    values = {
        "run_id": run_id,
        "keys": list(keys),
        "months": months,
        "owner": scope.supplier_id,
        "segments": sorted(scope.segments or ()),
        "segment": segment,
    }
    groups: dict[str, list[Any]] = {k: [] for k in keys}
    for row in session.execute(query, values):
        groups[row.supplier_id].append(row)
    return [groups[k] for k in keys]


@functools.cache
def _scorecards_query(owner: bool, segments: bool, segment: bool) -> Select[Any]:
    """The statement for one shape of the question, built once (with bound parameters):
    constructing it cost more than running it."""
    clauses: list[ColumnElement[bool]] = [
        ScorecardRow.run_id == bindparam("run_id"),
        ScorecardRow.supplier_id.in_(bindparam("keys", expanding=True)),
        *scorecard_scope(
            bindparam("owner") if owner else None,
            bindparam("segments", expanding=True) if segments else None,
        ),
    ]
    if segment:
        clauses.append(ScorecardRow.segment_id == bindparam("segment"))
    columns = [c for c in ScorecardRow.__table__.columns if c.name != "run_id"]
    newest = (
        select(
            *columns,
            func.row_number()
            .over(
                partition_by=(ScorecardRow.supplier_id, ScorecardRow.segment_id),
                order_by=ScorecardRow.period.desc(),
            )
            .label("newest"),
        )
        .where(*clauses)
        .subquery()
    )
    return (
        select(*(newest.c[c.name] for c in columns))
        .where(newest.c.newest <= bindparam("months"))
        .order_by(newest.c.supplier_id, newest.c.segment_id, newest.c.period.desc())
    )


def proposal_changes(
    session: Session, scope: Scope, keys: Sequence[int]
) -> list[list[ProposalChangeRow]]:
    """Per proposal: its changes on the items in scope, by item and dimension."""
    query = (
        select(ProposalChangeRow)
        .where(
            ProposalChangeRow.proposal_id.in_(keys),
            _items_in(scope, ProposalChangeRow.item_id),
        )
        .order_by(ProposalChangeRow.item_id, ProposalChangeRow.dimension)
    )
    groups: dict[int, list[ProposalChangeRow]] = {k: [] for k in keys}
    for row in session.scalars(query):
        groups[row.proposal_id].append(row)
    return [groups[k] for k in keys]


# --- segment health: items at risk of stockout ----------------------------------------------


def _on_hand(items: Any) -> Any:
    """On hand per item: the newest report per location and item (``inventory_current``, kept
    as reports are stored), summed over locations."""
    current = InventoryCurrentRow
    return (
        select(current.item_id, func.sum(cast(current.quantity, Float)).label("on_hand"))
        .where(current.item_id.in_(items))
        .group_by(current.item_id)
        .subquery()
    )


def _on_order(since: dt.date, until: dt.date, items: Any) -> Any:
    """Open PO quantity per item due in ``(since, until]``: per order number and item, the
    quantity ordered minus the good quantity received, when positive.

    One UNION ALL of order lines and receipt lines grouped by (order number, item): no join
    against a grouped subquery, which SQLite would have to materialize and search."""
    ordered = (
        select(
            PurchaseOrderRow.po_number.label("po_number"),
            PurchaseOrderLineRow.buyer_item.label("item_id"),
            cast(PurchaseOrderLineRow.quantity, Float).label("ordered"),
            literal(0.0, Float).label("received"),
        )
        .join(PurchaseOrderRow, PurchaseOrderRow.id == PurchaseOrderLineRow.document_id)
        .where(
            PurchaseOrderLineRow.buyer_item.in_(items),
            PurchaseOrderLineRow.requested_date > since,
            PurchaseOrderLineRow.requested_date <= until,
        )
    )
    due = ordered.subquery()
    received = select(
        ReceiptLineRow.po_number,
        ReceiptLineRow.buyer_item,
        literal(0.0, Float),
        cast(ReceiptLineRow.quantity_received - ReceiptLineRow.quantity_rejected, Float),
    ).where(
        ReceiptLineRow.po_number.in_(select(due.c.po_number)),
        ReceiptLineRow.buyer_item.in_(items),
    )
    both = ordered.union_all(received).subquery()
    per_order = (
        select(
            both.c.item_id,
            (func.sum(both.c.ordered) - func.sum(both.c.received)).label("open"),
        )
        .group_by(both.c.po_number, both.c.item_id)
        .subquery()
    )
    return (
        select(
            per_order.c.item_id,
            func.sum(case((per_order.c.open > 0, per_order.c.open), else_=0.0)).label("on_order"),
        )
        .group_by(per_order.c.item_id)
        .subquery()
    )


def at_risk(
    session: Session,
    scope: Scope,
    keys: Sequence[str],
    weeks: int,
    run: RunKey | None,
) -> list[list[Any]]:
    """Per segment: its items (in scope) whose projected position at the end of the window falls
    below their safety stock, with the figures; worst shortfall first.

    Per item, summed over its locations in the newest run:
    ``projected = on hand + open PO quantity due in the window - consensus over the window``;
    at risk when ``projected < safety stock``. One statement for the batch of segments.
    """
    if run is None:
        return [[] for _ in keys]
    run_id, as_of = run.id, run.as_of
    until = as_of + dt.timedelta(days=DAYS_PER_WEEK * weeks)
    # every part reads only the segments' items in scope, so SQLite need not group the rest
    items = select(ItemRow.id).where(ItemRow.segment_id.in_(keys), scopes.items_where(scope))
    buffer = (
        select(
            BufferRow.item_id,
            func.sum(BufferRow.safety_stock).label("safety_stock"),
            func.sum(BufferRow.reorder_point).label("reorder_point"),
            func.count().label("locations"),
        )
        .where(BufferRow.run_id == run_id, BufferRow.item_id.in_(items))
        .group_by(BufferRow.item_id)
        .subquery()
    )
    demand = (
        select(ForecastCellRow.item_id, func.sum(ForecastCellRow.consensus).label("demand"))
        .where(
            ForecastCellRow.run_id == run_id,
            ForecastCellRow.item_id.in_(items),
            ForecastCellRow.period_start > as_of,
            ForecastCellRow.period_start <= until,
        )
        .group_by(ForecastCellRow.item_id)
        .subquery()
    )
    since = as_of - dt.timedelta(days=DAYS_PER_WEEK * OVERDUE_WEEKS)
    on_hand, on_order = _on_hand(items), _on_order(since, until, items)
    have = func.coalesce(on_hand.c.on_hand, 0.0) + func.coalesce(on_order.c.on_order, 0.0)
    projected = (have - func.coalesce(demand.c.demand, 0.0)).label("projected")
    primary = (
        select(ItemSourceRow.supplier_id)
        .where(ItemSourceRow.item_id == ItemRow.id)
        .order_by(ItemSourceRow.is_primary.desc(), ItemSourceRow.share.desc())
        .limit(1)
        .correlate(ItemRow)
        .scalar_subquery()
    )
    query = (
        select(
            ItemRow.id.label("item_id"),
            ItemRow.segment_id,
            ItemRow.description,
            buffer.c.locations,
            func.coalesce(on_hand.c.on_hand, 0.0).label("on_hand"),
            func.coalesce(on_order.c.on_order, 0.0).label("on_order"),
            func.coalesce(demand.c.demand, 0.0).label("demand"),
            buffer.c.safety_stock,
            buffer.c.reorder_point,
            projected,
            primary.label("supplier_id"),
        )
        .join(buffer, buffer.c.item_id == ItemRow.id)
        .outerjoin(demand, demand.c.item_id == ItemRow.id)
        .outerjoin(on_hand, on_hand.c.item_id == ItemRow.id)
        .outerjoin(on_order, on_order.c.item_id == ItemRow.id)
        .where(
            ItemRow.segment_id.in_(keys),
            scopes.items_where(scope),
            projected < buffer.c.safety_stock,
        )
        .order_by((buffer.c.safety_stock - projected).desc(), ItemRow.id)
    )
    groups: dict[str, list[AtRiskRow]] = {k: [] for k in keys}
    for row in session.execute(query):
        groups[row.segment_id].append(AtRiskRow.of(row))
    for rows in groups.values():  # already in order: this pins the cursors' order to Python's
        rows.sort(key=lambda r: (-r.shortfall, r.item_id))
    return [groups[k] for k in keys]


class AtRiskRow(NamedTuple):
    """One item at risk, as remembered: plain values (read for every answer, cheaply)."""

    item_id: str
    description: str
    locations: int
    on_hand: float
    on_order: float
    demand: float
    safety_stock: float
    reorder_point: float
    projected: float
    shortfall: float
    supplier_id: str | None

    @classmethod
    def of(cls, row: Any) -> AtRiskRow:
        projected, safety_stock = float(row.projected), float(row.safety_stock)
        return cls(
            item_id=str(row.item_id),
            description=row.description,
            locations=int(row.locations),
            on_hand=float(row.on_hand),
            on_order=float(row.on_order),
            demand=float(row.demand),
            safety_stock=safety_stock,
            reorder_point=float(row.reorder_point),
            projected=projected,
            shortfall=safety_stock - projected,
            supplier_id=None if row.supplier_id is None else str(row.supplier_id),
        )


def shortfall_key(row: AtRiskRow) -> tuple[float, str]:
    """An at-risk row's (shortfall, item id): its place in the answer (shortfall descending,
    then item id) and what a page cursor holds."""
    return row.shortfall, row.item_id
