"""The demo supply chain yields a believable number of findings of each planted kind."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from pydantic import BaseModel

from gateway.demo import DemoData, generate_demo
from gateway.model import Purpose
from quality import (
    RULES,
    Finding,
    QualityConfig,
    build_frames,
    check_documents,
    findings_about,
    master_frames,
    run_rules,
)

AS_OF = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 18, 0)

# What the demo plants (gateway/demo/flows.py, collaboration.py) and what we expect to see.
PLANTED = {
    "ASN_UNDER_SHIPMENT": (500, 1800),  # short shipments, 2-15 % of lines by tier
    "ASN_SUBSTITUTION": (100, 450),  # 0.5-4 % of lines ship an alternate of the family
    "ASN_LATE_SHIPMENT": (100, 400),  # 5-40 % of shipments late by tier
    "RECEIPT_QTY_MISMATCH": (200, 800),  # 3 % of received lines counted differently
    "RECEIPT_REJECTED": (100, 500),  # 2 % of received lines partly rejected
    "RECEIPT_WITHOUT_ASN": (5, 60),  # 0.5-6 % of shipments without a ship notice
    "ASN_NOT_RECEIVED": (1, 40),  # 1 % of deliveries never booked
    "INVENTORY_MISMATCH": (1, 60),  # 8 % of VMI lines skewed by 0.5-1.5x
    "FORECAST_COMMIT_VARIANCE": (20, 300),  # a quarter of committers are capacity-bound
    "REF_SEGMENT_NOT_SERVED": (20, 300),  # substitutes from segments the supplier skips
}
NOT_PLANTED = (
    "ASN_UNKNOWN_PO", "ASN_UNKNOWN_LINE", "ASN_ITEM_NOT_ON_PO", "ASN_UOM_MISMATCH",
    "ASN_OVER_SHIPMENT", "CAPACITY_SHORTFALL", "DUPLICATE_DOCUMENT", "DUPLICATE_CONTROL_NUMBER",
    "PO_PRICE_CHANGED", "PO_DATE_CHANGED", "REF_UNKNOWN_ITEM", "REF_UNKNOWN_SUPPLIER",
    "REF_UNKNOWN_LOCATION", "FEED_STALE",
)  # fmt: skip


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(7, as_of=AS_OF)


def _documents(demo: DemoData) -> list[BaseModel]:
    return [doc for _, group in demo.documents() for doc in group]


@pytest.fixture(scope="module")
def setup(demo: DemoData) -> tuple[QualityConfig, object]:
    catalog = demo.catalog
    master = master_frames(catalog.segments, catalog.suppliers, catalog.items, catalog.locations)
    return QualityConfig.for_segments(catalog.segments), master


@pytest.fixture(scope="module")
def found(demo: DemoData, setup: tuple[QualityConfig, object]) -> list[Finding]:
    config, master = setup
    return run_rules(build_frames(_documents(demo)), master, config, NOW)  # type: ignore[arg-type]


def test_counts_per_planted_kind_are_believable(found: list[Finding]) -> None:
    counts = Counter(f.rule for f in found)
    for code, (low, high) in PLANTED.items():
        assert low <= counts[code] <= high, (code, counts[code])
    for code in NOT_PLANTED:
        assert counts[code] == 0, (code, counts[code])
    anomalies = sum(counts[c] for c in ("BATCH_VOLUME_DROP", "BATCH_NULL_SPIKE",
                                         "BATCH_OUT_OF_RANGE"))  # fmt: skip
    assert anomalies <= 15  # noise only: the demo plants no broken batches
    assert len({f.fingerprint for f in found}) == len(found)
    assert set(counts) <= set(RULES)


def test_substitutions_are_the_planted_alternates(demo: DemoData, found: list[Finding]) -> None:
    alternates = {
        (notice.shipment_id, f"{line.po_number}/{line.line_number}")
        for notice in demo.flows.ship_notices
        for line in notice.lines
        if (line.vendor_item or "").endswith("-ALT")
    }
    seen = {(f.subject.key, f.subject.line) for f in found if f.rule == "ASN_SUBSTITUTION"}
    assert seen == alternates


def test_receipts_without_asn_are_the_planted_ones(demo: DemoData, found: list[Finding]) -> None:
    planted = {r.receipt_id for r in demo.flows.receipts if r.shipment_id is None}
    assert {f.subject.key for f in found if f.rule == "RECEIPT_WITHOUT_ASN"} == planted


def test_every_finding_names_its_supplier_and_most_their_segment(found: list[Finding]) -> None:
    assert all(f.supplier_id for f in found)
    with_segment = [f for f in found if f.segment_id]
    assert len(with_segment) >= 0.95 * len(found)


def test_commit_variance_comes_from_under_committing_suppliers(found: list[Finding]) -> None:
    variance = [f for f in found if f.rule == "FORECAST_COMMIT_VARIANCE"]
    under = [f for f in variance if float(f.values["committed"] or 0) < float(  # type: ignore[arg-type]
        f.values["scheduled"] or 0)]  # type: ignore[arg-type]  # fmt: skip
    assert len(under) >= 0.9 * len(variance)


def test_every_feed_goes_stale_a_month_later(
    demo: DemoData, setup: tuple[QualityConfig, object]
) -> None:
    config, master = setup
    frames = build_frames(_documents(demo))
    later = NOW + dt.timedelta(days=30)
    stale = run_rules(frames, master, config, later, [RULES["FEED_STALE"]])  # type: ignore[arg-type]
    feeds = frames.feed_events()[["partner_id", "feed"]].drop_duplicates()
    assert len(stale) == len(feeds)


def test_streaming_one_document_with_its_relations(
    demo: DemoData, setup: tuple[QualityConfig, object]
) -> None:
    config, master = setup
    po = demo.flows.purchase_orders[0]
    bogus = demo.flows.ship_notices[0].model_copy(update={"shipment_id": "SH-NEW"})
    bogus.lines[0] = bogus.lines[0].model_copy(update={"po_number": "PO-NOPE"})
    found = check_documents([po, bogus], master, config, NOW, streaming=True)  # type: ignore[arg-type]
    about = findings_about(found, [bogus])
    assert "ASN_UNKNOWN_PO" in {f.rule for f in about}
    assert all(f.subject.key == "SH-NEW" for f in about)


def test_flaws_we_plant_on_top_of_the_demo_are_found(
    demo: DemoData, setup: tuple[QualityConfig, object]
) -> None:
    config, master = setup
    notice = demo.flows.ship_notices[10]
    order = next(p for p in demo.flows.purchase_orders if p.po_number == notice.lines[0].po_number)
    first = notice.lines[0]
    extra = [
        notice,  # the same shipment sent again
        notice.model_copy(update={"shipment_id": "SH-X1", "lines": [
            first.model_copy(update={"po_number": "PO-NONE"})]}),
        notice.model_copy(update={"shipment_id": "SH-X2", "lines": [
            first.model_copy(update={"uom": "CA", "quantity": first.quantity / 12})]}),
        order.model_copy(update={"purpose": Purpose.CHANGE, "lines": [
            order.lines[0].model_copy(update={"unit_price": (order.lines[0].unit_price or 1) * 2}),
            *order.lines[1:]]}),
        demo.flows.receipts[0].model_copy(update={"receipt_id": "RC-X", "location_id": "DC-MARS"}),
    ]  # fmt: skip
    found = run_rules(build_frames([*_documents(demo), *extra]), master, config, NOW)  # type: ignore[arg-type]
    keys = {(f.rule, f.subject.key) for f in found}
    assert ("DUPLICATE_DOCUMENT", notice.shipment_id) in keys
    assert ("ASN_UNKNOWN_PO", "SH-X1") in keys
    assert ("ASN_UOM_MISMATCH", "SH-X2") in keys
    assert ("PO_PRICE_CHANGED", order.po_number) in keys
    assert ("REF_UNKNOWN_LOCATION", "RC-X") in keys
    counts = Counter(f.rule for f in found)
    assert counts["DUPLICATE_DOCUMENT"] == 1 and counts["PO_PRICE_CHANGED"] == 1
