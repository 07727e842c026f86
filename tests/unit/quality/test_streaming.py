"""The streaming path: load what a new document relates to, check, reconcile in scope."""

from __future__ import annotations

import datetime as dt

from quality import (
    QualityConfig,
    apply_reconciliation,
    check_documents,
    findings_about,
    reconcile,
    related_keys,
    streaming_scope,
)
from tests.unit.quality.builders import (
    NOW,
    asn,
    forecast_commit,
    inventory,
    master,
    po,
    receipt,
    schedule,
    segments,
)


def test_related_keys_name_what_to_load() -> None:
    related = related_keys([asn(lines=(("PO1", "1", "A", 5), ("PO2", "1", "B", 5)))])
    assert related.po_numbers == {"PO1", "PO2"} and related.shipment_ids == {"SH1"}
    related = related_keys([receipt(), forecast_commit(), inventory("I", {"A": 1}), schedule()])
    assert related.shipment_ids == {"SH1"} and related.po_numbers == {"PO1"}
    assert related.schedule_ids == {"FC1"} and related.schedule_suppliers == {"SUP1"}
    assert related.inventory_locations == {"DC1"}


def test_a_new_shipment_is_checked_with_its_po_and_only_its_findings_move() -> None:
    config = QualityConfig.for_segments(segments())
    stored_docs = [po(), po("PO2"), asn("SH0", (("PO2", "1", "A", 50),))]
    batch = check_documents(stored_docs, master(), config, NOW)
    stored = apply_reconciliation([], reconcile([], batch, NOW))
    assert {(f.finding.rule, f.finding.subject.key) for f in stored} >= {
        ("ASN_UNDER_SHIPMENT", "PO2")}  # fmt: skip

    new = asn("SH1", (("PO1", "1", "A", 100),))  # ships PO1 in full
    later = NOW + dt.timedelta(hours=1)
    found = check_documents([po(), new], master(), config, later, streaming=True)
    result = reconcile(stored, findings_about(found, [new, po()]), later,
                       in_scope=streaming_scope([new]))  # fmt: skip
    # Findings about PO2 and SH0 were not looked at: nothing about them is auto-resolved.
    assert all(f.finding.subject.key in {"PO1", "SH1"} for f in result.resolved)
    assert not any(f.finding.subject.key == "PO2" for f in result.resolved)
