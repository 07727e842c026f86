"""Filter inputs as SQL conditions, and the sorts as keyset sort keys."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, true

from gateway.graphql import inputs, scopes
from gateway.graphql.fetch import received_quantity
from gateway.graphql.pagination import SortKey
from gateway.store.document_tables import (
    PlanningScheduleLineRow,
    PlanningScheduleRow,
    PurchaseOrderLineRow,
    PurchaseOrderRow,
    ShipNoticeLineRow,
    ShipNoticeRow,
)
from gateway.store.quality_tables import FindingRow
from gateway.store.tables import ItemRow, ItemSourceRow

ITEM_SORTS = {
    inputs.ItemSort.ID: SortKey("item.id", ItemRow.id, ItemRow.id),
    inputs.ItemSort.LEAD_TIME_DESC: SortKey(
        "item.lead_time_desc", ItemRow.lead_time_days, ItemRow.id, descending=True, kind=int
    ),
}
ORDER_SORTS = {
    inputs.OrderSort.ORDER_DATE_DESC: SortKey(
        "po.date_desc", PurchaseOrderRow.order_date, PurchaseOrderRow.id, True, dt.date
    ),
    inputs.OrderSort.ORDER_DATE: SortKey(
        "po.date", PurchaseOrderRow.order_date, PurchaseOrderRow.id, False, dt.date
    ),
}
NOTICE_SORTS = {
    inputs.ShipNoticeSort.SHIP_DATE_DESC: SortKey(
        "asn.date_desc", ShipNoticeRow.ship_date, ShipNoticeRow.id, True, dt.date
    ),
    inputs.ShipNoticeSort.SHIP_DATE: SortKey(
        "asn.date", ShipNoticeRow.ship_date, ShipNoticeRow.id, False, dt.date
    ),
}
SCHEDULE_SORT = SortKey(
    "schedule.start", PlanningScheduleRow.horizon_start, PlanningScheduleRow.id, True, dt.date
)
FINDING_SORTS = {
    inputs.FindingSort.LAST_SEEN_DESC: SortKey(
        "finding.last_seen_desc", FindingRow.last_seen, FindingRow.id, True, dt.datetime
    ),
    inputs.FindingSort.FIRST_SEEN: SortKey(
        "finding.first_seen", FindingRow.first_seen, FindingRow.id, False, dt.datetime
    ),
}


def _all(clauses: list[Any]) -> ColumnElement[bool]:
    return and_(*clauses) if clauses else true()


def items(f: inputs.ItemFilter | None) -> ColumnElement[bool]:
    if f is None:
        return true()
    clauses: list[Any] = []
    if f.segment_id is not None:
        clauses.append(ItemRow.segment_id == f.segment_id)
    if f.supplier_id is not None:
        clauses.append(
            exists().where(
                ItemSourceRow.item_id == ItemRow.id, ItemSourceRow.supplier_id == f.supplier_id
            )
        )
    if f.lifecycle_stage is not None:
        clauses.append(ItemRow.lifecycle_stage == f.lifecycle_stage)
    if f.critical is not None:
        clauses.append(ItemRow.critical.is_(f.critical))
    return _all(clauses)


def _has_line(header: Any, line: Any, *where: Any) -> Any:
    return exists().where(line.document_id == header.id, *where)


def orders(f: inputs.PurchaseOrderFilter | None, scope: Any) -> ColumnElement[bool]:
    if f is None:
        return true()
    clauses: list[Any] = []
    if f.supplier_id is not None:
        clauses.append(PurchaseOrderRow.supplier_id == f.supplier_id)
    if f.po_number is not None:
        clauses.append(PurchaseOrderRow.po_number == f.po_number)
    if f.ordered_from is not None:
        clauses.append(PurchaseOrderRow.order_date >= f.ordered_from)
    if f.ordered_to is not None:
        clauses.append(PurchaseOrderRow.order_date <= f.ordered_to)
    visible = scopes.lines_where(scope, PurchaseOrderLineRow)
    if f.segment_id is not None:
        in_segment = PurchaseOrderLineRow.buyer_item.in_(
            scopes.items_of_segments(frozenset({f.segment_id}))
        )
        clauses.append(_has_line(PurchaseOrderRow, PurchaseOrderLineRow, visible, in_segment))
    if f.status is not None:
        is_open = _has_line(
            PurchaseOrderRow,
            PurchaseOrderLineRow,
            visible,
            PurchaseOrderLineRow.quantity > received_quantity(),
        )
        clauses.append(is_open if f.status is inputs.OrderStatus.OPEN else ~is_open)
    return _all(clauses)


def notices(f: inputs.ShipNoticeFilter | None, scope: Any) -> ColumnElement[bool]:
    if f is None:
        return true()
    clauses: list[Any] = []
    if f.supplier_id is not None:
        clauses.append(ShipNoticeRow.supplier_id == f.supplier_id)
    if f.shipped_from is not None:
        clauses.append(ShipNoticeRow.ship_date >= f.shipped_from)
    if f.shipped_to is not None:
        clauses.append(ShipNoticeRow.ship_date <= f.shipped_to)
    visible = scopes.lines_where(scope, ShipNoticeLineRow)
    if f.po_number is not None:
        clauses.append(
            _has_line(
                ShipNoticeRow,
                ShipNoticeLineRow,
                visible,
                ShipNoticeLineRow.po_number == f.po_number,
            )
        )
    if f.segment_id is not None:
        in_segment = ShipNoticeLineRow.buyer_item.in_(
            scopes.items_of_segments(frozenset({f.segment_id}))
        )
        clauses.append(_has_line(ShipNoticeRow, ShipNoticeLineRow, visible, in_segment))
    return _all(clauses)


def schedules(f: inputs.PlanningScheduleFilter | None, scope: Any) -> ColumnElement[bool]:
    if f is None:
        return true()
    clauses: list[Any] = []
    if f.supplier_id is not None:
        clauses.append(PlanningScheduleRow.supplier_id == f.supplier_id)
    if f.period_from is not None:
        clauses.append(PlanningScheduleRow.horizon_end >= f.period_from)
    if f.period_to is not None:
        clauses.append(PlanningScheduleRow.horizon_start <= f.period_to)
    if f.segment_id is not None:
        line = PlanningScheduleLineRow
        in_segment = line.buyer_item.in_(scopes.items_of_segments(frozenset({f.segment_id})))
        clauses.append(
            _has_line(PlanningScheduleRow, line, scopes.lines_where(scope, line), in_segment)
        )
    return _all(clauses)


def findings(f: inputs.FindingFilter | None) -> ColumnElement[bool]:
    if f is None:
        return true()
    clauses: list[Any] = []
    if f.severities:
        clauses.append(FindingRow.severity.in_([str(s) for s in f.severities]))
    if f.states:
        clauses.append(FindingRow.state.in_([str(s) for s in f.states]))
    if f.rules:
        clauses.append(FindingRow.rule.in_(f.rules))
    if f.segment_id is not None:
        clauses.append(FindingRow.segment_id == f.segment_id)
    if f.supplier_id is not None:
        clauses.append(FindingRow.supplier_id == f.supplier_id)
    if f.last_seen_from is not None:
        clauses.append(FindingRow.last_seen >= f.last_seen_from)
    if f.last_seen_to is not None:
        clauses.append(FindingRow.last_seen <= f.last_seen_to)
    return _all(clauses)
