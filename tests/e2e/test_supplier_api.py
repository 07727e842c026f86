"""The supplier REST API over real HTTP: acknowledgments, filtered reads, schedules, scorecard.

The world: segments FAST and SEAS; SUP001 serves FAST, SUP002 serves SEAS; a planner plans
FAST. PO-A (SUP001: lines 1 I-FAST, 2 I-FAST2) and PO-B (SUP002: line 1 I-SEAS); a planning
schedule for each supplier; line 1 of PO-A was shipped (10) and received short (8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
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
from gateway.quality_run import run_quality
from gateway.settings import Settings
from gateway.store import save_document
from gateway.store.master import save_items, save_segments, save_suppliers
from tests.support import bearer, issue_key, serve

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


def _populate(sessions: sessionmaker[Session]) -> None:
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


@pytest.fixture
def world(database_url: str, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[World]:
    _populate(sessions)
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
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        yield World(url, {k: bearer(v) for k, v in tokens.items()})


def _ack(po: str = "PO-A", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "po_number": po,
        "status": "accepted_with_changes",
        "acknowledgment_date": "2026-10-21",
        "lines": [
            {"line_number": "1", "status": "accepted"},
            {"line_number": "2", "status": "changed", "quantity": 8, "unit_price": 2.75,
             "scheduled_date": "2026-11-06"},
        ],
    }  # fmt: skip
    body.update(changes)
    return body


def test_a_supplier_acknowledges_its_po_once_per_key(world: World) -> None:
    first = world.post("sup1", "/api/v1/po-acknowledgments", _ack(), **{"Idempotency-Key": "a1"})
    assert first.status_code == 202, first.text
    again = world.post("sup1", "/api/v1/po-acknowledgments", _ack(), **{"Idempotency-Key": "a1"})
    assert again.json() == {**first.json(), "duplicate": True}
    other = world.post("sup1", "/api/v1/po-acknowledgments", _ack(status="rejected", lines=[]),
                       **{"Idempotency-Key": "a1"})  # fmt: skip
    assert other.status_code == 409 and other.headers["content-type"] == PROBLEM
    message = world.get("sup1", f"/api/v1/messages/{first.json()['message_id']}")
    assert message.json()["documents"]["po_acknowledgment"] == [1]
    tag = message.headers["etag"]
    unchanged = httpx.get(message.url, headers={**world.keys["sup1"], "If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""


@pytest.mark.parametrize(
    ("who", "po", "field"),
    [
        ("sup1", "PO-B", "po_number"),  # another supplier's PO: the same answer as none at all
        ("sup1", "PO-NONE", "po_number"),
        ("sup2", "PO-A", "po_number"),
    ],
)
def test_an_acknowledgment_of_a_po_the_sender_cannot_see_is_422(
    world: World, who: str, po: str, field: str
) -> None:
    answer = world.post(who, "/api/v1/po-acknowledgments", _ack(po, lines=[]))
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["errors"][0]["field"] == field
    assert problem["errors"][0]["type"] == "reference.unknown_po"
    kept = world.get(who, f"/api/v1/messages/{problem['message_id']}").json()
    assert kept["status"] == "failed"  # stored raw all the same


def test_an_acknowledgment_names_the_bad_line_and_field(world: World) -> None:
    body = _ack(lines=[{"line_number": "1", "status": "accepted"},
                       {"line_number": "9", "status": "rejected"}])  # fmt: skip
    unknown = world.post("sup1", "/api/v1/po-acknowledgments", body)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "lines.1.line_number"
    vague = _ack(lines=[{"line_number": "2", "status": "changed"}])
    invalid = world.post("sup1", "/api/v1/po-acknowledgments", vague)
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "lines.0"
    anytype = world.post("sup1", "/api/v1/documents", {"type": "po_acknowledgment", **body})
    assert anytype.json()["errors"][0]["field"] == "po_acknowledgment.lines.1.line_number"
    readonly = world.post("sup1-readonly", "/api/v1/po-acknowledgments", _ack())
    assert readonly.status_code == 403
    planner = world.post("planner", "/api/v1/po-acknowledgments", _ack())
    assert planner.status_code == 403  # planners do not acknowledge for suppliers


def test_an_admin_acknowledgment_takes_the_po_supplier(world: World, database_url: str) -> None:
    answer = world.post("admin", "/api/v1/po-acknowledgments", _ack("PO-B", lines=[]))
    assert answer.status_code == 202, answer.text
    wrong = world.post("admin", "/api/v1/po-acknowledgments",
                       _ack("PO-B", lines=[], supplier_id="SUP001"))  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "supplier_id"
    rejected = world.get("sup2", "/api/v1/purchase-orders", status="accepted_with_changes")
    assert [o["po_number"] for o in rejected.json()["items"]] == ["PO-B"]


def test_the_quality_batch_compares_the_acknowledgment_with_the_po(
    world: World, sessions: sessionmaker[Session]
) -> None:
    assert world.post("sup1", "/api/v1/po-acknowledgments", _ack()).status_code == 202
    run = run_quality(sessions, dt.datetime(2026, 10, 22, tzinfo=dt.UTC))
    for rule in ("ACK_QUANTITY_CHANGED", "ACK_PRICE_CHANGED", "ACK_DATE_CHANGED"):
        assert run.by_rule[rule] == 1, run.by_rule
    mine = world.get("sup1", "/api/v1/findings", rule="ACK_PRICE_CHANGED").json()["items"]
    assert [(f["doc_key"], f["line"]) for f in mine] == [("PO-A", "2")]
    assert world.get("sup2", "/api/v1/findings", rule="ACK_PRICE_CHANGED").json()["items"] == []


def test_purchase_orders_filter_by_date_and_status(world: World) -> None:
    def numbers(who: str, **params: Any) -> list[str]:
        answer = world.get(who, "/api/v1/purchase-orders", **params)
        assert answer.status_code == 200, answer.text
        return [o["po_number"] for o in answer.json()["items"]]

    assert numbers("admin", date_from="2026-10-20") == ["PO-A"]
    assert numbers("admin", date_to="2026-10-20") == ["PO-B"]
    assert numbers("admin", status="unacknowledged") == ["PO-A", "PO-B"]
    assert world.post("sup1", "/api/v1/po-acknowledgments", _ack()).status_code == 202
    assert numbers("sup1", status="accepted_with_changes") == ["PO-A"]
    assert numbers("sup1", status="unacknowledged") == []
    assert numbers("admin", status="unacknowledged") == ["PO-B"]
    upside = world.get("admin", "/api/v1/purchase-orders", date_from="2026-11-02",
                       date_to="2026-11-01")  # fmt: skip
    assert upside.status_code == 422 and upside.json()["errors"][0]["field"] == "query.date_to"
    bad = world.get("admin", "/api/v1/purchase-orders", status="lost")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.status"
    assert world.get("sup1", "/api/v1/purchase-orders/PO-B").status_code == 404  # not 403


def test_a_supplier_reads_the_schedules_addressed_to_it(world: World) -> None:
    mine = world.get("sup1", "/api/v1/planning-schedules")
    assert mine.status_code == 200
    assert [s["schedule_id"] for s in mine.json()["items"]] == ["FC-1"]
    assert len(mine.json()["items"][0]["lines"][0]["forecasts"]) == 4
    again = httpx.get(
        mine.url, headers={**world.keys["sup1"], "If-None-Match": mine.headers["etag"]}
    )
    assert again.status_code == 304
    one = world.get("sup1", "/api/v1/planning-schedules/FC-1")
    assert one.status_code == 200 and one.json()["supplier_id"] == "SUP001"
    other = world.get("sup1", "/api/v1/planning-schedules/FC-2")
    assert other.status_code == 404 and other.headers["content-type"] == PROBLEM
    planner = world.get("planner", "/api/v1/planning-schedules").json()["items"]
    assert [s["schedule_id"] for s in planner] == ["FC-1"]  # only FAST items
    later = world.get("admin", "/api/v1/planning-schedules", date_from="2026-12-01")
    assert later.json()["items"] == []
    page = world.get("admin", "/api/v1/planning-schedules", limit=1).json()
    rest = world.get("admin", "/api/v1/planning-schedules", cursor=page["next_cursor"]).json()
    assert [s["schedule_id"] for s in page["items"] + rest["items"]] == ["FC-1", "FC-2"]


def test_a_supplier_reads_its_scorecard(world: World) -> None:
    card = world.get("sup1", "/api/v1/scorecard")
    assert card.status_code == 200, card.text
    body = card.json()
    assert body["source"] == "computed" and body["freq"] == "M"
    (period,) = body["periods"]
    assert (period["supplier_id"], period["segment_id"], period["period"]) == (
        "SUP001", "FAST", "2026-11-01")  # fmt: skip
    assert period["lines"] == 2 and period["otif"] == 0  # 8 of 10, and nothing of line 2
    assert period["fill_rate"] == pytest.approx(8 / 20) and period["asn_accuracy"] == 0
    assert period["rank"] is None  # suppliers see no peers
    other = world.get("sup1", "/api/v1/scorecard", supplier_id="SUP002").json()
    assert other["periods"] == body["periods"]  # its own, whatever it names
    assert world.get("sup2", "/api/v1/scorecard").json()["periods"][0]["supplier_id"] == "SUP002"
    planner = world.get("planner", "/api/v1/scorecard").json()["periods"]
    assert [p["supplier_id"] for p in planner] == ["SUP001"] and planner[0]["rank"] == 1
    wrong = world.get("sup1", "/api/v1/scorecard", freq="D")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "query.freq"
