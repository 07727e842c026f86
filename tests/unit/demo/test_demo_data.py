"""The demo supply chain: the same seed gives the same data, and the data is believable."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from gateway.demo import DemoData, generate_demo
from gateway.model import SupplierTier

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(7, as_of=AS_OF)


def _fingerprint(data: DemoData) -> list[str]:
    docs = [d.model_dump_json() for _, group in data.documents() for d in group]
    master = [m.model_dump_json() for m in (*data.catalog.items, *data.catalog.suppliers)]
    return master + docs


def test_same_seed_same_data() -> None:
    first = generate_demo(3, as_of=AS_OF, items=60, suppliers=8, weeks=80)
    second = generate_demo(3, as_of=AS_OF, items=60, suppliers=8, weeks=80)
    assert np.array_equal(first.demand.quantity, second.demand.quantity)
    assert _fingerprint(first) == _fingerprint(second)


def test_other_seed_other_data() -> None:
    first = generate_demo(3, as_of=AS_OF, items=60, suppliers=8, weeks=80)
    other = generate_demo(4, as_of=AS_OF, items=60, suppliers=8, weeks=80)
    assert not np.array_equal(first.demand.quantity, other.demand.quantity)


def test_sizes_match_the_promise(demo: DemoData) -> None:
    counts = demo.counts()
    assert counts["items"] == 500 and counts["suppliers"] == 40
    assert len(demo.weeks) >= 104  # two years and more of weekly demand
    assert counts["purchase orders"] > 500 and counts["ship notices"] > 500


def test_every_segment_has_items_and_suppliers(demo: DemoData) -> None:
    segments = {s.id for s in demo.catalog.segments}
    assert 5 <= len(segments) <= 6
    assert {i.segment_id for i in demo.catalog.items} == segments
    served = {link.segment_id for s in demo.catalog.suppliers for link in s.segments}
    assert served == segments


def test_suppliers_come_in_tiers_with_single_and_dual_sourcing(demo: DemoData) -> None:
    assert {s.tier for s in demo.catalog.suppliers} == set(SupplierTier)
    critical_single = [i for i in demo.catalog.items if i.critical and len(i.sources) == 1]
    dual = [i for i in demo.catalog.items if len(i.sources) == 2]
    assert critical_single and dual
    for item in dual:
        assert sum(s.share for s in item.sources) == pytest.approx(1.0)


def test_demand_is_non_negative_and_shaped_by_segment(demo: DemoData) -> None:
    quantity = demo.demand.quantity
    assert quantity.min() >= 0
    segment_of = {i.id: i.segment_id for i in demo.catalog.items}
    rows = np.array([segment_of[item] for item, _ in demo.demand.series])
    zero_share = {seg: float((quantity[rows == seg] == 0).mean()) for seg in set(rows)}
    assert zero_share["SPARE"] > 0.6 > zero_share["FAST"]  # spare parts are intermittent
    assert demo.demand.promoted.any()
    launches = quantity[rows == "NPI"]
    assert launches[:, :20].sum() == 0 < launches[:, -20:].sum()  # launched late in history
    fading = quantity[rows == "EOL"]
    assert fading[:, -26:].mean() < fading[:, :26].mean() / 2


def test_seasonal_items_peak_a_year_apart(demo: DemoData) -> None:
    segment_of = {i.id: i.segment_id for i in demo.catalog.items}
    seasonal = np.array([segment_of[item] == "SEAS" for item, _ in demo.demand.series])
    series = demo.demand.quantity[seasonal].astype(float)
    centred = series - series.mean(axis=1, keepdims=True)
    lag52 = (centred[:, 52:] * centred[:, :-52]).sum(axis=1)
    lag26 = (centred[:, 26:] * centred[:, :-26]).sum(axis=1)
    assert np.median(lag52) > 0 > np.median(lag26)


def test_shipments_are_sometimes_late_short_or_substituted(demo: DemoData) -> None:
    orders = {po.po_number: po for po in demo.flows.purchase_orders}
    late = short = substituted = 0
    for notice in demo.flows.ship_notices:
        for line in notice.lines:
            po_line = next(
                p for p in orders[line.po_number or ""].lines if p.line_number == line.line_number
            )
            due = po_line.requested_date
            late += bool(due and notice.expected_delivery and notice.expected_delivery > due)
            short += line.quantity < po_line.quantity
            substituted += line.buyer_item != po_line.buyer_item
    lines = sum(len(n.lines) for n in demo.flows.ship_notices)
    assert 0 < late < lines * 0.5
    assert 0 < short < lines * 0.2
    assert 0 < substituted < lines * 0.05


def test_receipts_answer_most_shipments_and_some_disagree(demo: DemoData) -> None:
    receipts = demo.flows.receipts
    with_asn = [r for r in receipts if r.shipment_id]
    assert len(with_asn) > 0.9 * len(receipts)
    assert any(r.shipment_id is None for r in receipts)  # received without a ship notice
    assert any(line.quantity_rejected > 0 for r in receipts for line in r.lines)


def test_supplier_inventory_sometimes_disagrees_with_ours(demo: DemoData) -> None:
    internal = {
        (p.location_id, p.as_of, line.buyer_item): line.quantity_on_hand
        for p in demo.collaboration.inventory
        if p.reported_by == "internal"
        for line in p.lines
    }
    reported = [
        (internal[(p.location_id, p.as_of, line.buyer_item)], line.quantity_on_hand)
        for p in demo.collaboration.inventory
        if p.reported_by == "supplier"
        for line in p.lines
    ]
    assert reported
    disagree = sum(ours != theirs for ours, theirs in reported)
    assert 0 < disagree < len(reported) * 0.25


def test_forecasts_are_shared_and_answered(demo: DemoData) -> None:
    collab = demo.collaboration
    assert len(collab.schedules) >= 30
    kinds = Counter(b.kind for s in collab.schedules for line in s.lines for b in line.forecasts)
    assert kinds["firm"] > 0 and kinds["planning"] > kinds["firm"]
    answered = {c.schedule_id for c in collab.forecast_commits}
    assert answered <= {s.schedule_id for s in collab.schedules}
    assert collab.capacity_commits


def test_every_document_says_where_it_came_from(demo: DemoData) -> None:
    for _, group in demo.documents():
        for document in group:
            assert getattr(document, "provenance", None) is not None


@pytest.mark.parametrize("seed", range(12))
def test_the_smallest_demo_builds_for_any_seed(seed: int) -> None:
    data = generate_demo(seed, as_of=AS_OF, items=12, suppliers=6, weeks=60)
    assert data.counts()["items"] == 12 and data.flows.purchase_orders


def test_too_small_a_demo_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_demo(1, as_of=AS_OF, items=5)
