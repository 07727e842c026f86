# ruff: noqa: RUF002
"""Observed supplier lead times from PO lines and receipts, the input of buffer planning.

Lead time of a PO line = first receipt date − order date (days); per supplier (and item when
asked) the mean, standard deviation and count; a ``sample`` list for bootstrap buffers.
"""

from __future__ import annotations

import pandas as pd

from planning_core.scorecard.lines import DeliveryTolerances, po_line_facts
from planning_core.scorecard.schemas import PO_COLUMNS, RECEIPT_COLUMNS, require_columns

__all__ = ["lead_time_stats"]


def lead_time_stats(
    po_lines: pd.DataFrame, receipts: pd.DataFrame, by: tuple[str, ...] = ("supplier_id",)
) -> pd.DataFrame:
    """Columns: ``*by, lead_time_mean_days, lead_time_sd_days, observations, sample``."""
    po = require_columns(
        po_lines, (*PO_COLUMNS, "order_date"), "po_lines", ("requested_date", "order_date")
    )
    rec = require_columns(receipts, RECEIPT_COLUMNS, "receipts", ("received_date",))
    lines = po_line_facts(po, rec, DeliveryTolerances()).dropna(subset=["lead_time_days"])
    grouped = lines.groupby(list(by))["lead_time_days"]
    stats = grouped.agg(["mean", "std", "size"]).reset_index()
    stats.columns = [*by, "lead_time_mean_days", "lead_time_sd_days", "observations"]
    stats["lead_time_sd_days"] = stats["lead_time_sd_days"].fillna(0.0)
    samples = grouped.apply(list).reset_index(name="sample")
    return stats.merge(samples, on=list(by))
