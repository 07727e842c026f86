"""Render then parse gives back the document (hypothesis), for 850, 856 and 830, in 004010
and 005010, with random delimiters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.edi import Delimiters, EnvelopeParams, process_interchange, render_document
from gateway.model import (
    ForecastBucket,
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


def text(max_size: int, min_size: int = 1) -> st.SearchStrategy[str]:
    # values start and end with a letter or digit: the model strips surrounding spaces
    inner = max(0, max_size - 2)
    pattern = rf"[A-Za-z0-9ÄÖÜé][A-Za-z0-9 ./&ÄÖÜé-]{{0,{inner}}}[A-Za-z0-9]"
    short = st.from_regex(r"[A-Z0-9]", fullmatch=True)
    long = st.from_regex(pattern, fullmatch=True)
    return long if min_size > 1 else st.one_of(short, long)


dates = st.dates(dt.date(2000, 1, 1), dt.date(2049, 12, 31))
quantities = st.decimals(0, 99999, places=2, allow_nan=False, allow_infinity=False)
prices = st.decimals(0, 9999, places=4, allow_nan=False, allow_infinity=False)
uoms = st.sampled_from(["EA", "CA", "KG", "LB", "PC"])
references = st.builds(
    Reference, qualifier=st.sampled_from(["IA", "DP", "PS", "CN", "VR"]), value=text(30)
)


@st.composite
def parties(draw: st.DrawFn) -> Party:
    with_id = draw(st.booleans())
    with_place = draw(st.booleans())
    return Party(
        role=draw(st.sampled_from(list(PartyRole))),
        name=draw(text(60)),
        id_qualifier="92" if with_id else None,
        id=draw(text(20, 2)) if with_id else None,
        address=draw(st.lists(text(55), max_size=2)),
        city=draw(text(30, 2)) if with_place else None,
        region=draw(st.sampled_from(["CA", "OH", "ON"])) if with_place else None,
        postal_code=draw(st.from_regex(r"[0-9]{5}", fullmatch=True)) if with_place else None,
        country=draw(st.sampled_from(["US", "CA", "DE"])) if with_place else None,
    )


@st.composite
def purchase_orders(draw: st.DrawFn) -> PurchaseOrder:
    lines = [
        PurchaseOrderLine(
            line_number=str(n),
            quantity=draw(quantities),
            uom=draw(uoms),
            unit_price=draw(st.none() | prices),
            buyer_item=draw(st.none() | text(48)),
            vendor_item=draw(st.none() | text(48)),
            upc=draw(st.none() | st.from_regex(r"[0-9]{12}", fullmatch=True)),
            description=draw(st.none() | text(80)),
            requested_date=draw(st.none() | dates),
        )
        for n in range(1, draw(st.integers(1, 5)) + 1)
    ]
    return PurchaseOrder(
        po_number=draw(text(22)),
        purpose=draw(st.sampled_from(list(Purpose))),
        order_type=draw(st.sampled_from(["SA", "NE", "RL", "BK"])),
        order_date=draw(dates),
        currency=draw(st.none() | st.sampled_from(["USD", "EUR", "CAD"])),
        references=draw(st.lists(references, max_size=3)),
        parties=draw(st.lists(parties(), max_size=3)),
        lines=lines,
    )


@st.composite
def ship_notices(draw: st.DrawFn) -> ShipNotice:
    lines = draw(
        st.lists(
            st.builds(
                ShipNoticeLine,
                po_number=st.none() | st.sampled_from(["PO-1", "PO-2"]),
                line_number=st.none() | text(20),
                buyer_item=st.none() | text(48),
                vendor_item=text(48),
                upc=st.none() | st.from_regex(r"[0-9]{12}", fullmatch=True),
                quantity=quantities,
                uom=uoms,
                sscc=st.none() | st.sampled_from(["00012345600000000017", "00012345600000000024"]),
                lot=st.none() | text(20),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return ShipNotice(
        shipment_id=draw(text(30, 2)),
        purpose=draw(st.sampled_from(list(Purpose))),
        ship_date=draw(dates),
        expected_delivery=draw(st.none() | dates),
        carrier=draw(st.none() | text(20, 2)),
        bill_of_lading=draw(st.none() | text(30)),
        references=draw(st.lists(references, max_size=2)),
        parties=draw(st.lists(parties(), max_size=2)),
        lines=lines,
    )


@st.composite
def schedules(draw: st.DrawFn) -> PlanningSchedule:
    start = draw(dates)
    buckets = st.builds(
        ForecastBucket,
        quantity=quantities,
        kind=st.sampled_from(list(ForecastKind)),
        period=st.sampled_from(list(ForecastPeriod)),
        start=dates,
        end=st.none() | dates,
    )
    lines = draw(
        st.lists(
            st.builds(
                PlanningScheduleLine,
                buyer_item=text(48),
                vendor_item=st.none() | text(48),
                uom=uoms,
                cumulative_received=st.none() | quantities,
                forecasts=st.lists(buckets, max_size=4),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return PlanningSchedule(
        schedule_id=draw(text(30)),
        purpose=draw(st.sampled_from(list(Purpose))),
        schedule_type=draw(st.sampled_from(["DL", "SH"])),
        quantity_type=draw(st.sampled_from(["A", "C"])),
        horizon_start=start,
        horizon_end=start + dt.timedelta(days=draw(st.integers(0, 400))),
        issue_date=draw(dates),
        references=draw(st.lists(references, max_size=2)),
        parties=draw(st.lists(parties(), max_size=2)),
        lines=lines,
    )


delimiter_sets = st.sampled_from(
    [
        Delimiters("*", ">", "~", None, "\n"),
        Delimiters("|", ":", "~", None, ""),
        Delimiters("*", "\\", "'", None, "\r\n"),
        Delimiters("\x1d", "\x1f", "\x1c", None, ""),
        Delimiters("*", ">", "\n", None, ""),
    ]
)


def _roundtrip(
    document: PurchaseOrder | ShipNotice | PlanningSchedule,
    version: str,
    delimiters: Delimiters,
    control: int,
) -> None:
    params = EnvelopeParams("GATEWAY", "PARTNER", control, control + 1, version=version)
    result = process_interchange(render_document(document, params, delimiters))
    [back] = result.documents
    skip = {"envelope", "provenance"}
    assert back.model_dump(exclude=skip) == document.model_dump(exclude=skip)
    assert back.envelope is not None
    assert back.envelope.interchange_control_number == f"{control:09d}"
    assert back.envelope.version == version


_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
versions = st.sampled_from(["004010", "005010"])
controls = st.integers(1, 999_999_999 - 1)


@_SETTINGS
@given(purchase_orders(), versions, delimiter_sets, controls)
def test_850_roundtrip(order: PurchaseOrder, version: str, delims: Delimiters, n: int) -> None:
    _roundtrip(order, version, delims, n)


@_SETTINGS
@given(ship_notices(), versions, delimiter_sets, controls)
def test_856_roundtrip(notice: ShipNotice, version: str, delims: Delimiters, n: int) -> None:
    _roundtrip(notice, version, delims, n)


@_SETTINGS
@given(schedules(), versions, delimiter_sets, controls)
def test_830_roundtrip(
    schedule: PlanningSchedule, version: str, delims: Delimiters, n: int
) -> None:
    _roundtrip(schedule, version, delims, n)


def test_decimal_formatting_is_exact() -> None:
    from adapters.edi.codes import format_decimal

    assert [format_decimal(Decimal(v)) for v in ("10", "10.50", "0.0001", "-0")] == [
        "10",
        "10.5",
        "0.0001",
        "0",
    ]
