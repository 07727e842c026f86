"""X12 over real HTTP: store first, 202 with the message id, the 997 to fetch, once only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.edi import EnvelopeParams, render_document
from gateway.app import create_app
from gateway.model import PurchaseOrder, Segment, ShipNotice, Supplier, SupplierSegment
from gateway.settings import Settings
from gateway.store import load_document
from gateway.store.document_tables import ShipNoticeRow
from gateway.store.master import save_segments, save_suppliers
from tests.support import bearer, issue_key, serve

DATA = Path(__file__).resolve().parents[1] / "data" / "canonical"
X12 = {"Content-Type": "application/edi-x12"}


def interchange(model: type[ShipNotice | PurchaseOrder], name: str, control: int) -> bytes:
    document = model.model_validate_json((DATA / name).read_text())
    params = EnvelopeParams(
        sender_id="SUP001",
        receiver_id="ACME-BUYER",
        interchange_control_number=control,
        group_control_number=control,
    )
    return render_document(document, params).encode()


@pytest.fixture
def world(
    database_url: str, engine: Engine, sessions: sessionmaker[Session]
) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    with sessions.begin() as session:
        save_segments(session, [Segment(id="FAST", name="Fast", service_level_target=0.98)])
        save_suppliers(
            session,
            [
                Supplier(
                    id="SUP001",
                    name="One",
                    tier="strategic",
                    segments=[SupplierSegment(segment_id="FAST")],
                )
            ],
        )
    supplier = bearer(
        issue_key(
            database_url,
            "supplier:SUP001",
            "supplier",
            supplier_id="SUP001",
            grants=[["g", "supplier:SUP001", "role:execution_only", "FAST"]],
        )
    )
    admin = bearer(
        issue_key(
            database_url, "admin:root", "admin", grants=[["g", "admin:root", "role:admin", "*"]]
        )
    )
    with serve(create_app(Settings(database_url=database_url), engine=engine)) as url:
        yield url, supplier, admin


def test_a_ship_notice_is_stored_acknowledged_and_normalised(
    world: tuple[str, dict[str, str], dict[str, str]], sessions: sessionmaker[Session]
) -> None:
    url, supplier, _ = world
    answer = httpx.post(
        f"{url}/api/v1/x12",
        content=interchange(ShipNotice, "ship_notice.json", 7),
        headers={**supplier, **X12},
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["accepted"] is True and body["documents"] == 1
    assert body["interchanges"] == [
        {
            "sender": "ZZ:SUP001",
            "control_number": "000000007",
            "accepted": True,
            "sets": 1,
            "accepted_sets": 1,
        }
    ]
    ack = httpx.get(f"{url}{body['ack_url']}", headers=supplier)
    assert ack.status_code == 200 and ack.headers["content-type"].startswith("application/edi-x12")
    assert "AK1*SH*7" in ack.text and "AK9*A*1*1*1" in ack.text
    status = httpx.get(f"{url}/api/v1/messages/{body['message_id']}", headers=supplier).json()
    (row_id,) = status["documents"]["ship_notice"]
    with sessions() as session:
        notice = load_document(session, "ship_notice", row_id)
    expected = json.loads((DATA / "ship_notice.json").read_text())
    assert isinstance(notice, ShipNotice) and notice.shipment_id == expected["shipment_id"]
    assert notice.supplier_id == "SUP001" and notice.envelope is not None
    assert notice.envelope.interchange_control_number == "000000007"
    assert [line.quantity for line in notice.lines] == [ln["quantity"] for ln in expected["lines"]]


def test_a_resent_interchange_is_recognised_and_stored_once(
    world: tuple[str, dict[str, str], dict[str, str]], sessions: sessionmaker[Session]
) -> None:
    url, supplier, _ = world
    data = interchange(ShipNotice, "ship_notice.json", 8)
    first = httpx.post(f"{url}/api/v1/x12", content=data, headers={**supplier, **X12}).json()
    again = httpx.post(
        f"{url}/api/v1/x12", content=data + b"\r\n", headers={**supplier, **X12}
    ).json()
    assert again["duplicate"] is True and again["message_id"] == first["message_id"]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ShipNoticeRow)) == 1


def test_a_broken_set_is_rejected_in_the_997_and_stores_nothing(
    world: tuple[str, dict[str, str], dict[str, str]], sessions: sessionmaker[Session]
) -> None:
    url, supplier, _ = world
    text = interchange(ShipNotice, "ship_notice.json", 9).decode()
    se = next(seg.strip() for seg in text.split("~") if seg.strip().startswith("SE*"))
    broken = text.replace(se, "SE*999*" + se.split("*")[2])  # a wrong segment count
    answer = httpx.post(f"{url}/api/v1/x12", content=broken.encode(), headers={**supplier, **X12})
    assert answer.status_code == 202
    assert answer.json()["accepted"] is False and answer.json()["documents"] == 0
    ack = httpx.get(f"{url}{answer.json()['ack_url']}", headers=supplier).text
    assert "AK5*R" in ack and "AK9*R" in ack
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ShipNoticeRow)) == 0


def test_acknowledgments_take_the_next_control_number_per_partner(
    world: tuple[str, dict[str, str], dict[str, str]],
) -> None:
    url, supplier, _ = world
    numbers = []
    for control in (10, 11):
        sent = httpx.post(
            f"{url}/api/v1/x12",
            headers={**supplier, **X12},
            content=interchange(ShipNotice, "ship_notice.json", control),
        ).json()
        ack = httpx.get(f"{url}{sent['ack_url']}", headers=supplier).text
        numbers.append(ack.split("~")[0].strip().split("*")[13])
    assert numbers == ["000000001", "000000002"]


def test_not_x12_is_kept_and_answered_422(
    world: tuple[str, dict[str, str], dict[str, str]],
) -> None:
    url, supplier, _ = world
    answer = httpx.post(
        f"{url}/api/v1/x12", content=b"hello, this is not EDI", headers={**supplier, **X12}
    )
    assert answer.status_code == 422 and answer.json()["message_id"]
    status = httpx.get(
        f"{url}/api/v1/messages/{answer.json()['message_id']}", headers=supplier
    ).json()
    assert status["status"] == "failed" and status["error"]


def test_a_supplier_may_not_send_purchase_orders(
    world: tuple[str, dict[str, str], dict[str, str]], sessions: sessionmaker[Session]
) -> None:
    url, supplier, admin = world
    data = interchange(PurchaseOrder, "purchase_order.json", 12)
    refused = httpx.post(f"{url}/api/v1/x12", content=data, headers={**supplier, **X12})
    assert refused.status_code == 403 and refused.json()["message_id"]
    accepted = httpx.post(f"{url}/api/v1/x12", content=data, headers={**admin, **X12})
    assert accepted.status_code == 202 and accepted.json()["documents"] == 1


def test_another_partner_cannot_read_the_ack(
    world: tuple[str, dict[str, str], dict[str, str]],
    database_url: str,
) -> None:
    url, supplier, _ = world
    sent = httpx.post(
        f"{url}/api/v1/x12",
        headers={**supplier, **X12},
        content=interchange(ShipNotice, "ship_notice.json", 13),
    ).json()
    with_other = bearer(
        issue_key(
            database_url,
            "integration:ops",
            "integration",
            grants=[["g", "integration:ops", "role:integration", "*"]],
        )
    )
    assert httpx.get(f"{url}{sent['ack_url']}", headers=with_other).status_code == 200
    assert httpx.get(f"{url}{sent['ack_url']}").status_code == 401
