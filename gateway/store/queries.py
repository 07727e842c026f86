"""Scoped reads: every query takes the caller's Scope and applies it in SQL.

There is no unscoped variant here on purpose: a route cannot forget the filter, because it
cannot call these without a scope, and an empty scope matches nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, exists, false, select
from sqlalchemy.orm import Session

from access import Scope
from gateway.model import PurchaseOrder
from gateway.store.document_tables import PurchaseOrderLineRow, PurchaseOrderRow
from gateway.store.documents import load_document
from gateway.store.tables import InboxRow, ItemRow, SegmentRow


def _visible_lines(scope: Scope) -> Any:
    """PO lines whose item is in the scope's segments."""
    if scope.segments is None:
        return True
    return PurchaseOrderLineRow.buyer_item.in_(
        select(ItemRow.id).where(ItemRow.segment_id.in_(sorted(scope.segments)))
    )


def _scoped_orders(scope: Scope) -> Select[PurchaseOrderRow]:
    query = select(PurchaseOrderRow)
    if scope.is_empty:
        return query.where(false())
    if scope.supplier_id is not None:
        query = query.where(PurchaseOrderRow.supplier_id == scope.supplier_id)
    if scope.segments is not None:
        query = query.where(
            exists().where(
                PurchaseOrderLineRow.document_id == PurchaseOrderRow.id, _visible_lines(scope)
            )
        )
    return query


def list_purchase_orders(
    session: Session, scope: Scope, *, after_id: int = 0, limit: int = 50
) -> tuple[list[PurchaseOrder], int]:
    """Purchase orders in scope by id after a cursor, and the last id (the next cursor).

    Lines outside the scope's segments are left out of each order.
    """
    ids = session.scalars(
        _scoped_orders(scope)
        .with_only_columns(PurchaseOrderRow.id)
        .where(PurchaseOrderRow.id > after_id)
        .order_by(PurchaseOrderRow.id)
        .limit(limit)
    ).all()
    orders = [_visible_order(session, scope, row_id) for row_id in ids]
    return orders, (ids[-1] if ids else after_id)


def get_purchase_order(session: Session, scope: Scope, po_number: str) -> PurchaseOrder | None:
    """One purchase order in scope by number (the newest if re-sent), else None."""
    row_id = session.scalar(
        _scoped_orders(scope)
        .with_only_columns(PurchaseOrderRow.id)
        .where(PurchaseOrderRow.po_number == po_number)
        .order_by(PurchaseOrderRow.id.desc())
        .limit(1)
    )
    return None if row_id is None else _visible_order(session, scope, row_id)


def _visible_order(session: Session, scope: Scope, row_id: int) -> PurchaseOrder:
    order = load_document(session, "purchase_order", row_id)
    assert isinstance(order, PurchaseOrder)
    if scope.segments is None:
        return order
    visible = set(
        session.scalars(
            select(PurchaseOrderLineRow.line_number).where(
                PurchaseOrderLineRow.document_id == row_id, _visible_lines(scope)
            )
        )
    )
    return order.model_copy(
        update={"lines": [ln for ln in order.lines if ln.line_number in visible]}
    )


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
