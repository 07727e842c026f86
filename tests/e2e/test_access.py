"""Who sees what: a BOLA matrix over every route, with real keys, over real HTTP.

The world: segments FAST and SEAS; SUP001 serves FAST (execution only), SUP002 serves SEAS
(advisory); a planner plans FAST; PO-A is SUP001's with one FAST and one SEAS line; PO-B is
SUP002's with one SEAS line. Each supplier has sent one message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.app import create_app
from gateway.model import (
    Channel,
    Item,
    Provenance,
    PurchaseOrder,
    PurchaseOrderLine,
    Segment,
    Supplier,
    SupplierSegment,
)
from gateway.settings import Settings
from gateway.store import save_document, store_message
from gateway.store.master import save_items, save_segments, save_suppliers
from gateway.store.tables import AuditRow
from tests.support import bearer, issue_key, serve

KINDS = ("sup1", "sup2", "planner", "integration", "admin")


@dataclass
class World:
    url: str
    keys: dict[str, dict[str, str]]
    messages: dict[str, str]

    def get(self, who: str, path: str, **params: object) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", headers=self.keys[who], params=params)

    def post(self, who: str, path: str, json: object) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", headers=self.keys[who], json=json)


def _order(po: str, supplier: str, items: list[str]) -> PurchaseOrder:
    return PurchaseOrder(
        po_number=po,
        order_date=dt.date(2026, 11, 2),
        supplier_id=supplier,
        lines=[
            PurchaseOrderLine(
                line_number=str(n),
                quantity=Decimal(10),
                uom="EA",
                unit_price=Decimal("2.50"),
                buyer_item=item,
            )
            for n, item in enumerate(items, start=1)
        ],
        provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
    )


def _populate(sessions: sessionmaker[Session]) -> dict[str, str]:
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
        save_items(
            session,
            [
                Item(id="I-FAST", segment_id="FAST", lifecycle_stage="maturity", lead_time_days=7),
                Item(id="I-SEAS", segment_id="SEAS", lifecycle_stage="maturity", lead_time_days=7),
            ],
        )
        save_document(session, _order("PO-A", "SUP001", ["I-FAST", "I-SEAS"]))
        save_document(session, _order("PO-B", "SUP002", ["I-SEAS"]))
    return {
        supplier: store_message(
            sessions,
            partner_id=supplier,
            channel="api",
            content_type="application/json",
            body=f'{{"from": "{supplier}"}}'.encode(),
        ).message_id
        for supplier in ("SUP001", "SUP002")
    }


@pytest.fixture
def world(database_url: str, engine: Engine, sessions: sessionmaker[Session]) -> Iterator[World]:
    messages = _populate(sessions)
    tokens = {
        "sup1": issue_key(
            database_url,
            "supplier:SUP001",
            "supplier",
            supplier_id="SUP001",
            grants=[["g", "supplier:SUP001", "role:execution_only", "FAST"]],
        ),
        "sup2": issue_key(
            database_url,
            "supplier:SUP002",
            "supplier",
            supplier_id="SUP002",
            grants=[["g", "supplier:SUP002", "role:advisory", "SEAS"]],
        ),
        "planner": issue_key(
            database_url,
            "planner:ann",
            "planner",
            grants=[["g", "planner:ann", "role:planner", "FAST"]],
        ),
        "integration": issue_key(
            database_url,
            "integration:ops",
            "integration",
            grants=[["g", "integration:ops", "role:integration", "*"]],
        ),
        "admin": issue_key(
            database_url, "admin:root", "admin", grants=[["g", "admin:root", "role:admin", "*"]]
        ),
    }
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        yield World(url, {k: bearer(v) for k, v in tokens.items()}, messages)


def _orders(response: httpx.Response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.text
    return {
        po["po_number"]: [ln["buyer_item"] for ln in po["lines"]] for po in response.json()["items"]
    }


EXPECTED_ORDER_LISTS = {
    "sup1": {"PO-A": ["I-FAST"]},  # its own order, and only the lines of its segment
    "sup2": {"PO-B": ["I-SEAS"]},
    "planner": {"PO-A": ["I-FAST"]},  # every supplier, only the planner's segment
    "admin": {"PO-A": ["I-FAST", "I-SEAS"], "PO-B": ["I-SEAS"]},
}


@pytest.mark.parametrize("who", KINDS)
def test_purchase_order_list(world: World, who: str) -> None:
    response = world.get(who, "/api/v1/purchase-orders")
    if who == "integration":  # no commercial documents for integration engineers
        assert response.status_code == 403
        return
    assert _orders(response) == EXPECTED_ORDER_LISTS[who]


@pytest.mark.parametrize(
    ("who", "po", "status"),
    [
        ("sup1", "PO-A", 200),
        ("sup1", "PO-B", 404),  # guessing another supplier's PO
        ("sup2", "PO-B", 200),
        ("sup2", "PO-A", 404),
        ("planner", "PO-A", 200),
        ("planner", "PO-B", 404),  # PO-B has no FAST line
        ("integration", "PO-A", 404),
        ("admin", "PO-B", 200),
        ("admin", "PO-Z", 404),
    ],
)
def test_purchase_order_by_number(world: World, who: str, po: str, status: int) -> None:
    response = world.get(who, f"/api/v1/purchase-orders/{po}")
    assert response.status_code == status
    if status == 404:  # the same answer whether the record exists or not
        assert response.json()["title"] == "Not Found"


def test_pagination_cursor_never_leaves_the_scope(world: World) -> None:
    seen: list[str] = []
    cursor: int | None = 0
    while cursor is not None:
        page = world.get("admin", "/api/v1/purchase-orders", limit=1, cursor=cursor).json()
        seen += [po["po_number"] for po in page["items"]]
        cursor = page["next_cursor"]
    assert seen == ["PO-A", "PO-B"]
    for start in range(0, 4):  # a supplier walking every cursor still sees only its own
        page = world.get("sup2", "/api/v1/purchase-orders", limit=1, cursor=start).json()
        assert {po["po_number"] for po in page["items"]} <= {"PO-B"}


@pytest.mark.parametrize(
    ("who", "sender", "status"),
    [
        ("sup1", "SUP001", 200),
        ("sup1", "SUP002", 404),
        ("sup2", "SUP002", 200),
        ("sup2", "SUP001", 404),
        ("integration", "SUP001", 200),
        ("admin", "SUP002", 200),
    ],
)
def test_message_status(world: World, who: str, sender: str, status: int) -> None:
    response = world.get(who, f"/api/v1/messages/{world.messages[sender]}")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "segments"),
    [
        ("sup1", ["FAST"]),
        ("sup2", ["SEAS"]),
        ("planner", ["FAST"]),
        ("integration", ["FAST", "SEAS"]),
        ("admin", ["FAST", "SEAS"]),
    ],
)
def test_segments_visible(world: World, who: str, segments: list[str]) -> None:
    assert [s["id"] for s in world.get(who, "/api/v1/segments").json()] == segments


ASN = {
    "type": "ship_notice",
    "shipment_id": "SH-9",
    "ship_date": "2026-11-20",
    "lines": [{"po_number": "PO-A", "buyer_item": "I-FAST", "quantity": 5, "uom": "EA"}],
}


@pytest.mark.parametrize(
    ("who", "status"),
    [("sup1", 202), ("sup2", 202), ("planner", 403), ("integration", 403), ("admin", 202)],
)
def test_who_may_send_a_ship_notice(world: World, who: str, status: int) -> None:
    response = world.post(who, "/api/v1/documents", ASN)
    assert response.status_code == status, response.text
    assert "message_id" in response.json()  # stored either way: nothing is lost


def test_a_supplier_cannot_send_in_another_suppliers_name(world: World) -> None:
    response = world.post("sup1", "/api/v1/documents", {**ASN, "supplier_id": "SUP002"})
    assert response.status_code == 403
    assert "own documents" in response.json()["detail"]


def test_a_supplier_document_is_stamped_with_its_supplier(world: World) -> None:
    sent = world.post("sup2", "/api/v1/documents", {**ASN, "shipment_id": "SH-10"}).json()
    status = world.get("sup2", f"/api/v1/messages/{sent['message_id']}").json()
    assert status["partner_id"] == "SUP002" and status["status"] == "processed"


@pytest.mark.parametrize("who", ["sup1", "planner", "integration"])
@pytest.mark.parametrize(
    "path", ["/api/v1/admin/policies", "/api/v1/admin/keys", "/api/v1/admin/audit"]
)
def test_only_admins_administer(world: World, who: str, path: str) -> None:
    assert world.get(who, path).status_code == 403
    assert world.get("admin", path).status_code == 200


def test_me_describes_the_caller(world: World) -> None:
    me = world.get("sup2", "/api/v1/me").json()
    assert me["principal"] == "supplier:SUP002" and me["supplier_id"] == "SUP002"
    assert me["segments_readable"]["purchase_order"] == ["SEAS"]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "access.key_missing"),
        ("Basic abc", "access.key_malformed"),
        ("Bearer nonsense", "access.key_malformed"),
        ("Bearer gw_aaaaaaaaaaaa_" + "A" * 43, "access.key_unknown"),
    ],
)
def test_bad_keys_are_401_with_the_reason(world: World, header: str | None, code: str) -> None:
    headers = {"Authorization": header} if header else {}
    response = httpx.get(f"{world.url}/api/v1/purchase-orders", headers=headers)
    assert response.status_code == 401 and response.json()["code"] == code


def test_a_policy_change_applies_without_restart(world: World) -> None:
    assert [s["id"] for s in world.get("sup2", "/api/v1/segments").json()] == ["SEAS"]
    grant = {"rules": [["g", "supplier:SUP002", "role:execution_only", "FAST"]]}
    assert world.post("admin", "/api/v1/admin/policies", grant).json() == {"added": 1}
    assert [s["id"] for s in world.get("sup2", "/api/v1/segments").json()] == ["FAST", "SEAS"]
    # Another supplier's order stays out of reach even in a shared segment.
    assert world.get("sup2", "/api/v1/purchase-orders/PO-A").status_code == 404
    assert world.post("admin", "/api/v1/admin/policies/remove", grant).json() == {"removed": 1}
    assert [s["id"] for s in world.get("sup2", "/api/v1/segments").json()] == ["SEAS"]


def test_denials_are_audited(world: World, sessions: sessionmaker[Session]) -> None:
    world.get("sup1", "/api/v1/purchase-orders/PO-B")
    world.get("integration", "/api/v1/purchase-orders")
    httpx.get(f"{world.url}/api/v1/me")
    with sessions() as session:
        denied = session.scalars(
            select(AuditRow).where(AuditRow.action == "access.denied").order_by(AuditRow.id)
        ).all()
    assert [(d.actor, d.detail["status"]) for d in denied] == [
        ("supplier:SUP001", 404),
        ("integration:ops", 403),
        ("anonymous", 401),
    ]
    assert denied[0].subject_id == "GET /api/v1/purchase-orders/PO-B"


def test_malformed_policy_rules_are_refused(world: World) -> None:
    response = world.post("admin", "/api/v1/admin/policies", {"rules": [["x", "y"]]})
    assert response.status_code == 422 and "rule is" in response.json()["detail"]
