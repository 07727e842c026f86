"""Build canonical models from mapped X12 values without running pydantic's validators twice.

The guide validator has already checked every element, and the mappings turn elements into
Python values (``Decimal``, ``date``, enums, stripped strings), so for almost every document
pydantic's validation would only confirm what is known. ``fast_model`` checks each field of a
model with the cheapest test that *proves* pydantic would accept the value unchanged (a
string that ``strip()`` leaves alone, a finite ``Decimal`` well inside ``max_digits`` and
``decimal_places``, a ``date`` that is not a ``datetime``, an enum member, ...) and then
creates the instance directly, as ``model_construct`` does. When any test fails it returns
``None`` and the caller runs ``model_validate`` on the same data, so invalid values still get
pydantic's own error (same message, same location) and borderline ones its own coercion.

``FIELD_KINDS`` names the kind of every field of the models built here; a unit test checks it
against the models' fields, and another that fast-built documents equal validated ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeGuard, TypeVar, cast

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

__all__ = ["FIELD_KINDS", "build", "fast_model", "fast_values"]

M = TypeVar("M", bound=BaseModel)

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


def _amount(value: object) -> bool:  # Amount: max_digits=18, decimal_places=6
    known = AMOUNTS.get(id(value), _NOT_KNOWN) is value  # see amounts.py
    return known or (type(value) is Decimal and fits_amount(value))


def _opt_amount(value: object) -> bool:
    return value is None or _amount(value)


def _quantity(value: object) -> bool:  # Quantity: an Amount >= 0
    known = QUANTITIES.get(id(value), _NOT_KNOWN) is value
    return known or (_amount(value) and value >= 0)  # type: ignore[operator]


def _opt_quantity(value: object) -> bool:
    return value is None or _quantity(value)


def _date_(value: object) -> bool:
    return type(value) is _date


def _opt_date(value: object) -> bool:
    return value is None or type(value) is _date


def _instance(cls: type) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        return type(value) is cls

    return check


def _opt_instance(cls: type) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        return value is None or type(value) is cls

    return check


def _literal(expected: str) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        return type(value) is str and value == expected

    return check


def _str_list(value: object) -> bool:
    return type(value) is list and all(_plain(item) for item in value)


# A list field whose items are models: an instance of the class is kept as is (pydantic
# does not revalidate instances), a dict is built with fast_model.
_LIST_OF = "list-of"

Check = Callable[[object], bool]
FieldKind = Check | tuple[str, type[BaseModel]]

_DOCUMENT: dict[str, FieldKind] = {
    "envelope": _opt_instance(Envelope),
    "provenance": _opt_instance(Provenance),
    "supplier_id": _opt_code,
    "references": (_LIST_OF, Reference),
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
        "parties": (_LIST_OF, Party),
        "lines": (_LIST_OF, PurchaseOrderLine),
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
        "parties": (_LIST_OF, Party),
        "lines": (_LIST_OF, ShipNoticeLine),
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
        "forecasts": (_LIST_OF, ForecastBucket),
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
        "parties": (_LIST_OF, Party),
        "lines": (_LIST_OF, PlanningScheduleLine),
    },
}


def _po_after(order: Mapping[str, Any]) -> bool:  # PurchaseOrder._line_numbers_unique
    numbers = [line.line_number for line in order["lines"]]
    return len(set(numbers)) == len(numbers)


def _schedule_after(schedule: Mapping[str, Any]) -> bool:  # PlanningSchedule._horizon_ordered
    end: dt.date = schedule["horizon_end"]
    return not end < schedule["horizon_start"]


# The models' ``mode="after"`` validators, as tests on the built values.
_AFTER: dict[type[BaseModel], Callable[[Mapping[str, Any]], bool]] = {
    PurchaseOrder: _po_after,
    PlanningSchedule: _schedule_after,
}


# Inline forms of the commonest checks (the same tests as the functions they stand for).
_INLINE: dict[Check, str] = {
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
_MISSING = object()
# BaseModel's four slots, set through their descriptors as ``model_construct`` sets them
# with object.__setattr__ (the descriptor's own setter skips the lookup by name)
_SLOT_SETTERS = {
    "set_dict": BaseModel.__dict__["__dict__"].__set__,
    "set_fields_set": BaseModel.__dict__["__pydantic_fields_set__"].__set__,
    "set_extra": BaseModel.__dict__["__pydantic_extra__"].__set__,
    "set_private": BaseModel.__dict__["__pydantic_private__"].__set__,
}
_Builder = Callable[[Mapping[str, Any]], Any]
_BUILDERS: dict[type[BaseModel], _Builder] = {}


def _compile(cls: type[BaseModel]) -> _Builder:
    """``fast_model`` for one class as straight-line Python: one block per field, in the
    model's field order, with its check inlined where it is one of ``_INLINE``."""
    kinds = FIELD_KINDS[cls]
    env: dict[str, Any] = {
        "MISSING": _MISSING,
        "date": _date,
        "new": cls.__new__,
        "cls": cls,
        **_SLOT_SETTERS,
        "after": _AFTER.get(cls),
        "nested_list": _nested_list,
        "amount": _amount,
        "amounts": AMOUNTS.get,
        "quantities": QUANTITIES.get,
    }
    out = ["def make(data):", "    get = data.get", "    missing = 0"]
    names = []
    for k, (name, info) in enumerate(cls.model_fields.items()):
        kind = kinds[name]
        names.append(f"{name!r}: v{k}")
        out.append(f"    v = get({name!r}, MISSING)")
        out.append("    if v is MISSING:")
        if info.is_required():
            out.append("        return None")
        elif info.default_factory is not None:
            env[f"f{k}"] = info.default_factory
            out.append(f"        v{k} = f{k}()")
        else:
            env[f"d{k}"] = info.default
            out.append(f"        v{k} = d{k}")
        out.append("        missing += 1")
        out.append("    else:")
        if isinstance(kind, tuple):
            env[f"n{k}"] = kind[1]
            out.append(f"        v = nested_list(v, n{k})")
            out.append("        if v is None:")
        else:
            test = _INLINE.get(kind)
            if test is None:
                env[f"k{k}"] = kind
                test = f"k{k}(v)"
            out.append(f"        if not {test}:")
        out.append("            return None")
        out.append(f"        v{k} = v")
    out.append(f"    if {len(cls.model_fields)} - missing != len(data):")
    out.append("        return None  # extra='forbid': an unknown key is pydantic's to report")
    out.append(f"    values = {{{', '.join(names)}}}")
    if env["after"] is not None:
        out.append("    if not after(values):")
        out.append("        return None")
    out.append("    model = new(cls)")
    out.append("    set_dict(model, values)")
    out.append("    set_fields_set(model, set(data))")
    out.append("    set_extra(model, None)")
    out.append("    set_private(model, None)")
    out.append("    return model")
    exec("\n".join(out), env)  # the source is built above from the model's fields
    make = cast("_Builder", env["make"])
    _BUILDERS[cls] = make
    return make


