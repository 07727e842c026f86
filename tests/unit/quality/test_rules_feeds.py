"""Freshness and batch anomalies over whole feeds."""

from __future__ import annotations

import datetime as dt

from quality import QualityConfig
from tests.unit.quality.builders import DAY, asn, findings, inventory, one, po

NOV = dt.datetime(2026, 11, 20, 12)


def _weekly_reports(weeks: int, lines: int = 10, last_lines: int | None = None) -> list[object]:
    docs = []
    for week in range(weeks):
        count = last_lines if (last_lines is not None and week == weeks - 1) else lines
        day = DAY - dt.timedelta(weeks=weeks - 1 - week)
        stock = {f"A{n}": 10.0 for n in range(count)}
        docs.append(inventory(f"VMI{week}", stock, by="supplier", supplier="SUP1", as_of=day))
    return docs


def test_a_feed_within_its_cadence_is_fresh() -> None:
    now = dt.datetime.combine(DAY + dt.timedelta(days=9), dt.time(12))
    assert findings(_weekly_reports(3), "FEED_STALE", now=now) == []  # type: ignore[arg-type]


def test_a_feed_past_cadence_and_grace_is_stale() -> None:
    found = one(_weekly_reports(3), "FEED_STALE", now=NOV)  # type: ignore[arg-type]
    assert found.subject.key == "SUP1" and found.subject.line == "inventory_position"
    assert found.values["age_days"] == 18.5 and found.values["allowed_days"] == 10.5
    relaxed = QualityConfig(partner_cadence_days={"SUP1/inventory_position": 14})
    assert findings(_weekly_reports(3), "FEED_STALE", now=NOV, config=relaxed) == []  # type: ignore[arg-type]


def test_an_aware_clock_is_read_in_utc() -> None:
    eastern = dt.timezone(dt.timedelta(hours=-5))
    aware = NOV.replace(hour=7, tzinfo=eastern)  # 12:00 UTC
    found = one(_weekly_reports(3), "FEED_STALE", now=aware)  # type: ignore[arg-type]
    assert found.values["age_days"] == 18.5


def test_an_expected_feed_never_received_is_stale() -> None:
    expected = QualityConfig(partner_cadence_days={"SUP2/forecast_commit": 7})
    found = one([], "FEED_STALE", config=expected)
    assert found.subject.key == "SUP2" and found.values["last_seen"] == "never"


def test_volume_drop_against_the_usual_batch() -> None:
    found = one(_weekly_reports(5, last_lines=3), "BATCH_VOLUME_DROP")  # type: ignore[arg-type]
    assert found.values["lines"] == 3 and found.values["usual"] == 10
    assert findings(_weekly_reports(5, last_lines=8), "BATCH_VOLUME_DROP") == []  # type: ignore[arg-type]
    assert findings(_weekly_reports(3, last_lines=1), "BATCH_VOLUME_DROP") == []  # type: ignore[arg-type]  # too little history


def test_null_spike_in_the_latest_batch() -> None:
    docs = [
        asn(f"SH{w}", ship=DAY - dt.timedelta(weeks=5 - w), lines=(("PO1", "1", "A", 5),))
        for w in range(5)
    ]
    docs.append(asn("SH9", ship=DAY, lines=((None, None, "A", 5),)))
    found = findings([po(), *docs], "BATCH_NULL_SPIKE")
    assert {f.values["column"] for f in found} == {"po_number", "line_number"}
    assert findings([po(), *docs[:-1]], "BATCH_NULL_SPIKE") == []


def test_out_of_range_quantity_and_negative_supplier_stock() -> None:
    history = [po(f"PO{w}", order_date=DAY - dt.timedelta(weeks=6 - w)) for w in range(4)]
    big = po("POX", lines=(("1", "A", 900),), order_date=DAY)
    found = one([*history, big], "BATCH_OUT_OF_RANGE")
    assert found.subject.key == "POX" and found.values["usual_max"] == 100
    assert findings([*history, po("POY", order_date=DAY)], "BATCH_OUT_OF_RANGE") == []
    negative = inventory("VMI1", {"A": -3}, by="supplier", supplier="SUP1")
    assert one([negative], "BATCH_OUT_OF_RANGE").values["value"] == -3
    assert findings([inventory("INT1", {"A": -3})], "BATCH_OUT_OF_RANGE") == []  # ERP backorders


def test_internal_feeds_name_no_supplier() -> None:
    internal = [inventory(f"INT{w}", {"A": 1}, as_of=DAY - dt.timedelta(weeks=w)) for w in range(2)]
    found = one(internal, "FEED_STALE", now=NOV)  # type: ignore[arg-type]
    assert found.subject.key == "ERP" and found.supplier_id is None
