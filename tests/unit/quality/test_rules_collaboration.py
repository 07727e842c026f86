"""Supplier vs internal stock, supplier commits vs shared schedules."""

from __future__ import annotations

import datetime as dt

from quality import QualityConfig
from tests.unit.quality.builders import (
    DAY,
    capacity_commit,
    findings,
    forecast_commit,
    inventory,
    one,
    schedule,
    segments,
)


def _stock(ours: float, theirs: float, **kwargs: object) -> list[object]:
    return [
        inventory("INT1", {"A": ours}),
        inventory("VMI1", {"A": theirs}, by="supplier", supplier="SUP1", **kwargs),  # type: ignore[arg-type]
    ]


def test_inventory_within_tolerance_raises_nothing() -> None:
    assert findings(_stock(100, 109), "INVENTORY_MISMATCH") == []  # type: ignore[arg-type]
    assert findings(_stock(20, 24), "INVENTORY_MISMATCH") == []  # type: ignore[arg-type]  # < 5 units


def test_inventory_mismatch_names_both_figures() -> None:
    found = one(_stock(100, 130), "INVENTORY_MISMATCH")  # type: ignore[arg-type]
    assert found.subject.key == "VMI1" and found.subject.line == "A"
    assert (found.values["supplier_on_hand"], found.values["internal_on_hand"]) == (130, 100)
    assert found.supplier_id == "SUP1" and found.segment_id == "FAST"
    loose = QualityConfig(partners={"SUP1": {"inventory_tolerance": 0.5}})
    assert findings(_stock(100, 130), "INVENTORY_MISMATCH", config=loose) == []  # type: ignore[arg-type]


def test_inventory_compares_with_our_latest_snapshot_before_theirs() -> None:
    later = DAY + dt.timedelta(days=3)
    docs = [
        inventory("INT0", {"A": 50}, as_of=DAY - dt.timedelta(days=7)),
        inventory("INT1", {"A": 100}),
        inventory("VMI1", {"A": 100}, by="supplier", supplier="SUP1", as_of=later),
        inventory("INT2", {"A": 10}, as_of=later + dt.timedelta(days=1)),
    ]
    assert findings(docs, "INVENTORY_MISMATCH") == []


def test_only_the_latest_supplier_report_is_judged() -> None:
    docs = [
        inventory("INT1", {"A": 100}),
        inventory("VMI0", {"A": 300}, by="supplier", supplier="SUP1"),
        inventory("VMI1", {"A": 100}, by="supplier", supplier="SUP1"),
    ]
    assert findings(docs, "INVENTORY_MISMATCH") == []


def test_forecast_commit_variance_uses_the_segment_threshold() -> None:
    docs = [schedule(weekly={"A": 100, "S": 100}), forecast_commit(weekly={"A": 80, "S": 60})]
    found = one(docs, "FORECAST_COMMIT_VARIANCE")  # A: 20 % > FAST 15 %; S: 40 % < SPARE 50 %
    assert found.subject.line == "A" and found.values["threshold_pct"] == 15
    assert (found.values["committed"], found.values["scheduled"]) == (320, 400)
    assert (
        findings([schedule(), forecast_commit(weekly={"A": 90})], "FORECAST_COMMIT_VARIANCE") == []
    )


def test_forecast_commit_without_schedule_id_answers_the_latest_schedule() -> None:
    docs = [
        schedule("FC0", {"A": 10}),
        schedule("FC1"),
        forecast_commit(schedule_id=None, weekly={"A": 50}),
    ]
    assert one(docs, "FORECAST_COMMIT_VARIANCE").values["schedule_id"] == "FC1"


def test_small_gaps_are_noise() -> None:
    docs = [schedule(weekly={"A": 2}), forecast_commit(weekly={"A": 1})]  # 50 % but 4 units
    assert findings(docs, "FORECAST_COMMIT_VARIANCE") == []
    fussy = QualityConfig.for_segments(segments(), defaults={"forecast_min_units": 1})
    assert len(findings(docs, "FORECAST_COMMIT_VARIANCE", config=fussy)) == 1


def test_capacity_shortfall() -> None:
    found = one([schedule(), capacity_commit(weekly={"A": 90})], "CAPACITY_SHORTFALL")
    assert found.values["periods_short"] == 4 and found.values["shortfall"] == 40
    assert findings([schedule(), capacity_commit(weekly={"A": 120})], "CAPACITY_SHORTFALL") == []
