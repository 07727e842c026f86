"""The scorecard's input frames read from the store, scoped: PO lines, ASN lines, receipts and
forecast commits.

One reader for both uses: REST computes a supplier's or a planner's scorecard with it (scoped,
a date window), and a forecast run reads every line with it (``Scope(segments=None)``), so
both count the same lines. Column names are those ``planning_core.scorecard`` expects. Only
the latest version of each purchase order counts (a line a change removed is not ordered any
more); ship notice and receipt lines are those naming one of the orders read, forecast
commits those of the orders' suppliers (the newest commit per item and week). Rows are read
as raw DB-API tuples with the quantities cast to floats in SQL: on 100,000 rows that is ~3x
faster than SQLAlchemy's per-value processing, and ``planning_core`` reads the dates as they
come (SQLite gives ISO strings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Executable, Float, Select, cast, func, select
from sqlalchemy.orm import Session

from access import Scope
from gateway.store import document_tables as t
from gateway.store.queries import scoped_orders, visible_lines
from gateway.store.tables import ItemRow

__all__ = ["ScorecardInputs", "forecast_commits", "scorecard_inputs"]


@dataclass(frozen=True)
class ScorecardInputs:
    po_lines: pd.DataFrame
    asn_lines: pd.DataFrame
    receipts: pd.DataFrame
    commits: pd.DataFrame  # supplier_id, item_id, period (the week), committed_quantity


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
               line.buyer_item.label("item_id"), cast(line.quantity, Float).label("quantity"),
               line.requested_date, po.order_date)
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
    numbers = lines.with_only_columns(po.po_number).distinct()
    suppliers = lines.with_only_columns(po.supplier_id).distinct()
    return ScorecardInputs(
        _frame(session, lines.order_by(po.po_number, line.position), ["quantity"]),
        _asn_lines(session, numbers),
        _receipts(session, numbers),
        forecast_commits(session, suppliers).rename(columns={"period_start": "period"}),
    )


def forecast_commits(session: Session, suppliers: Select[Any] | None = None) -> pd.DataFrame:
    """The newest forecast commit per supplier, item and week (of the ``suppliers`` selected,
    or all): ``supplier_id, item_id, period_start`` (a date) ``, committed_quantity``."""
    head, line = t.ForecastCommitRow, t.ForecastCommitLineRow
    query = (
        select(head.supplier_id, head.issued_date, head.id.label("doc"),
               line.buyer_item.label("item_id"), line.period_start,
               cast(line.quantity, Float).label("committed_quantity"))
        .join(head, head.id == line.document_id)
    )  # fmt: skip
    if suppliers is not None:
        query = query.where(head.supplier_id.in_(suppliers))
    frame = _frame(session, query, ["committed_quantity"])
    keys = ["supplier_id", "item_id", "period_start"]
    if frame.empty:
        return frame[[*keys, "committed_quantity"]]
    for column in ("issued_date", "period_start"):  # SQLite gives ISO strings
        frame[column] = pd.to_datetime(frame[column]).dt.date
    frame = frame.sort_values(["issued_date", "doc"])
    return frame.drop_duplicates(keys, keep="last")[[*keys, "committed_quantity"]]


def _asn_lines(session: Session, po_numbers: Select[Any]) -> pd.DataFrame:
    head, line = t.ShipNoticeRow, t.ShipNoticeLineRow
    query = (
        select(head.shipment_id, line.po_number, line.buyer_item.label("item_id"),
               cast(line.quantity, Float).label("quantity"), head.ship_date,
               head.expected_delivery)
        .join(head, head.id == line.document_id)
        .where(line.po_number.in_(po_numbers))
    )  # fmt: skip
    return _frame(session, query, ["quantity"])


def _receipts(session: Session, po_numbers: Select[Any]) -> pd.DataFrame:
    head, line = t.ReceiptRow, t.ReceiptLineRow
    query = (
        select(head.receipt_id, head.shipment_id, line.po_number,
               line.buyer_item.label("item_id"),
               cast(line.quantity_received, Float).label("quantity_received"),
               cast(line.quantity_rejected, Float).label("quantity_rejected"),
               head.received_date)
        .join(head, head.id == line.document_id)
        .where(line.po_number.in_(po_numbers))
    )  # fmt: skip
    return _frame(session, query, ["quantity_received", "quantity_rejected"])


def _frame(session: Session, query: Executable, numbers: list[str]) -> pd.DataFrame:
    """The query's rows as a frame, read as raw DB-API tuples; ``numbers`` as float64 (also
    when there are no rows, where pandas would leave them untyped)."""
    result = session.connection().execute(query)
    names = list(result.keys())
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    frame = pd.DataFrame.from_records(rows, columns=names)
    return frame.astype(dict.fromkeys(numbers, "float64"))
