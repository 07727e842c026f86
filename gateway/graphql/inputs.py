"""Filters, sorts and enums a planner uses on the lists of the graph."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from quality import FindingState as _FindingState
from quality import Severity as _Severity

FindingSeverity = strawberry.enum(_Severity, name="FindingSeverity")
FindingState = strawberry.enum(_FindingState, name="FindingState")


@strawberry.enum(description="An order is open while a visible line has quantity not received.")
class OrderStatus(Enum):
    OPEN = "open"
    CLOSED = "closed"


@strawberry.enum
class ItemSort(Enum):
    ID = "id"
    LEAD_TIME_DESC = "lead_time_desc"


@strawberry.enum
class OrderSort(Enum):
    ORDER_DATE_DESC = "order_date_desc"
    ORDER_DATE = "order_date"


@strawberry.enum
class ShipNoticeSort(Enum):
    SHIP_DATE_DESC = "ship_date_desc"
    SHIP_DATE = "ship_date"


@strawberry.enum
class FindingSort(Enum):
    LAST_SEEN_DESC = "last_seen_desc"
    FIRST_SEEN = "first_seen"


@strawberry.input(description="Items: all conditions must hold.")
class ItemFilter:
    segment_id: strawberry.ID | None = None
    supplier_id: strawberry.ID | None = strawberry.field(
        default=None, description="Items this supplier sources."
    )
    lifecycle_stage: str | None = None
    critical: bool | None = None


@strawberry.input(description="Purchase orders: all conditions must hold; dates inclusive.")
class PurchaseOrderFilter:
    supplier_id: strawberry.ID | None = None
    segment_id: strawberry.ID | None = strawberry.field(
        default=None, description="Orders with a line of this segment."
    )
    status: OrderStatus | None = None
    po_number: str | None = None
    ordered_from: dt.date | None = None
    ordered_to: dt.date | None = None


@strawberry.input(description="Ship notices: all conditions must hold; dates inclusive.")
class ShipNoticeFilter:
    supplier_id: strawberry.ID | None = None
    segment_id: strawberry.ID | None = None
    po_number: str | None = strawberry.field(default=None, description="Notices shipping it.")
    shipped_from: dt.date | None = None
    shipped_to: dt.date | None = None


@strawberry.input(description="Planning schedules whose horizon overlaps the period.")
class PlanningScheduleFilter:
    supplier_id: strawberry.ID | None = None
    segment_id: strawberry.ID | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None


@strawberry.input(description="Findings: each list matches any of its values.")
class FindingFilter:
    severities: list[FindingSeverity] | None = None  # type: ignore[valid-type]
    states: list[FindingState] | None = None  # type: ignore[valid-type]
    rules: list[str] | None = None
    segment_id: strawberry.ID | None = None
    supplier_id: strawberry.ID | None = None
    last_seen_from: dt.datetime | None = None
    last_seen_to: dt.datetime | None = None


@strawberry.input(description="Partner health rows to show.")
class PartnerHealthFilter:
    partner_id: strawberry.ID | None = None
    document_type: str | None = None
    only_unhealthy: bool = strawberry.field(
        default=False,
        description="Only channels with dead letters, queued backlog, failures in the last "
        "hour, an open breaker or overdue/problem acknowledgments.",
    )
