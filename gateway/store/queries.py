"""Scoped reads: every query takes the caller's Scope and applies it in SQL.

There is no unscoped variant here on purpose: a route cannot forget the filter, because it
cannot call these without a scope, and an empty scope matches nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, exists, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from access import Scope
from gateway.model import PurchaseOrder
from gateway.store.document_tables import (
    PurchaseOrderAcknowledgmentRow,
    PurchaseOrderLineRow,
    PurchaseOrderRow,
)
from gateway.store.documents import document_from_row
from gateway.store.tables import DemandRow, InboxRow, ItemRow, ItemSourceRow, SegmentRow


def visible_lines(scope: Scope) -> Any:
    """PO lines whose item is in the scope's segments."""
    if scope.segments is None:
        return True
    return PurchaseOrderLineRow.buyer_item.in_(
        select(ItemRow.id).where(ItemRow.segment_id.in_(sorted(scope.segments)))
    )


def scoped_orders(scope: Scope) -> Select[PurchaseOrderRow]:
    query = select(PurchaseOrderRow)
    if scope.is_empty:
        return query.where(false())
    if scope.supplier_id is not None:
        query = query.where(PurchaseOrderRow.supplier_id == scope.supplier_id)
    if scope.segments is not None:
        query = query.where(
            exists().where(
                PurchaseOrderLineRow.document_id == PurchaseOrderRow.id, visible_lines(scope)
            )
        )
    return query


UNACKNOWLEDGED = "unacknowledged"


@dataclass(frozen=True)
class OrderFilters:
    """Filters of the purchase-order list: order date range (inclusive) and status.

    ``status`` is the latest acknowledgment's (accepted, accepted_with_changes, rejected) or
    ``unacknowledged`` when the supplier has not answered the order yet.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str | None = None


def acknowledgment_status() -> Any:
    """The status of the latest acknowledgment of each PO row (NULL: none), as a subquery."""
    ack = PurchaseOrderAcknowledgmentRow
    return (
        select(ack.status)
        .where(
            ack.po_number == PurchaseOrderRow.po_number,
            or_(
                PurchaseOrderRow.supplier_id.is_(None),
                ack.supplier_id == PurchaseOrderRow.supplier_id,
            ),
        )
        .order_by(ack.id.desc())
        .limit(1)
        .correlate(PurchaseOrderRow)
        .scalar_subquery()
    )


def _filtered(query: Select[PurchaseOrderRow], filters: OrderFilters) -> Select[PurchaseOrderRow]:
    if filters.date_from is not None:
        query = query.where(PurchaseOrderRow.order_date >= filters.date_from)
    if filters.date_to is not None:
        query = query.where(PurchaseOrderRow.order_date <= filters.date_to)
    if filters.status == UNACKNOWLEDGED:
        query = query.where(acknowledgment_status().is_(None))
    elif filters.status is not None:
        query = query.where(acknowledgment_status() == filters.status)
    return query


def list_purchase_orders(
    session: Session,
    scope: Scope,
    *,
    after_id: int = 0,
    limit: int = 50,
    filters: OrderFilters | None = None,
) -> tuple[list[PurchaseOrder], int]:
    """Purchase orders in scope by id after a cursor, and the last id (the next cursor).

    Lines outside the scope's segments are left out of each order. Two queries in all: the
    orders, then their visible lines.
    """
    query = _filtered(scoped_orders(scope), filters or OrderFilters())
    query = query.where(PurchaseOrderRow.id > after_id).order_by(PurchaseOrderRow.id).limit(limit)
    rows = session.scalars(query.options(_visible_lines_loader(scope))).all()
    orders = [_as_order(row) for row in rows]
    return orders, (rows[-1].id if rows else after_id)


def get_purchase_order(session: Session, scope: Scope, po_number: str) -> PurchaseOrder | None:
    """One purchase order in scope by number (the newest if re-sent), else None."""
    query = (
        scoped_orders(scope)
        .where(PurchaseOrderRow.po_number == po_number)
        .order_by(PurchaseOrderRow.id.desc())
        .limit(1)
        .options(_visible_lines_loader(scope))
    )
    row = session.scalar(query)
    return None if row is None else _as_order(row)


def _visible_lines_loader(scope: Scope) -> Any:
    if scope.segments is None:
        return selectinload(PurchaseOrderRow.lines)
    return selectinload(PurchaseOrderRow.lines.and_(visible_lines(scope)))


def _as_order(row: PurchaseOrderRow) -> PurchaseOrder:
    order = document_from_row("purchase_order", row)
    assert isinstance(order, PurchaseOrder)
    return order


def get_message(session: Session, scope: Scope, message_id: str) -> InboxRow | None:
    """An inbox message in scope: a supplier sees only what it sent."""
    query = select(InboxRow).where(InboxRow.id == message_id)
    if scope.is_empty:
        return None
    if scope.supplier_id is not None:
        query = query.where(InboxRow.partner_id == scope.supplier_id)
    return session.scalar(query)


def list_segments(session: Session, scope: Scope) -> Sequence[SegmentRow]:
    query = select(SegmentRow).order_by(SegmentRow.id)
    if scope.segments is not None:
        query = query.where(SegmentRow.id.in_(sorted(scope.segments)))
    return session.scalars(query).all()


def demand_signal(
    session: Session, scope: Scope, since: dt.date
) -> tuple[list[tuple[str, dt.date, Decimal]], list[tuple[str, dt.date, Decimal]]]:
    """Weekly demand since a date: totals per segment, and per item.

    For a supplier, items are only those it supplies, each scaled by its share of the item:
    a dual-sourced item shows the supplier its own expected volume, never the total, which
    would reveal the other supplier's. Nothing names other suppliers or carries prices.
    """
    if scope.is_empty:
        return [], []
    in_scope = [] if scope.segments is None else [ItemRow.segment_id.in_(sorted(scope.segments))]
    segment_totals = session.execute(
        select(ItemRow.segment_id, DemandRow.period_start, func.sum(DemandRow.quantity))
        .join(ItemRow, ItemRow.id == DemandRow.item_id)
        .where(DemandRow.period_start >= since, *in_scope)
        .group_by(ItemRow.segment_id, DemandRow.period_start)
        .order_by(ItemRow.segment_id, DemandRow.period_start)
    ).all()
    quantity: Any = func.sum(DemandRow.quantity)
    items = select(DemandRow.item_id, DemandRow.period_start).join(
        ItemRow, ItemRow.id == DemandRow.item_id
    )
    if scope.supplier_id is not None:
        items = items.join(
            ItemSourceRow,
            (ItemSourceRow.item_id == DemandRow.item_id)
            & (ItemSourceRow.supplier_id == scope.supplier_id),
        )
        quantity = quantity * ItemSourceRow.share
    per_item = session.execute(
        items.add_columns(quantity)
        .where(DemandRow.period_start >= since, *in_scope)
        .group_by(
            DemandRow.item_id,
            DemandRow.period_start,
            *([ItemSourceRow.share] if scope.supplier_id is not None else []),
        )
        .order_by(DemandRow.item_id, DemandRow.period_start)
    ).all()
    return (
        [(seg, week, _decimal(total)) for seg, week, total in segment_totals],
        [(item, week, _decimal(total)) for item, week, total in per_item],
    )


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
