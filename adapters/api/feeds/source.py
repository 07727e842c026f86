"""Rows as the readers give them: numbered, keyed by the file's own column names."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import BinaryIO

from adapters.api.feeds.errors import FileTooLarge


@dataclass(frozen=True)
class Refused:
    """A cell the reader will not take at face value (a formula, an error value)."""

    reason: str


Cell = str | int | float | Decimal | bool | dt.date | dt.datetime | Refused | None
"""One value as the file holds it: text from CSV and XML, typed values from XLSX."""


@dataclass(frozen=True)
class SourceRow:
    """One row: its number as the sender sees it (spreadsheet row, XML line) and its cells."""

    number: int
    values: dict[str, Cell]
    error: str | None = None  # the row as a whole is malformed (e.g. too many values)


@dataclass
class Table:
    """A read file: its column names, its rows (lazily), and how it was read."""

    columns: list[str]
    rows: Iterator[SourceRow]
    info: dict[str, str] = field(default_factory=dict)  # encoding, delimiter, sheet, ...


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    XML = "xml"


@dataclass(frozen=True)
class Limits:
    """Bounds on what a file may cost to read.

    ``max_unpacked_bytes`` bounds an XLSX's decompressed size (a zip bomb is small on disk).
    """

    max_bytes: int = 25 * 1024 * 1024
    max_rows: int = 1_000_000
    max_unpacked_bytes: int = 250 * 1024 * 1024


CHUNK = 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def read_limited(stream: BinaryIO, limit: int) -> bytes:
    """Read a stream to its end, refusing it as soon as it passes ``limit`` bytes.

    At most ``limit`` + one chunk is ever held, however large the stream is.
    """
    buffer = bytearray()
    while chunk := stream.read(CHUNK):
        buffer.extend(chunk)
        if len(buffer) > limit:
            raise FileTooLarge(limit)
    return bytes(buffer)


def unique_columns(names: list[str]) -> list[str]:
    """Trimmed column names; blanks become ``column N``, repeats get `` (2)``, `` (3)``."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for index, raw in enumerate(names, start=1):
        name = _CONTROL.sub("", raw).strip()[:200] or f"column {index}"
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result
