"""Store and load canonical documents through their typed tables, one mapper for every type.

Header and line columns carry the canonical field names, so conversion is by name: a column
takes the model field of the same name; JSON columns take the field's JSON form.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import JSON, insert, select
from sqlalchemy.orm import Session

from gateway.model import Document, Provenance
from gateway.store import document_tables as t
from gateway.store.inventory_current import Reported, record_current

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
    """Store one document (with its lines) in the caller's transaction; its header row id."""
    return save_documents(session, [document])[0]


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


@functools.cache
def _columns(table: Any, model: type[BaseModel]) -> tuple[tuple[Any, bool], ...]:
    """The columns of ``table`` that take a field of ``model`` of the same name, each with
    whether it holds the field's JSON form."""
    return tuple(
        (column, isinstance(column.type, JSON))
        for column in table.__table__.columns
        if column.name not in _BOOKKEEPING_COLUMNS and column.name in model.model_fields
    )


@functools.cache
def _json_names(table: Any, model: type[BaseModel]) -> frozenset[str]:
    return frozenset(column.name for column, is_json in _columns(table, model) if is_json)


def _values(model: BaseModel, table: Any, path: str) -> dict[str, Any]:
    """A row of ``table`` for ``model``: its fields by column name, strings checked first
    (only the JSON columns' fields are serialized, not the lines below them)."""
    kind = type(model)
    json_names = _json_names(table, kind)
    json_form = model.model_dump(mode="json", include=set(json_names)) if json_names else {}
    values: dict[str, Any] = {}
    for column, is_json in _columns(table, kind):
        name = column.name
        value = json_form[name] if is_json else getattr(model, name)
        if isinstance(value, str):
            _check_storable(value, column, path + name)
        values[name] = value
    return values


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
    table: Any = mapping.table
    data: dict[str, Any] = {name: getattr(row, name) for name in _stored_fields(table)}
    for relation, child in mapping.children.items():
        data[relation] = [_from_row(part, child) for part in getattr(row, relation)]
    return data


def save_documents(session: Session, documents: Sequence[BaseModel]) -> list[int]:
    """Store documents with their lines in the caller's transaction; their header row ids, in
    order. Each must carry its provenance.

    One ``INSERT`` per table and level of lines, its rows sent in batches (``RETURNING`` the
    ids where lines hang below): a 100-line report costs three statements, not a hundred
    ORM objects and their flush. A value a column cannot hold raises before the rows of its
    document type are sent (the caller's transaction then takes back any sent before).
    """
    ids = [0] * len(documents)
    by_type: dict[str, list[int]] = {}
    for index, document in enumerate(documents):
        doc_type: str = getattr(document, "type")  # noqa: B009 - every document has a type
        by_type.setdefault(doc_type, []).append(index)
    for doc_type, indexes in by_type.items():
        mapping = MAPPINGS[doc_type]
        batch = [documents[i] for i in indexes]
        rows = [_header_values(document, mapping) for document in batch]
        children = _children(mapping, batch, [""] * len(batch))  # checked before any insert
        header_ids = _insert(session, mapping.table, rows)
        for index, row_id in zip(indexes, header_ids, strict=True):
            ids[index] = row_id
        _insert_children(session, children, header_ids)
        if doc_type == "inventory_position":
            reports = zip(batch, header_ids, strict=True)
            record_current(session, [_reported(d, row_id) for d, row_id in reports])
    return ids


def _header_values(document: BaseModel, mapping: Mapping) -> dict[str, Any]:
    provenance: Provenance | None = getattr(document, "provenance", None)
    if provenance is None:
        doc_type = getattr(document, "type")  # noqa: B009
        raise MissingProvenanceError(f"a {doc_type} needs provenance to be stored")
    values = _values(document, mapping.table, "")
    for name in _PROVENANCE_COLUMNS:
        values[name] = getattr(provenance, name)
    return values


@dataclass
class _Level:
    """The rows of one relation of a batch of parents: per row its parent's index in the
    batch, its values and the levels below it."""

    table: Any
    foreign_key: str
    parents: list[int]
    rows: list[dict[str, Any]]
    below: list[_Level]


