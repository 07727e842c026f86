"""The rule registry: every rule by its stable code."""

from __future__ import annotations

from dataclasses import replace

from quality.rules import (
    acknowledgments,
    anomalies,
    collaboration,
    documents,
    freshness,
    integrity,
    po_acknowledgments,
    receipts,
    shipments,
)
from quality.rules.base import Rule, RuleContext

__all__ = ["ACK_RULES", "RULES", "Rule", "RuleContext"]

ACK_RULES = acknowledgments.ACK_RULES

_ASN, _PO, _RECEIPT = "asn_lines", "po_lines", "receipt_lines"
_NEEDS: dict[str, tuple[str, ...]] = {
    "ASN_UNKNOWN_PO": (_ASN,),
    "ASN_UNKNOWN_LINE": (_ASN, _PO),
    "ASN_ITEM_NOT_ON_PO": (_ASN, _PO),
    "ASN_SUBSTITUTION": (_ASN, _PO),
    "ASN_UOM_MISMATCH": (_ASN, _PO),
    "ASN_OVER_SHIPMENT": (_ASN, _PO),
    "ASN_UNDER_SHIPMENT": (_ASN, _PO),
    "ASN_LATE_SHIPMENT": (_ASN, _PO),
    "RECEIPT_QTY_MISMATCH": (_RECEIPT, _ASN),
    "RECEIPT_REJECTED": (_RECEIPT,),
    "RECEIPT_WITHOUT_ASN": (_RECEIPT,),
    "ASN_NOT_RECEIVED": (_ASN,),
    "INVENTORY_MISMATCH": ("inventory_lines",),
    "FORECAST_COMMIT_VARIANCE": ("commit_lines", "schedule_buckets"),
    "CAPACITY_SHORTFALL": ("commit_lines", "schedule_buckets"),
    "DUPLICATE_DOCUMENT": ("documents",),
    "DUPLICATE_CONTROL_NUMBER": ("documents",),
    "PO_PRICE_CHANGED": (_PO,),
    "ACK_UNKNOWN_LINE": ("ack_lines",),
    "ACK_LINE_REJECTED": ("ack_lines", _PO),
    "ACK_QUANTITY_CHANGED": ("ack_lines", _PO),
    "ACK_PRICE_CHANGED": ("ack_lines", _PO),
    "ACK_DATE_CHANGED": ("ack_lines", _PO),
    "PO_DATE_CHANGED": (_PO,),
    "REF_UNKNOWN_ITEM": ("documents",),
    "REF_UNKNOWN_SUPPLIER": ("documents",),
    "REF_UNKNOWN_LOCATION": ("documents",),
    "REF_SEGMENT_NOT_SERVED": ("documents",),
    # FEED_STALE needs nothing: a configured feed that never arrived is stale on no documents.
    "BATCH_VOLUME_DROP": ("documents",),
    "BATCH_NULL_SPIKE": ("documents",),
    "BATCH_OUT_OF_RANGE": ("documents",),
    "ACK_OVERDUE": ("interchanges",),
    "ACK_REJECTED": ("interchanges",),
    "ACK_PARTIAL": ("interchanges",),
}

RULES: dict[str, Rule] = {
    rule.code: replace(rule, needs=_NEEDS.get(rule.code, ()))
    for module in (
        shipments,
        receipts,
        collaboration,
        documents,
        po_acknowledgments,
        integrity,
        freshness,
        anomalies,
        acknowledgments,
    )
    for rule in module.RULES
}
"""Every rule, by code, in the order they run."""
