"""Supplier scorecards from PO lines, ASN lines, receipts and forecast commits."""

from planning_core.scorecard.card import METRICS, ScorecardConfig, build_scorecards
from planning_core.scorecard.leadtime import lead_time_stats
from planning_core.scorecard.lines import DeliveryTolerances, asn_facts, po_line_facts
from planning_core.scorecard.schemas import (
    ASN_COLUMNS,
    COMMIT_COLUMNS,
    PO_COLUMNS,
    RECEIPT_COLUMNS,
)

__all__ = [
    "ASN_COLUMNS",
    "COMMIT_COLUMNS",
    "METRICS",
    "PO_COLUMNS",
    "RECEIPT_COLUMNS",
    "DeliveryTolerances",
    "ScorecardConfig",
    "asn_facts",
    "build_scorecards",
    "lead_time_stats",
    "po_line_facts",
]
