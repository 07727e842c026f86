"""Turning one cell into the value a canonical field takes: dates, decimals, text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from adapters.api.feeds.mapping import FieldSpec
from adapters.api.feeds.source import Cell

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SAMPLE = dt.date(2026, 11, 23)


class CellError(ValueError):
    """A cell that does not hold what its field needs; the message says what was expected."""


def coerce(value: Cell, spec: FieldSpec, date_format: str | None, decimal_comma: bool) -> object:
    """The value for a field, or CellError. Blank cells never reach here."""
    if spec.kind == "date":
        return to_date(value, date_format)
    if spec.kind == "decimal":
        return to_decimal(value, decimal_comma)
    return to_text(value)


def to_date(value: Cell, date_format: str | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if date_format is None:
                return dt.datetime.fromisoformat(value).date()  # a date, or a date and time
            return dt.datetime.strptime(value, date_format).date()
        except ValueError:
            pass
    example = _SAMPLE.strftime(date_format) if date_format else _SAMPLE.isoformat()
    raise CellError(f"{value!r} is not a date like {example}")


def to_decimal(value: Cell, decimal_comma: bool) -> Decimal:
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # 0.1 is 0.1, not its binary approximation
    if isinstance(value, str):
        text = value.replace(" ", "").replace("\u00a0", "").replace("'", "")
        if decimal_comma:
            text = text.replace(".", "").replace(",", ".")
        elif _THOUSANDS.match(text):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is not None and number.is_finite():
            return number
    raise CellError(f"{value!r} is not a number")


def to_text(value: Cell) -> str:
    if isinstance(value, str):
        if "\x00" in value:  # e.g. an XLSX _x0000_ escape: no identifier holds one
            raise CellError(f"{value!r} holds a NUL character")
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an item number typed as a number in Excel: 12345.0
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
