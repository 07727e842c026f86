"""Ship notices against purchase orders: references, items, units, quantities and dates."""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, coalesce, empty_hits

__all__ = ["RULES"]

PO_KEY = ["po_number", "line_number"]


def _matched(ctx: RuleContext) -> pd.DataFrame:
    """In-force ASN lines joined to the in-force PO line they ship (``on_po``/``line_known``).

    An ASN line without a line number is matched by PO number and buyer item, so suppliers
    that only send the item still get their quantities checked.
    """
    asn = ctx.frames.in_force("asn_lines").drop(columns=["in_force", "partner_id"])
    po = ctx.frames.in_force("po_lines")
    po = po[[*PO_KEY, "buyer_item", "vendor_item", "quantity", "uom", "requested_date"]]
    po = po.add_prefix("po_").rename(columns={"po_po_number": "po_number"})
    if asn["line_number"].isna().any():
        asn = _fill_line_numbers(asn, po)
    known_pos = set(po["po_number"])
    matched = asn.merge(po.rename(columns={"po_line_number": "line_number"}), on=PO_KEY, how="left")
    matched["on_po"] = matched["po_number"].isin(known_pos)
    matched["line_known"] = matched["po_quantity"].notna()
    # Only lines that match no PO line need the (slower) "is the item anywhere on the PO".
    matched["item_on_po"] = matched["line_known"] & (
        matched["buyer_item"] == matched["po_buyer_item"]
    )
    loose = matched[~matched["line_known"]]
    if not loose.empty:
        pairs = po[["po_number", "po_buyer_item"]].drop_duplicates()
        hit = loose.merge(pairs, left_on=["po_number", "buyer_item"],
                          right_on=["po_number", "po_buyer_item"], how="left",
                          indicator="item_match", suffixes=("", "_any"))["item_match"]  # fmt: skip
        matched.loc[loose.index, "item_on_po"] = (hit == "both").to_numpy()
    item = coalesce(matched["po_buyer_item"], matched["buyer_item"])
    matched["segment_id"] = ctx.segment_of(item)
    return matched


def _fill_line_numbers(asn: pd.DataFrame, po: pd.DataFrame) -> pd.DataFrame:
    by_item = po.drop_duplicates(["po_number", "po_buyer_item"])
    fill = asn.merge(
        by_item[["po_number", "po_buyer_item", "po_line_number"]],
        left_on=["po_number", "buyer_item"],
        right_on=["po_number", "po_buyer_item"],
        how="left",
    )["po_line_number"]
    filled = coalesce(asn["line_number"], pd.Series(fill.to_numpy(), asn.index))
    return asn.assign(line_number=filled)


def _asn_hits(frame: pd.DataFrame, line: pd.Series, **values: pd.Series) -> pd.DataFrame:
    hits = pd.DataFrame(
        {
            "doc_type": "ship_notice",
            "doc_key": frame["shipment_id"],
            "line": line,
            "segment_id": frame["segment_id"],
            "supplier_id": frame["supplier_id"],
        }
    )
    return hits.assign(**values)


def _line_ref(frame: pd.DataFrame) -> pd.Series:
    ref = coalesce(frame["po_number"], "?") + "/"
    return ref + coalesce(coalesce(frame["line_number"], frame["buyer_item"]), "?")


