"""Fingerprints: stable across runs and line order, distinct across subjects."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quality import Subject, fingerprint_of
from tests.unit.quality.builders import asn, findings, po, receipt


def test_fingerprint_depends_on_rule_and_subject_only() -> None:
    subject = Subject("ship_notice", "SH1", "PO1/1")
    assert fingerprint_of("R", subject) == fingerprint_of(
        "R", Subject("ship_notice", "SH1", "PO1/1")
    )
    assert fingerprint_of("R", subject) != fingerprint_of("Q", subject)
    assert fingerprint_of("R", subject) != fingerprint_of(
        "R", Subject("ship_notice", "SH1", "PO1/2")
    )
    assert fingerprint_of("R", Subject("a", "b/c")) != fingerprint_of("R", Subject("a/b", "c"))


def test_the_same_problem_found_twice_has_the_same_fingerprint() -> None:
    docs = [po(), receipt(lines=(("PO1", "1", "A", 90, 0),)), asn()]
    first = findings(docs, "RECEIPT_QTY_MISMATCH")
    second = findings(docs, "RECEIPT_QTY_MISMATCH")
    assert [f.fingerprint for f in first] == [f.fingerprint for f in second] != []


CODES = ("ASN_UNDER_SHIPMENT", "ASN_OVER_SHIPMENT", "ASN_SUBSTITUTION")
LINES = [("1", "A", 100.0), ("2", "B", 50.0), ("3", "C", 10.0)]


@settings(max_examples=8, deadline=None)
@given(order=st.permutations(range(3)), shipped_order=st.permutations(range(3)))
def test_fingerprints_are_stable_under_line_reordering(
    order: list[int], shipped_order: list[int]
) -> None:
    shipped = [("PO1", "1", "A", 90.0), ("PO1", "2", "C", 50.0), ("PO1", "3", "C", 12.0)]
    base = [po(lines=LINES), asn(lines=shipped)]
    moved = [po(lines=[LINES[i] for i in order]), asn(lines=[shipped[i] for i in shipped_order])]
    expected = sorted(f.fingerprint for f in findings(base, CODES))
    assert sorted(f.fingerprint for f in findings(moved, CODES)) == expected
    assert len(expected) == 3  # under on line 1, substitution and over on line 3
