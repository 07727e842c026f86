"""Single-source exposure: which critical items depend on one supplier only.

Input: item sources ``item_id, supplier_id, segment_id`` (one row per approved source) and
optional annual volume per item (``volume``). Per segment: items, single-sourced items, their
share of items and of volume, and the suppliers carrying them.
"""

from __future__ import annotations

import pandas as pd

from planning_core.errors import MissingColumnsError

__all__ = ["single_source_exposure"]


def single_source_exposure(sources: pd.DataFrame, volume: pd.Series | None = None) -> pd.DataFrame:
    """Per segment: ``items, single_source_items, single_source_share, volume_share, suppliers``."""
    missing = {"item_id", "supplier_id", "segment_id"} - set(sources.columns)
    if missing:
        raise MissingColumnsError("item sources", missing)
    per_item = sources.groupby(["segment_id", "item_id"])["supplier_id"].agg(["nunique", "first"])
    per_item = per_item.reset_index()
    per_item["single"] = per_item["nunique"] == 1
    weights = per_item["item_id"].map(volume) if volume is not None else None
    per_item["volume"] = 1.0 if weights is None else weights.fillna(0.0).astype(float)
    per_item["single_volume"] = per_item["volume"].where(per_item["single"], 0.0)
    table = per_item.groupby("segment_id").agg(
        items=("item_id", "size"), single_source_items=("single", "sum"),
        volume=("volume", "sum"), single_volume=("single_volume", "sum"),
    )  # fmt: skip
    table["single_source_share"] = table["single_source_items"] / table["items"]
    table["volume_share"] = table["single_volume"] / table["volume"].where(table["volume"] > 0)
    carriers = (
        per_item[per_item["single"]].groupby("segment_id")["first"].agg(lambda s: sorted(set(s)))
    )
    table["suppliers"] = carriers.reindex(table.index).apply(
        lambda v: v if isinstance(v, list) else []
    )
    return table.drop(columns=["volume", "single_volume"]).reset_index()
