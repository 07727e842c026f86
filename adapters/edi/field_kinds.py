"""What each field of the canonical models built from X12 accepts, as the cheapest tests.

Each test *proves* that pydantic would accept a value unchanged (a string that ``strip()``
leaves alone, a finite ``Decimal`` well inside ``max_digits`` and ``decimal_places``, a
``date`` that is not a ``datetime``, an enum member, ...); ``build.py`` compiles them into
one builder per model. ``FIELD_KINDS`` names the kind of every field of the models built
here; a unit test checks it against the models' fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeGuard

from pydantic import BaseModel

from adapters.edi.amounts import AMOUNTS, QUANTITIES, fits_amount
from gateway.model import (
    Channel,
    Envelope,
    ForecastBucket,
    ForecastKind,
    ForecastPeriod,
    Party,
    PartyRole,
    PlanningSchedule,
    PlanningScheduleLine,
    Provenance,
    PurchaseOrder,
    PurchaseOrderLine,
    Purpose,
    Reference,
    ShipNotice,
    ShipNoticeLine,
)

__all__ = [
    "AFTER",
    "FIELD_KINDS",
    "INLINE",
    "INSTANCE_CHECKS",
    "LIST_OF",
    "Check",
    "FieldKind",
    "amount",
]

_NOT_KNOWN = object()
_date = dt.date


def _plain(value: object) -> TypeGuard[str]:
    # str_strip_whitespace: pydantic-core trims Unicode White_Space, a subset of what
    # str.strip() removes, so a value strip() leaves alone is left alone by pydantic too
    return type(value) is str and value.strip() == value


def _opt_str(value: object) -> bool:
    return value is None or _plain(value)


def _code(value: object) -> bool:  # Code: trimmed, 1..80 characters
    return _plain(value) and 0 < len(value) <= 80


def _opt_code(value: object) -> bool:
    return value is None or _code(value)


def _uom(value: object) -> bool:  # UnitOfMeasure: trimmed, upper case, 1..8 characters
    return _plain(value) and 0 < len(value) <= 8 and value.isascii() and value.upper() == value


def _currency(value: object) -> bool:
    return value is None or (_plain(value) and len(value) == 3)


def amount(value: object) -> bool:  # Amount: max_digits=18, decimal_places=6
    known = AMOUNTS.get(id(value), _NOT_KNOWN) is value  # see amounts.py
    return known or (type(value) is Decimal and fits_amount(value))


def _opt_amount(value: object) -> bool:
    return value is None or amount(value)


def _quantity(value: object) -> bool:  # Quantity: an Amount >= 0
    known = QUANTITIES.get(id(value), _NOT_KNOWN) is value
    return known or (amount(value) and value >= 0)  # type: ignore[operator]


def _opt_quantity(value: object) -> bool:
    return value is None or _quantity(value)


def _date_(value: object) -> bool:
    return type(value) is _date


def _opt_date(value: object) -> bool:
    return value is None or type(value) is _date


# The checks made by _instance and _opt_instance: (class, whether None passes), so that the
# builders can inline them.
INSTANCE_CHECKS: dict[Callable[[object], bool], tuple[type, bool]] = {}


def _instance(cls: type) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        return type(value) is cls

    INSTANCE_CHECKS[check] = (cls, False)
    return check


def _opt_instance(cls: type) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        return value is None or type(value) is cls

    INSTANCE_CHECKS[check] = (cls, True)
    return check


def _literal(expected: str) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        return type(value) is str and value == expected

    return check


def _str_list(value: object) -> bool:
    return type(value) is list and all(_plain(item) for item in value)


# A list field whose items are models: an instance of the class is kept as is (pydantic
# does not revalidate instances), a dict is built with fast_model.
LIST_OF = "list-of"

Check = Callable[[object], bool]
FieldKind = Check | tuple[str, type[BaseModel]]

_DOCUMENT: dict[str, FieldKind] = {
    "envelope": _opt_instance(Envelope),
    "provenance": _opt_instance(Provenance),
    "supplier_id": _opt_code,
    "references": (LIST_OF, Reference),
}

FIELD_KINDS: dict[type[BaseModel], dict[str, FieldKind]] = {
    # made once per transaction set: from ISA/GS/ST values (ISA06/08 already trimmed)
    Envelope: {
        "sender_id": _plain,
        "receiver_id": _plain,
        "interchange_control_number": _plain,
        "group_control_number": _plain,
        "transaction_set_control_number": _plain,
        "version": _plain,
    },
    Provenance: {
        "channel": _instance(Channel),
        "partner_id": _code,
        "message_id": _opt_str,
        "received_at": _opt_instance(dt.datetime),
    },
    Reference: {"qualifier": _plain, "value": _plain},
    Party: {
        "role": _instance(PartyRole),
        "name": _opt_str,
        "id_qualifier": _opt_str,
        "id": _opt_str,
        "address": _str_list,
        "city": _opt_str,
        "region": _opt_str,
        "postal_code": _opt_str,
        "country": _opt_str,
    },
    PurchaseOrderLine: {
        "line_number": _code,
        "quantity": _quantity,
        "uom": _uom,
        "unit_price": _opt_amount,
        "buyer_item": _opt_str,
        "vendor_item": _opt_str,
        "upc": _opt_str,
        "description": _opt_str,
        "requested_date": _opt_date,
    },
    PurchaseOrder: {
        **_DOCUMENT,
        "type": _literal("purchase_order"),
        "po_number": _code,
        "purpose": _instance(Purpose),
        "order_type": _opt_str,
        "order_date": _date_,
        "currency": _currency,
        "parties": (LIST_OF, Party),
        "lines": (LIST_OF, PurchaseOrderLine),
    },
    ShipNoticeLine: {
        "po_number": _opt_str,
        "line_number": _opt_str,
        "buyer_item": _opt_str,
        "vendor_item": _opt_str,
        "upc": _opt_str,
        "quantity": _quantity,
        "uom": _uom,
        "sscc": _opt_str,
        "lot": _opt_str,
    },
    ShipNotice: {
        **_DOCUMENT,
        "type": _literal("ship_notice"),
        "shipment_id": _code,
        "purpose": _instance(Purpose),
        "ship_date": _date_,
        "expected_delivery": _opt_date,
        "carrier": _opt_str,
        "bill_of_lading": _opt_str,
        "parties": (LIST_OF, Party),
        "lines": (LIST_OF, ShipNoticeLine),
    },
    ForecastBucket: {
        "quantity": _quantity,
        "kind": _instance(ForecastKind),
        "period": _instance(ForecastPeriod),
        "start": _date_,
        "end": _opt_date,
    },
    PlanningScheduleLine: {
        "buyer_item": _opt_str,
        "vendor_item": _opt_str,
        "uom": _uom,
        "cumulative_received": _opt_quantity,
        "forecasts": (LIST_OF, ForecastBucket),
    },
    PlanningSchedule: {
        **_DOCUMENT,
        "type": _literal("planning_schedule"),
        "schedule_id": _code,
        "purpose": _instance(Purpose),
        "schedule_type": _opt_str,
        "quantity_type": _opt_str,
        "horizon_start": _date_,
        "horizon_end": _date_,
        "issue_date": _opt_date,
        "parties": (LIST_OF, Party),
        "lines": (LIST_OF, PlanningScheduleLine),
    },
}


def _po_after(order: Mapping[str, Any]) -> bool:  # PurchaseOrder._line_numbers_unique
    numbers = [line.line_number for line in order["lines"]]
    return len(set(numbers)) == len(numbers)


def _schedule_after(schedule: Mapping[str, Any]) -> bool:  # PlanningSchedule._horizon_ordered
    end: dt.date = schedule["horizon_end"]
    return not end < schedule["horizon_start"]


# The models' ``mode="after"`` validators, as tests on the built values.
AFTER: dict[type[BaseModel], Callable[[Mapping[str, Any]], bool]] = {
    PurchaseOrder: _po_after,
    PlanningSchedule: _schedule_after,
}


# Inline forms of the commonest checks (the same tests as the functions they stand for).
INLINE: dict[Check, str] = {
    _plain: "(type(v) is str and v.strip() == v)",
    _opt_str: "(v is None or (type(v) is str and v.strip() == v))",
    _date_: "type(v) is date",
    _opt_date: "(v is None or type(v) is date)",
    _code: "(type(v) is str and v.strip() == v and 0 < len(v) <= 80)",
    _uom: "(type(v) is str and v.strip() == v and 0 < len(v) <= 8 and v.isascii()"
    " and v.upper() == v)",
    _opt_amount: "(v is None or amounts(id(v), MISSING) is v or amount(v))",
    _quantity: "(quantities(id(v), MISSING) is v or (amount(v) and v >= 0))",
    _opt_quantity: "(v is None or quantities(id(v), MISSING) is v or (amount(v) and v >= 0))",
}
