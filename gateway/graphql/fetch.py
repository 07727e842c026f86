"""Batch reads behind the DataLoaders: one SQL statement per relation and batch of parents.

Each function takes the caller's scope (applied in SQL through ``scopes``) and the batch of
keys, and returns one result per key, in key order, as DataLoader wants.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, func, select, true
from sqlalchemy.orm import Session

from access import Scope
from gateway.graphql import scopes
from gateway.store.document_tables import (
    ForecastBucketRow,
    PlanningScheduleLineRow,
    PurchaseOrderLineRow,
    PurchaseOrderRow,
    ReceiptLineRow,
    ShipNoticeLineRow,
    ShipNoticeRow,
)
from gateway.store.quality_tables import FindingRow
from gateway.store.tables import ItemRow, LocationRow, SegmentRow, SupplierRow, SupplierSegmentRow

K = TypeVar("K", bound=Hashable)
OPEN_STATES = ("open", "acknowledged")


def by_key(keys: Sequence[K], rows: Iterable[Any], key: str) -> list[Any]:
    found = {getattr(row, key): row for row in rows}
    return [found.get(k) for k in keys]


def grouped(keys: Sequence[K], pairs: Iterable[tuple[K, Any]]) -> list[list[Any]]:
    groups: dict[K, list[Any]] = defaultdict(list)
    for k, value in pairs:
        groups[k].append(value)
    return [groups.get(k, []) for k in keys]


# --- master data ----------------------------------------------------------------------------


def segments(session: Session, scope: Scope, keys: Sequence[str]) -> list[Any]:
    """Segment rows (Core: every planning question starts with one), None where out of scope."""
    if scope.is_empty:
        return [None for _ in keys]
    values = {"keys": list(keys), "scope_segments": sorted(scope.segments or ())}
    return by_key(keys, session.execute(_segments_query(scope.segments is not None), values), "id")


@functools.cache
def _segments_query(scoped: bool) -> Select[Any]:
    table = SegmentRow.__table__
    query = select(table).where(table.c.id.in_(bindparam("keys", expanding=True)))
    if scoped:
        query = query.where(table.c.id.in_(bindparam("scope_segments", expanding=True)))
    return query


def items(session: Session, scope: Scope, keys: Sequence[str]) -> list[ItemRow | None]:
    query = select(ItemRow).where(ItemRow.id.in_(keys), scopes.items_where(scope))
    return by_key(keys, session.scalars(query), "id")


@dataclass(frozen=True)
class SupplierLink:
    segment_id: str
    role: str


@dataclass(frozen=True)
class SupplierRecord:
    """A supplier with its segments and roles: what ``Supplier.of`` reads from a SupplierRow,
    read with one Core statement (the ORM's identity map and relationship loading cost more
    than the SQL for the few dozen suppliers a segment-health answer names)."""

    id: str
    name: str
    tier: str
    country: str
    edi_capable: bool
    segments: list[SupplierLink]


def suppliers(session: Session, scope: Scope, keys: Sequence[str]) -> list[SupplierRecord | None]:
    if scope.is_empty or not keys:
        return [None for _ in keys]
    query = _suppliers_query(scope.supplier_id is not None, scope.segments is not None)
    found: dict[str, SupplierRecord] = {}
    for row in session.execute(query, {"keys": list(keys)} | scopes.suppliers_bound(scope)):
        record = found.get(row.id)
        if record is None:
            record = found[row.id] = SupplierRecord(
                row.id, row.name, row.tier, row.country, row.edi_capable, []
            )
        if row.segment_id is not None:
            record.segments.append(SupplierLink(row.segment_id, row.role))
    return [found.get(k) for k in keys]


@functools.cache
def _suppliers_query(owner: bool, segments: bool) -> Select[Any]:
    """Suppliers with their segment links (one row per link) for one shape of scope, built
    once with bound parameters: building it cost more than running it."""
    supplier, link = SupplierRow.__table__, SupplierSegmentRow.__table__
    return (
        select(supplier, link.c.segment_id, link.c.role)
        .outerjoin(link, link.c.supplier_id == supplier.c.id)
        .where(
            supplier.c.id.in_(bindparam("keys", expanding=True)),
            scopes.suppliers_rule(owner, segments),
        )
        .order_by(supplier.c.id, link.c.segment_id, link.c.role)
    )


def locations(session: Session, keys: Sequence[str]) -> list[LocationRow | None]:
    return by_key(keys, session.scalars(select(LocationRow).where(LocationRow.id.in_(keys))), "id")


def items_of_segments(
    session: Session, scope: Scope, keys: Sequence[str], where: ColumnElement[bool]
) -> list[list[ItemRow]]:
    query = (
        select(ItemRow)
        .where(ItemRow.segment_id.in_(keys), scopes.items_where(scope), where)
        .order_by(ItemRow.id)
    )
    return grouped(keys, ((row.segment_id, row) for row in session.scalars(query)))


def item_counts(session: Session, scope: Scope, keys: Sequence[str]) -> list[int]:
    query = (
        select(ItemRow.segment_id, func.count())
        .where(ItemRow.segment_id.in_(keys), scopes.items_where(scope))
        .group_by(ItemRow.segment_id)
    )
    counts = dict(session.execute(query).all())
    return [int(counts.get(k, 0)) for k in keys]


def suppliers_of_segments(
    session: Session, scope: Scope, keys: Sequence[str]
) -> list[list[tuple[SupplierRow, str]]]:
    query = (
        select(SupplierSegmentRow.segment_id, SupplierRow, SupplierSegmentRow.role)
        .join(SupplierRow, SupplierRow.id == SupplierSegmentRow.supplier_id)
        .where(SupplierSegmentRow.segment_id.in_(keys), scopes.suppliers_where(scope))
        .order_by(SupplierRow.id)
    )
    rows = session.execute(query)
    return grouped(keys, ((seg, (supplier, role)) for seg, supplier, role in rows))


def items_of_suppliers(session: Session, scope: Scope, keys: Sequence[str]) -> list[list[ItemRow]]:
    from gateway.store.tables import ItemSourceRow

    query = (
        select(ItemSourceRow.supplier_id, ItemRow)
        .join(ItemRow, ItemRow.id == ItemSourceRow.item_id)
        .where(ItemSourceRow.supplier_id.in_(keys), scopes.items_where(scope))
        .order_by(ItemRow.id)
    )
    return grouped(keys, session.execute(query))


# --- purchase orders ------------------------------------------------------------------------


def received_quantity(line: Any = PurchaseOrderLineRow) -> Any:
    """Good quantity received against a PO line (its order's number and item), in SQL."""
    return (
        select(
            func.coalesce(
                func.sum(ReceiptLineRow.quantity_received - ReceiptLineRow.quantity_rejected), 0
            )
        )
        .where(
            ReceiptLineRow.po_number == PurchaseOrderRow.po_number,
            ReceiptLineRow.buyer_item == line.buyer_item,
        )
        .correlate(PurchaseOrderRow, line)
        .scalar_subquery()
    )


def _order_header(scope: Scope) -> ColumnElement[bool]:
    if scope.supplier_id is None:
        return true()
    return PurchaseOrderRow.supplier_id == scope.supplier_id


_LINE_COLUMNS = (
    PurchaseOrderLineRow.document_id,
    PurchaseOrderLineRow.line_number,
    PurchaseOrderLineRow.quantity,
    PurchaseOrderLineRow.uom,
    PurchaseOrderLineRow.unit_price,
    PurchaseOrderLineRow.buyer_item,
    PurchaseOrderLineRow.vendor_item,
    PurchaseOrderLineRow.requested_date,
    PurchaseOrderRow.po_number,
)


def _po_lines(
    session: Session, scope: Scope, receipts: Any, *where: Any, open_only: bool = False
) -> list[Any]:
    """Visible PO lines with the good quantity received against each (order number and
    item), from one grouped pass over the receipt lines ``receipts`` selects."""
    received = (
        select(
            ReceiptLineRow.po_number,
            ReceiptLineRow.buyer_item,
            func.sum(ReceiptLineRow.quantity_received - ReceiptLineRow.quantity_rejected).label(
                "quantity"
            ),
        )
        .where(receipts)
        .group_by(ReceiptLineRow.po_number, ReceiptLineRow.buyer_item)
        .subquery()
    )
    got = func.coalesce(received.c.quantity, 0)
    query = (
        select(*_LINE_COLUMNS, got.label("received"))
        .join(PurchaseOrderRow, PurchaseOrderRow.id == PurchaseOrderLineRow.document_id)
        .outerjoin(
            received,
            (received.c.po_number == PurchaseOrderRow.po_number)
            & (received.c.buyer_item == PurchaseOrderLineRow.buyer_item),
        )
        .where(scopes.lines_where(scope, PurchaseOrderLineRow), _order_header(scope), *where)
        .order_by(PurchaseOrderLineRow.document_id, PurchaseOrderLineRow.position)
    )
    if open_only:
        query = query.where(PurchaseOrderLineRow.quantity > got)
    return list(session.execute(query))


def po_lines_of_orders(session: Session, scope: Scope, keys: Sequence[int]) -> list[list[Any]]:
    numbers = select(PurchaseOrderRow.po_number).where(PurchaseOrderRow.id.in_(keys))
    lines = _po_lines(
        session,
        scope,
        ReceiptLineRow.po_number.in_(numbers),
        PurchaseOrderLineRow.document_id.in_(keys),
    )
    return grouped(keys, ((line.document_id, line) for line in lines))


def po_lines_of_items(
    session: Session, scope: Scope, keys: Sequence[str], open_only: bool
) -> list[list[Any]]:
    lines = _po_lines(
        session,
        scope,
        ReceiptLineRow.buyer_item.in_(keys),
        PurchaseOrderLineRow.buyer_item.in_(keys),
        open_only=open_only,
    )
    return grouped(keys, ((line.buyer_item, line) for line in lines))


def orders(session: Session, scope: Scope, keys: Sequence[int]) -> list[PurchaseOrderRow | None]:
    query = scopes.documents_in(scope, PurchaseOrderRow, PurchaseOrderLineRow)
    return by_key(keys, session.scalars(query.where(PurchaseOrderRow.id.in_(keys))), "id")


# --- ship notices and schedules -------------------------------------------------------------


def notice_lines(session: Session, scope: Scope, keys: Sequence[int]) -> list[list[Any]]:
    query = (
        select(ShipNoticeLineRow)
        .where(
            ShipNoticeLineRow.document_id.in_(keys),
            scopes.lines_where(scope, ShipNoticeLineRow),
        )
        .order_by(ShipNoticeLineRow.document_id, ShipNoticeLineRow.position)
    )
    return grouped(keys, ((row.document_id, row) for row in session.scalars(query)))


def schedule_lines(session: Session, scope: Scope, keys: Sequence[int]) -> list[list[Any]]:
    query = (
        select(PlanningScheduleLineRow)
        .where(
            PlanningScheduleLineRow.document_id.in_(keys),
            scopes.lines_where(scope, PlanningScheduleLineRow),
        )
        .order_by(PlanningScheduleLineRow.document_id, PlanningScheduleLineRow.position)
    )
    return grouped(keys, ((row.document_id, row) for row in session.scalars(query)))


def buckets(session: Session, keys: Sequence[int]) -> list[list[ForecastBucketRow]]:
    # keys are line ids the caller already reached through a scoped schedule line
    query = (
        select(ForecastBucketRow)
        .where(ForecastBucketRow.line_id.in_(keys))
        .order_by(ForecastBucketRow.line_id, ForecastBucketRow.position)
    )
    return grouped(keys, ((row.line_id, row) for row in session.scalars(query)))


def notices_shipping(
    session: Session, scope: Scope, keys: Sequence[str]
) -> list[list[ShipNoticeRow]]:
    """Ship notices with a visible line against each PO number."""
    # (number, notice) pairs first: DISTINCT over the notice rows themselves would compare
    # their JSON columns, which PostgreSQL cannot
    pairs = (
        select(ShipNoticeLineRow.po_number, ShipNoticeLineRow.document_id)
        .where(ShipNoticeLineRow.po_number.in_(keys), scopes.lines_where(scope, ShipNoticeLineRow))
        .distinct()
        .subquery()
    )
    query = (
        scopes.documents_in(scope, ShipNoticeRow, ShipNoticeLineRow)
        .add_columns(pairs.c.po_number)
        .join(pairs, pairs.c.document_id == ShipNoticeRow.id)
        .order_by(ShipNoticeRow.ship_date, ShipNoticeRow.id)
    )
    return grouped(keys, ((po, row) for row, po in session.execute(query)))


# --- findings -------------------------------------------------------------------------------


def findings_by(
    session: Session, scope: Scope, column: Any, keys: Sequence[Any], where: ColumnElement[bool]
) -> list[list[FindingRow]]:
    query = (
        scopes.findings_in(scope)
        .where(column.in_(keys), where)
        .order_by(FindingRow.last_seen.desc(), FindingRow.id.desc())
    )
    return grouped(keys, ((getattr(row, column.key), row) for row in session.scalars(query)))


def open_finding_counts(
    session: Session, scope: Scope, column: Any, keys: Sequence[str]
) -> list[int]:
    query = (
        scopes.findings_in(scope)
        .with_only_columns(column, func.count())
        .where(column.in_(keys), FindingRow.state.in_(OPEN_STATES))
        .group_by(column)
    )
    counts: dict[Any, int] = dict(session.execute(query).all())
    return [int(counts.get(k, 0)) for k in keys]


def notice_findings(session: Session, scope: Scope, keys: Sequence[str]) -> list[list[Any]]:
    return findings_by(
        session, scope, FindingRow.doc_key, keys, FindingRow.doc_type == "ship_notice"
    )
