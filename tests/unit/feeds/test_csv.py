"""CSV: encodings (BOM, UTF-8, Latin-1, UTF-16), delimiters, empty and ragged files."""

from __future__ import annotations

import pytest

from adapters.api.feeds import FileFormat, Limits, UnreadableFile, default_mapping, read_feed
from adapters.api.feeds.csv_reader import read_csv, sniff_delimiter
from adapters.api.feeds.text import decode

INVENTORY = (
    "report_id,as_of,location_id,buyer_item,quantity_on_hand,uom,note\n"
    "R1,2026-11-20,DC1,Müsli-1,5,EA,ok\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (INVENTORY.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + INVENTORY.encode("utf-8"), "utf-8-sig"),
        (INVENTORY.encode("utf-16"), "utf-16"),  # Python writes the BOM
        (INVENTORY.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16"),
        (INVENTORY.encode("cp1252"), "windows-1252"),
        (INVENTORY.encode("latin-1").replace(b"ok", b"\x81"), "iso-8859-1"),  # not in cp1252
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "windows-1252", "latin-1"],
)
def test_each_encoding_reads_the_same_and_says_which(data: bytes, encoding: str) -> None:
    report = read_feed(data, FileFormat.CSV, default_mapping("inventory_position"))
    assert report.info["encoding"] == encoding
    (document,) = report.result.documents
    assert document.lines[0].buyer_item == "Müsli-1"  # type: ignore[attr-defined]
    assert report.result.problems == []


def test_the_bom_is_not_part_of_the_first_column_name() -> None:
    table = read_csv(b"\xef\xbb\xbfreport_id;as_of\nR;2026-01-01\n", Limits())
    assert table.columns == ["report_id", "as_of"]


def test_utf16_without_a_bom_is_refused_with_a_hint() -> None:
    with pytest.raises(UnreadableFile, match="UTF-16 without a byte order mark"):
        decode(INVENTORY.encode("utf-16-le"))


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(delimiter: str) -> None:
    text = delimiter.join(["item", "description", "quantity"]) + "\n"
    text += delimiter.join(["A1", '"1,5 m; blue | tab"', "3"]) + "\n"
    assert sniff_delimiter(text) == delimiter
    table = read_csv(text.encode(), Limits())
    (row,) = list(table.rows)
    assert row.values == {"item": "A1", "description": "1,5 m; blue | tab", "quantity": "3"}


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n"], ids=["zero-bytes", "blank"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        read_feed(data, FileFormat.CSV, default_mapping("inventory_position"))


def test_rows_are_numbered_like_a_spreadsheet_and_blank_lines_skipped() -> None:
    data = b'a,b\n1,"two\nlines"\n\n3,4,5\n6\n'
    rows = list(read_csv(data, Limits()).rows)
    assert [r.number for r in rows] == [2, 4, 5]
    assert rows[1].error == "the row has 3 values, the header 2"
    assert rows[2].values == {"a": "6", "b": None}


def test_blank_and_repeated_header_names_get_unique_names() -> None:
    table = read_csv(b"item,,item\n1,2,3\n", Limits())
    assert table.columns == ["item", "column 2", "item (2)"]


def test_too_many_rows_is_refused() -> None:
    data = b"a,b\n" + b"1,2\n" * 11
    with pytest.raises(UnreadableFile, match="more than 10 rows"):
        list(read_csv(data, Limits(max_rows=10)).rows)


def test_nul_characters_are_refused_wherever_they_are() -> None:
    good = b"R2,2026-11-20,DC1,AB,1,EA,x\n" * 1000
    late_nul = INVENTORY.encode() + good + b"R2,2026-11-20,DC1,A\x00B,1,EA,x\n"
    with pytest.raises(UnreadableFile, match="NUL characters"):
        read_csv(late_nul, Limits())
    with pytest.raises(UnreadableFile, match="NUL characters"):
        read_csv("a,b\n1,\x002\n".encode("utf-16"), Limits())


def test_control_characters_leave_column_names() -> None:
    assert read_csv(b"item\x07,qty\x1b[31m\n1,2\n", Limits()).columns == ["item", "qty[31m"]
