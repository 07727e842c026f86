"""Receipts against ship notices."""

from __future__ import annotations

import datetime as dt

from quality import QualityConfig
from tests.unit.quality.builders import DAY, NOW, asn, findings, one, po, receipt


def test_matching_receipt_raises_nothing() -> None:
    docs = [po(), asn(), receipt()]
    for code in (
        "RECEIPT_QTY_MISMATCH",
        "RECEIPT_REJECTED",
        "RECEIPT_WITHOUT_ASN",
        "ASN_NOT_RECEIVED",
    ):
        assert findings(docs, code) == [], code


def test_received_differs_from_announced() -> None:
    docs = [po(), asn(), receipt(lines=(("PO1", "1", "A", 93, 0),))]
    found = one(docs, "RECEIPT_QTY_MISMATCH")
    assert found.subject.key == "RC1" and found.subject.line == "PO1/1"
    assert (found.values["announced"], found.values["received"]) == (100, 93)
    assert found.values["difference"] == -7 and found.supplier_id == "SUP1"
    loose = QualityConfig(defaults={"receipt_tolerance": 0.1})
    assert findings(docs, "RECEIPT_QTY_MISMATCH", config=loose) == []


def test_an_announced_line_missing_from_the_receipt_counts_as_zero() -> None:
    two = asn(lines=(("PO1", "1", "A", 100), ("PO1", "2", "B", 5)))
    docs = [po(lines=(("1", "A", 100), ("2", "B", 5))), two, receipt()]
    found = one(docs, "RECEIPT_QTY_MISMATCH")
    assert found.values["received"] == 0 and found.values["announced"] == 5


def test_rejections() -> None:
    found = one([po(), asn(), receipt(lines=(("PO1", "1", "A", 100, 7),))], "RECEIPT_REJECTED")
    assert found.values["rejected"] == 7 and found.values["rejected_pct"] == 7
    tolerant = QualityConfig(defaults={"rejection_tolerance": 0.1})
    docs = [po(), asn(), receipt(lines=(("PO1", "1", "A", 100, 7),))]
    assert findings(docs, "RECEIPT_REJECTED", config=tolerant) == []


def test_receipt_without_asn_or_with_an_unknown_one() -> None:
    found = one([po(), receipt(shipment=None)], "RECEIPT_WITHOUT_ASN")
    assert found.subject.key == "RC1" and found.supplier_id == "SUP1"  # found through the PO
    assert (
        one([po(), receipt(shipment="SH404")], "RECEIPT_WITHOUT_ASN").values["shipment_id"]
        == "SH404"
    )


def test_asn_not_received_after_the_grace_period() -> None:
    docs = [po(), asn()]  # expected DAY = Nov 2, now Nov 20: 18 days
    found = one(docs, "ASN_NOT_RECEIVED")
    assert found.values["days_overdue"] == 18 and found.values["grace_days"] == 7
    soon = dt.datetime.combine(DAY + dt.timedelta(days=7), dt.time(12))
    assert findings(docs, "ASN_NOT_RECEIVED", now=soon) == []
    patient = QualityConfig(partners={"SUP1": {"receipt_grace_days": 30}})
    assert findings(docs, "ASN_NOT_RECEIVED", config=patient, now=NOW) == []
