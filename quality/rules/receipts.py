"""Receipts against ship notices: counts at the dock, rejections, and notices nobody booked."""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, coalesce

__all__ = ["RULES"]


def _line_key(frame: pd.DataFrame) -> pd.Series:
    # PO and line when the receipt has them; the item otherwise (receipts often lack lines).
    po_line = coalesce(frame["po_number"], "") + "/" + coalesce(frame["line_number"], "")
    return po_line.where(frame["line_number"].notna(), "item:" + coalesce(frame["buyer_item"], "?"))


def _po_supplier(ctx: RuleContext) -> pd.Series:
    po = ctx.frames.in_force("po_lines").drop_duplicates("po_number")
    return po.set_index("po_number")["supplier_id"]


def _receipt_hits(frame: pd.DataFrame, line: pd.Series | None, **values: pd.Series) -> pd.DataFrame:
    hits = pd.DataFrame(
        {
            "doc_type": "receipt",
            "doc_key": frame["receipt_id"],
            "line": line if line is not None else None,
            "segment_id": frame["segment_id"],
            "supplier_id": frame["supplier_id"],
        },
        index=frame.index,
    )
    return hits.assign(**values)


def _received(ctx: RuleContext) -> pd.DataFrame:
    """In-force receipt lines with their line key, segment and supplier (via the PO)."""
    lines = ctx.frames.in_force("receipt_lines").copy()
    lines["segment_id"] = ctx.segment_of(lines["buyer_item"])
    lines["supplier_id"] = coalesce(lines["supplier_id"], lines["po_number"].map(_po_supplier(ctx)))
    return lines


