"""Every query of the graph over real HTTP, with filters, sorts and cursors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.graphql.examples import EXAMPLES
from tests.e2e.graphql_world import World, graphql_world


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with graphql_world() as built:
        yield built


def test_me_names_the_principal_and_its_segments(world: World) -> None:
    me = world.data("{ me { principalId kind supplierId keyScopes segments } }", as_="planner")
    assert me["me"]["kind"] == "planner" and me["me"]["segments"] == sorted(world.planner_segments)
    admin = world.data("{ me { kind segments } }")["me"]
    assert admin == {"kind": "admin", "segments": None}


def test_segments_page_with_opaque_cursors(world: World) -> None:
    query = """query($after: String) { segments(first: 4, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        nodes { id name serviceLevelTarget itemCount openFindingCount
                policy { forecastMethods reviewCycleDays serviceMeasure } } } }"""
    first = world.data(query)["segments"]
    assert first["totalCount"] == len(world.segments)
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    rest = world.data(query, {"after": first["pageInfo"]["endCursor"]})["segments"]
    ids = [s["id"] for s in first["nodes"] + rest["nodes"]]
    assert ids == sorted(world.segments) and not rest["pageInfo"]["hasNextPage"]
    assert sum(s["itemCount"] for s in first["nodes"] + rest["nodes"]) == 60
    assert all(s["policy"]["forecastMethods"] for s in first["nodes"])


def test_a_bad_cursor_or_page_size_is_a_clear_error(world: World) -> None:
    bad = world.query('{ segments(after: "bm9wZQ") { nodes { id } } }').json()
    assert "invalid cursor" in bad["errors"][0]["message"]
    other_sort = world.data("{ items(first: 1) { pageInfo { endCursor } } }")
    cursor = other_sort["items"]["pageInfo"]["endCursor"]
    wrong = world.query(f'{{ segments(after: "{cursor}") {{ nodes {{ id }} }} }}').json()
    assert "made for sort item.id" in wrong["errors"][0]["message"]
    huge = world.query("{ items(first: 5000) { nodes { id } } }").json()
    assert "first must be between 1 and 500" in huge["errors"][0]["message"]


def test_items_filter_sort_and_relations(world: World) -> None:
    segment = world.segments[0]
    query = """query($f: ItemFilter, $after: String) {
      items(filter: $f, sort: LEAD_TIME_DESC, first: 5, after: $after) {
        totalCount pageInfo { endCursor hasNextPage }
        nodes { id segmentId leadTimeDays critical segment { id }
                sources { supplierId share isPrimary supplier { id name } } } } }"""
    page = world.data(query, {"f": {"segmentId": segment}})["items"]
    more = world.data(query, {"f": {"segmentId": segment}, "after": page["pageInfo"]["endCursor"]})
    nodes = page["nodes"] + more["items"]["nodes"]
    leads = [n["leadTimeDays"] for n in nodes]
    assert leads == sorted(leads, reverse=True) and len({n["id"] for n in nodes}) == len(nodes)
    assert {n["segmentId"] for n in nodes} == {segment} and nodes[0]["segment"]["id"] == segment
    assert all(s["supplier"]["id"] == s["supplierId"] for n in nodes for s in n["sources"])
    supplied = world.data(query, {"f": {"supplierId": world.supplier_id}})["items"]
    assert all(
        any(s["supplierId"] == world.supplier_id for s in n["sources"]) for n in supplied["nodes"]
    )
    one = world.data('{ item(id: "ITM00001") { id uom } missing: item(id: "NOPE") { id } }')
    assert one["item"]["id"] == "ITM00001" and one["missing"] is None


def test_suppliers_and_locations(world: World) -> None:
    data = world.data(
        """query($seg: ID) { suppliers(segmentId: $seg, first: 50) { totalCount
             nodes { id tier segments { segmentId role segment { id } } openFindingCount
                     items(first: 3) { totalCount nodes { id } } } }
           locations { nodes { id name kind country } } }""",
        {"seg": world.segments[0]},
    )
    suppliers = data["suppliers"]["nodes"]
    assert suppliers and all(
        world.segments[0] in {s["segmentId"] for s in sup["segments"]} for sup in suppliers
    )
    assert all(sup["items"]["totalCount"] >= len(sup["items"]["nodes"]) for sup in suppliers)
    assert len(data["locations"]["nodes"]) == 3
    one = world.data(f'{{ supplier(id: "{world.supplier_id}") {{ id name }} }}')
    assert one["supplier"]["id"] == world.supplier_id


def test_purchase_orders_filters_status_and_lines(world: World) -> None:
    query = """query($f: PurchaseOrderFilter, $sort: OrderSort) {
      purchaseOrders(filter: $f, sort: $sort, first: 20) { totalCount
        nodes { id poNumber orderDate status supplierId supplier { id }
                lines { lineNumber buyerItem quantity receivedQuantity openQuantity
                        item { id segmentId } purchaseOrder { poNumber } } } } }"""
    every = world.data(query)["purchaseOrders"]
    dates = [o["orderDate"] for o in every["nodes"]]
    assert dates == sorted(dates, reverse=True)
    opened = world.data(query, {"f": {"status": "OPEN"}})["purchaseOrders"]
    closed = world.data(query, {"f": {"status": "CLOSED"}})["purchaseOrders"]
    assert opened["totalCount"] + closed["totalCount"] == every["totalCount"]
    assert all(o["status"] == "OPEN" for o in opened["nodes"])
    assert all(o["status"] == "CLOSED" for o in closed["nodes"])
    assert all(any(float(line["openQuantity"]) > 0 for line in o["lines"]) for o in opened["nodes"])
    window = {"orderedFrom": dates[-1], "orderedTo": dates[0], "supplierId": world.supplier_id}
    mine = world.data(query, {"f": window, "sort": "ORDER_DATE"})["purchaseOrders"]["nodes"]
    assert mine and {o["supplierId"] for o in mine} == {world.supplier_id}
    assert [o["orderDate"] for o in mine] == sorted(o["orderDate"] for o in mine)
    seg = world.segments[1]
    in_segment = world.data(query, {"f": {"segmentId": seg}})["purchaseOrders"]["nodes"]
    assert all(any(x["item"]["segmentId"] == seg for x in o["lines"]) for o in in_segment)
    po = every["nodes"][0]["poNumber"]
    one = world.data(f'{{ purchaseOrder(poNumber: "{po}") {{ poNumber lines {{ quantity }} }} }}')
    assert one["purchaseOrder"]["poNumber"] == po


def test_ship_notices_and_their_orders_and_findings(world: World) -> None:
    query = """query($f: ShipNoticeFilter) { shipNotices(filter: $f, first: 30) { totalCount
        nodes { shipmentId shipDate expectedDelivery carrier supplier { id }
                lines { poNumber buyerItem quantity item { id } }
                findings(first: 5) { totalCount nodes { rule docKey } } } } }"""
    notices = world.data(query)["shipNotices"]["nodes"]
    assert notices and any(n["findings"]["totalCount"] for n in notices)
    assert all(f["docKey"] == n["shipmentId"] for n in notices for f in n["findings"]["nodes"])
    po = next(line["poNumber"] for n in notices for line in n["lines"] if line["poNumber"])
    shipping = world.data(query, {"f": {"poNumber": po}})["shipNotices"]["nodes"]
    assert shipping and all(any(x["poNumber"] == po for x in n["lines"]) for n in shipping)
    via_order = world.data(
        f'{{ purchaseOrder(poNumber: "{po}") {{ shipNotices {{ nodes {{ shipmentId }} }} }} }}'
    )
    assert {n["shipmentId"] for n in via_order["purchaseOrder"]["shipNotices"]["nodes"]} == {
        n["shipmentId"] for n in shipping
    }


def test_planning_schedules_with_forecast_buckets(world: World) -> None:
    data = world.data(
        """{ planningSchedules(first: 5) { totalCount
             nodes { scheduleId horizonStart horizonEnd supplier { id }
                     lines { buyerItem item { id }
                             forecasts { quantity kind period start } } } } }"""
    )["planningSchedules"]
    assert data["totalCount"] > 0
    buckets = data["nodes"][0]["lines"][0]["forecasts"]
    assert len(buckets) == 13 and {b["kind"] for b in buckets} == {"firm", "planning"}
    start = data["nodes"][0]["horizonStart"]
    later = world.data('{ planningSchedules(filter: {periodFrom: "2099-01-01"}) { totalCount } }')
    assert later["planningSchedules"]["totalCount"] == 0 and start


def test_findings_filters_sort_and_summary(world: World) -> None:
    query = """query($f: FindingFilter, $sort: FindingSort, $after: String) {
      findings(filter: $f, sort: $sort, first: 25, after: $after) {
        totalCount pageInfo { endCursor hasNextPage }
        nodes { id fingerprint rule severity state lastSeen firstSeen values
                segment { id } supplier { id } } }
      findingSummary(filter: $f) { rule severity state count } }"""
    filt = {"severities": ["ERROR", "WARNING"], "states": ["OPEN"]}
    page = world.data(query, {"f": filt})
    nodes, total = page["findings"]["nodes"], page["findings"]["totalCount"]
    assert nodes and {n["severity"] for n in nodes} <= {"ERROR", "WARNING"}
    assert total == sum(row["count"] for row in page["findingSummary"])
    nxt = world.data(query, {"f": filt, "after": page["findings"]["pageInfo"]["endCursor"]})
    seen = [n["id"] for n in nodes + nxt["findings"]["nodes"]]
    assert len(seen) == len(set(seen))
    rule = nodes[0]["rule"]
    by_rule = world.data(query, {"f": {"rules": [rule]}, "sort": "FIRST_SEEN"})["findings"]
    assert {n["rule"] for n in by_rule["nodes"]} == {rule}
    seg = world.data(query, {"f": {"segmentId": world.segments[0]}})["findings"]["nodes"]
    assert {n["segment"]["id"] for n in seg} == {world.segments[0]}
    ranged = world.data(query, {"f": {"lastSeenFrom": "2099-01-01T00:00:00Z"}})
    assert ranged["findings"]["totalCount"] == 0


def test_partner_health_lists_the_dead_letter(world: World) -> None:
    data = world.data(
        """{ partnerHealth(filter: {onlyUnhealthy: true}) { totalCount
             nodes { partnerId documentType deadLetters queueDepth breakers { url state }
                     errorRateLastHour supplier { id } } } }""",
        as_="integration",
    )["partnerHealth"]
    row = next(n for n in data["nodes"] if n["partnerId"] == world.supplier_id)
    assert row["deadLetters"] >= 1 and row["documentType"] == "purchase_order"
    assert row["supplier"]["id"] == world.supplier_id


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_documented_example_runs(world: World, name: str) -> None:
    variables = {"segment": world.segments[0], "supplier": world.supplier_id, "fingerprint": "x"}
    text = EXAMPLES[name]
    used = {k: v for k, v in variables.items() if f"${k}" in text}
    world.data(text, used)


def test_graphiql_page_holds_the_examples(world: World) -> None:
    page = httpx.get(f"{world.url}/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert "query SegmentOverview" in page.text and "Bearer gw_" in page.text


def test_the_docs_show_the_examples_the_tests_run() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "graphql.md").read_text()
    for name, text in EXAMPLES.items():
        assert text in docs, f"docs/graphql.md lacks the example {name} as examples.py has it"
