"""Ship notices against purchase orders: each rule with documents that trigger it and not."""

from __future__ import annotations

import datetime as dt

from quality import QualityConfig, Severity
from tests.unit.quality.builders import DAY, asn, findings, one, po, segments


def test_a_clean_shipment_raises_nothing() -> None:
    docs = [po(), asn()]
    for code in (
        "ASN_UNKNOWN_PO",
        "ASN_UNKNOWN_LINE",
        "ASN_ITEM_NOT_ON_PO",
        "ASN_SUBSTITUTION",
        "ASN_UOM_MISMATCH",
        "ASN_OVER_SHIPMENT",
        "ASN_UNDER_SHIPMENT",
        "ASN_LATE_SHIPMENT",
    ):
        assert findings(docs, code) == [], code


def test_unknown_po_is_critical_and_names_the_po() -> None:
    found = one([po(), asn(lines=(("PO9", "1", "A", 5), ("PO9", "2", "B", 5)))], "ASN_UNKNOWN_PO")
    assert found.severity is Severity.CRITICAL
    assert found.subject.key == "SH1" and found.values["po_number"] == "PO9"
    assert found.values["lines"] == 2 and "PO9" in found.message


def test_unknown_line() -> None:
    found = one([po(), asn(lines=(("PO1", "7", "A", 5),))], "ASN_UNKNOWN_LINE")
    assert found.values["line_number"] == "7" and found.subject.line == "PO1/7"


def test_item_not_on_po_when_the_line_is_not_given() -> None:
    docs = [po(), asn(lines=(("PO1", None, "B", 5),))]
    found = one(docs, "ASN_ITEM_NOT_ON_PO")
    assert found.values["buyer_item"] == "B"
    assert findings([po(), asn(lines=(("PO1", None, "A", 100),))], "ASN_ITEM_NOT_ON_PO") == []


def test_a_line_without_line_number_is_matched_by_item() -> None:
    docs = [po(lines=(("1", "A", 100), ("2", "B", 50))), asn(lines=(("PO1", None, "B", 50),))]
    under = findings(docs, "ASN_UNDER_SHIPMENT")
    assert [f.subject.line for f in under] == ["1"]  # line 2 was matched and fully shipped


def test_substitution_names_both_items() -> None:
    found = one([po(), asn(lines=(("PO1", "1", "C", 100),))], "ASN_SUBSTITUTION")
    assert found.values["ordered_item"] == "A" and found.values["shipped_item"] == "C"
    assert found.severity is Severity.WARNING


def test_uom_mismatch() -> None:
    found = one([po(), asn(uom="CA")], "ASN_UOM_MISMATCH")
    assert (found.values["shipped_uom"], found.values["ordered_uom"]) == ("CA", "EA")
    # Quantities in different units are not compared.
    assert findings([po(), asn(uom="CA")], "ASN_UNDER_SHIPMENT")[0].values["shipped"] == 0


def test_over_shipment_beyond_tolerance_across_shipments() -> None:
    docs = [po(), asn("SH1", (("PO1", "1", "A", 60),)), asn("SH2", (("PO1", "1", "A", 41),))]
    found = one(docs, "ASN_OVER_SHIPMENT")
    assert found.values["shipped"] == 101 and found.values["ordered"] == 100
    assert found.values["shipments"] == "SH1,SH2"
    loose = QualityConfig.for_segments(
        segments(), segments={"FAST": {"over_shipment_tolerance": 0.02}}
    )
    assert findings(docs, "ASN_OVER_SHIPMENT", config=loose) == []


def test_under_shipment_tolerance_per_segment_and_partner() -> None:
    docs = [po(), asn(lines=(("PO1", "1", "A", 96),))]
    assert findings(docs, "ASN_UNDER_SHIPMENT") == []  # 4 % short, default tolerance 5 %
    short = [po(), asn(lines=(("PO1", "1", "A", 90),))]
    assert one(short, "ASN_UNDER_SHIPMENT").values["tolerance_pct"] == 5
    lenient = QualityConfig(partners={"SUP1": {"under_shipment_tolerance": 0.2}})
    assert findings(short, "ASN_UNDER_SHIPMENT", config=lenient) == []
    strict = QualityConfig(segments={"FAST": {"under_shipment_tolerance": 0.0}})
    assert len(findings(docs, "ASN_UNDER_SHIPMENT", config=strict)) == 1


def test_a_missing_po_line_on_a_shipped_po_is_under_shipped() -> None:
    docs = [po(lines=(("1", "A", 100), ("2", "B", 10))), asn()]
    found = one(docs, "ASN_UNDER_SHIPMENT")
    assert found.subject.line == "2" and found.values["shipped"] == 0


def test_late_when_expected_delivery_passes_the_requested_date() -> None:
    late = asn(expected=DAY + dt.timedelta(days=3))
    found = one([po(), late], "ASN_LATE_SHIPMENT")
    assert found.values["late_days"] == 3 and found.values["requested_date"] == DAY.isoformat()
    assert findings([po(), asn(expected=DAY)], "ASN_LATE_SHIPMENT") == []
    patient = QualityConfig(segments={"FAST": {"late_tolerance_days": 3}})
    assert findings([po(), late], "ASN_LATE_SHIPMENT", config=patient) == []


def test_late_falls_back_to_the_ship_date() -> None:
    late = asn(ship=DAY + dt.timedelta(days=1), expected=None)
    assert one([po(), late], "ASN_LATE_SHIPMENT").values["late_days"] == 1


def test_a_po_line_packed_in_several_cartons_gives_one_finding() -> None:
    packs = asn(lines=(("PO1", "1", "C", 60), ("PO1", "1", "C", 40)))
    found = one([po(), packs], "ASN_SUBSTITUTION")
    assert found.subject.line == "PO1/1"
    assert findings([po(), packs], "ASN_UNDER_SHIPMENT") == []  # 60 + 40 shipped