def unknown_po(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("asn_po", _matched)
    bad = lines[~lines["on_po"]]
    if bad.empty:
        return empty_hits("po_number", "lines")
    grouped = (
        bad.assign(po=coalesce(bad["po_number"], "(none)"))
        .groupby(["shipment_id", "po"], dropna=False, sort=False)
        .agg(segment_id=("segment_id", "first"), supplier_id=("supplier_id", "first"),
             lines=("quantity", "size"))
        .reset_index()
    )  # fmt: skip
    return _asn_hits(grouped, grouped["po"], po_number=grouped["po"], lines=grouped["lines"])


def unknown_line(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("asn_po", _matched)
    bad = lines[lines["on_po"] & lines["line_number"].notna() & ~lines["line_known"]]
    return _asn_hits(bad, _line_ref(bad), po_number=bad["po_number"],
                     line_number=bad["line_number"], buyer_item=bad["buyer_item"])  # fmt: skip


def item_not_on_po(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("asn_po", _matched)
    bad = lines[lines["on_po"] & ~lines["line_known"] & ~lines["item_on_po"]]
    bad = bad[bad["buyer_item"].notna()]
    return _asn_hits(bad, _line_ref(bad), po_number=bad["po_number"],
                     buyer_item=bad["buyer_item"], quantity=bad["quantity"])  # fmt: skip


def substitution(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("asn_po", _matched)
    known = lines[lines["line_known"]]
    other_item = known["buyer_item"].notna() & (known["buyer_item"] != known["po_buyer_item"])
    other_part = (
        known["buyer_item"].isna()
        & known["vendor_item"].notna()
        & (known["vendor_item"] != known["po_vendor_item"])
    )
    bad = known[other_item | other_part]
    return _asn_hits(bad, _line_ref(bad), po_number=bad["po_number"],
                     line_number=bad["line_number"], ordered_item=bad["po_buyer_item"],
                     shipped_item=coalesce(bad["buyer_item"], bad["vendor_item"]))  # fmt: skip


def uom_mismatch(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("asn_po", _matched)
    bad = lines[lines["line_known"] & (lines["uom"] != lines["po_uom"])]
    return _asn_hits(bad, _line_ref(bad), po_number=bad["po_number"],
                     line_number=bad["line_number"], shipped_uom=bad["uom"],
                     ordered_uom=bad["po_uom"])  # fmt: skip


def _shipped_per_po_line(ctx: RuleContext) -> pd.DataFrame:
    """Ordered vs shipped (all in-force ASNs, same unit) per PO line of every PO that shipped."""
    lines = ctx.cached("asn_po", _matched)
    comparable = lines[lines["line_known"] & (lines["uom"] == lines["po_uom"])]
    # First, last and count of the shipments: naming them all would need a Python join per line.
    shipped = comparable.groupby(PO_KEY, sort=False).agg(
        shipped=("quantity", "sum"),
        first_shipment=("shipment_id", "first"),
        last_shipment=("shipment_id", "last"),
        shipment_count=("shipment_id", "nunique"),
    )
    po = ctx.frames.in_force("po_lines")
    po = po[po["po_number"].isin(set(lines.loc[lines["on_po"], "po_number"]))]
    totals = po.join(shipped, on=PO_KEY)
    totals["shipped"] = totals["shipped"].fillna(0.0)
    totals["segment_id"] = ctx.segment_of(totals["buyer_item"])
    return totals


def _with_shipments(hit: pd.DataFrame) -> pd.DataFrame:
    """Name the shipments behind each flagged line: "SH1", "SH1,SH2", "SH1,...,SH9 (5)"
    (first and last in arrival order)."""
    count = hit["shipment_count"].fillna(0).astype("int64")
    first, last = hit["first_shipment"], hit["last_shipment"]
    names = (first + "," + last).where(count == 2, first)
    names = names.where(count <= 2, first + ",...," + last + " (" + count.astype(str) + ")")
    return hit.assign(shipments=coalesce(names, "(none)"))


def _quantity_hits(ctx: RuleContext, over: bool) -> pd.DataFrame:
    totals = ctx.cached("po_shipped", _shipped_per_po_line)
    name = "over_shipment_tolerance" if over else "under_shipment_tolerance"
    tolerance = ctx.threshold(name, totals)
    if over:
        bad = totals["shipped"] > totals["quantity"] * (1 + tolerance) + 1e-9
    else:
        bad = totals["shipped"] < totals["quantity"] * (1 - tolerance) - 1e-9
    hit = _with_shipments(totals[bad])
    return pd.DataFrame({
        "doc_type": "purchase_order", "doc_key": hit["po_number"], "line": hit["line_number"],
        "segment_id": hit["segment_id"], "supplier_id": hit["supplier_id"],
        "buyer_item": hit["buyer_item"], "ordered": hit["quantity"], "shipped": hit["shipped"],
        "uom": hit["uom"], "shipments": hit["shipments"],
        "tolerance_pct": (tolerance[bad] * 100).round(2),
    })  # fmt: skip


def over_shipment(ctx: RuleContext) -> pd.DataFrame:
    return _quantity_hits(ctx, over=True)


def under_shipment(ctx: RuleContext) -> pd.DataFrame:
    return _quantity_hits(ctx, over=False)


def late_shipment(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("asn_po", _matched)
    known = lines[lines["line_known"] & lines["po_requested_date"].notna()].copy()
    arrival = known["expected_delivery"].fillna(known["ship_date"])
    known["late_days"] = (arrival - known["po_requested_date"]).dt.days
    known["tolerance"] = ctx.threshold("late_tolerance_days", known)
    late = known[known["late_days"] > known["tolerance"]]
    grouped = (
        late.groupby(["shipment_id", "po_number"], sort=False)
        .agg(segment_id=("segment_id", "first"), supplier_id=("supplier_id", "first"),
             late_days=("late_days", "max"), lines_late=("late_days", "size"),
             requested=("po_requested_date", "min"), arrival=("expected_delivery", "max"),
             ship_date=("ship_date", "first"))
        .reset_index()
    )  # fmt: skip
    return _asn_hits(grouped, grouped["po_number"], po_number=grouped["po_number"],
                     late_days=grouped["late_days"], lines_late=grouped["lines_late"],
                     requested_date=grouped["requested"], ship_date=grouped["ship_date"],
                     expected_delivery=grouped["arrival"])  # fmt: skip


RULES = (
    Rule("ASN_UNKNOWN_PO", Severity.CRITICAL, "A ship notice references a PO we do not have.",
         "Ship notice {subject.key} ships {lines} line(s) against PO {po_number}, "
         "which is not on file", unknown_po, ("po_number", "lines")),
    Rule("ASN_UNKNOWN_LINE", Severity.ERROR, "A ship notice line names a PO line that does "
         "not exist.", "Ship notice {subject.key} ships PO {po_number} line {line_number} "
         "(item {buyer_item}), but the PO has no such line", unknown_line,
         ("po_number", "line_number", "buyer_item")),
    Rule("ASN_ITEM_NOT_ON_PO", Severity.ERROR, "A ship notice ships an item that is on no "
         "line of the PO.", "Ship notice {subject.key} ships {quantity} of item {buyer_item}, "
         "which is not on PO {po_number}", item_not_on_po,
         ("po_number", "buyer_item", "quantity")),
    Rule("ASN_SUBSTITUTION", Severity.WARNING, "A PO line ships a different item than ordered.",
         "Ship notice {subject.key} ships {shipped_item} on PO {po_number} line {line_number}, "
         "which ordered {ordered_item}", substitution,
         ("po_number", "line_number", "ordered_item", "shipped_item")),
    Rule("ASN_UOM_MISMATCH", Severity.ERROR, "A ship notice line's unit differs from the PO "
         "line's.", "Ship notice {subject.key} ships PO {po_number} line {line_number} in "
         "{shipped_uom}, the PO ordered in {ordered_uom}", uom_mismatch,
         ("po_number", "line_number", "shipped_uom", "ordered_uom")),
    Rule("ASN_OVER_SHIPMENT", Severity.ERROR, "Shipped more than ordered beyond tolerance.",
         "PO {subject.key} line {subject.line} (item {buyer_item}): shipped {shipped} {uom} "
         "against {ordered} ordered (tolerance {tolerance_pct}%) in {shipments}",
         over_shipment, ("buyer_item", "ordered", "shipped", "uom", "shipments",
                         "tolerance_pct"), ("over_shipment_tolerance",)),
    Rule("ASN_UNDER_SHIPMENT", Severity.WARNING, "Shipped less than ordered beyond tolerance.",
         "PO {subject.key} line {subject.line} (item {buyer_item}): shipped {shipped} {uom} "
         "of {ordered} ordered (tolerance {tolerance_pct}%) in {shipments}",
         under_shipment, ("buyer_item", "ordered", "shipped", "uom", "shipments",
                          "tolerance_pct"), ("under_shipment_tolerance",)),
    Rule("ASN_LATE_SHIPMENT", Severity.WARNING, "Expected delivery (else ship date) after the "
         "PO line's requested date.", "Ship notice {subject.key}: {lines_late} line(s) of PO "
         "{po_number} arrive {late_days} day(s) after the requested {requested_date} "
         "(shipped {ship_date}, expected {expected_delivery})", late_shipment,
         ("po_number", "late_days", "lines_late", "requested_date", "ship_date",
          "expected_delivery"), ("late_tolerance_days",)),
)  # fmt: skip
