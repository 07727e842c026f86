"""Batch anomalies, as table monitors do: volume drops, null spikes, out-of-range values.

A batch is what one partner sent on one feed on one day, per supplier and location; each
feed's latest batch is judged against the batches before it.
"""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, coalesce, empty_hits

__all__ = ["RULES"]

GROUP = ["partner_id", "feed", "scope", "supplier_id"]
HISTORY_BATCHES = 8

# Optional columns whose sudden absence usually means a broken mapping upstream.
WATCHED = {
    "po_lines": ("purchase_order", ("vendor_item", "unit_price", "requested_date", "upc")),
    "asn_lines": ("ship_notice", ("po_number", "line_number", "vendor_item", "upc")),
    "commit_lines": ("commit", ("vendor_item",)),
}
# (frame, quantity column, document key, document type) whose values are range-checked.
RANGED = (
    ("po_lines", "quantity", "po_number", "purchase_order"),
    ("asn_lines", "quantity", "shipment_id", "ship_notice"),
    ("commit_lines", "quantity", "commit_id", "commit"),
    ("inventory_lines", "on_hand", "report_id", "inventory_position"),
)


def _batches(ctx: RuleContext) -> pd.DataFrame:
    docs = ctx.frames.documents
    docs = docs[docs["duplicate_of"] < 0]
    docs = docs.assign(supplier_id=coalesce(docs["supplier_id"], docs["partner_id"]))
    # Scope: the supplier when someone else (the ERP) sends on its behalf, and the location.
    supplier = docs["supplier_id"].where(docs["supplier_id"] != docs["partner_id"])
    scope = coalesce("/" + supplier, "") + coalesce("@" + docs["location_id"], "")
    return docs.assign(feed=docs["doc_type"], scope=scope, day=docs["doc_date"])


def _scope_hits(ctx: RuleContext, frame: pd.DataFrame, line: pd.Series | None) -> pd.DataFrame:
    key = frame["partner_id"] + "/" + frame["feed"] + frame["scope"]
    supplier = ctx.as_supplier(coalesce(frame["supplier_id"], frame["partner_id"]))
    return pd.DataFrame({"doc_type": "batch", "doc_key": key, "line": line, "segment_id": None,
                         "supplier_id": supplier}, index=frame.index)  # fmt: skip


def _latest_vs_usual(per_day: pd.DataFrame, keys: list[str], value: str, how: str) -> pd.DataFrame:
    """The latest day of each group with ``usual`` (median or mean of up to HISTORY_BATCHES
    days before it) and ``history`` (how many earlier days there are)."""
    ordered = per_day.sort_values("day")
    back = ordered.groupby(keys, sort=False).cumcount(ascending=False)
    earlier = ordered[(back >= 1) & (back <= HISTORY_BATCHES)]
    usual = earlier.groupby(keys, sort=False)[value].agg(how).rename("usual")
    history = ordered.groupby(keys, sort=False)["day"].size().rename("history") - 1
    latest = ordered[back == 0].join(usual, on=keys).join(history, on=keys)
    return latest.dropna(subset=["usual"])


def volume_drop(ctx: RuleContext) -> pd.DataFrame:
    batches = ctx.cached("batches", _batches)
    per_day = batches.groupby([*GROUP, "day"], as_index=False, sort=False).agg(
        line_count=("line_count", "sum")
    )
    latest = _latest_vs_usual(per_day, GROUP, "line_count", "median")
    hits = _scope_hits(ctx, latest, None)
    drop = ctx.threshold("volume_drop_threshold", hits)
    minimum = ctx.threshold("volume_history_min", hits)
    bad = (latest["history"] >= minimum) & (latest["line_count"] < latest["usual"] * (1 - drop))
    hits = hits.assign(feed=latest["feed"], day=latest["day"], lines=latest["line_count"],
                       usual=latest["usual"], drop_pct=(drop * 100).round(0))  # fmt: skip
    return hits[bad]


