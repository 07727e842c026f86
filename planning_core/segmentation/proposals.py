"""Reclassification proposals: what changed since the current classes, and whether it may be
applied automatically.

The planning core only proposes; the gateway stores the proposals, applies the automatic ones
and writes the audit log (who, when, from, to, why).

Rule: a batch changing at most ``auto_apply_max_share`` of the items is small; within a small
batch a change is applied automatically when the item carries at most
``auto_apply_max_impact`` of total volume. Everything else waits for approval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning_core.errors import MissingColumnsError
from planning_core.segmentation.classify import CLASS_COLUMNS
from planning_core.segmentation.thresholds import SegmentationThresholds

__all__ = ["ReclassificationProposal", "propose_reclassification"]


@dataclass(frozen=True)
class ReclassificationProposal:
    """One item's class change on one dimension, with the evidence and the apply decision."""

    item_id: str
    dimension: str
    from_class: str
    to_class: str
    reason: str
    volume_share: float
    auto_apply: bool
    thresholds_version: str


def propose_reclassification(
    current: pd.DataFrame,
    proposed: pd.DataFrame,
    thresholds: SegmentationThresholds | None = None,
) -> list[ReclassificationProposal]:
    """Compare current classes (``item_id`` + class columns) with a new ``classify_items`` run.

    Items absent from ``current`` are new: they are proposed from class ``""``.
    """
    t = thresholds or SegmentationThresholds()
    for name, frame in (("current", current), ("proposed", proposed)):
        if "item_id" not in frame.columns:
            raise MissingColumnsError(f"{name} segmentation", ["item_id"])
    dims = [c for c in CLASS_COLUMNS if c in current.columns and c in proposed.columns]
    merged = proposed.merge(
        current[["item_id", *dims]], on="item_id", how="left", suffixes=("", "_current")
    )
    total = float(merged["volume"].sum()) if "volume" in merged else 0.0
    share = merged["volume"] / total if total > 0 else pd.Series(0.0, index=merged.index)
    changes = []
    for dim in dims:
        before = merged[f"{dim}_current"].fillna("").astype(str)
        differs = before != merged[dim].astype(str)
        changes.append((dim, differs.to_numpy(), before))
    changed_items = (
        np.logical_or.reduce([c for _, c, _ in changes]) if changes else np.zeros(0, bool)
    )
    small_batch = changed_items.sum() <= t.auto_apply_max_share * max(len(merged), 1)
    proposals: list[ReclassificationProposal] = []
    for dim, changed, before in changes:
        for row in np.nonzero(changed)[0]:
            impact = float(share.iloc[row])
            proposals.append(
                ReclassificationProposal(
                    item_id=str(merged["item_id"].iloc[row]),
                    dimension=dim,
                    from_class=str(before.iloc[row]),
                    to_class=str(merged[dim].iloc[row]),
                    reason=str(merged["reason"].iloc[row]) if "reason" in merged else "",
                    volume_share=impact,
                    auto_apply=bool(small_batch and impact <= t.auto_apply_max_impact),
                    thresholds_version=t.version,
                )
            )
    return proposals
