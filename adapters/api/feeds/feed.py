"""One entry point: bytes of a file and a mapping in, documents and a row report out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.api.feeds.convert import Converter, FeedResult, plan_columns
from adapters.api.feeds.csv_reader import read_csv
from adapters.api.feeds.errors import FileTooLarge, UnreadableFile
from adapters.api.feeds.mapping import FeedMapping
from adapters.api.feeds.source import FileFormat, Limits, Table
from adapters.api.feeds.xlsx_reader import read_xlsx
from adapters.api.feeds.xml_reader import read_xml

MEDIA_TYPES = {
    "text/csv": FileFormat.CSV,
    "application/csv": FileFormat.CSV,
    "text/plain": FileFormat.CSV,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileFormat.XLSX,
    "application/xml": FileFormat.XML,
    "text/xml": FileFormat.XML,
}
SUFFIXES = {".csv": FileFormat.CSV, ".txt": FileFormat.CSV, ".tsv": FileFormat.CSV}
SUFFIXES |= {".xlsx": FileFormat.XLSX, ".xml": FileFormat.XML}
_XML_START = re.compile(rb"^(\xef\xbb\xbf)?\s*<")


def detect_format(data: bytes, media_type: str | None, filename: str | None) -> FileFormat:
    """By media type, else the file name's suffix, else the first bytes."""
    if media_type:
        known = MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())
        if known is not None:
            return known
    if filename:
        suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
    if data.startswith(b"PK\x03\x04"):
        return FileFormat.XLSX
    if _XML_START.match(data[:1024]):
        return FileFormat.XML
    return FileFormat.CSV


def read_table(data: bytes, fmt: FileFormat, mapping: FeedMapping, limits: Limits) -> Table:
    """The file's rows, read by its format's reader (FeedError if it cannot be read at all)."""
    if len(data) > limits.max_bytes:
        raise FileTooLarge(limits.max_bytes)
    if not data:
        raise UnreadableFile("the file is empty")
    if fmt is FileFormat.XLSX:
        return read_xlsx(data, limits, mapping.sheet)
    if fmt is FileFormat.XML:
        return read_xml(data, limits, mapping.xml_row)
    return read_csv(data, limits)


@dataclass
class FeedReport:
    """Everything a file gave: its documents, the refused rows, how it was read."""

    result: FeedResult
    info: dict[str, str]


def read_feed(
    data: bytes, fmt: FileFormat, mapping: FeedMapping, limits: Limits | None = None
) -> FeedReport:
    """Read a file with a partner's mapping; FeedError if the file as a whole is unusable."""
    table = read_table(data, fmt, mapping, limits or Limits())
    converter = Converter(plan_columns(mapping, table.columns))
    for row in table.rows:
        converter.add(row)
    info = dict(table.info)
    info["document_type"] = mapping.document_type
    info["bad_rows"] = mapping.on_bad_row
    return FeedReport(converter.finish(), info)
