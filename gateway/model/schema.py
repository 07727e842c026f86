"""The JSON Schema of the canonical model, for partners and tooling."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from gateway.model.documents import Document
from gateway.model.master import DemandObservation, Item, Location, Segment, Supplier


def canonical_json_schema() -> dict[str, Any]:
    """Return one JSON Schema document describing master data and every document type."""
    documents = TypeAdapter(Document).json_schema(ref_template="#/$defs/{model}")
    defs: dict[str, Any] = dict(documents.pop("$defs", {}))
    master: dict[str, Any] = {}
    for model in (Segment, Supplier, Item, Location, DemandObservation):
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        master[model.__name__] = {"$ref": f"#/$defs/{model.__name__}"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Supplier gateway canonical model",
        "description": "Any canonical document, discriminated by its `type` field.",
        **documents,
        "$defs": defs,
        "x-master-data": master,
    }
