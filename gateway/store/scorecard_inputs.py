"""The scorecard's input frames read from the store, scoped: PO lines, ASN lines, receipts.

Column names are those ``planning_core.scorecard`` expects. Only the latest version of each
purchase order counts; ship notice and receipt lines are those naming a PO in the scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Executable, Select, func, select
from sqlalchemy.orm import Session

from access import Scope
from gateway.store import document_tables as t
from gateway.store.queries import scoped_orders, visible_lines
from gateway.store.tables import ItemRow

__all__ = ["ScorecardInputs", "scorecard_inputs"]


@dataclass(frozen=True)
class ScorecardInputs:
    po_lines: pd.DataFrame
    asn_lines: pd.DataFrame
    receipts: pd.DataFrame


def _latest_orders(scope: Scope, supplier_id: str | None) -> Select[Any]:
    """Ids of the latest version of each PO in scope (of one supplier, if named)."""
    orders = scoped_orders(scope).with_only_columns(func.max(t.PurchaseOrderRow.id))
    if supplier_id is not None:
        orders = orders.where(t.PurchaseOrderRow.supplier_id == supplier_id)
    return orders.where(t.PurchaseOrderRow.supplier_id.is_not(None)).group_by(
        t.PurchaseOrderRow.po_number
    )


def scorecard_inputs(
    session: Session,
    scope: Scope,
    *,
    supplier_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> ScorecardInputs:
    """PO lines requested in [date_from, date_to] and the ASN and receipt lines naming them."""
    po, line = t.PurchaseOrderRow, t.PurchaseOrderLineRow
    lines = (
        select(po.po_number, line.line_number, po.supplier_id, ItemRow.segment_id,
               line.buyer_item.label("item_id"), line.quantity, line.requested_date,
               po.order_date)
        .join(po, po.id == line.document_id)
        .join(ItemRow, ItemRow.id == line.buyer_item)
        .where(po.id.in_(_latest_orders(scope, supplier_id)), line.requested_date.is_not(None))
    )  # fmt: skip
    if scope.segments is not None:
        lines = lines.where(visible_lines(scope))
    if date_from is not None:
        lines = lines.where(line.requested_date >= date_from)
    if date_to is not None:
        lines = lines.where(line.requested_date <= date_to)
    po_frame = _frame(session, lines, ["quantity"])
    numbers = sorted(set(po_frame["po_number"]))
    return ScorecardInputs(po_frame, _asn_lines(session, numbers), _receipts(session, numbers))


def _asn_lines(session: Session, po_numbers: list[str]) -> pd.DataFrame:
    head, line = t.ShipNoticeRow, t.ShipNoticeLineRow
    query = (
        select(head.shipment_id, line.po_number, line.buyer_item.label("item_id"),
               line.quantity, head.ship_date, head.expected_delivery)
        .join(head, head.id == line.document_id)
        .where(line.po_number.in_(po_numbers))
    )  # fmt: skip
    return _frame(session, query, ["quantity"])


def _receipts(session: Session, po_numbers: list[str]) -> pd.DataFrame:
    head, line = t.ReceiptRow, t.ReceiptLineRow
    query = (
        select(head.receipt_id, head.shipment_id, line.po_number,
               line.buyer_item.label("item_id"), line.quantity_received,
               line.quantity_rejected, head.received_date)
        .join(head, head.id == line.document_id)
        .where(line.po_number.in_(po_numbers))
    )  # fmt: skip
    return _frame(session, query, ["quantity_received", "quantity_rejected"])


def _frame(session: Session, query: Executable, numbers: list[str]) -> pd.DataFrame:
    result = session.execute(query)
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    for column in numbers:
        frame[column] = frame[column].astype("float64")
    return frame
