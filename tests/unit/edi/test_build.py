"""Canonical models built without re-validation (adapters.edi.build) equal validated ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel, ValidationError

from adapters.edi import (
    Delimiters,
    EnvelopeParams,
    process_interchange,
    process_interchanges,
    render_document,
)
from adapters.edi import build as build_module
from adapters.edi.amounts import AMOUNTS, QUANTITIES, decimal_of
from adapters.edi.build import FIELD_KINDS, UNSET, build, fast_model
from gateway.model import (
    ForecastKind,
    ForecastPeriod,
    Party,
    PartyRole,
    PlanningSchedule,
    PlanningScheduleLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Purpose,
    Reference,
    ShipNotice,
    ShipNoticeLine,
)

from .golden_tools import GOLDEN
from .test_roundtrip import delimiter_sets, purchase_orders, schedules, ship_notices

INPUTS = sorted(
    p
    for folder in ("corpus", "cases")
    for p in (GOLDEN / folder).iterdir()
    if p.suffix in (".edi", ".txt") and ".expected" not in p.name
)


def _fields_set(value: object) -> object:
    """The fields set of a model and of every model inside it, as nested plain values."""
    if isinstance(value, BaseModel):
        return {
            "__set__": sorted(value.model_fields_set),
            **{name: _fields_set(getattr(value, name)) for name in type(value).model_fields},
        }
    if isinstance(value, list):
        return [_fields_set(item) for item in value]
    return None


def assert_same(fast: BaseModel, validated: BaseModel) -> None:
    assert type(fast) is type(validated)
    assert fast == validated
    assert fast.model_dump_json() == validated.model_dump_json()
    assert fast.model_dump_json(exclude_unset=True) == validated.model_dump_json(exclude_unset=True)
    assert _fields_set(fast) == _fields_set(validated)
    # and what validation makes of the fast document's own JSON is the same document
    again = type(fast).model_validate_json(fast.model_dump_json())
    assert again.model_dump_json() == fast.model_dump_json()


def _documents(data: bytes, *, fast: bool) -> list[Any]:
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(build_module, "fast_model", lambda cls, data: None)
            patch.setattr(build_module, "fast_values", lambda cls, *values: None)
        return [d for r in process_interchanges(data) for d in r.documents]


def test_field_kinds_cover_every_field() -> None:
    for cls, kinds in FIELD_KINDS.items():
        assert set(kinds) == set(cls.model_fields), cls.__name__


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden_documents_equal_validated(path: Path) -> None:
    data = path.read_bytes()
    fast = _documents(data, fast=True)
    slow = _documents(data, fast=False)
    assert len(fast) == len(slow)
    for a, b in zip(fast, slow, strict=True):
        assert_same(a, b)


def _check_roundtrip(document: BaseModel, delimiters: Delimiters) -> None:
    params = EnvelopeParams("GATEWAY", "PARTNER", 7, 8, version="004010")
    assert isinstance(document, PurchaseOrder | ShipNotice | PlanningSchedule)
    data = render_document(document, params, delimiters).encode("utf-8")
    [fast] = _documents(data, fast=True)
    [slow] = _documents(data, fast=False)
    assert_same(fast, slow)


_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@_SETTINGS
@given(purchase_orders(), delimiter_sets)
def test_850_fast_equals_validated(order: PurchaseOrder, delims: Delimiters) -> None:
    _check_roundtrip(order, delims)


@_SETTINGS
@given(ship_notices(), delimiter_sets)
def test_856_fast_equals_validated(notice: ShipNotice, delims: Delimiters) -> None:
    _check_roundtrip(notice, delims)


@_SETTINGS
@given(schedules(), delimiter_sets)
def test_830_fast_equals_validated(schedule: PlanningSchedule, delims: Delimiters) -> None:
    _check_roundtrip(schedule, delims)


_LINE = {
    "line_number": "1",
    "quantity": Decimal("3"),
    "uom": "EA",
    "unit_price": Decimal("9.25"),
    "buyer_item": "B-1",
    "requested_date": dt.date(2026, 3, 15),
}
_ORDER = {
    "po_number": "PO1",
    "purpose": Purpose.ORIGINAL,
    "order_date": dt.date(2026, 3, 1),
    "references": [Reference(qualifier="DP", value="038")],
    "parties": [Party(role=PartyRole.SHIP_TO, name="DC")],
    "lines": [_LINE],
}
_SCHEDULE = {
    "schedule_id": "S1",
    "horizon_start": dt.date(2026, 3, 1),
    "horizon_end": dt.date(2026, 5, 31),
    "lines": [
        {
            "uom": "EA",
            "forecasts": [
                {
                    "quantity": Decimal(10),
                    "kind": ForecastKind.PLANNING,
                    "period": ForecastPeriod.WEEKLY,
                    "start": dt.date(2026, 3, 2),
                }
            ],
        }
    ],
}


def _line(**changes: object) -> dict[str, object]:
    return {**_ORDER, "lines": [{**_LINE, **changes}]}


# Values the fast path must not take: pydantic would change them (strip, upper case, float,
# str) or reject them (too many digits or places, negative, NaN, unknown key, duplicates).
FALLBACKS: list[tuple[type[BaseModel], dict[str, object]]] = [
    (PurchaseOrder, _line(uom=" EA")),
    (PurchaseOrder, _line(uom="ea")),
    (PurchaseOrder, _line(uom="ÉA")),
    (PurchaseOrder, _line(uom="TOOLONGUOM")),
    (PurchaseOrder, _line(line_number="")),
    (PurchaseOrder, _line(line_number=" 1")),
    (PurchaseOrder, _line(description="WIDGET ")),
    (PurchaseOrder, _line(quantity=Decimal("1.1234567"))),
    (PurchaseOrder, _line(quantity=Decimal("1234567890123"))),
    (PurchaseOrder, _line(quantity=Decimal("1E+13"))),
    (PurchaseOrder, _line(quantity=Decimal("-1"))),
    (PurchaseOrder, _line(quantity=Decimal("NaN"))),
    (PurchaseOrder, _line(quantity=Decimal("Infinity"))),
    (PurchaseOrder, _line(quantity=None)),
    (PurchaseOrder, _line(quantity=3)),
    (PurchaseOrder, _line(quantity=0.1)),
    (PurchaseOrder, _line(unit_price="9.25")),
    (PurchaseOrder, _line(requested_date=dt.datetime(2026, 3, 15))),
    (PurchaseOrder, _line(requested_date="20260315")),
    (PurchaseOrder, _line(extra="x")),
    (PurchaseOrder, {**_ORDER, "lines": [_LINE, _LINE]}),
    (PurchaseOrder, {**_ORDER, "order_date": None}),
    (PurchaseOrder, {**_ORDER, "currency": "US"}),
    (PurchaseOrder, {**_ORDER, "purpose": "original"}),
    (PurchaseOrder, {**_ORDER, "type": "ship_notice"}),
    (PurchaseOrder, {k: v for k, v in _ORDER.items() if k != "po_number"}),
    (PurchaseOrder, {**_ORDER, "references": [{"qualifier": "DP", "value": "038 "}]}),
    (PlanningSchedule, {**_SCHEDULE, "horizon_end": dt.date(2026, 2, 1)}),
    (Party, {"role": "buyer", "address": ["1 MAIN ST "]}),
    (Party, {"role": PartyRole.BUYER, "address": ("1 MAIN ST",)}),
    (Reference, {"qualifier": "DP", "value": None}),
    (ShipNoticeLine, {"quantity": Decimal("-0.5"), "uom": "EA"}),
    (PlanningScheduleLine, {"uom": "EA", "forecasts": [{"quantity": Decimal(1)}]}),
]


@pytest.mark.parametrize(("cls", "data"), FALLBACKS, ids=lambda v: repr(v)[:60])
def test_doubtful_values_go_to_pydantic(cls: type[BaseModel], data: dict[str, object]) -> None:
    assert fast_model(cls, data) is None
    try:
        expected = cls.model_validate(data)
    except ValidationError as exc:
        with pytest.raises(ValidationError) as raised:
            build(cls, data)
        assert raised.value.errors(include_context=False) == exc.errors(include_context=False)
        assert str(raised.value) == str(exc)
    else:
        assert_same(build(cls, data), expected)


FAST: list[tuple[type[BaseModel], dict[str, object]]] = [
    (PurchaseOrder, _ORDER),
    (PurchaseOrder, _line(quantity=Decimal("123456789012.123456"))),
    (PurchaseOrder, _line(quantity=Decimal("0"), unit_price=Decimal("-1.5"))),
    (PurchaseOrderLine, _LINE),
    (PlanningSchedule, _SCHEDULE),
    (Party, {"role": PartyRole.BUYER, "address": ["1 MAIN ST"], "name": None}),
]


@pytest.mark.parametrize(("cls", "data"), FAST, ids=lambda v: repr(v)[:60])
def test_plain_values_are_built_directly(cls: type[BaseModel], data: dict[str, object]) -> None:
    fast = fast_model(cls, data)
    assert fast is not None
    assert_same(fast, cls.model_validate(data))


def test_fast_path_is_taken_for_generated_documents() -> None:
    # the benchmark's shape: if this falls back, the speed work silently stops working
    text = (
        "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SUPPLIER       *260301*1015*U*"
        "00401*000000001*0*P*>~GS*PO*BUYER*SUPPLIER*20260301*1015*1*X*004010~ST*850*0001~"
        "BEG*00*SA*PO1**20260301~N1*ST*DC EAST*92*0001~PO1*1*3*EA*9.25**BP*B-1~"
        "PID*F****WIDGET~DTM*002*20260315~CTT*1~SE*8*0001~GE*1*1~IEA*1*000000001~"
    )
    built: list[type[BaseModel]] = []
    original = build_module.fast_model

    def spy(cls: type[BaseModel], data: Any) -> Any:
        model = original(cls, data)
        assert model is not None, cls.__name__
        built.append(cls)
        return model

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "fast_model", spy)
        [document] = process_interchange(text).documents
    assert PurchaseOrder in built
    assert isinstance(document, PurchaseOrder)


def test_decimals_from_text_are_shared_and_checked_once() -> None:
    price = decimal_of("9.25")
    assert price is decimal_of("9.25") and price == Decimal("9.25")
    assert AMOUNTS.get(id(price)) is price and QUANTITIES.get(id(price)) is price
    negative = decimal_of("-1.5")
    assert negative is not None and id(negative) in AMOUNTS and id(negative) not in QUANTITIES
    assert id(decimal_of("1.1234567")) not in AMOUNTS  # 7 places: pydantic's to decide
    assert decimal_of("") is None and decimal_of("X") is None
    # an equal Decimal made elsewhere (other exponent) is checked on its own
    assert fast_model(PurchaseOrder, _line(quantity=Decimal("9.2500000"))) is None
    assert fast_model(PurchaseOrder, _line(quantity=None)) is None


def test_positional_values_with_unset_equal_validated_dicts() -> None:
    # a field given as UNSET is a key the dict lacks: its default, and not in the fields set
    def positional(values: dict[str, object]) -> list[object]:
        return [values.get(name, UNSET) for name in PurchaseOrderLine.model_fields]

    full = {**_LINE, "vendor_item": "V-1", "upc": None, "description": "WIDGET"}
    for values in (full, _LINE, {k: v for k, v in _LINE.items() if k != "requested_date"}):
        fast = build_module.fast_values(PurchaseOrderLine, *positional(values))
        assert fast is not None
        assert fast.model_fields_set == set(values)
        assert_same(fast, PurchaseOrderLine.model_validate(values))
    # each model owns its fields set (pydantic adds to it on assignment)
    one, two = (build_module.fast_values(PurchaseOrderLine, *positional(_LINE)) for _ in "12")
    assert one is not None and two is not None
    assert one.model_fields_set is not two.model_fields_set
    # a required field cannot be left out: the fast path declines, pydantic reports it
    missing = positional({k: v for k, v in _LINE.items() if k != "quantity"})
    assert build_module.fast_values(PurchaseOrderLine, *missing) is None
