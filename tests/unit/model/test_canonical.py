"""The canonical model: JSON field names, decimals as numbers, validation that says where."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from gateway.model import (
    DOCUMENT_TYPES,
    Document,
    PlanningSchedule,
    PurchaseOrder,
    PurchaseOrderLine,
    canonical_json_schema,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "canonical"
DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text())
    return data


@pytest.mark.parametrize("doc_type", sorted(DOCUMENT_TYPES))
def test_every_document_type_round_trips_through_json(doc_type: str) -> None:
    data = example(doc_type)
    document = DOCUMENT.validate_python(data)
    assert type(document) is DOCUMENT_TYPES[doc_type]
    again = json.loads(document.model_dump_json(exclude_none=True))
    again.pop("provenance", None)
    assert again == data


def test_decimals_travel_as_json_numbers_without_float_noise() -> None:
    line = PurchaseOrderLine(line_number="1", quantity=10, uom="ea", unit_price=0.1)
    wire = json.loads(line.model_dump_json())
    assert wire["quantity"] == 10 and isinstance(wire["quantity"], int)
    assert wire["unit_price"] == 0.1
    assert line.unit_price == Decimal("0.1")
    assert line.uom == "EA"


@given(
    st.decimals(
        min_value=Decimal("-999999999"),
        max_value=Decimal("999999999"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_any_six_place_amount_survives_the_wire(value: Decimal) -> None:
    line = PurchaseOrderLine(line_number="1", quantity=abs(value), uom="EA", unit_price=value)
    back = PurchaseOrderLine.model_validate_json(line.model_dump_json())
    assert back.unit_price == value
    assert back.quantity == abs(value)


def test_unknown_type_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        DOCUMENT.validate_python({"type": "invoice", "po_number": "1"})
    assert "type" in str(caught.value) and "invoice" in str(caught.value)


def test_negative_quantity_is_refused_with_its_location() -> None:
    data = example("purchase_order")
    data["lines"][1]["quantity"] = -5
    with pytest.raises(ValidationError) as caught:
        DOCUMENT.validate_python(data)
    error = caught.value.errors()[0]
    assert error["loc"][1:] == ("lines", 1, "quantity")


def test_duplicate_po_line_numbers_are_refused() -> None:
    data = example("purchase_order")
    data["lines"][1]["line_number"] = data["lines"][0]["line_number"]
    with pytest.raises(ValidationError, match="appears more than once"):
        PurchaseOrder.model_validate(data)


def test_planning_horizon_must_be_ordered() -> None:
    data = example("planning_schedule")
    data["horizon_end"] = "2000-01-01"
    with pytest.raises(ValidationError, match="horizon_end is before horizon_start"):
        PlanningSchedule.model_validate(data)


def test_unexpected_fields_are_refused_not_dropped() -> None:
    data = example("receipt")
    data["lines"][0]["quantity_recieved"] = 3  # a typo must not vanish silently
    with pytest.raises(ValidationError, match="quantity_recieved"):
        DOCUMENT.validate_python(data)


@pytest.mark.parametrize("doc_type", sorted(DOCUMENT_TYPES))
def test_json_schema_accepts_every_example(doc_type: str) -> None:
    schema = canonical_json_schema()
    jsonschema.validate(example(doc_type), schema)


def test_json_schema_rejects_a_document_the_model_rejects() -> None:
    data = example("ship_notice")
    data["lines"][0]["quantity"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, canonical_json_schema())


def test_json_schema_names_master_data() -> None:
    schema = canonical_json_schema()
    for name in ("Segment", "Supplier", "Item", "Location", "DemandObservation"):
        assert name in schema["$defs"]
    assert set(schema["discriminator"]["mapping"]) == set(DOCUMENT_TYPES)
