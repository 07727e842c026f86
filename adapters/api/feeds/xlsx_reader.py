"""XLSX: openpyxl in read-only (streaming) mode; typed values, formulas refused per cell."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from adapters.api.feeds.errors import UnreadableFile, UnsafeFile
from adapters.api.feeds.source import Cell, Limits, Refused, SourceRow, Table, unique_columns

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def read_xlsx(data: bytes, limits: Limits, sheet: str | None = None) -> Table:
    """Read one worksheet (the named one, else the first): row 1 is the header."""
    check_archive(data, limits)
    import openpyxl  # imported here: only XLSX feeds pay for it

    try:
        # data_only=False: a formula cell gives its formula, never a cached or computed value.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # a hostile archive can raise nearly anything from openpyxl
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise UnreadableFile(f"no sheet {sheet!r}; the workbook has {book.sheetnames}")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows = worksheet.iter_rows()
        header_cells = next(rows, None)
    except UnreadableFile:
        book.close()
        raise
    except Exception as error:
        book.close()
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from None
    if header_cells is None:
        book.close()
        raise UnreadableFile("the worksheet is empty")
    columns = unique_columns(["" if c.value is None else str(c.value) for c in header_cells])
    info = {"format": "xlsx", "sheet": worksheet.title}
    return Table(columns, _rows(book, rows, columns, limits), info)


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse zip bombs and XML with a DOCTYPE inside the workbook before openpyxl sees it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile("not an XLSX workbook (not a zip archive)") from None
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if unpacked > limits.max_unpacked_bytes:
            raise UnsafeFile(
                f"the workbook unpacks to {unpacked} bytes, over the "
                f"{limits.max_unpacked_bytes}-byte limit"
            )
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and _has_doctype(archive, member):
                raise UnsafeFile(f"{member.filename} in the workbook declares a DOCTYPE")


def _has_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(256 * 1024):
                if _DOCTYPE.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
        raise UnreadableFile(f"{member.filename} in the workbook is damaged: {error}") from None
    return False


def _rows(
    book: Any, rows: Iterator[Any], columns: list[str], limits: Limits
) -> Iterator[SourceRow]:
    try:
        for number, cells in enumerate(rows, start=2):
            if number - 1 > limits.max_rows:
                raise UnreadableFile(f"more than {limits.max_rows} rows")
            values: dict[str, Cell] = {}
            extra = 0
            for index, cell in enumerate(cells):
                value = _value(cell)
                if index < len(columns):
                    values[columns[index]] = value
                elif value is not None:
                    extra += 1
            if all(v is None for v in values.values()) and not extra:
                continue
            error = f"the row has {extra} value(s) beyond the header's columns" if extra else None
            yield SourceRow(number, values, error)
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(f"the worksheet is damaged: {error}") from None
    finally:
        book.close()


def _value(cell: Any) -> Cell:
    value = cell.value
    kind = getattr(cell, "data_type", None)
    if kind == "f" or (isinstance(value, str) and value.startswith("=") and kind != "s"):
        return Refused(f"a formula ({str(value)[:40]}) is not evaluated; send the value")
    if kind == "e":
        return Refused(f"an error value ({value})")
    if isinstance(value, str):
        return value.strip() or None
    if value is None or isinstance(value, int | float | bool):
        return value
    if hasattr(value, "isoformat"):  # datetime, date, time
        result: Cell = value
        return result
    return str(value)
