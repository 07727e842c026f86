"""Referential integrity: items, suppliers and locations we know, segments suppliers serve."""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, empty_hits

__all__ = ["RULES"]

# (frame, document key column, document type) of every line frame that names an item.
ITEM_FRAMES = (
    ("po_lines", "po_number", "purchase_order"),
    ("asn_lines", "shipment_id", "ship_notice"),
    ("receipt_lines", "receipt_id", "receipt"),
    ("inventory_lines", "report_id", "inventory_position"),
    ("schedule_buckets", "schedule_id", "planning_schedule"),
    ("commit_lines", "commit_id", "commit"),
)


def _item_refs(ctx: RuleContext) -> pd.DataFrame:
    """Distinct (document, item, sending supplier) over every line frame."""
    parts = []
    for name, key, doc_type in ITEM_FRAMES:
        frame = ctx.frames.in_force(name)
        types = frame.get("doc_type", doc_type)
        parts.append(pd.DataFrame({
            "doc_type": types, "doc_key": frame[key], "buyer_item": frame["buyer_item"],
            "supplier_id": frame["supplier_id"],
        }))  # fmt: skip
    refs = pd.concat(parts, ignore_index=True).dropna(subset=["buyer_item"])
    return refs.drop_duplicates()


def unknown_item(ctx: RuleContext) -> pd.DataFrame:
    if ctx.master.items.empty:
        return empty_hits("buyer_item")
    refs = ctx.cached("item_refs", _item_refs)
    bad = refs[~refs["buyer_item"].isin(set(ctx.master.items["item_id"]))]
    return bad.assign(line=bad["buyer_item"], segment_id=None)


def unknown_supplier(ctx: RuleContext) -> pd.DataFrame:
    if ctx.master.suppliers.empty:
        return empty_hits()
    docs = ctx.frames.documents
    bad = docs[docs["supplier_id"].notna()
               & ~docs["supplier_id"].isin(set(ctx.master.suppliers["supplier_id"]))]  # fmt: skip
    return pd.DataFrame({"doc_type": bad["doc_type"], "doc_key": bad["doc_key"], "line": None,
                         "segment_id": None, "supplier_id": bad["supplier_id"]})  # fmt: skip


def unknown_location(ctx: RuleContext) -> pd.DataFrame:
    if ctx.master.locations.empty:
        return empty_hits("location_id")
    docs = ctx.frames.documents
    bad = docs[docs["location_id"].notna()
               & ~docs["location_id"].isin(set(ctx.master.locations["location_id"]))]  # fmt: skip
    return pd.DataFrame({"doc_type": bad["doc_type"], "doc_key": bad["doc_key"], "line": None,
                         "segment_id": None, "supplier_id": bad["supplier_id"],
                         "location_id": bad["location_id"]})  # fmt: skip


def segment_not_served(ctx: RuleContext) -> pd.DataFrame:
    if ctx.master.items.empty or ctx.master.served.empty:
        return empty_hits("buyer_item")
    refs = ctx.cached("item_refs", _item_refs).dropna(subset=["supplier_id"])
    refs = refs.assign(segment_id=ctx.segment_of(refs["buyer_item"])).dropna(
        subset=["segment_id"])  # fmt: skip
    known = refs["supplier_id"].isin(set(ctx.master.suppliers["supplier_id"]))
    served = refs.merge(ctx.master.served, on=["supplier_id", "segment_id"], how="left",
                        indicator=True)["_merge"].eq("both").to_numpy()  # fmt: skip
    bad = refs[known & ~served]
    return bad.assign(line=bad["buyer_item"])


RULES = (
    Rule("REF_UNKNOWN_ITEM", Severity.ERROR, "A document names an item not in master data.",
         "{subject.doc_type} {subject.key} names item {buyer_item}, which is not in the item "
         "master", unknown_item, ("buyer_item",)),
    Rule("REF_UNKNOWN_SUPPLIER", Severity.ERROR, "A document comes from or names a supplier "
         "not in master data.", "{subject.doc_type} {subject.key} names supplier "
         "{supplier_id}, which is not in the supplier master", unknown_supplier,
         ("supplier_id",)),
    Rule("REF_UNKNOWN_LOCATION", Severity.ERROR, "A document names a location not in master "
         "data.", "{subject.doc_type} {subject.key} names location {location_id}, which is "
         "not a known location", unknown_location, ("location_id",)),
    Rule("REF_SEGMENT_NOT_SERVED", Severity.ERROR, "A supplier sends an item of a segment it "
         "does not serve.", "{subject.doc_type} {subject.key} from {supplier_id} names item "
         "{buyer_item} of segment {segment_id}, which {supplier_id} does not serve",
         segment_not_served, ("buyer_item", "supplier_id", "segment_id")),
)  # fmt: skip
