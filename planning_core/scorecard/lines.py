# ruff: noqa: RUF002
"""Line-level delivery facts: each PO line joined to its receipts, each ASN to its receipts.

A PO line is matched to receipts on (po_number, item_id); an ASN line to receipts on
(shipment_id, po_number, item_id). Definitions (configurable tolerances):

- on time: every receipt within [requested − early_days, requested + late_days];
- in full: accepted quantity (received − rejected) ≥ ordered · (1 − quantity_tolerance);
- OTIF: both (the line-level OTIF of e.g. the ASCM SCOR "perfect order" family);
- delay days: last receipt − requested date (negative = early);
- ASN accurate: |received − advised| ≤ quantity_tolerance · advised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DeliveryTolerances", "asn_facts", "po_line_facts"]


@dataclass(frozen=True)
class DeliveryTolerances:
    """Windows and tolerances for on time, in full and ASN accuracy."""

    early_days: int = 2
    late_days: int = 0
    quantity_tolerance: float = 0.0


def po_line_facts(
    po: pd.DataFrame, receipts: pd.DataFrame, tol: DeliveryTolerances
) -> pd.DataFrame:
    """One row per PO line with received, accepted, rejected, delay and OTIF flags."""
    got = receipts.groupby(["po_number", "item_id"], as_index=False).agg(
        received=("quantity_received", "sum"),
        rejected=("quantity_rejected", "sum"),
        first_received=("received_date", "min"),
        last_received=("received_date", "max"),
    )
    lines = po.merge(got, on=["po_number", "item_id"], how="left")
    lines[["received", "rejected"]] = lines[["received", "rejected"]].fillna(0.0)
    lines["accepted"] = lines["received"] - lines["rejected"]
    early = lines["requested_date"] - pd.Timedelta(days=tol.early_days)
    late = lines["requested_date"] + pd.Timedelta(days=tol.late_days)
    lines["on_time"] = (lines["first_received"] >= early) & (lines["last_received"] <= late)
    lines["in_full"] = lines["accepted"] >= lines["quantity"] * (1 - tol.quantity_tolerance)
    lines["otif"] = lines["on_time"] & lines["in_full"]
    lines["delay_days"] = (lines["last_received"] - lines["requested_date"]).dt.days
    lines["filled"] = np.minimum(lines["accepted"], lines["quantity"])
    if "order_date" in lines.columns:
        order_date = pd.to_datetime(lines["order_date"], errors="coerce")
        lines["lead_time_days"] = (lines["first_received"] - order_date).dt.days
    return lines


def asn_facts(asn: pd.DataFrame, receipts: pd.DataFrame, tol: DeliveryTolerances) -> pd.DataFrame:
    """One row per ASN line with the received quantity and whether the ASN was accurate."""
    keys = ["shipment_id", "po_number", "item_id"]
    got = receipts.groupby(keys, as_index=False).agg(
        received=("quantity_received", "sum"), received_date=("received_date", "max")
    )
    lines = asn.merge(got, on=keys, how="left")
    lines["received"] = lines["received"].fillna(0.0)
    gap = (lines["received"] - lines["quantity"]).abs()
    lines["asn_accurate"] = gap <= tol.quantity_tolerance * lines["quantity"]
    lines["asn_on_time"] = lines["received_date"] <= lines["expected_delivery"] + pd.Timedelta(
        days=tol.late_days
    )
    return lines
