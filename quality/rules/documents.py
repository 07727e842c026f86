"""Whole documents: duplicates, reused control numbers, and amended purchase orders."""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity
from quality.rules.base import Rule, RuleContext, coalesce, empty_hits

__all__ = ["RULES"]


def duplicate_document(ctx: RuleContext) -> pd.DataFrame:
    docs = ctx.frames.documents
    repeats = docs[docs["duplicate_of"] >= 0]
    if repeats.empty:
        return empty_hits("copies", "first_date")
    per_key = (
        repeats.groupby(["doc_type", "doc_key"], as_index=False, sort=False)
        .agg(copies=("doc_index", "size"), supplier_id=("supplier_id", "first"),
             partner_id=("partner_id", "first"))
    )  # fmt: skip
    first = docs[docs["duplicate_of"] < 0].drop_duplicates(["doc_type", "doc_key"])
    per_key = per_key.merge(
        first[["doc_type", "doc_key", "doc_date"]], on=["doc_type", "doc_key"], how="left"
    )
    supplier = coalesce(per_key["supplier_id"], ctx.as_supplier(per_key["partner_id"]))
    return pd.DataFrame({
        "doc_type": per_key["doc_type"], "doc_key": per_key["doc_key"], "line": None,
        "segment_id": None, "supplier_id": supplier,
        "copies": per_key["copies"] + 1, "first_date": per_key["doc_date"],
    })  # fmt: skip


def reused_control_number(ctx: RuleContext) -> pd.DataFrame:
    docs = ctx.frames.documents
    keys = ["sender_id", "interchange_control_number", "transaction_set_control_number"]
    enveloped = docs.dropna(subset=keys)
    distinct = enveloped.groupby(keys, sort=False)["doc_key"].transform("nunique")
    reused = enveloped[distinct > 1]
    per_number = reused.groupby(keys, as_index=False, sort=False).agg(
        documents=("doc_key", lambda s: ",".join(sorted(set(s)))),
        supplier_id=("supplier_id", "first"),
    )
    number = per_number["interchange_control_number"] + "/" + per_number[
        "transaction_set_control_number"]  # fmt: skip
    return pd.DataFrame({
        "doc_type": "interchange", "doc_key": per_number["sender_id"], "line": number,
        "segment_id": None, "supplier_id": per_number["supplier_id"],
        "control_number": number, "documents": per_number["documents"],
    })  # fmt: skip


def _revisions(ctx: RuleContext) -> pd.DataFrame:
    """Each PO line of an amended PO against the same line in the version before it."""
    po = ctx.frames.po_lines
    versions = ctx.frames.documents
    versions = versions[(versions["doc_type"] == "purchase_order") & (versions["duplicate_of"] < 0)]
    ordered = versions.sort_values("doc_index")
    previous = ordered.groupby("doc_key", sort=False)["doc_index"].shift(1)
    pairs = pd.DataFrame({"doc_index": ordered["doc_index"], "prev_index": previous}).dropna()
    if pairs.empty:
        return pd.DataFrame()
    pairs["prev_index"] = pairs["prev_index"].astype("int64")
    new = po.merge(pairs, on="doc_index")
    old = po[["doc_index", "line_number", "unit_price", "requested_date", "quantity"]]
    both = new.merge(
        old.rename(columns={"doc_index": "prev_index"}),
        on=["prev_index", "line_number"], suffixes=("", "_before"),
    )  # fmt: skip
    both["segment_id"] = ctx.segment_of(both["buyer_item"])
    return both


def _change_hits(both: pd.DataFrame, field: str) -> pd.DataFrame:
    if both.empty:
        return empty_hits("buyer_item", "before", "after")
    changed = both[
        both[field].ne(both[f"{field}_before"])
        & ~(both[field].isna() & both[f"{field}_before"].isna())
    ]
    return pd.DataFrame({
        "doc_type": "purchase_order", "doc_key": changed["po_number"],
        "line": changed["line_number"], "segment_id": changed["segment_id"],
        "supplier_id": changed["supplier_id"], "buyer_item": changed["buyer_item"],
        "before": changed[f"{field}_before"], "after": changed[field],
    })  # fmt: skip


def price_changed(ctx: RuleContext) -> pd.DataFrame:
    return _change_hits(ctx.cached("po_revisions", _revisions), "unit_price")


def date_changed(ctx: RuleContext) -> pd.DataFrame:
    return _change_hits(ctx.cached("po_revisions", _revisions), "requested_date")


RULES = (
    Rule("DUPLICATE_DOCUMENT", Severity.WARNING, "The same PO, shipment, receipt or report "
         "was sent again (counted once).", "{subject.doc_type} {subject.key} arrived "
         "{copies} times (first dated {first_date}); only the first is counted",
         duplicate_document, ("copies", "first_date")),
    Rule("DUPLICATE_CONTROL_NUMBER", Severity.ERROR, "An interchange control number was "
         "reused for different documents.", "Sender {subject.key} reused control number "
         "{control_number} for documents {documents}", reused_control_number,
         ("control_number", "documents")),
    Rule("PO_PRICE_CHANGED", Severity.WARNING, "An amended PO changes a line's unit price.",
         "PO {subject.key} line {subject.line} ({buyer_item}): unit price changed from "
         "{before} to {after}", price_changed, ("buyer_item", "before", "after")),
    Rule("PO_DATE_CHANGED", Severity.WARNING, "An amended PO changes a line's requested date.",
         "PO {subject.key} line {subject.line} ({buyer_item}): requested date changed from "
         "{before} to {after}", date_changed, ("buyer_item", "before", "after")),
)  # fmt: skip
