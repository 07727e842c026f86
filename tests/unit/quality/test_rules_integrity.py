"""Referential integrity against master data."""

from __future__ import annotations

from quality import master_frames
from tests.unit.quality.builders import asn, findings, inventory, one, po, receipt


def test_known_references_raise_nothing() -> None:
    docs = [po(), asn(), receipt()]
    for code in (
        "REF_UNKNOWN_ITEM",
        "REF_UNKNOWN_SUPPLIER",
        "REF_UNKNOWN_LOCATION",
        "REF_SEGMENT_NOT_SERVED",
    ):
        assert findings(docs, code) == [], code


def test_unknown_item_once_per_document() -> None:
    docs = [po(lines=(("1", "ZZZ", 5), ("2", "ZZZ", 5)))]
    found = one(docs, "REF_UNKNOWN_ITEM")
    assert found.subject.key == "PO1" and found.values["buyer_item"] == "ZZZ"


def test_unknown_supplier_and_location() -> None:
    assert one([po(supplier="SUP9")], "REF_UNKNOWN_SUPPLIER").supplier_id == "SUP9"
    found = one([inventory("INT1", {"A": 1}, location="DC9")], "REF_UNKNOWN_LOCATION")
    assert found.values["location_id"] == "DC9"


def test_item_of_a_segment_the_supplier_does_not_serve() -> None:
    found = one([asn(lines=(("PO1", "1", "S", 5),))], "REF_SEGMENT_NOT_SERVED")
    assert found.segment_id == "SPARE" and found.supplier_id == "SUP1"


def test_without_master_data_nothing_is_judged() -> None:
    empty = master_frames()
    for code in (
        "REF_UNKNOWN_ITEM",
        "REF_UNKNOWN_SUPPLIER",
        "REF_UNKNOWN_LOCATION",
        "REF_SEGMENT_NOT_SERVED",
    ):
        assert findings([po(supplier="X", lines=(("1", "Q", 1),))], code, master_data=empty) == []