KEY = ["shipment_id", "po", "ln", "it"]


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Line key columns: PO and line when given, else the item (no string building per row)."""
    has_line = frame["line_number"].notna()
    return frame.assign(
        po=coalesce(frame["po_number"], ""),
        ln=coalesce(frame["line_number"], ""),
        it=coalesce(frame["buyer_item"].where(~has_line), ""),
    )


def quantity_mismatch(ctx: RuleContext) -> pd.DataFrame:
    received = ctx.cached("received", _received)
    booked = _keyed(received[received["shipment_id"].notna()])
    asn = ctx.frames.in_force("asn_lines")
    asn = _keyed(asn[asn["shipment_id"].isin(set(booked["shipment_id"]))])
    announced = asn.groupby(KEY, sort=False).agg(
        announced=("quantity", "sum"), asn_item=("buyer_item", "first"),
        asn_supplier=("supplier_id", "first"),
    )  # fmt: skip
    counted = booked.groupby(KEY, sort=False).agg(
        received=("quantity_received", "sum"), buyer_item=("buyer_item", "first"),
        supplier_id=("supplier_id", "first"),
    )  # fmt: skip
    both = counted.reset_index().merge(announced.reset_index(), on=KEY, how="outer")
    gap = (both["received"].fillna(0.0) - both["announced"].fillna(0.0)).abs()
    both = both.assign(
        received=both["received"].fillna(0.0),
        announced=both["announced"].fillna(0.0),
        buyer_item=coalesce(both["buyer_item"], both["asn_item"]),
        supplier_id=coalesce(both["supplier_id"], both["asn_supplier"]),
    )
    both["segment_id"] = ctx.segment_of(both["buyer_item"])
    tolerance = ctx.threshold("receipt_tolerance", both)
    bad = both[gap > tolerance * both["announced"] + 1e-9].copy()
    # A shipment booked over several receipts is reported on the first of them.
    receipt_of = booked.drop_duplicates("shipment_id").set_index("shipment_id")["receipt_id"]
    bad["receipt_id"] = bad["shipment_id"].map(receipt_of)
    ref = (bad["po"] + "/" + bad["ln"]).where(bad["ln"] != "", "item:" + bad["it"])
    return _receipt_hits(bad, ref, shipment_id=bad["shipment_id"],
                         buyer_item=bad["buyer_item"], announced=bad["announced"],
                         received=bad["received"],
                         difference=bad["received"] - bad["announced"])  # fmt: skip


def rejected(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("received", _received)
    tolerance = ctx.threshold("rejection_tolerance", lines)
    bad = lines[lines["quantity_rejected"] > tolerance * lines["quantity_received"] + 1e-9]
    share = 100 * bad["quantity_rejected"] / bad["quantity_received"].where(lambda s: s > 0)
    return _receipt_hits(bad, _line_key(bad), buyer_item=bad["buyer_item"],
                         received=bad["quantity_received"], rejected=bad["quantity_rejected"],
                         rejected_pct=share.round(1), uom=bad["uom"])  # fmt: skip


def without_asn(ctx: RuleContext) -> pd.DataFrame:
    lines = ctx.cached("received", _received)
    known = set(ctx.frames.in_force("asn_lines")["shipment_id"])
    bad = lines[lines["shipment_id"].isna() | ~lines["shipment_id"].isin(known)]
    per_receipt = (
        bad.groupby("receipt_id", dropna=False, sort=False)
        .agg(segment_id=("segment_id", "first"), supplier_id=("supplier_id", "first"),
             shipment_id=("shipment_id", "first"), po_number=("po_number", "first"),
             lines=("quantity_received", "size"),
             received_date=("received_date", "first"))
        .reset_index()
    )  # fmt: skip
    shown = coalesce(per_receipt["shipment_id"], "(none)")
    return _receipt_hits(per_receipt, None, shipment_id=shown,
                         po_number=per_receipt["po_number"], lines=per_receipt["lines"],
                         received_date=per_receipt["received_date"])  # fmt: skip


def not_received(ctx: RuleContext) -> pd.DataFrame:
    asn = ctx.frames.in_force("asn_lines")
    receipts = ctx.frames.in_force("receipt_lines")
    open_asn = asn[~asn["shipment_id"].isin(set(receipts["shipment_id"].dropna()))]
    per_asn = (
        open_asn.groupby("shipment_id", sort=False)
        .agg(supplier_id=("supplier_id", "first"), buyer_item=("buyer_item", "first"),
             ship_date=("ship_date", "first"), expected=("expected_delivery", "first"),
             lines=("quantity", "size"), po_number=("po_number", "first"))
        .reset_index()
    )  # fmt: skip
    per_asn["segment_id"] = ctx.segment_of(per_asn["buyer_item"])
    grace = ctx.threshold("receipt_grace_days", per_asn)
    due = per_asn["expected"].fillna(per_asn["ship_date"])
    overdue_days = (ctx.today - due).dt.days - grace
    bad = per_asn[overdue_days > 0]
    return pd.DataFrame({
        "doc_type": "ship_notice", "doc_key": bad["shipment_id"], "line": None,
        "segment_id": bad["segment_id"], "supplier_id": bad["supplier_id"],
        "po_number": bad["po_number"], "lines": bad["lines"], "expected_delivery": due[bad.index],
        "days_overdue": (ctx.today - due[bad.index]).dt.days, "grace_days": grace[bad.index],
    })  # fmt: skip


RULES = (
    Rule("RECEIPT_QTY_MISMATCH", Severity.WARNING, "Received differs from the quantity the "
         "ship notice announced.", "Receipt {subject.key} of shipment {shipment_id}, "
         "{subject.line} (item {buyer_item}): received {received}, announced {announced} "
         "(difference {difference})", quantity_mismatch,
         ("shipment_id", "buyer_item", "announced", "received", "difference"),
         ("receipt_tolerance",)),
    Rule("RECEIPT_REJECTED", Severity.WARNING, "Part of a delivery was rejected at the dock.",
         "Receipt {subject.key}, {subject.line} (item {buyer_item}): rejected {rejected} of "
         "{received} {uom} ({rejected_pct}%)", rejected,
         ("buyer_item", "received", "rejected", "rejected_pct", "uom"),
         ("rejection_tolerance",)),
    Rule("RECEIPT_WITHOUT_ASN", Severity.WARNING, "Goods were received with no ship notice.",
         "Receipt {subject.key} of {received_date} ({lines} line(s), PO {po_number}) has no "
         "ship notice (shipment reference {shipment_id})", without_asn,
         ("shipment_id", "po_number", "lines", "received_date")),
    Rule("ASN_NOT_RECEIVED", Severity.ERROR, "A ship notice was never received after the "
         "grace period.", "Ship notice {subject.key} ({lines} line(s), PO {po_number}) was "
         "expected on {expected_delivery} and is not received {days_overdue} days later "
         "(grace {grace_days} days)", not_received,
         ("po_number", "lines", "expected_delivery", "days_overdue", "grace_days"),
         ("receipt_grace_days",)),
)  # fmt: skip