def _dated_lines(ctx: RuleContext, name: str) -> pd.DataFrame:
    batches = ctx.cached("batches", _batches)
    batches = batches[["doc_index", "feed", "scope", "day", "supplier_id"]]
    frame = ctx.frames.in_force(name).drop(columns="supplier_id")
    return frame.merge(batches, on="doc_index")


def null_spike(ctx: RuleContext) -> pd.DataFrame:
    parts = []
    for name, (_, columns) in WATCHED.items():
        lines = _dated_lines(ctx, name)
        nulls = lines[list(columns)].isna().astype("float64")
        share = pd.concat([lines[[*GROUP, "day"]], nulls], axis=1)
        per_day = share.groupby([*GROUP, "day"], as_index=False, sort=False).mean()
        long = per_day.melt(id_vars=[*GROUP, "day"], var_name="column", value_name="null_share")
        parts.append(_latest_vs_usual(long, [*GROUP, "column"], "null_share", "mean"))
    if not parts:
        return empty_hits()
    latest = pd.concat(parts, ignore_index=True)
    hits = _scope_hits(ctx, latest, latest["column"])
    spike = ctx.threshold("null_spike_threshold", hits)
    bad = latest["null_share"] - latest["usual"] >= spike
    hits = hits.assign(feed=latest["feed"], column=latest["column"],
                       day=latest["day"], null_pct=(latest["null_share"] * 100).round(1),
                       usual_pct=(latest["usual"] * 100).round(1))  # fmt: skip
    return hits[bad]


def out_of_range(ctx: RuleContext) -> pd.DataFrame:
    parts = []
    for name, column, key, doc_type in RANGED:
        lines = _dated_lines(ctx, name)
        value = lines[column]
        last_day = lines.groupby(["feed", "partner_id"], sort=False)["day"].transform("max")
        history = lines[lines["day"] < last_day].groupby("buyer_item", sort=False)[column]
        usual_max = lines["buyer_item"].map(history.max())
        enough = lines["buyer_item"].map(history.size()).fillna(0) >= 3
        factor = ctx.config.threshold_column(
            "out_of_range_factor", ctx.segment_of(lines["buyer_item"]), lines["supplier_id"]
        )
        too_big = enough & (value > factor * usual_max.clip(lower=1))
        negative = value < 0
        if "reported_by" in lines:  # an ERP may carry negative stock (backorders); a supplier not
            negative &= lines["reported_by"] == "supplier"
        bad = lines[(lines["day"] == last_day) & (too_big | negative)]
        parts.append(pd.DataFrame({
            "doc_type": bad.get("doc_type", doc_type),
            "doc_key": bad[key], "line": bad["buyer_item"],
            "segment_id": ctx.segment_of(bad["buyer_item"]), "supplier_id": bad["supplier_id"],
            "field": column, "value": value[bad.index], "usual_max": usual_max[bad.index],
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


RULES = (
    Rule("BATCH_VOLUME_DROP", Severity.WARNING, "A feed's latest batch is much smaller than "
         "usual.", "Latest {feed} batch from {subject.key} ({day}) has {lines} line(s), usually "
         "{usual} (alert below -{drop_pct}%)", volume_drop,
         ("feed", "day", "lines", "usual", "drop_pct"),
         ("volume_drop_threshold", "volume_history_min"), scope="feed"),
    Rule("BATCH_NULL_SPIKE", Severity.WARNING, "A field is suddenly missing in a feed's latest "
         "batch.", "{column} is empty on {null_pct}% of the {feed} lines from {subject.key} "
         "on {day} (usually {usual_pct}%)", null_spike,
         ("feed", "column", "day", "null_pct", "usual_pct"), ("null_spike_threshold",),
         scope="feed"),
    Rule("BATCH_OUT_OF_RANGE", Severity.WARNING, "A value is negative or far above the "
         "item's usual maximum.", "{subject.doc_type} {subject.key}, item {subject.line}: "
         "{field} {value} is out of range (usual max {usual_max})", out_of_range,
         ("field", "value", "usual_max"), ("out_of_range_factor",), scope="feed"),
)  # fmt: skip
