"""Column mappings: validation, defaults, conversions, grouping and the row report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from adapters.api.feeds import (
    FeedMapping,
    FileFormat,
    MissingColumns,
    default_mapping,
    detect_format,
    read_feed,
)


def feed(text: str, mapping: FeedMapping) -> Any:
    return read_feed(text.encode(), FileFormat.CSV, mapping).result


ASN = FeedMapping(
    document_type="ship_notice",
    columns={"shipment_id": "ASN", "quantity": "Qty", "ship_date": "Date", "buyer_item": "Part"},
    constants={"uom": "EA"},
    date_format="%d.%m.%Y",
)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"document_type": "purchase_order"}, "document_type"),
        (
            {"document_type": "ship_notice", "columns": {"qty": "Q"}},
            r"qty: not field\(s\) of ship_notice",
        ),
        ({"document_type": "ship_notice", "date_format": "%H:%M"}, "not a strptime date"),
        ({"document_type": "receipt", "units": {"DZ": {"to": "EA", "factor": 0}}}, "greater"),
        ({"document_type": "receipt", "colums": {}}, "Extra inputs are not permitted"),
        (
            {"document_type": "receipt", "columns": {"uom": "U"}, "constants": {"uom": "EA"}},
            "both a column and a constant",
        ),
    ],
    ids=["type", "unknown-field", "date-format", "factor", "typo", "column-and-constant"],
)
def test_a_bad_mapping_says_what_is_wrong(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FeedMapping.model_validate(data)


def test_rows_group_into_documents_by_their_key() -> None:
    result = feed("ASN,Date,Part,Qty\nA,20.11.2026,X,1\nB,21.11.2026,Y,2\nA,20.11.2026,Z,3\n", ASN)
    assert [(d.shipment_id, len(d.lines)) for d in result.documents] == [("A", 2), ("B", 1)]
    assert result.documents[0].ship_date == dt.date(2026, 11, 20)
    assert (result.rows_total, result.rows_accepted) == (3, 3)


def test_a_header_that_differs_within_one_document_is_a_row_problem() -> None:
    result = feed("ASN,Date,Part,Qty\nA,20.11.2026,X,1\nA,22.11.2026,Z,3\n", ASN)
    (cascade, problem) = result.problems  # by row
    assert (problem.row, problem.column) == (3, "Date")
    assert "differs from 2026-11-20 on row 2" in problem.reason
    assert cascade.row == 2 and "refused as a whole" in cascade.reason
    assert result.documents == []


def test_a_bad_line_refuses_its_shipment_but_not_the_others() -> None:
    result = feed("ASN,Date,Part,Qty\nA,20.11.2026,X,1\nA,20.11.2026,Z,-3\nB,20.11.2026,Y,2\n", ASN)
    assert [d.shipment_id for d in result.documents] == ["B"]
    assert [(p.row, p.column) for p in result.problems] == [(2, None), (3, "Qty")]
    assert "greater than or equal to 0" in result.problems[1].reason


def test_skip_row_keeps_the_good_lines_of_a_document() -> None:
    mapping = ASN.model_copy(update={"bad_rows": "skip_row"})
    result = feed("ASN,Date,Part,Qty\nA,20.11.2026,X,1\nA,20.11.2026,Z,-3\n", mapping)
    (document,) = result.documents
    assert [line.buyer_item for line in document.lines] == ["X"]
    assert result.rows_accepted == 1


def test_missing_columns_are_all_named() -> None:
    with pytest.raises(MissingColumns) as error:
        feed("ASN,Part\nA,X\n", ASN)
    assert error.value.missing == ["Date", "Qty"]
    assert "the file has 'ASN', 'Part'" in str(error.value)


def test_the_default_mapping_matches_names_loosely() -> None:
    text = "Report ID,AS-OF,Location.ID,buyer item,Quantity On Hand,UOM\nR,2026-11-20,DC,I,1,ea\n"
    (document,) = feed(text, default_mapping("inventory_position")).documents
    assert document.lines[0].uom == "EA" and document.location_id == "DC"


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2026-13-01", "'2026-13-01' is not a date like 2026-11-23"),
        ("yesterday", "'yesterday' is not a date like 2026-11-23"),
    ],
)
def test_wrong_dates_say_the_expected_format(cell: str, reason: str) -> None:
    text = f"report_id,as_of,location_id,buyer_item,quantity_on_hand,uom\nR,{cell},D,I,1,EA\n"
    (problem,) = feed(text, default_mapping("inventory_position")).problems
    assert (problem.row, problem.column, problem.reason) == (2, "as_of", reason)


def test_quantities_convert_with_the_unit() -> None:
    mapping = FeedMapping(
        document_type="receipt",
        decimal_comma=True,
        date_formats={"received_date": "%d/%m/%Y"},
        units={"dz": {"to": "EA", "factor": 12}},
        bad_rows="skip_row",
    )
    text = (
        "receipt_id;received_date;location_id;buyer_item;quantity_received;uom\n"
        "R;23/11/2026;DC;I;1.000,5;EA\nR;23/11/2026;DC;J;2,5;dz\nR;23/11/2026;DC;K;lots;EA\n"
    )
    result = feed(text, mapping)
    (document,) = result.documents
    assert [(ln.quantity_received, ln.uom) for ln in document.lines] == [
        (Decimal("1000.5"), "EA"),
        (Decimal("30.0"), "EA"),
    ]
    assert [(p.row, p.column) for p in result.problems] == [(4, "quantity_received")]


def test_a_conversion_out_of_range_is_a_row_problem() -> None:
    # found while writing the csv fuzz target: 9E999999 dozen overflowed the decimal context
    mapping = FeedMapping(document_type="receipt", units={"DZ": {"to": "EA", "factor": 12}})
    text = "receipt_id,received_date,location_id,buyer_item,quantity_received,uom\n"
    result = feed(text + "R,2026-11-23,DC,I,9E999999,DZ\n", mapping)
    (problem,) = result.problems
    assert (problem.row, problem.column) == (2, "quantity_received")
    assert "too large to convert to EA" in problem.reason


def test_thousands_separators_in_the_default_notation() -> None:
    text = (
        "report_id,as_of,location_id,buyer_item,quantity_on_hand,uom\n"
        'R,2026-11-20,D,I,"1,234.5",EA\n'
    )
    (document,) = feed(text, default_mapping("inventory_position")).documents
    assert document.lines[0].quantity_on_hand == Decimal("1234.5")


@pytest.mark.parametrize(
    ("data", "media", "name", "expected"),
    [
        (b"a,b", "text/csv; charset=utf-8", None, FileFormat.CSV),
        (b"PK\x03\x04...", None, None, FileFormat.XLSX),
        (b"\xef\xbb\xbf<?xml version='1.0'?><r/>", None, None, FileFormat.XML),
        (b"<r/>", None, "stock.csv", FileFormat.CSV),
        (b"a;b", "application/octet-stream", "x.XLSX", FileFormat.XLSX),
    ],
)
def test_the_format_is_detected(
    data: bytes, media: str | None, name: str | None, expected: FileFormat
) -> None:
    assert detect_format(data, media, name) is expected
