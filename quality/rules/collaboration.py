"""Shared planning data: supplier vs internal stock, supplier commits vs shared schedules."""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, empty_hits

__all__ = ["RULES"]


def _latest(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Rows of the latest document (highest doc_index) per group: older reports are history."""
    latest = frame.groupby(by, dropna=False, sort=False)["doc_index"].transform("max")
    return frame[frame["doc_index"] == latest]


def inventory_mismatch(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.frames.in_force("inventory_lines")
    reported = _latest(lines[lines["reported_by"] == "supplier"], ["supplier_id", "location_id"])
    internal = lines[lines["reported_by"] == "internal"]
    if reported.empty or internal.empty:
        return empty_hits("location_id", "buyer_item", "supplier_on_hand", "internal_on_hand")
    ours = (
        internal.groupby(["location_id", "buyer_item", "as_of"], as_index=False, sort=False)
        .agg(internal_on_hand=("on_hand", "sum"))
        .rename(columns={"as_of": "internal_as_of"})
        .sort_values("internal_as_of")
    )
    theirs = reported.rename(columns={"on_hand": "supplier_on_hand"}).sort_values("as_of")
    # Compare with our latest snapshot on or before the supplier's date for the same stock.
    both = pd.merge_asof(
        theirs, ours, left_on="as_of", right_on="internal_as_of",
        by=["location_id", "buyer_item"], direction="backward",
    ).dropna(subset=["internal_on_hand"])  # fmt: skip
    both["segment_id"] = ctx.segment_of(both["buyer_item"])
    tolerance = ctx.threshold("inventory_tolerance", both)
    floor = ctx.threshold("inventory_min_units", both)
    gap = both["supplier_on_hand"] - both["internal_on_hand"]
    allowed = (tolerance * both["internal_on_hand"].abs()).clip(lower=floor)
    bad = both[gap.abs() > allowed]
    return pd.DataFrame({
        "doc_type": "inventory_position", "doc_key": bad["report_id"], "line": bad["buyer_item"],
        "segment_id": bad["segment_id"], "supplier_id": bad["supplier_id"],
        "location_id": bad["location_id"], "buyer_item": bad["buyer_item"],
        "as_of": bad["as_of"], "supplier_on_hand": bad["supplier_on_hand"],
        "internal_on_hand": bad["internal_on_hand"], "internal_as_of": bad["internal_as_of"],
        "difference": gap[bad.index], "tolerance_pct": (tolerance[bad.index] * 100).round(2),
    })  # fmt: skip


def _commit_vs_schedule(ctx: RuleContext, doc_type: str) -> pd.DataFrame:
    """The latest commit of each supplier joined to its schedule's buckets, per item and week."""
    commits = ctx.frames.in_force("commit_lines")
    commits = _latest(commits[commits["doc_type"] == doc_type], ["supplier_id"])
    schedules = _latest(ctx.frames.in_force("schedule_buckets"), ["supplier_id"])
    # A commit that names its schedule answers that one; otherwise the supplier's latest.
    named = ctx.frames.in_force("schedule_buckets")
    by_id = commits.merge(
        named[["schedule_id", "buyer_item", "period_start", "quantity"]],
        on=["schedule_id", "buyer_item", "period_start"], how="inner", suffixes=("", "_sched"),
    )  # fmt: skip
    unnamed = commits[commits["schedule_id"].isna() | ~commits["schedule_id"].isin(
        set(named["schedule_id"]))]  # fmt: skip
    by_supplier = unnamed.drop(columns="schedule_id").merge(
        schedules[["supplier_id", "schedule_id", "buyer_item", "period_start", "quantity"]],
        on=["supplier_id", "buyer_item", "period_start"], how="inner", suffixes=("", "_sched"),
    )  # fmt: skip
    both = pd.concat([by_id, by_supplier], ignore_index=True)
    both["segment_id"] = ctx.segment_of(both["buyer_item"])
    return both


def _commit_hits(bad: pd.DataFrame, **values: pd.Series) -> pd.DataFrame:
    hits = pd.DataFrame({
        "doc_type": bad["doc_type"], "doc_key": bad["commit_id"], "line": bad["buyer_item"],
        "segment_id": bad["segment_id"], "supplier_id": bad["supplier_id"],
        "schedule_id": bad["schedule_id"], "buyer_item": bad["buyer_item"],
    })  # fmt: skip
    return hits.assign(**values)


def forecast_variance(ctx: RuleContext) -> pd.DataFrame:
    pairs = _commit_vs_schedule(ctx, "forecast_commit")
    keys = ["doc_type", "commit_id", "schedule_id", "supplier_id", "buyer_item", "segment_id"]
    per_item = pairs.groupby(keys, as_index=False, dropna=False, sort=False).agg(
        committed=("quantity", "sum"), scheduled=("quantity_sched", "sum"),
        periods=("period_start", "size"),
    )  # fmt: skip
    threshold = ctx.threshold("forecast_variance_threshold", per_item)
    floor = ctx.threshold("forecast_min_units", per_item)
    gap = per_item["committed"] - per_item["scheduled"]
    variance = gap.abs() / per_item["scheduled"].where(per_item["scheduled"] > 0)
    bad_mask = (variance.fillna(1.0) > threshold) & (gap.abs() >= floor)
    bad = per_item[bad_mask]
    return _commit_hits(bad, committed=bad["committed"], scheduled=bad["scheduled"],
                        periods=bad["periods"], variance_pct=(variance[bad_mask] * 100).round(1),
                        threshold_pct=(threshold[bad_mask] * 100).round(1))  # fmt: skip


def capacity_shortfall(ctx: RuleContext) -> pd.DataFrame:
    pairs = _commit_vs_schedule(ctx, "capacity_commit")
    tolerance = ctx.threshold("capacity_tolerance", pairs)
    short = pairs[pairs["quantity"] < pairs["quantity_sched"] * (1 - tolerance) - 1e-9]
    short = short.assign(shortfall=short["quantity_sched"] - short["quantity"])
    keys = ["doc_type", "commit_id", "schedule_id", "supplier_id", "buyer_item", "segment_id"]
    per_item = short.groupby(keys, as_index=False, dropna=False, sort=False).agg(
        periods_short=("period_start", "size"), shortfall=("shortfall", "sum"),
        first_period=("period_start", "min"),
    )  # fmt: skip
    return _commit_hits(per_item, periods_short=per_item["periods_short"],
                        shortfall=per_item["shortfall"],
                        first_period=per_item["first_period"])  # fmt: skip


RULES = (
    Rule("INVENTORY_MISMATCH", Severity.WARNING, "Supplier-reported stock differs from ours "
         "beyond tolerance.", "{subject.key}: supplier reports {supplier_on_hand} of "
         "{buyer_item} at {location_id} on {as_of}, our records show {internal_on_hand} on "
         "{internal_as_of} (difference {difference}, tolerance {tolerance_pct}%)",
         inventory_mismatch, ("location_id", "buyer_item", "as_of", "supplier_on_hand",
                              "internal_on_hand", "internal_as_of", "difference",
                              "tolerance_pct"), ("inventory_tolerance", "inventory_min_units")),
    Rule("FORECAST_COMMIT_VARIANCE", Severity.WARNING, "A supplier's commit departs from the "
         "shared schedule beyond the segment's threshold.", "Forecast commit {subject.key} "
         "for {buyer_item}: committed {committed} vs {scheduled} scheduled in {schedule_id} "
         "over {periods} period(s) ({variance_pct}% off, threshold {threshold_pct}%)",
         forecast_variance, ("schedule_id", "buyer_item", "committed", "scheduled", "periods",
                             "variance_pct", "threshold_pct"),
         ("forecast_variance_threshold", "forecast_min_units")),
    Rule("CAPACITY_SHORTFALL", Severity.ERROR, "Committed capacity below the shared schedule.",
         "Capacity commit {subject.key} for {buyer_item}: {periods_short} period(s) below "
         "schedule {schedule_id} from {first_period}, short {shortfall} in total",
         capacity_shortfall, ("schedule_id", "buyer_item", "periods_short", "shortfall",
                              "first_period"), ("capacity_tolerance",)),
)  # fmt: skip
