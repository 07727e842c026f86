"""The scope matrix over GraphQL: supplier, planner, integration, admin and no key, through
top-level lists, nested relations and aliases (scoping is in the loaders' SQL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gateway.store.tables import AuditRow, ItemRow, ItemSourceRow
from tests.e2e.graphql_world import World, graphql_world


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with graphql_world() as built:
        yield built


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    errors: list[dict[str, Any]] = response.json().get("errors", [])
    return errors


def test_no_key_or_a_bad_key_is_a_401_with_its_code(world: World) -> None:
    missing = world.query("{ me { principalId } }", as_=None)
    assert missing.status_code == 401 and missing.json()["code"] == "access.key_missing"
    bad = httpx.post(
        f"{world.url}/graphql",
        json={"query": "{ me { kind } }"},
        headers={"Authorization": "Bearer gw_nope_nope"},
    )
    assert bad.status_code == 401 and bad.json()["code"].startswith("access.key_")
    assert bad.headers["www-authenticate"] == "Bearer"
    with world.sessions() as session:
        denied = session.scalars(
            select(AuditRow).where(
                AuditRow.action == "access.denied", AuditRow.subject_id.like("%/graphql")
            )
        ).all()
    assert denied


ORDERS = """{ purchaseOrders(first: 200) { totalCount nodes { poNumber supplierId
               lines { buyerItem item { segmentId } } } } }"""


def test_a_supplier_sees_only_its_own_documents(world: World) -> None:
    own = world.supplier_id
    orders = world.data(ORDERS, as_="supplier")["purchaseOrders"]
    assert orders["totalCount"] > 0 and {o["supplierId"] for o in orders["nodes"]} == {own}
    everyone = world.data(ORDERS)["purchaseOrders"]["nodes"]
    other = next(o["poNumber"] for o in everyone if o["supplierId"] != own)
    aliased = world.data(
        f"{{ mine: purchaseOrders(first: 1) {{ nodes {{ poNumber }} }}"
        f' theirs: purchaseOrder(poNumber: "{other}") {{ poNumber }} }}',
        as_="supplier",
    )
    assert aliased["theirs"] is None and aliased["mine"]["nodes"]
    notices = world.data("{ shipNotices(first: 200) { nodes { supplierId } } }", as_="supplier")
    assert {n["supplierId"] for n in notices["shipNotices"]["nodes"]} == {own}
    findings = world.data("{ findings(first: 500) { nodes { supplierId } } }", as_="supplier")
    assert {f["supplierId"] for f in findings["findings"]["nodes"]} == {own}
    schedules = world.data("{ planningSchedules { nodes { supplierId } } }", as_="supplier")
    assert {s["supplierId"] for s in schedules["planningSchedules"]["nodes"]} == {own}


def test_a_supplier_cannot_reach_other_suppliers_through_nesting(world: World) -> None:
    own = world.supplier_id
    with world.sessions() as session:
        dual = session.scalars(
            select(ItemSourceRow.item_id)
            .where(ItemSourceRow.supplier_id == own)
            .where(
                ItemSourceRow.item_id.in_(
                    select(ItemSourceRow.item_id).where(ItemSourceRow.supplier_id != own)
                )
            )
        ).first()
        foreign = session.scalars(
            select(ItemRow.id).where(
                ~ItemRow.id.in_(
                    select(ItemSourceRow.item_id).where(ItemSourceRow.supplier_id == own)
                )
            )
        ).first()
    assert dual and foreign
    data = world.data(
        f"""{{ item(id: "{dual}") {{ sources {{ supplierId supplier {{ id }} }} }}
              other: item(id: "{foreign}") {{ id }}
              suppliers {{ totalCount nodes {{ id }} }} }}""",
        as_="supplier",
    )
    seen = {s["supplierId"]: s["supplier"] for s in data["item"]["sources"]}
    assert seen[own] == {"id": own}
    assert all(v is None for k, v in seen.items() if k != own)
    assert data["other"] is None
    assert [s["id"] for s in data["suppliers"]["nodes"]] == [own]
    lines = world.data(
        f'{{ item(id: "{dual}") {{ purchaseOrderLines(first: 500) {{ nodes {{ purchaseOrder'
        f" {{ supplierId }} }} }} }} }}",
        as_="supplier",
    )["item"]["purchaseOrderLines"]["nodes"]
    assert lines and {x["purchaseOrder"]["supplierId"] for x in lines} == {own}


def test_a_supplier_has_no_partner_health(world: World) -> None:
    errors = _errors(world.query("{ partnerHealth { nodes { partnerId } } }", as_="supplier"))
    assert errors[0]["extensions"]["code"] == "access.forbidden"
    assert "health" in errors[0]["message"]


def test_a_planner_sees_only_its_segments(world: World) -> None:
    mine = set(world.planner_segments)
    segments = world.data("{ segments { nodes { id } } }", as_="planner")["segments"]["nodes"]
    assert {s["id"] for s in segments} == mine
    outside = next(s for s in world.segments if s not in mine)
    data = world.data(
        f'{{ a: segment(id: "{outside}") {{ id }} b: segment(id: "{world.segments[0]}") {{ id }}'
        f' items(filter: {{segmentId: "{outside}"}}) {{ totalCount }} }}',
        as_="planner",
    )
    assert data["a"] is None and data["b"] == {"id": world.segments[0]}
    assert data["items"]["totalCount"] == 0
    orders = world.data(ORDERS, as_="planner")["purchaseOrders"]["nodes"]
    assert orders and all(line["item"]["segmentId"] in mine for o in orders for line in o["lines"])
    findings = world.data(
        "{ findings(first: 500) { nodes { segmentId segment { id } } } }", as_="planner"
    )["findings"]["nodes"]
    assert findings and {f["segmentId"] for f in findings} <= mine
    suppliers = world.data(
        "{ suppliers(first: 100) { nodes { segments { segmentId } } } }", as_="planner"
    )["suppliers"]["nodes"]
    assert {s["segmentId"] for sup in suppliers for s in sup["segments"]} <= mine


def test_integration_sees_health_and_findings_but_no_commercial_documents(world: World) -> None:
    for query in (ORDERS, "{ shipNotices { nodes { shipmentId } } }"):
        errors = _errors(world.query(query, as_="integration"))
        assert errors and errors[0]["extensions"]["code"] == "access.forbidden"
    nested = world.query(
        '{ item(id: "ITM00001") { id purchaseOrderLines { nodes { poNumber } } } }',
        as_="integration",
    )
    errors = _errors(nested)
    assert errors[0]["path"] == ["item", "purchaseOrderLines"]
    assert nested.json()["data"]["item"] is None  # the non-null field nulls its parent
    counts = world.data(
        "{ findings { totalCount } partnerHealth { totalCount } segments { totalCount } }",
        as_="integration",
    )
    assert counts["findings"]["totalCount"] > 0 and counts["partnerHealth"]["totalCount"] > 0


def test_admin_sees_everything(world: World) -> None:
    admin = world.data("{ findings { totalCount } purchaseOrders { totalCount } }")
    planner = world.data("{ findings { totalCount } purchaseOrders { totalCount } }", as_="planner")
    assert admin["findings"]["totalCount"] > planner["findings"]["totalCount"]
    assert admin["purchaseOrders"]["totalCount"] > planner["purchaseOrders"]["totalCount"]
