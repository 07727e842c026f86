"""The streaming case: which stored documents a new one needs, and which findings it judges."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from gateway.model import (
    CapacityCommit,
    ForecastCommit,
    InventoryPosition,
    PlanningSchedule,
    PurchaseOrder,
    PurchaseOrderAcknowledgment,
    Receipt,
    ShipNotice,
)
from quality.engine import select_rules
from quality.findings import TrackedFinding
from quality.frames import document_key

__all__ = ["Related", "related_keys", "streaming_scope"]


@dataclass(frozen=True)
class Related:
    """Keys of the stored documents to load with new ones before a streaming check.

    - ``po_numbers``: those purchase orders, and the ship notices that ship against them;
    - ``shipment_ids``: those ship notices, and the receipts that book them;
    - ``schedule_ids``: those planning schedules;
    - ``schedule_suppliers``: the latest planning schedule and commits of these suppliers;
    - ``inventory_locations``: inventory snapshots (internal and supplier) at these locations.
    """

    po_numbers: frozenset[str] = frozenset()
    shipment_ids: frozenset[str] = frozenset()
    schedule_ids: frozenset[str] = frozenset()
    schedule_suppliers: frozenset[str] = frozenset()
    inventory_locations: frozenset[str] = frozenset()


def related_keys(documents: Iterable[BaseModel]) -> Related:
    """What to load from the store so that the document rules see the whole picture."""
    pos: set[str] = set()
    shipments: set[str] = set()
    schedules: set[str] = set()
    suppliers: set[str] = set()
    locations: set[str] = set()
    for doc in documents:
        if isinstance(doc, PurchaseOrder | PurchaseOrderAcknowledgment):
            pos.add(doc.po_number)
        elif isinstance(doc, ShipNotice):
            shipments.add(doc.shipment_id)
            pos.update(line.po_number for line in doc.lines if line.po_number)
        elif isinstance(doc, Receipt):
            if doc.shipment_id:
                shipments.add(doc.shipment_id)
            pos.update(line.po_number for line in doc.lines if line.po_number)
        elif isinstance(doc, ForecastCommit | CapacityCommit):
            if isinstance(doc, ForecastCommit) and doc.schedule_id:
                schedules.add(doc.schedule_id)
            if doc.supplier_id:
                suppliers.add(doc.supplier_id)
        elif isinstance(doc, InventoryPosition):
            locations.add(doc.location_id)
        elif isinstance(doc, PlanningSchedule) and doc.supplier_id:
            suppliers.add(doc.supplier_id)  # the commits that answer it
    return Related(frozenset(pos), frozenset(shipments), frozenset(schedules),
                   frozenset(suppliers), frozenset(locations))  # fmt: skip


def streaming_scope(documents: Iterable[BaseModel]) -> Callable[[TrackedFinding], bool]:
    """``in_scope`` for ``reconcile`` after a streaming check of ``documents``.

    A stored finding is in scope when a document rule raised it and its subject is one of the
    checked documents (or a PO they ship against): only those may be auto-resolved.
    """
    docs = list(documents)
    keys = {(str(getattr(d, "type", "")), document_key(d)) for d in docs}
    keys |= {("purchase_order", po) for po in related_keys(docs).po_numbers}
    keys |= {("commit", key) for kind, key in keys if kind.endswith("_commit")}
    rules = {rule.code for rule in select_rules(streaming=True)}

    def in_scope(finding: TrackedFinding) -> bool:
        subject = finding.finding.subject
        return finding.finding.rule in rules and (subject.doc_type, subject.key) in keys

    return in_scope
