"""Decimal values from X12 text, made once per distinct text and checked once as amounts.

The mappings read the same few quantities and prices over and over. A ``Decimal`` is
immutable, so one object can stand for every occurrence of its text, and whether it fits the
canonical ``Amount`` and ``Quantity`` types is decided once, when it is made. The builders
then ask ``AMOUNTS`` / ``QUANTITIES`` by identity: each maps ``id(value)`` to the value itself
(held there, so the id cannot name another object while the entry exists), and an answer
counts only when the entry *is* the value in hand (``AMOUNTS.get(id(v)) is v``). The tables
are bounded: all are emptied together when the text table is full.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["AMOUNTS", "QUANTITIES", "decimal_of", "fits_amount"]

_LIMIT = 4096
_MISSING = object()
_DECIMALS: dict[str, Decimal | None] = {}
AMOUNTS: dict[int, Decimal] = {}  # id -> value, for values that fit Amount
QUANTITIES: dict[int, Decimal] = {}  # id -> value, for values that fit Quantity


def fits_amount(value: Decimal) -> bool:
    """Whether pydantic accepts ``value`` unchanged as an ``Amount`` (max_digits=18,
    decimal_places=6). Sufficient: finite, at most 6 places and at most 12 whole digits
    (then there are at most 18 digits in all)."""
    _sign, digits, exponent = value.as_tuple()
    return type(exponent) is int and exponent >= -6 and len(digits) + exponent <= 12


def decimal_of(text: str) -> Decimal | None:
    """``Decimal(text)``, or None when ``text`` is empty or not a number."""
    found = _DECIMALS.get(text, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    value: Decimal | None = None
    if text:
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
    if len(_DECIMALS) >= _LIMIT:
        _DECIMALS.clear()
        AMOUNTS.clear()
        QUANTITIES.clear()
    _DECIMALS[text] = value
    if value is not None and fits_amount(value):
        AMOUNTS[id(value)] = value
        if value >= 0:
            QUANTITIES[id(value)] = value
    return value
