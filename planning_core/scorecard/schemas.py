"""Input frame schemas for supplier scorecards: required columns and their meaning.

Dates are anything ``pandas.to_datetime`` reads; quantities are in the ordered unit.

- **PO lines** — one row per purchase-order line:
  ``po_number, line_number, supplier_id, segment_id, item_id, quantity, requested_date``;
  optional ``order_date`` (for observed lead times).
- **ASN lines** — one row per item on an advance ship notice (X12 856):
  ``shipment_id, po_number, item_id, quantity, ship_date, expected_delivery``.
- **Receipts** — one row per received item and shipment:
  ``receipt_id, shipment_id, po_number, item_id, quantity_received, quantity_rejected,
  received_date``.
- **Commits** (optional) — the supplier's forecast commits (X12 830 answers / capacity):
  ``supplier_id, item_id, period, committed_quantity``.
"""

from __future__ import annotations

import pandas as pd

from planning_core.errors import InputValueError, MissingColumnsError

__all__ = [
    "ASN_COLUMNS",
    "COMMIT_COLUMNS",
    "PO_COLUMNS",
    "RECEIPT_COLUMNS",
    "require_columns",
]

PO_COLUMNS = (
    "po_number", "line_number", "supplier_id", "segment_id", "item_id", "quantity",
    "requested_date",
)  # fmt: skip
ASN_COLUMNS = ("shipment_id", "po_number", "item_id", "quantity", "ship_date", "expected_delivery")
RECEIPT_COLUMNS = (
    "receipt_id", "shipment_id", "po_number", "item_id", "quantity_received",
    "quantity_rejected", "received_date",
)  # fmt: skip
COMMIT_COLUMNS = ("supplier_id", "item_id", "period", "committed_quantity")


def require_columns(
    frame: pd.DataFrame, columns: tuple[str, ...], name: str, dates: tuple[str, ...] = ()
) -> pd.DataFrame:
    """A copy of ``frame`` with its date columns parsed; raises if columns are missing."""
    missing = set(columns) - set(frame.columns)
    if missing:
        raise MissingColumnsError(name, missing)
    result = frame.copy()
    for column in dates:
        parsed = pd.to_datetime(result[column], errors="coerce")
        bad = parsed.isna() & result[column].notna()
        if bad.any():
            example = result.loc[bad, column].iloc[0]
            raise InputValueError(f"{name}.{column} has unparseable dates, e.g. {example!r}")
        result[column] = parsed
    return result
