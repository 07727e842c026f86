"""Field types shared by the canonical model: wire-exact decimals, codes, enumerations."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema


def _decimal_to_json_number(value: Decimal) -> int | float:
    # The wire contract says decimals travel as JSON numbers, not strings. Integral values go
    # out as ints so that 10 stays 10; others as the shortest float that reads back the same,
    # which is exact for the <= 15 significant digits that quantities and prices carry.
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _reject_float_noise(value: object) -> object:
    # A float such as 0.1 must become Decimal("0.1"), not 0.1000000000000000055511151231257827.
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_reject_float_noise),
    Field(max_digits=18, decimal_places=6),
    PlainSerializer(_decimal_to_json_number, return_type=int | float, when_used="json"),
    WithJsonSchema({"type": "number", "description": "A decimal with up to 6 places."}),
]
"""A quantity or price: a Decimal in Python, a JSON number on the wire."""

Quantity = Annotated[
    Amount,
    Field(ge=0),
    WithJsonSchema({"type": "number", "minimum": 0, "description": "A non-negative decimal."}),
]
"""A non-negative quantity."""

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
"""An identifier or code: trimmed, never empty."""

UnitOfMeasure = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=8)
]
"""A unit of measure code, upper case (EA, CA, KG, ...; X12 element 355)."""


class Channel(StrEnum):
    """How a document reached the gateway."""

    X12 = "x12"
    API = "api"
    PULL = "pull"  # fetched from the partner's own API by a poller
    CSV = "csv"
    XLSX = "xlsx"
    XML = "xml"
    ERP = "erp"
    DEMO = "demo"


class LifecycleStage(StrEnum):
    """Where a product is in its life; supplier responsibilities differ by stage."""

    INTRODUCTION = "introduction"
    GROWTH = "growth"
    MATURITY = "maturity"
    DECLINE = "decline"
    END_OF_LIFE = "end_of_life"


class SupplierTier(StrEnum):
    """Supplier tier by ability to meet lead time, quality and flexibility requirements."""

    STRATEGIC = "strategic"
    PREFERRED = "preferred"
    APPROVED = "approved"
    PROBATION = "probation"


class CollaborationRole(StrEnum):
    """A supplier's involvement in a segment: what it may read and write there."""

    ADVISORY = "advisory"
    CO_CREATION = "co_creation"
    EXECUTION_ONLY = "execution_only"


class ForecastKind(StrEnum):
    """Commitment level of a forecast quantity (X12 FST02: C firm, D planning)."""

    FIRM = "firm"
    PLANNING = "planning"


class ForecastPeriod(StrEnum):
    """Timing of a forecast bucket (X12 FST03: D daily, W weekly, M monthly, F flexible)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    FLEXIBLE = "flexible"


class PartyRole(StrEnum):
    """A party's role on a document (X12 N101 entity identifier, by meaning)."""

    BUYER = "buyer"  # BY
    BILL_TO = "bill_to"  # BT
    SHIP_TO = "ship_to"  # ST
    VENDOR = "vendor"  # VN / SU
    SHIP_FROM = "ship_from"  # SF
    MANUFACTURER = "manufacturer"  # MF
    OTHER = "other"


class Purpose(StrEnum):
    """Transaction purpose (X12 353: 00 original, 01 cancellation, 04 change, 05 replace, ...)."""

    ORIGINAL = "original"
    CANCELLATION = "cancellation"
    CHANGE = "change"
    REPLACE = "replace"
    CONFIRMATION = "confirmation"
    DUPLICATE = "duplicate"
    OTHER = "other"


class AcknowledgmentType(StrEnum):
    """A supplier's answer to a whole purchase order (X12 353 BAK02, by meaning).

    AD / AK: accepted as ordered; AC / AE: accepted with changes to some lines; RD / RJ:
    rejected.
    """

    ACCEPTED = "accepted"
    ACCEPTED_WITH_CHANGES = "accepted_with_changes"
    REJECTED = "rejected"


class LineItemStatus(StrEnum):
    """A supplier's answer to one PO line (X12 668 ACK01, by meaning).

    IA: accepted; IR: rejected; IC, IQ, IP, DR and the like: accepted with a changed
    quantity, price or date.
    """

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CHANGED = "changed"


class LocationKind(StrEnum):
    """What a location is."""

    DISTRIBUTION_CENTER = "distribution_center"
    PLANT = "plant"
    STORE = "store"
    SUPPLIER_SITE = "supplier_site"
