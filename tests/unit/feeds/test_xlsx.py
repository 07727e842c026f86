"""XLSX: typed cells, formulas refused per cell, zip bombs and DOCTYPEs refused."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from adapters.api.feeds import (
    FeedMapping,
    FileFormat,
    Limits,
    UnreadableFile,
    UnsafeFile,
    read_feed,
)
from adapters.api.feeds.source import Refused
from adapters.api.feeds.xlsx_reader import read_xlsx

HEADER = ["commit_id", "issued_date", "buyer_item", "period_start", "quantity", "uom", "note"]


def workbook(*rows: list[Any], title: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cells_keep_their_types() -> None:
    data = workbook(HEADER, ["C1", dt.datetime(2026, 11, 20), 12345, dt.date(2026, 11, 23), 0.1])
    (row,) = read_xlsx(data, Limits()).rows
    assert row.number == 2
    assert row.values["issued_date"] == dt.datetime(2026, 11, 20)
    assert row.values["buyer_item"] == 12345 and row.values["quantity"] == 0.1
    mapping = FeedMapping(document_type="capacity_commit", constants={"uom": "EA"})
    (document,) = read_feed(data, FileFormat.XLSX, mapping).result.documents
    line = document.lines[0]  # type: ignore[attr-defined]
    assert line.buyer_item == "12345" and line.quantity == Decimal("0.1")
    assert document.issued_date == dt.date(2026, 11, 20)  # type: ignore[attr-defined]


def test_a_formula_is_refused_for_its_cell_only() -> None:
    data = workbook(
        HEADER,
        ["C1", "2026-11-20", "A", "2026-11-23", "=SUM(1,2)", "EA", "fine"],
        ["C1", "2026-11-20", "B", "2026-11-23", 7, "EA", "=NOW()"],  # in a column not read
    )
    rows = list(read_xlsx(data, Limits()).rows)
    assert isinstance(rows[0].values["quantity"], Refused)
    report = read_feed(data, FileFormat.XLSX, FeedMapping(document_type="capacity_commit"))
    (problem,) = report.result.problems
    assert (problem.row, problem.column) == (2, "quantity")
    assert "formula (=SUM(1,2)) is not evaluated" in problem.reason
    assert report.result.rows_accepted == 1


def test_the_named_sheet_is_read() -> None:
    data = workbook(["a"], ["1"], title="Stock")
    assert read_xlsx(data, Limits(), sheet="Stock").info["sheet"] == "Stock"
    with pytest.raises(UnreadableFile, match="no sheet 'Other'"):
        read_xlsx(data, Limits(), sheet="Other")


def test_not_a_workbook_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="not a zip archive"):
        read_xlsx(b"this is,plain text\n", Limits())
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "a zip, not a workbook")
    with pytest.raises(UnreadableFile, match="not a readable XLSX"):
        read_xlsx(archive.getvalue(), Limits())


def test_a_zip_bomb_is_refused_from_its_directory() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    assert len(archive.getvalue()) < 100 * 1024  # small on the wire
    with pytest.raises(UnsafeFile, match="unpacks to"):
        read_xlsx(archive.getvalue(), Limits(max_unpacked_bytes=10 * 1024 * 1024))


def test_a_doctype_inside_the_workbook_is_refused() -> None:
    source = zipfile.ZipFile(io.BytesIO(workbook(["a"], ["1"])))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/sharedStrings.xml" or item.filename.endswith("sheet1.xml"):
                body = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + body
            z.writestr(item, body)
    with pytest.raises(UnsafeFile, match="declares a DOCTYPE"):
        read_xlsx(archive.getvalue(), Limits())


def test_an_empty_sheet_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        read_xlsx(workbook(), Limits())