def _nested_list(value: object, nested: type[BaseModel]) -> list[Any] | None:
    """A list field of models: instances are kept (pydantic does not revalidate them),
    dicts are built with ``fast_model``; None when anything else is in the way."""
    if type(value) is not list:
        return None
    make = _BUILDERS.get(nested) or _compile(nested)
    built = []
    for item in value:
        if type(item) is not nested:
            if type(item) is not dict:
                return None
            item = make(item)
            if item is None:
                return None
        built.append(item)
    return built


def fast_model(cls: type[M], data: Mapping[str, Any]) -> M | None:
    """``cls`` built from ``data`` when every value provably validates unchanged, else None.

    The result equals ``cls.model_validate(data)`` (same field values, same fields set).
    """
    make = _BUILDERS.get(cls) or _compile(cls)
    model: M | None = make(data)
    return model


_POSITIONAL: dict[type[BaseModel], Callable[..., Any]] = {}


def _compile_positional(cls: type[BaseModel]) -> Callable[..., Any]:
    """``fast_values`` for one class: the checks of ``_compile`` on positional values."""
    kinds = FIELD_KINDS[cls]
    names = tuple(cls.model_fields)
    env: dict[str, Any] = {
        "MISSING": _MISSING,
        "date": _date,
        "new": cls.__new__,
        "cls": cls,
        "names": names,
        **_SLOT_SETTERS,
        "after": _AFTER.get(cls),
        "amount": _amount,
        "amounts": AMOUNTS.get,
        "quantities": QUANTITIES.get,
    }
    args = [f"v{k}" for k in range(len(names))]
    out = [f"def make({', '.join(args)}):"]
    for k, name in enumerate(names):
        kind = kinds[name]
        if isinstance(kind, tuple):
            raise ValueError(f"{cls.__name__}.{name}: list fields need fast_model")
        test = _INLINE.get(kind)
        if test is None:
            env[f"k{k}"] = kind
            test = f"k{k}(v)"
        out += [f"    v = v{k}", f"    if not {test}:", "        return None"]
    out.append(f"    values = {{{', '.join(f'{n!r}: v{k}' for k, n in enumerate(names))}}}")
    if env["after"] is not None:
        out += ["    if not after(values):", "        return None"]
    out += [
        "    model = new(cls)",
        "    set_dict(model, values)",
        "    set_fields_set(model, set(names))",
        "    set_extra(model, None)",
        "    set_private(model, None)",
        "    return model",
    ]
    exec("\n".join(out), env)  # the source is built above from the model's fields
    make = cast("Callable[..., Any]", env["make"])
    _POSITIONAL[cls] = make
    return make


def fast_values(cls: type[M], *values: object) -> M | None:
    """``fast_model`` of a dict holding every field of ``cls``, given as its values in the
    model's field order: the same checks and result, without making and reading the dict."""
    make = _POSITIONAL.get(cls) or _compile_positional(cls)
    model: M | None = make(*values)
    return model


def build(cls: type[M], data: Mapping[str, Any]) -> M:
    """``cls`` from ``data``: built directly when that is provably what validation gives,
    else validated by pydantic (which raises ``ValidationError`` for invalid data)."""
    model = fast_model(cls, data)
    return cls.model_validate(data) if model is None else model
