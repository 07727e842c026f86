"""Duplicates, reused control numbers, amended purchase orders."""

from __future__ import annotations

import datetime as dt

from quality import build_frames
from tests.unit.quality.builders import DAY, asn, envelope, findings, one, po


def test_the_same_po_twice_is_flagged_and_counted_once() -> None:
    docs = [po(), asn(), po()]
    found = one(docs, "DUPLICATE_DOCUMENT")
    assert found.subject.key == "PO1" and found.values["copies"] == 2
    assert findings(docs, "ASN_UNDER_SHIPMENT") == []  # the copy did not double the order
    frames = build_frames(docs)
    assert len(frames.in_force("po_lines")) == 1


def test_the_same_shipment_twice_counts_once() -> None:
    docs = [po(), asn(), asn()]
    assert one(docs, "DUPLICATE_DOCUMENT").subject.doc_type == "ship_notice"
    assert findings(docs, "ASN_OVER_SHIPMENT") == []


def test_a_change_is_not_a_duplicate_but_a_revision() -> None:
    changed = po(price=3.0, requested=DAY + dt.timedelta(days=5), purpose="change")  # type: ignore[arg-type]
    docs = [po(), changed]
    assert findings(docs, "DUPLICATE_DOCUMENT") == []
    price = one(docs, "PO_PRICE_CHANGED")
    assert (price.values["before"], price.values["after"]) == (2.5, 3)
    date = one(docs, "PO_DATE_CHANGED")
    assert date.values["after"] == (DAY + dt.timedelta(days=5)).isoformat()
    assert findings([po()], "PO_PRICE_CHANGED") == []


def test_the_latest_version_is_the_one_in_force() -> None:
    docs = [
        po(),
        po(lines=(("1", "A", 60),), purpose="change"),
        asn(lines=(("PO1", "1", "A", 60),)),
    ]  # type: ignore[arg-type]
    assert findings(docs, "ASN_UNDER_SHIPMENT") == []


def test_control_number_reused_for_different_documents() -> None:
    docs = [po(), asn("SH1", envelope=envelope(7)), asn("SH2", envelope=envelope(7))]
    found = one(docs, "DUPLICATE_CONTROL_NUMBER")
    assert found.values["documents"] == "SH1,SH2"
    assert (
        findings(
            [asn("SH1", envelope=envelope(7)), asn("SH2", envelope=envelope(8))],
            "DUPLICATE_CONTROL_NUMBER",
        )
        == []
    )


def test_every_rule_runs_on_no_documents_and_on_one_of_each_kind() -> None:
    from quality import RULES
    from tests.unit.quality.builders import (
        capacity_commit,
        forecast_commit,
        inventory,
        receipt,
        schedule,
    )

    assert findings([], list(RULES)) == []
    lone = [po(), asn(), receipt(), inventory("I", {"A": 1}), schedule(), forecast_commit(),
            capacity_commit()]  # fmt: skip
    for doc in lone:
        findings([doc], list(RULES))  # no crash on frames where the others are empty
