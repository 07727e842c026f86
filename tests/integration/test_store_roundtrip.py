"""Every document and master record goes JSON -> model -> store -> model unchanged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gateway.demo import generate_demo
from gateway.model import DOCUMENT_TYPES, Channel, Document, Provenance
from gateway.store import MissingProvenanceError, load_document, save_document
from gateway.store.document_tables import PurchaseOrderLineRow
from gateway.store.master import (
    load_demand,
    load_items,
    load_locations,
    load_segments,
    load_suppliers,
    save_items,
    save_locations,
    save_segments,
    save_suppliers,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "canonical"
DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)
RECEIVED = dt.datetime(2026, 11, 20, 14, 30, 5, 123000, tzinfo=dt.UTC)


@pytest.mark.parametrize("doc_type", sorted(DOCUMENT_TYPES))
def test_document_round_trip(doc_type: str, sessions: sessionmaker[Session]) -> None:
    wire = (EXAMPLES / f"{doc_type}.json").read_text()
    document = DOCUMENT.validate_json(wire)
    document.provenance = Provenance(channel=Channel.API, partner_id="SUP001", received_at=RECEIVED)
    with sessions.begin() as session:
        row_id = save_document(session, document)
    with sessions() as session:
        loaded = load_document(session, doc_type, row_id)
    assert loaded == document
    assert loaded.provenance is not None and loaded.provenance.received_at == RECEIVED
    back = json.loads(loaded.model_dump_json(exclude_none=True, exclude={"provenance"}))
    assert back == json.loads(wire)


def test_lines_are_queryable_columns_not_blobs(sessions: sessionmaker[Session]) -> None:
    document = DOCUMENT.validate_json((EXAMPLES / "purchase_order.json").read_text())
    document.provenance = Provenance(channel=Channel.ERP, partner_id="ERP")
    with sessions.begin() as session:
        save_document(session, document)
    expected = sum(line.quantity for line in document.lines)
    with sessions() as session:
        total = session.scalar(select(func.sum(PurchaseOrderLineRow.quantity)))
    assert total == expected


def test_a_document_without_provenance_is_refused(sessions: sessionmaker[Session]) -> None:
    document = DOCUMENT.validate_json((EXAMPLES / "receipt.json").read_text())
    with sessions() as session, pytest.raises(MissingProvenanceError, match="provenance"):
        save_document(session, document)


def test_master_data_round_trip(sessions: sessionmaker[Session]) -> None:
    demo = generate_demo(5, as_of=dt.date(2026, 11, 20), items=24, suppliers=6, weeks=60)
    catalog = demo.catalog
    with sessions.begin() as session:
        save_segments(session, catalog.segments)
        save_locations(session, catalog.locations)
        save_suppliers(session, catalog.suppliers)
        save_items(session, catalog.items)
    with sessions() as session:
        assert load_segments(session) == sorted(catalog.segments, key=lambda s: s.id)
        assert load_suppliers(session) == catalog.suppliers
        assert load_items(session) == catalog.items
        assert load_locations(session) == sorted(catalog.locations, key=lambda loc: loc.id)
        fast = load_items(session, ["FAST"])
        assert fast and {item.segment_id for item in fast} == {"FAST"}
        assert load_demand(session) == []


def test_load_documents_brings_every_document_with_its_lines(
    sessions: sessionmaker[Session],
) -> None:
    from gateway.store import load_documents, save_documents

    demo = generate_demo(6, as_of=dt.date(2026, 11, 20), items=24, suppliers=6, weeks=60)
    with sessions.begin() as session:
        for _, documents in demo.documents():
            save_documents(session, documents)
    with sessions() as session:
        for name, documents in demo.documents():
            if not documents:
                continue
            doc_type = documents[0].type  # type: ignore[attr-defined]
            loaded = load_documents(session, doc_type)
            assert [d.model_dump(exclude={"provenance"}) for d in loaded] == [
                d.model_dump(exclude={"provenance"}) for d in documents
            ], name


def test_a_mixed_batch_gives_each_documents_id_in_order(sessions: sessionmaker[Session]) -> None:
    """Types interleaved, one with two levels of lines: each id returned loads its document."""
    from gateway.store import save_documents

    documents = []
    for n, doc_type in enumerate(
        ["purchase_order", "planning_schedule", "inventory_position", "purchase_order",
         "planning_schedule", "ship_notice"]
    ):  # fmt: skip
        document = DOCUMENT.validate_json((EXAMPLES / f"{doc_type}.json").read_text())
        document.provenance = Provenance(channel=Channel.API, partner_id=f"P{n}")
        documents.append(document)
    schedule = documents[4]
    schedule.lines = [*schedule.lines, schedule.lines[0].model_copy()]  # two lines, same buckets
    with sessions.begin() as session:
        ids = save_documents(session, documents)
    with sessions() as session:
        for row_id, document in zip(ids, documents, strict=True):
            loaded = load_document(session, document.type, row_id)
            assert loaded == document


def test_an_unstorable_nested_value_names_its_place_and_stores_nothing(
    sessions: sessionmaker[Session],
) -> None:
    from gateway.store import save_documents
    from gateway.store.document_tables import ForecastBucketRow, PlanningScheduleRow
    from gateway.store.documents import UnstorableValueError

    schedule = DOCUMENT.validate_json((EXAMPLES / "planning_schedule.json").read_text())
    schedule.provenance = Provenance(channel=Channel.API, partner_id="SUP001")
    bad = schedule.model_copy(deep=True)
    line = bad.lines[-1]
    line.forecasts[-1].period = "x" * 11  # type: ignore[assignment]  # the column holds 10
    where = f"lines.{len(bad.lines) - 1}.forecasts.{len(line.forecasts) - 1}.period"
    with pytest.raises(UnstorableValueError, match=where), sessions.begin() as session:
        save_documents(session, [schedule, bad])
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(PlanningScheduleRow)) == 0
        assert session.scalar(select(func.count()).select_from(ForecastBucketRow)) == 0
