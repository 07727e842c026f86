"""Store and load canonical documents through their typed tables, one mapper for every type.

Header and line columns carry the canonical field names, so conversion is by name: a column
takes the model field of the same name; JSON columns take the field's JSON form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import JSON, select
from sqlalchemy.orm import Session, selectinload

from gateway.model import Document, Provenance
from gateway.store import document_tables as t
from gateway.store.inventory_current import record_current

_PROVENANCE_COLUMNS = ("channel", "partner_id", "message_id", "received_at")
_BOOKKEEPING_COLUMNS = {"id", "position", "document_id", "line_id", "stored_at"}
_DOCUMENT = TypeAdapter(Document)


@dataclass(frozen=True)
class Mapping:
    """Which table holds a model, and which relationships hold its nested lists."""

    table: type[Any]
    children: dict[str, Mapping] = field(default_factory=dict)


_LINES = "lines"
MAPPINGS: dict[str, Mapping] = {
    "purchase_order": Mapping(t.PurchaseOrderRow, {_LINES: Mapping(t.PurchaseOrderLineRow)}),
    "po_acknowledgment": Mapping(
        t.PurchaseOrderAcknowledgmentRow, {_LINES: Mapping(t.PurchaseOrderAcknowledgmentLineRow)}
    ),
    "ship_notice": Mapping(t.ShipNoticeRow, {_LINES: Mapping(t.ShipNoticeLineRow)}),
    "planning_schedule": Mapping(
        t.PlanningScheduleRow,
        {_LINES: Mapping(t.PlanningScheduleLineRow, {"forecasts": Mapping(t.ForecastBucketRow)})},
    ),
    "inventory_position": Mapping(t.InventoryPositionRow, {_LINES: Mapping(t.InventoryLineRow)}),
    "receipt": Mapping(t.ReceiptRow, {_LINES: Mapping(t.ReceiptLineRow)}),
    "capacity_commit": Mapping(t.CapacityCommitRow, {_LINES: Mapping(t.CapacityCommitLineRow)}),
    "forecast_commit": Mapping(t.ForecastCommitRow, {_LINES: Mapping(t.ForecastCommitLineRow)}),
}


class MissingProvenanceError(ValueError):
    """A document reached the store without saying where it came from."""


class UnstorableValueError(ValueError):
    """A value the database cannot hold as given: longer than its column, or holding NUL
    (which PostgreSQL text refuses). ``errors`` name each field, as validation errors do."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


def save_document(session: Session, document: BaseModel) -> int:
    """Add a document (with its lines) to the session and return its row id after flush."""
    row = _document_row(document)
    session.add(row)
    session.flush()
    if isinstance(row, t.InventoryPositionRow):
        record_current(session, [row])
    return int(row.id)


def load_document(session: Session, doc_type: str, row_id: int) -> Document:
    """Load one stored document back into its canonical model."""
    row = session.get(MAPPINGS[doc_type].table, row_id)
    if row is None:
        raise LookupError(f"no {doc_type} with id {row_id}")
    return document_from_row(doc_type, row)


def document_from_row(doc_type: str, row: Any) -> Document:
    """The canonical model of a header row whose lines are loaded (or about to be)."""
    data = _from_row(row, MAPPINGS[doc_type])
    data["type"] = doc_type
    data["provenance"] = {name: getattr(row, name) for name in _PROVENANCE_COLUMNS}
    return _DOCUMENT.validate_python(data)


def document_ids_for_message(session: Session, message_id: str) -> dict[str, list[int]]:
    """The ids of the documents stored from one inbox message, by type."""
    found: dict[str, list[int]] = {}
    for doc_type, mapping in MAPPINGS.items():
        table = mapping.table
        ids = session.scalars(
            select(table.id).where(table.message_id == message_id).order_by(table.id)
        ).all()
        if ids:
            found[doc_type] = list(ids)
    return found


def _to_row(model: BaseModel, mapping: Mapping, path: str = "") -> Any:
    json_form = model.model_dump(mode="json")
    values: dict[str, Any] = {}
    for column in mapping.table.__table__.columns:
        name = column.name
        if name in _BOOKKEEPING_COLUMNS or name not in type(model).model_fields:
            continue
        is_json = isinstance(column.type, JSON)
        values[name] = json_form[name] if is_json else getattr(model, name)
        if isinstance(values[name], str):
            _check_storable(values[name], column, path + name)
    row = mapping.table(**values)
    for relation, child in mapping.children.items():
        parts = getattr(model, relation)
        children = [_to_row(p, child, f"{path}{relation}.{i}.") for i, p in enumerate(parts)]
        for position, child_row in enumerate(children):
            child_row.position = position
        setattr(row, relation, children)
    return row


def _check_storable(value: str, column: Any, field: str) -> None:
    # The same answer on every backend: SQLite would keep both, PostgreSQL refuse them with a
    # database error that names no field.
    length = getattr(column.type, "length", None)
    if length is not None and len(value) > length:
        message = f"at most {length} characters, got {len(value)}"
        raise UnstorableValueError([{"field": field, "message": message, "type": "too_long"}])
    if "\x00" in value:
        message = "must not contain NUL (\\u0000)"
        raise UnstorableValueError([{"field": field, "message": message, "type": "nul"}])


def _from_row(row: Any, mapping: Mapping) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column in mapping.table.__table__.columns:
        if column.name in _BOOKKEEPING_COLUMNS or column.name in _PROVENANCE_COLUMNS:
            continue
        data[column.name] = getattr(row, column.name)
    for relation, child in mapping.children.items():
        data[relation] = [_from_row(part, child) for part in getattr(row, relation)]
    return data


def save_documents(session: Session, documents: Sequence[BaseModel]) -> None:
    """Add many documents in one flush (bulk loads); each must carry its provenance."""
    rows = [_document_row(document) for document in documents]
    session.add_all(rows)
    session.flush()
    record_current(session, [row for row in rows if isinstance(row, t.InventoryPositionRow)])


def _document_row(document: BaseModel) -> Any:
    doc_type: str = getattr(document, "type")  # noqa: B009 - every document has a type
    provenance: Provenance | None = getattr(document, "provenance", None)
    if provenance is None:
        raise MissingProvenanceError(f"a {doc_type} needs provenance to be stored")
    row = _to_row(document, MAPPINGS[doc_type])
    for name in _PROVENANCE_COLUMNS:
        setattr(row, name, getattr(provenance, name))
    return row


def load_documents(session: Session, doc_type: str) -> list[Document]:
    """Every stored document of a type, lines included, in one query per level of nesting."""
    return [document for _id, document in load_documents_where(session, doc_type)]


def load_documents_where(
    session: Session, doc_type: str, *criteria: Any
) -> list[tuple[int, Document]]:
    """The stored documents of a type whose header rows match ``criteria``, with their row
    ids, lines included, in id order (arrival order within a type)."""
    mapping = MAPPINGS[doc_type]
    query = select(mapping.table).options(*_eager(mapping)).where(*criteria)
    rows = session.scalars(query.order_by(mapping.table.id)).all()
    return [(int(row.id), document_from_row(doc_type, row)) for row in rows]


def _eager(mapping: Mapping) -> list[Any]:
    options = []
    for relation, child in mapping.children.items():
        loader = selectinload(getattr(mapping.table, relation))
        for grand_relation in child.children:
            loader = loader.selectinload(getattr(child.table, grand_relation))
        options.append(loader)
    return options
