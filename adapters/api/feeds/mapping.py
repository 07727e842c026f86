"""A partner's column mapping: which of its columns feed which canonical field, and how.

The default mapping (only ``document_type`` given) reads columns named like the canonical
fields; names match ignoring case, spaces, hyphens and dots, so ``Buyer Item`` is
``buyer_item``. A mapping's ``columns`` override that field by field.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from gateway.model import (
    CapacityCommit,
    ForecastCommit,
    InventoryPosition,
    Receipt,
    ShipNotice,
)

FeedDocumentType = Literal[
    "inventory_position", "ship_notice", "forecast_commit", "capacity_commit", "receipt"
]
BadRows = Literal["skip_row", "reject_document"]

DOCUMENT_MODELS: dict[str, type[BaseModel]] = {
    "inventory_position": InventoryPosition,
    "ship_notice": ShipNotice,
    "forecast_commit": ForecastCommit,
    "capacity_commit": CapacityCommit,
    "receipt": Receipt,
}
# The field that names a document: rows sharing it become lines of one document.
GROUP_KEYS = {
    "inventory_position": "report_id",
    "ship_notice": "shipment_id",
    "forecast_commit": "commit_id",
    "capacity_commit": "commit_id",
    "receipt": "receipt_id",
}
# Lines of one shipment or receipt belong together: half an ASN misstates what was shipped
# (and shows up as a short shipment). Inventory and commitment lines are facts per item.
DEFAULT_BAD_ROWS: dict[str, BadRows] = {
    "inventory_position": "skip_row",
    "forecast_commit": "skip_row",
    "capacity_commit": "skip_row",
    "ship_notice": "reject_document",
    "receipt": "reject_document",
}
_NOT_FROM_FILES = {
    "type",
    "envelope",
    "provenance",
    "supplier_id",
    "references",
    "parties",
    "lines",
}
QUANTITY_FIELDS = (
    "quantity",
    "quantity_on_hand",
    "quantity_on_order",
    "quantity_received",
    "quantity_rejected",
)


class UnitConversion(BaseModel):
    """A partner's unit and how many of ours one of it is: ``{"to": "EA", "factor": 12}``."""

    model_config = ConfigDict(extra="forbid")
    to: str = Field(min_length=1, max_length=8)
    factor: Decimal = Field(gt=0)


class FeedMapping(BaseModel):
    """How one partner's files of one document type read (validated, with clear errors)."""

    model_config = ConfigDict(extra="forbid")
    document_type: FeedDocumentType
    columns: dict[str, str] = Field(default_factory=dict, description="canonical field: column")
    constants: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="canonical field: the value every row gets"
    )
    date_format: str | None = Field(None, description="strptime format; ISO 8601 if unset")
    date_formats: dict[str, str] = Field(default_factory=dict, description="per field")
    decimal_comma: bool = Field(False, description="1.234,5 rather than 1,234.5")
    units: dict[str, UnitConversion] = Field(default_factory=dict, description="source unit")
    sheet: str | None = Field(None, description="XLSX worksheet; the first if unset")
    xml_row: str | None = Field(None, description="XML row element; the root's children if unset")
    bad_rows: BadRows | None = Field(None, description="skip_row or reject_document")

    @field_validator("date_format")
    @classmethod
    def _format_is_usable(cls, value: str | None) -> str | None:
        if value is not None:
            _check_date_format(value)
        return value

    @field_validator("date_formats")
    @classmethod
    def _formats_are_usable(cls, value: dict[str, str]) -> dict[str, str]:
        for text in value.values():
            _check_date_format(text)
        return value

    @field_validator("units")
    @classmethod
    def _units_upper(cls, value: dict[str, UnitConversion]) -> dict[str, UnitConversion]:
        return {unit.strip().upper(): conversion for unit, conversion in value.items()}

    @field_validator("columns", "constants", "date_formats")
    @classmethod
    def _fields_exist(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        document_type = info.data.get("document_type")
        if document_type is None:
            return value  # the document type is wrong already; that error says so
        fields = fields_of(document_type)
        unknown = sorted(name for name in value if name not in fields)
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: not field(s) of {document_type}; "
                f"its fields are {', '.join(fields)}"
            )
        return value

    @model_validator(mode="after")
    def _column_or_constant(self) -> FeedMapping:
        both = sorted(set(self.columns) & set(self.constants))
        if both:
            raise ValueError(f"{', '.join(both)}: both a column and a constant")
        return self

    @property
    def on_bad_row(self) -> BadRows:
        return self.bad_rows or DEFAULT_BAD_ROWS[self.document_type]


def default_mapping(document_type: str) -> FeedMapping:
    """Columns named like the canonical fields, ISO dates, no conversions."""
    return FeedMapping.model_validate({"document_type": document_type})


def _check_date_format(text: str) -> None:
    sample = dt.date(2026, 11, 23)
    try:
        parsed = dt.datetime.strptime(sample.strftime(text), text).date()
    except ValueError:
        parsed = None
    if parsed != sample:
        raise ValueError(f"{text!r} is not a strptime date format naming day, month and year")


# --- the canonical fields a file can fill -------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Literal["date", "decimal", "text"]
    required: bool
    on_line: bool


def fields_of(document_type: str) -> dict[str, FieldSpec]:
    """Header then line fields of a document type, with the kind of value each takes."""
    model = DOCUMENT_MODELS[document_type]
    line_model = line_model_of(model)
    specs: dict[str, FieldSpec] = {}
    for on_line, source in ((False, model), (True, line_model)):
        for name, info in source.model_fields.items():
            if name in _NOT_FROM_FILES:
                continue
            kind = _kind(info.annotation)
            required = info.is_required() or name == GROUP_KEYS[document_type]
            specs[name] = FieldSpec(name, kind, required, on_line)
    return specs


def line_model_of(model: type[BaseModel]) -> type[BaseModel]:
    annotation = model.model_fields["lines"].annotation
    (line,) = typing.get_args(annotation)
    assert isinstance(line, type) and issubclass(line, BaseModel)
    return line


def _kind(annotation: Any) -> Literal["date", "decimal", "text"]:
    options = typing.get_args(annotation) if _is_union(annotation) else (annotation,)
    for option in options:
        if option is dt.date:
            return "date"
        if option is Decimal or Decimal in typing.get_args(option):
            return "decimal"
    return "text"


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def normalise(name: str) -> str:
    """A column name as matched: case, spaces, hyphens and dots do not matter."""
    return re.sub(r"[\s\-.]+", "_", name.strip().casefold()).strip("_")
