"""A small supplier world in the store, and keys for it (shared by the supplier API tests).

Segments FAST and SEAS; SUP001 serves FAST, SUP002 serves SEAS; a planner plans FAST.
PO-A (SUP001: lines 1 I-FAST, 2 I-FAST2) and PO-B (SUP002: line 1 I-SEAS); a planning
schedule for each supplier; line 1 of PO-A was shipped (10) and received short (8).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from gateway.model import (
    Channel,
    ForecastBucket,
    Item,
    PlanningSchedule,
    PlanningScheduleLine,
    Provenance,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    Segment,
    ShipNotice,
    ShipNoticeLine,
    Supplier,
    SupplierSegment,
)
from gateway.store import save_document
from gateway.store.master import save_items, save_segments, save_suppliers
from tests.support import bearer, issue_key

PROBLEM = "application/problem+json"
DAY = dt.date(2026, 11, 2)
ERP = Provenance(channel=Channel.ERP, partner_id="ERP")


@dataclass
class World:
    url: str
    keys: dict[str, dict[str, str]]

    def get(self, who: str, path: str, **params: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", headers=self.keys[who], params=params, timeout=30)

    def post(self, who: str, path: str, json: Any, **headers: str) -> httpx.Response:
        return httpx.post(
            f"{self.url}{path}", headers={**self.keys[who], **headers}, json=json, timeout=30
        )


def _order(po: str, supplier: str, items: list[str], order_date: dt.date) -> PurchaseOrder:
    return PurchaseOrder(
        po_number=po,
        order_date=order_date,
        supplier_id=supplier,
        lines=[
            PurchaseOrderLine(
                line_number=str(n),
                quantity=Decimal(10),
                uom="EA",
                unit_price=Decimal("2.50"),
                buyer_item=item,
                requested_date=DAY,
            )
            for n, item in enumerate(items, start=1)
        ],
        provenance=ERP,
    )


def _schedule(schedule_id: str, supplier: str, item: str) -> PlanningSchedule:
    return PlanningSchedule(
        schedule_id=schedule_id,
        horizon_start=DAY,
        horizon_end=DAY + dt.timedelta(weeks=4, days=-1),
        supplier_id=supplier,
        lines=[
            PlanningScheduleLine(buyer_item=item, uom="EA", forecasts=[
                ForecastBucket(quantity=Decimal(40), kind="firm", period="weekly",
                               start=DAY + dt.timedelta(weeks=w))
                for w in range(4)
            ])
        ],
        provenance=ERP,
    )  # fmt: skip


def populate(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        save_segments(
            session,
            [
                Segment(id="FAST", name="Fast", service_level_target=0.98),
                Segment(id="SEAS", name="Seasonal", service_level_target=0.95),
            ],
        )
        save_suppliers(
            session,
            [
                Supplier(
                    id="SUP001",
                    name="One",
                    tier="preferred",
                    segments=[SupplierSegment(segment_id="FAST", role="execution_only")],
                ),
                Supplier(
                    id="SUP002",
                    name="Two",
                    tier="strategic",
                    segments=[SupplierSegment(segment_id="SEAS", role="advisory")],
                ),
            ],
        )
        save_items(session, [
            Item(id="I-FAST", segment_id="FAST", lifecycle_stage="maturity", lead_time_days=7),
            Item(id="I-FAST2", segment_id="FAST", lifecycle_stage="maturity", lead_time_days=7),
            Item(id="I-SEAS", segment_id="SEAS", lifecycle_stage="maturity", lead_time_days=7),
        ])  # fmt: skip
        save_document(session, _order("PO-A", "SUP001", ["I-FAST", "I-FAST2"], DAY))
        save_document(session, _order("PO-B", "SUP002", ["I-SEAS"], DAY - dt.timedelta(days=20)))
        save_document(session, _schedule("FC-1", "SUP001", "I-FAST"))
        save_document(session, _schedule("FC-2", "SUP002", "I-SEAS"))
        save_document(
            session,
            ShipNotice(
                shipment_id="SH-A",
                ship_date=DAY - dt.timedelta(days=2),
                expected_delivery=DAY,
                supplier_id="SUP001",
                provenance=Provenance(channel=Channel.API, partner_id="SUP001"),
                lines=[
                    ShipNoticeLine(
                        po_number="PO-A",
                        line_number="1",
                        buyer_item="I-FAST",
                        quantity=Decimal(20),
                        uom="EA",
                    )
                ],
            ),
        )
        save_document(session, Receipt(
            receipt_id="RC-A", received_date=DAY, location_id="DC1", shipment_id="SH-A",
            provenance=ERP,
            lines=[ReceiptLine(po_number="PO-A", line_number="1", buyer_item="I-FAST",
                               quantity_received=Decimal(8), uom="EA")],
        ))  # fmt: skip


def issue_keys(database_url: str) -> dict[str, dict[str, str]]:
    """Headers per caller: sup1, sup2, sup1-readonly, planner, admin."""
    tokens = {
        "sup1": issue_key(database_url, "supplier:SUP001", "supplier", supplier_id="SUP001",
                          grants=[["g", "supplier:SUP001", "role:execution_only", "FAST"]]),
        "sup2": issue_key(database_url, "supplier:SUP002", "supplier", supplier_id="SUP002",
                          grants=[["g", "supplier:SUP002", "role:advisory", "SEAS"]]),
        "sup1-readonly": issue_key(database_url, "supplier:SUP001", "supplier",
                                   supplier_id="SUP001", scopes=("read",)),
        "planner": issue_key(database_url, "planner:ann", "planner",
                             grants=[["g", "planner:ann", "role:planner", "FAST"]]),
        "admin": issue_key(database_url, "admin:root", "admin",
                           grants=[["g", "admin:root", "role:admin", "*"]]),
    }  # fmt: skip
    return {who: bearer(token) for who, token in tokens.items()}
