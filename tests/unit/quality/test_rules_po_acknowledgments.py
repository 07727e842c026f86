"""Purchase order acknowledgments against the orders they answer."""

from __future__ import annotations

import datetime as dt

from gateway.model import Purpose
from quality import QualityConfig
from tests.unit.quality.builders import DAY, ack, findings, one, po, segments

ORDER = po(lines=(("1", "A", 100), ("2", "B", 50)))
ACK_RULES = [
    "ACK_UNKNOWN_LINE",
    "ACK_LINE_REJECTED",
    "ACK_QUANTITY_CHANGED",
    "ACK_PRICE_CHANGED",
    "ACK_DATE_CHANGED",
]


def test_an_acknowledgment_as_ordered_raises_nothing() -> None:
    as_ordered = ack(lines=(("1", "accepted", 100, 2.5, DAY), ("2", "accepted", None, None, None)))
    assert findings([ORDER, as_ordered], ACK_RULES) == []
    assert findings([ORDER, ack(lines=())], ACK_RULES) == []  # accepted without detail


def test_a_rejected_line_is_an_error_with_what_was_ordered() -> None:
    answer = ack(lines=(("1", "accepted", None, None, None), ("2", "rejected", 0, None, None)),
                 status="accepted_with_changes")  # fmt: skip
    found = one([ORDER, answer], "ACK_LINE_REJECTED")
    assert (found.subject.doc_type, found.subject.key, found.subject.line) == (
        "po_acknowledgment", "PO1", "2")  # fmt: skip
    assert found.values["ordered"] == 50 and found.supplier_id == "SUP1"
    assert found.segment_id == "FAST"
    assert findings([ORDER, answer], "ACK_QUANTITY_CHANGED") == []  # rejected, not changed


def test_a_whole_rejection_without_lines_rejects_every_line() -> None:
    found = findings([ORDER, ack(lines=(), status="rejected")], "ACK_LINE_REJECTED")
    assert sorted(f.subject.line or "" for f in found) == ["1", "2"]


def test_a_quantity_change_counts_beyond_the_tolerance_only() -> None:
    answer = ack(lines=(("1", "changed", 96, None, None),), status="accepted_with_changes")
    found = one([ORDER, answer], "ACK_QUANTITY_CHANGED")
    assert (found.values["ordered"], found.values["acknowledged"]) == (100, 96)
    loose = QualityConfig.for_segments(segments(), defaults={"ack_quantity_tolerance": 0.05})
    assert findings([ORDER, answer], "ACK_QUANTITY_CHANGED", config=loose) == []


def test_a_quantity_in_another_unit_is_not_compared() -> None:
    answer = ack(lines=(("1", "changed", 4, None, None),), status="accepted_with_changes",
                 uom="CA")  # fmt: skip
    assert findings([ORDER, answer], "ACK_QUANTITY_CHANGED") == []


def test_price_and_date_changes_name_both_values() -> None:
    later = DAY + dt.timedelta(days=3)
    answer = ack(lines=(("1", "changed", None, 2.75, later),), status="accepted_with_changes")
    price = one([ORDER, answer], "ACK_PRICE_CHANGED")
    assert (price.values["ordered"], price.values["acknowledged"]) == (2.5, 2.75)
    assert price.values["change_pct"] == 10
    date = one([ORDER, answer], "ACK_DATE_CHANGED")
    assert date.values["days"] == 3 and date.values["scheduled_date"] == later.isoformat()
    patient = QualityConfig.for_segments(segments(), defaults={"ack_date_tolerance_days": 3})
    assert findings([ORDER, answer], "ACK_DATE_CHANGED", config=patient) == []


def test_an_unknown_po_or_line_is_reported() -> None:
    stray = ack("PO9", lines=(("1", "accepted", None, None, None),))
    found = one([ORDER, stray], "ACK_UNKNOWN_LINE")
    assert found.subject.key == "PO9" and found.values["reason"] == "the PO is not on file"
    extra = ack(lines=(("7", "accepted", None, None, None),))
    assert one([ORDER, extra], "ACK_UNKNOWN_LINE").values["reason"] == "the PO has no such line"


def test_the_latest_acknowledgment_is_the_one_in_force() -> None:
    first = ack(lines=(("2", "rejected", None, None, None),), status="accepted_with_changes")
    change = ack(lines=(("2", "accepted", None, None, None),), purpose=Purpose.CHANGE)
    assert findings([ORDER, first, change], "ACK_LINE_REJECTED") == []
    assert findings([ORDER, first, change], "DUPLICATE_DOCUMENT") == []


def test_the_latest_po_version_is_compared() -> None:
    amended = po(lines=(("1", "A", 96), ("2", "B", 50)), purpose=Purpose.CHANGE)
    answer = ack(lines=(("1", "changed", 96, None, None),), status="accepted_with_changes")
    assert findings([ORDER, amended, answer], "ACK_QUANTITY_CHANGED") == []