def _children(mapping: Mapping, parents: Sequence[BaseModel], paths: list[str]) -> list[_Level]:
    """The rows below ``parents`` (``paths``: where each is in its document, for errors)."""
    levels = []
    for relation, child in mapping.children.items():
        owners: list[int] = []
        rows: list[dict[str, Any]] = []
        parts: list[BaseModel] = []
        where: list[str] = []
        for owner, parent in enumerate(parents):
            for position, part in enumerate(getattr(parent, relation)):
                here = f"{paths[owner]}{relation}.{position}."
                values = _values(part, child.table, here)
                values["position"] = position
                owners.append(owner)
                rows.append(values)
                parts.append(part)
                where.append(here)
        below = _children(child, parts, where) if child.children else []
        levels.append(_Level(child.table, _foreign_key(child.table), owners, rows, below))
    return levels


def _insert_children(session: Session, levels: list[_Level], parent_ids: Sequence[int]) -> None:
    for level in levels:
        if not level.rows:
            continue
        for owner, row in zip(level.parents, level.rows, strict=True):
            row[level.foreign_key] = parent_ids[owner]
        if level.below:
            _insert_children(session, level.below, _insert(session, level.table, level.rows))
        else:
            session.execute(insert(level.table), level.rows)


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows``; their new ids, in the rows' order."""
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def _foreign_key(table: Any) -> str:
    """The column of a line table that names its parent row."""
    (name,) = (str(c.name) for c in table.__table__.columns if c.foreign_keys)
    return name


def _reported(document: BaseModel, row_id: int) -> Reported:
    lines = [(line.buyer_item, line.quantity_on_hand) for line in getattr(document, "lines")]  # noqa: B009
    return Reported(getattr(document, "location_id"), getattr(document, "as_of"), row_id, lines)  # noqa: B009


def load_documents(session: Session, doc_type: str) -> list[Document]:
    """Every stored document of a type, lines included, in one query per level of nesting."""
    return [document for _id, document in load_documents_where(session, doc_type)]


def load_documents_where(
    session: Session, doc_type: str, *criteria: Any
) -> list[tuple[int, Document]]:
    """The stored documents of a type whose header rows match ``criteria``, with their row
    ids, lines included, in id order (arrival order within a type).

    One Core statement per table and level of lines (the lines selected by their parents'
    criteria, in position order), read into plain dicts and validated as documents: no ORM
    object per row.
    """
    mapping = MAPPINGS[doc_type]
    table: Any = mapping.table
    parents = select(table.id).where(*criteria)
    columns = table.__table__  # the Core table: rows as plain mappings, not ORM objects
    headers = session.execute(select(columns).where(*criteria).order_by(table.id)).mappings()
    documents: dict[int, dict[str, Any]] = {}
    for row in headers:
        data = {name: row[name] for name in _stored_fields(table)}
        data["type"] = doc_type
        data["provenance"] = {name: row[name] for name in _PROVENANCE_COLUMNS}
        documents[row["id"]] = data
    _load_children(session, mapping, documents, parents)
    return [(row_id, _DOCUMENT.validate_python(data)) for row_id, data in documents.items()]


def _load_children(
    session: Session, mapping: Mapping, owners: dict[int, dict[str, Any]], parents: Any
) -> None:
    """Fill each owner's relations with its lines (and theirs, below), in position order."""
    for relation, child in mapping.children.items():
        for data in owners.values():
            data[relation] = []
        if not owners:
            continue
        table: Any = child.table
        key = _foreign_key(table)
        link = getattr(table, key)
        query = select(table.__table__).where(link.in_(parents)).order_by(link, table.position)
        lines: dict[int, dict[str, Any]] = {}
        for row in session.execute(query).mappings():
            owner = owners.get(row[key])
            if owner is None:
                continue  # a parent that changed between the two statements
            line = {name: row[name] for name in _stored_fields(table)}
            owner[relation].append(line)
            lines[row["id"]] = line
        if child.children:
            below = select(table.id).where(link.in_(parents))
            _load_children(session, child, lines, below)


@functools.cache
def _stored_fields(table: Any) -> tuple[str, ...]:
    """The columns of a document table that hold the model's own fields."""
    skip = _BOOKKEEPING_COLUMNS | set(_PROVENANCE_COLUMNS)
    return tuple(c.name for c in table.__table__.columns if c.name not in skip)
