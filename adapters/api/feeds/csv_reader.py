"""CSV: encoding detected, delimiter sniffed, rows numbered as a spreadsheet would show them."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator

from adapters.api.feeds.errors import UnreadableFile
from adapters.api.feeds.source import Cell, Limits, SourceRow, Table, unique_columns
from adapters.api.feeds.text import decode

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 50


def read_csv(data: bytes, limits: Limits) -> Table:
    """Read a CSV file: the first record is the header, row 1; data rows follow from row 2."""
    decoded = decode(data)
    text = decoded.text
    if not text.strip():
        raise UnreadableFile("the file is empty")
    delimiter = sniff_delimiter(text)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(records)
    except csv.Error as error:
        raise UnreadableFile(f"row 1: {error}") from None
    columns = unique_columns(header)
    info = {"format": "csv", "encoding": decoded.encoding, "delimiter": _shown(delimiter)}
    return Table(columns, _rows(records, columns, limits), info)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, and most regular, columns.

    csv.Sniffer guesses from character frequencies and sometimes picks a character of the data;
    trying each usual delimiter and keeping the one under which the sample lines agree on their
    width is slower but predictable.
    """
    sample = "\n".join(text.splitlines()[:_SAMPLE_LINES])
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        agreeing = Counter(widths)[widths[0]]
        score = (agreeing, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _rows(records: Iterator[list[str]], columns: list[str], limits: Limits) -> Iterator[SourceRow]:
    number = 1
    while True:
        try:
            record = next(records)
        except StopIteration:
            return
        except csv.Error as error:  # e.g. a field over csv.field_size_limit()
            raise UnreadableFile(f"row {number + 1}: {error}") from None
        number += 1
        if number - 1 > limits.max_rows:
            raise UnreadableFile(f"more than {limits.max_rows} rows")
        if not any(value.strip() for value in record):
            continue  # blank lines are not rows anyone meant to send
        yield _row(number, record, columns)


def _row(number: int, record: list[str], columns: list[str]) -> SourceRow:
    values: dict[str, Cell] = {
        name: (record[i].strip() or None) if i < len(record) else None
        for i, name in enumerate(columns)
    }
    extra = [value for value in record[len(columns) :] if value.strip()]
    error = None
    if extra:
        error = f"the row has {len(columns) + len(extra)} values, the header {len(columns)}"
    return SourceRow(number, values, error)


def _shown(delimiter: str) -> str:
    return {"\t": "tab"}.get(delimiter, delimiter)
