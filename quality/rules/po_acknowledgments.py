"""Purchase order acknowledgments (855) against the orders they answer (`ACK_*` codes on lines).

Each line of the acknowledgment in force (the latest original, change or replacement per PO)
is compared with the PO line in force of the same number: what the supplier rejected, and
where the quantity, price or date it confirmed differs from what was ordered. An answer
without lines (accepted or rejected as a whole) answers every line of the PO alike.
"""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, coalesce

__all__ = ["RULES"]

PO_KEY = ["po_number", "line_number"]
_PO_COLUMNS = ["buyer_item", "quantity", "uom", "unit_price", "requested_date"]


def _matched(ctx: RuleContext) -> pd.DataFrame:
    """In-force acknowledgment lines with the ordered line beside them (``po_*`` columns).

    ``on_po`` says whether the PO is on file, ``line_known`` whether the line is on it.
    """
    ack = ctx.frames.in_force("ack_lines").drop(columns=["in_force", "partner_id"])
    po = ctx.frames.in_force("po_lines")[[*PO_KEY, *_PO_COLUMNS]].drop_duplicates(PO_KEY)
    po = po.rename(columns={name: f"po_{name}" for name in _PO_COLUMNS})
    whole = ack["line_number"].isna()
    if whole.any():  # a header-only answer: one row per line of the PO
        spread = ack[whole].drop(columns="line_number").merge(po, on="po_number", how="left")
        ack = pd.concat([ack[~whole], spread[ack.columns]], ignore_index=True)
    matched = ack.merge(po, on=PO_KEY, how="left")
    matched["on_po"] = matched["po_number"].isin(set(po["po_number"]))
    matched["line_known"] = matched["po_quantity"].notna()
    item = coalesce(matched["po_buyer_item"], matched["buyer_item"])
    matched["segment_id"] = ctx.segment_of(item)
    return matched


def _hits(frame: pd.DataFrame, **values: pd.Series) -> pd.DataFrame:
    hits = pd.DataFrame(
        {
            "doc_type": "po_acknowledgment",
            "doc_key": frame["po_number"],
            "line": frame["line_number"],
            "segment_id": frame["segment_id"],
            "supplier_id": frame["supplier_id"],
        }
    )
    return hits.assign(**values)


def _answered(ctx: RuleContext) -> pd.DataFrame:
    """Known lines the supplier accepted (with or without changes), not rejected."""
    lines = ctx.cached("ack_po", _matched)
    return lines[lines["line_known"] & (lines["status"] != "rejected")]


def unknown_line(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("ack_po", _matched)
    bad = lines[~lines["line_known"]]
    reason = pd.Series("the PO has no such line", index=bad.index)
    reason = reason.where(bad["on_po"], "the PO is not on file")
    line = coalesce(bad["line_number"], "*")
    return _hits(bad.assign(line_number=line), buyer_item=bad["buyer_item"], reason=reason)


def rejected(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("ack_po", _matched)
    bad = lines[lines["line_known"] & (lines["status"] == "rejected")]
    return _hits(bad, buyer_item=bad["po_buyer_item"], ordered=bad["po_quantity"],
                 uom=bad["po_uom"], ack_status=bad["ack_status"])  # fmt: skip


def quantity_changed(ctx: RuleContext) -> pd.DataFrame:
    lines = _answered(ctx)
    same_unit = lines["uom"].isna() | (lines["uom"] == lines["po_uom"])
    lines = lines[lines["quantity"].notna() & same_unit]
    tolerance = ctx.threshold("ack_quantity_tolerance", lines)
    gap = (lines["quantity"] - lines["po_quantity"]).abs()
    bad = gap > lines["po_quantity"] * tolerance + 1e-9
    hit = lines[bad]
    return _hits(hit, buyer_item=hit["po_buyer_item"], ordered=hit["po_quantity"],
                 acknowledged=hit["quantity"], uom=hit["po_uom"],
                 tolerance_pct=(tolerance[bad] * 100).round(2))  # fmt: skip


def price_changed(ctx: RuleContext) -> pd.DataFrame:
    lines = _answered(ctx)
    lines = lines[lines["unit_price"].notna() & lines["po_unit_price"].notna()]
    hit = lines[(lines["unit_price"] - lines["po_unit_price"]).abs() > 1e-9]
    change = (hit["unit_price"] / hit["po_unit_price"].where(hit["po_unit_price"] != 0) - 1) * 100
    return _hits(hit, buyer_item=hit["po_buyer_item"], ordered=hit["po_unit_price"],
                 acknowledged=hit["unit_price"], change_pct=change.round(2))  # fmt: skip


def date_changed(ctx: RuleContext) -> pd.DataFrame:
    lines = _answered(ctx)
    lines = lines[lines["scheduled_date"].notna() & lines["po_requested_date"].notna()].copy()
    lines["days"] = (lines["scheduled_date"] - lines["po_requested_date"]).dt.days
    tolerance = ctx.threshold("ack_date_tolerance_days", lines)
    hit = lines[lines["days"].abs() > tolerance]
    return _hits(hit, buyer_item=hit["po_buyer_item"], requested_date=hit["po_requested_date"],
                 scheduled_date=hit["scheduled_date"], days=hit["days"])  # fmt: skip


RULES = (
    Rule("ACK_UNKNOWN_LINE", Severity.ERROR, "An acknowledgment answers a PO or PO line we "
         "do not have.", "Acknowledgment of PO {subject.key} line {subject.line} (item "
         "{buyer_item}): {reason}", unknown_line, ("buyer_item", "reason")),
    Rule("ACK_LINE_REJECTED", Severity.ERROR, "The supplier rejected a PO line.",
         "PO {subject.key} line {subject.line} ({buyer_item}, {ordered} {uom}) was rejected "
         "by the supplier (acknowledgment {ack_status})", rejected,
         ("buyer_item", "ordered", "uom", "ack_status")),
    Rule("ACK_QUANTITY_CHANGED", Severity.WARNING, "The acknowledged quantity differs from "
         "the ordered quantity beyond tolerance.", "PO {subject.key} line {subject.line} "
         "({buyer_item}): acknowledged {acknowledged} {uom} of {ordered} ordered (tolerance "
         "{tolerance_pct}%)", quantity_changed,
         ("buyer_item", "ordered", "acknowledged", "uom", "tolerance_pct"),
         ("ack_quantity_tolerance",)),
    Rule("ACK_PRICE_CHANGED", Severity.WARNING, "The acknowledged unit price differs from "
         "the PO's.", "PO {subject.key} line {subject.line} ({buyer_item}): acknowledged at "
         "{acknowledged} per unit, ordered at {ordered} ({change_pct}%)", price_changed,
         ("buyer_item", "ordered", "acknowledged", "change_pct")),
    Rule("ACK_DATE_CHANGED", Severity.WARNING, "The acknowledged date differs from the "
         "requested date beyond tolerance.", "PO {subject.key} line {subject.line} "
         "({buyer_item}): scheduled for {scheduled_date}, requested {requested_date} "
         "({days} day(s))", date_changed,
         ("buyer_item", "requested_date", "scheduled_date", "days"),
         ("ack_date_tolerance_days",)),
)  # fmt: skip
