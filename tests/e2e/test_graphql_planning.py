"""Stored planning results over HTTP: forecasts, buffers, scorecards, proposals, thresholds
and segment health (items at risk), with the scope of each caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from gateway.graphql.pagination import DEFAULT_PAGE
from gateway.store.planning import latest_run
from gateway.store.tables import ItemRow, ItemSourceRow
from tests.e2e.graphql_world import World, graphql_world


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with graphql_world(plan=True) as built:
        yield built


FORECASTS = """locationId method mase wape bias
  periods { periodStart statistical lo80 hi80 lo95 hi95 supplierCommit override consensus
            source }"""
BUFFER = """serviceLevel safetyStock reorderPoint orderUpTo
  locations { locationId serviceLevel measure method demandMean safetyStock reorderPoint
              orderUpTo }"""
SCORECARD = (
    """segmentId period lines onTime inFull otif fillRate score rank peerCount tier otifTrend"""
)


def _sourced_by(world: World, supplier: str) -> set[str]:
    with world.sessions() as session:
        return set(
            session.scalars(
                select(ItemSourceRow.item_id).where(ItemSourceRow.supplier_id == supplier)
            )
        )


def _segment_of(world: World) -> dict[str, str]:
    with world.sessions() as session:
        return dict(session.execute(select(ItemRow.id, ItemRow.segment_id)).all())  # type: ignore[arg-type]


def _errors(world: World, text: str, as_: str) -> list[dict[str, Any]]:
    response = world.query(text, as_=as_)
    assert response.status_code == 200, response.text
    errors: list[dict[str, Any]] = response.json().get("errors", [])
    return errors


def test_item_forecasts_with_accuracy_and_buffer(world: World) -> None:
    data = world.data(
        f"{{ items(first: 5) {{ nodes {{ id forecasts(weeks: 3) {{ {FORECASTS} }} "
        f"buffer {{ {BUFFER} }} }} }} }}"
    )
    item = data["items"]["nodes"][0]
    assert item["forecasts"], item
    for location in item["forecasts"]:
        assert location["method"] and location["mase"] is not None and location["wape"] >= 0
        assert len(location["periods"]) == 3
        for p in location["periods"]:
            assert p["lo95"] <= p["lo80"] <= p["statistical"] <= p["hi80"] <= p["hi95"]
            assert p["consensus"] == (
                p["override"] if p["override"] is not None else p["statistical"]
            )
    buffer = item["buffer"]
    assert 0 < buffer["serviceLevel"] < 1
    assert buffer["safetyStock"] == pytest.approx(
        sum(b["safetyStock"] for b in buffer["locations"])
    )
    assert buffer["reorderPoint"] >= buffer["safetyStock"]
    assert {b["locationId"] for b in buffer["locations"]} == {
        f["locationId"] for f in item["forecasts"]
    }


def test_one_location_and_bad_weeks(world: World) -> None:
    data = world.data(
        '{ item(id: "ITM00001") { forecasts(locationId: "DC-WEST") { locationId } } }'
    )
    assert [f["locationId"] for f in data["item"]["forecasts"]] in ([], ["DC-WEST"])
    errors = _errors(world, '{ item(id: "ITM00001") { forecasts(weeks: 0) { method } } }', "admin")
    assert "weeks must be 1 to 26" in errors[0]["message"]


def test_supplier_scorecard_with_trend_and_rank(world: World) -> None:
    data = world.data(
        f'{{ supplier(id: "{world.supplier_id}") {{ segments {{ segmentId }} '
        f"scorecard(months: 2) {{ {SCORECARD} }} }} }}"
    )
    cards = data["supplier"]["scorecard"]
    assert cards, data
    for card in cards:
        assert 1 <= card["rank"] <= card["peerCount"]
    served = {s["segmentId"] for s in data["supplier"]["segments"]}
    assert {c["segmentId"] for c in cards} <= served
    by_segment: dict[str, list[str]] = {}
    for card in cards:
        by_segment.setdefault(card["segmentId"], []).append(card["period"])
    assert all(len(p) <= 2 and p == sorted(p, reverse=True) for p in by_segment.values())


def test_a_supplier_sees_forecasts_only_of_items_it_supplies(world: World) -> None:
    data = world.data(
        "{ items(first: 200) { nodes { id forecasts(weeks: 1) { locationId } } } }",
        as_="supplier",
    )
    mine = _sourced_by(world, world.supplier_id)
    nodes = data["items"]["nodes"]
    assert nodes and {n["id"] for n in nodes} <= mine
    assert any(n["forecasts"] for n in nodes)
    other = sorted(set(_segment_of(world)) - mine)[0]
    assert world.data(f'{{ item(id: "{other}") {{ id }} }}', as_="supplier")["item"] is None


def test_a_supplier_sees_its_own_scorecard_only(world: World) -> None:
    own = world.data(
        f'{{ supplier(id: "{world.supplier_id}") {{ scorecard {{ segmentId }} }} }}', as_="supplier"
    )
    assert own["supplier"]["scorecard"]
    everyone = world.data(
        "{ suppliers(first: 50) { nodes { id scorecard { otif } } } }", as_="supplier"
    )
    assert [s["id"] for s in everyone["suppliers"]["nodes"]] == [world.supplier_id]


def test_a_supplier_has_no_buffers_proposals_or_segment_health(world: World) -> None:
    segment = world.segments[0]
    for text in (
        '{ item(id: "ITM00001") { buffer { safetyStock } } }',
        "{ proposals { totalCount } }",
        "{ thresholds { version } }",
        f'{{ segment(id: "{segment}") {{ atRisk {{ weeks }} }} }}',
    ):
        errors = _errors(world, text, "supplier")
        assert errors and errors[0]["extensions"]["code"] == "access.forbidden", text


def test_a_planner_sees_scorecards_and_proposal_changes_of_its_segments(world: World) -> None:
    data = world.data(
        "{ suppliers(first: 50) { nodes { scorecard(months: 3) { segmentId } } } "
        "proposals(first: 5) { totalCount nodes { id status changes(first: 500) "
        "{ totalCount nodes { itemId dimension fromClass toClass reason } } } } }",
        as_="planner",
    )
    seen = {c["segmentId"] for s in data["suppliers"]["nodes"] for c in s["scorecard"]}
    assert seen and seen <= set(world.planner_segments)
    segment_of = _segment_of(world)
    proposal = data["proposals"]["nodes"][0]
    changed = {c["itemId"] for c in proposal["changes"]["nodes"]}
    assert changed and {segment_of[i] for i in changed} <= set(world.planner_segments)
    everything = world.data("{ proposals(first: 1) { nodes { id changes { totalCount } } } }")[
        "proposals"
    ]["nodes"][0]
    assert everything["changes"]["totalCount"] > proposal["changes"]["totalCount"]


def test_proposals_filter_and_thresholds(world: World) -> None:
    data = world.data(
        '{ proposals(status: "pending") { nodes { status thresholdsVersion itemCount } } '
        "thresholds { version createdBy autoApplyMaxChanges values } }",
        as_="planner",
    )
    assert {p["status"] for p in data["proposals"]["nodes"]} <= {"pending"}
    assert data["thresholds"]["values"]["xyz_x_cv"] < data["thresholds"]["values"]["xyz_y_cv"]
    errors = _errors(world, '{ proposals(status: "odd") { totalCount } }', "planner")
    assert "status must be one of" in errors[0]["message"]


def test_integration_is_refused_planning_results(world: World) -> None:
    for text in (
        '{ item(id: "ITM00001") { forecasts { method } } }',
        "{ proposals { totalCount } }",
    ):
        errors = _errors(world, text, "integration")
        assert errors and errors[0]["extensions"]["code"] == "access.forbidden", text


def test_no_key_is_a_401(world: World) -> None:
    response = world.query('{ item(id: "ITM00001") { forecasts { method } } }', as_=None)
    assert response.status_code == 401
    assert response.json()["code"] == "access.key_missing"


AT_RISK = """query($s: ID!) { segment(id: $s) { atRisk(weeks: 4) {
  weeks
  items(first: 500) { totalCount pageInfo { hasNextPage } nodes {
    itemId locations onHand onOrder demand safetyStock reorderPoint projected shortfall stockout
    supplierId supplier { id }
    item { buffer { safetyStock } forecasts { periods { periodStart consensus } } }
  } }
  suppliers { id scorecard(segmentId: $s) { otif otifTrend rank } }
} } }"""


def test_segment_health_lists_items_below_safety_stock(world: World) -> None:
    with world.sessions() as session:
        run = latest_run(session)
        assert run is not None
        until = run.as_of + dt.timedelta(days=28)
    found = 0
    for segment in world.segments:
        health = world.data(AT_RISK, {"s": segment})["segment"]["atRisk"]
        items = health["items"]["nodes"]
        assert health["items"]["totalCount"] == len(items)
        assert not health["items"]["pageInfo"]["hasNextPage"]
        suppliers = {s["id"] for s in health["suppliers"]}
        assert suppliers == {r["supplierId"] for r in items}
        order = [(-r["shortfall"], r["itemId"]) for r in items]
        assert order == sorted(order)
        for risk in items:
            found += 1
            assert risk["projected"] < risk["safetyStock"]
            assert risk["projected"] == pytest.approx(
                risk["onHand"] + risk["onOrder"] - risk["demand"]
            )
            assert risk["shortfall"] == pytest.approx(risk["safetyStock"] - risk["projected"])
            assert risk["stockout"] == (risk["projected"] < 0)
            assert risk["safetyStock"] == pytest.approx(risk["item"]["buffer"]["safetyStock"])
            window = sum(
                p["consensus"]
                for f in risk["item"]["forecasts"]
                for p in f["periods"]
                if run.as_of < dt.date.fromisoformat(p["periodStart"]) <= until
            )
            assert risk["demand"] == pytest.approx(window)
            assert risk["supplier"]["id"] == risk["supplierId"]
    assert found


def test_segment_health_follows_an_override(world: World) -> None:
    """The answer is remembered per inputs version: an override (a new audited row) shows."""
    segment = world.planner_segments[0]
    text = (
        f'{{ segment(id: "{segment}") {{ atRisk {{ items(first: 500) {{ nodes {{ itemId demand }}'
        " } } } }"
    )

    def demand() -> dict[str, float]:
        nodes = world.data(text)["segment"]["atRisk"]["items"]["nodes"]
        return {r["itemId"]: r["demand"] for r in nodes}

    before = demand()
    item = max(before, key=lambda i: before[i])
    cells = world.data(
        f'{{ item(id: "{item}") {{ forecasts(weeks: 1) '
        "{ locationId periods { periodStart consensus } } } }"
    )["item"]["forecasts"][0]
    week, location = cells["periods"][0]["periodStart"], cells["locationId"]
    done = world.data(
        f'mutation {{ overrideForecast(itemId: "{item}", locationId: "{location}", '
        f'periodStart: "{week}", quantity: 0, reason: "test") {{ __typename }} }}'
    )
    assert done["overrideForecast"]["__typename"] == "ForecastOverridden"
    after = demand()
    expected = before[item] - cells["periods"][0]["consensus"]
    assert after.get(item, expected) == pytest.approx(expected)
    assert after != before


def test_segment_health_is_scoped(world: World) -> None:
    outside = next(s for s in world.segments if s not in world.planner_segments)
    data = world.data(AT_RISK, {"s": outside}, as_="planner")
    assert data["segment"] is None
    mine = world.data(AT_RISK, {"s": world.planner_segments[0]}, as_="planner")
    admin = world.data(AT_RISK, {"s": world.planner_segments[0]})
    assert mine["segment"]["atRisk"] == admin["segment"]["atRisk"]
    assert mine["segment"]["atRisk"]["items"]["nodes"]
    text = '{ segment(id: "FAST") { atRisk(weeks: 99) { weeks } } }'
    errors = _errors(world, text, "admin")
    assert "weeks must be 1 to 26" in errors[0]["message"]


PAGE = """query($s: ID!, $first: Int!, $after: String) { segment(id: $s) { atRisk(weeks: 4) {
  items(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { itemId } }
  }
} } }"""


def test_segment_health_pages_worst_first(world: World) -> None:
    """Pages of 3 walked with `after` give the whole list once, in order; bad cursors fail."""
    segment = world.planner_segments[0]
    whole = world.data(AT_RISK, {"s": segment})["segment"]["atRisk"]["items"]
    assert whole["totalCount"] > 3
    seen: list[str] = []
    after = None
    while True:
        page = world.data(PAGE, {"s": segment, "first": 3, "after": after})
        items = page["segment"]["atRisk"]["items"]
        assert items["totalCount"] == whole["totalCount"]
        assert items["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [edge["node"]["itemId"] for edge in items["edges"]]
        if not items["pageInfo"]["hasNextPage"]:
            break
        after = items["pageInfo"]["endCursor"]
        assert after == items["edges"][-1]["cursor"]
    assert seen == [r["itemId"] for r in whole["nodes"]]
    default = world.data(
        f'{{ segment(id: "{segment}") {{ atRisk {{ items {{ nodes {{ itemId }} }} }} }} }}'
    )["segment"]["atRisk"]["items"]["nodes"]
    assert len(default) == min(DEFAULT_PAGE, whole["totalCount"])
    position = world.data(
        f'{{ segment(id: "{segment}") {{ items(first: 1) {{ pageInfo {{ endCursor }} }} }} }}'
    )["segment"]["items"]["pageInfo"]["endCursor"]
    for cursor, message in ((position, "made for sort position"), ("x!", "invalid cursor")):
        response = world.query(PAGE, {"s": segment, "first": 3, "after": cursor})
        error = response.json()["errors"][0]
        assert message in error["message"] and error["extensions"]["code"] == "cursor", error
    error = world.query(PAGE, {"s": segment, "first": 0}).json()["errors"][0]
    assert "first must be between 1 and 500" in error["message"], error


def test_segment_health_keeps_one_answer_per_question(world: World) -> None:
    """Every ingest moves the inputs version: the newer answer replaces the older one, so the
    cache keeps no answer nobody will ask for again (bench/load.py saw ~50 MB of them held
    per server process under write load)."""
    from gateway.graphql import remembered
    from gateway.store.audit import record

    segment = world.planner_segments[0]
    text = f'{{ segment(id: "{segment}") {{ atRisk {{ items {{ nodes {{ itemId }} }} }} }} }}'
    remembered._AT_RISK.clear()
    first = world.data(text)
    for n in range(3):
        with world.sessions.begin() as session:  # a new audit row: a new inputs version
            record(session, "test", "test.touched", "database", "test", {"n": n})
        assert world.data(text) == first
    assert len(remembered._AT_RISK) == 1
