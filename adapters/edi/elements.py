"""Element checks of one segment against its spec: the AK4 codes (X12 723).

``check_element`` decides one value; ``element_errors`` finds and locates every element
error of a segment (values, composites, repeats, too many elements, syntax notes). The
validator calls it only for the segments its compiled fast check (``fast_check``) did not
pass, so this is the exact path, not the common one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from adapters.edi.envelope import parse_date, parse_time
from adapters.edi.errors import ElementError, Location
from adapters.edi.guide import ElementSpec, SegmentSpec, SyntaxRule
from adapters.edi.lexer import Segment

__all__ = ["CONTROL", "check_element", "date_ok", "element_errors", "time_ok"]

# X12 text may not hold control characters (C0, DEL, C1): AK4 6, invalid character
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_REAL = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:E-?\d+)?")


@lru_cache(maxsize=4096)
def date_ok(value: str) -> bool:
    return parse_date(value) is not None


@lru_cache(maxsize=4096)
def time_ok(value: str) -> bool:
    return parse_time(value)


def check_element(spec: ElementSpec, value: str) -> str | None:
    """The AK4 code (X12 723) for a non-empty value that breaks ``spec``, else None."""
    dtype = spec.dtype
    if dtype == "AN":
        size = len(value)
        if size < spec.min_len:
            return "4"
        if size > spec.max_len:
            return "5"
        return "6" if CONTROL.search(value) else None
    if dtype == "ID":
        if len(value) < spec.min_len:
            return "4"
        if len(value) > spec.max_len:
            return "5"
        if spec.codes is not None and value not in spec.codes:
            return "7"
        return "6" if CONTROL.search(value) else None
    if dtype == "R":
        if _REAL.fullmatch(value) is None:
            return "6"
        # X12.6: the minus sign and decimal point do not count toward the length
        size = len(value) - value.startswith("-") - ("." in value)
    elif dtype.startswith("N"):
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()):
            return "6"
        size = len(digits)
    elif dtype == "DT":
        if not (value.isascii() and value.isdigit()):
            return "8"
        size = len(value)
        if spec.min_len <= size <= spec.max_len:
            return None if date_ok(value) else "8"
    elif dtype == "TM":
        if not (value.isascii() and value.isdigit()):
            return "9"
        size = len(value)
        if spec.min_len <= size <= spec.max_len:
            return None if time_ok(value) else "9"
    else:
        size = len(value)
    if size < spec.min_len:
        return "4"
    if size > spec.max_len:
        return "5"
    return None


_MESSAGES = {
    "1": "mandatory data element missing",
    "2": "conditional required data element missing",
    "3": "too many data elements",
    "4": "data element too short",
    "5": "data element too long",
    "6": "invalid character in data element",
    "7": "invalid code value",
    "8": "invalid date",
    "9": "invalid time",
    "10": "exclusion condition violated",
}


def _violated(rule: SyntaxRule, fields: list[str], count: int) -> tuple[int, str] | None:
    """The element position and AK4 code breaking an X12 syntax note, else None."""
    kind = rule.kind
    if len(rule.positions) == 2:  # most notes name two elements: decide without a list
        a, b = rule.positions
        has_a = a <= count and fields[a] != ""
        has_b = b <= count and fields[b] != ""
        if kind == "P" and has_a != has_b:
            return (b if has_a else a), "2"
        if kind in "CL" and has_a and not has_b:
            return b, "2"
        if kind == "R" and not (has_a or has_b):
            return a, "2"
        if kind == "E" and has_a and has_b:
            return b, "10"
        return None
    present = [p <= count and fields[p] != "" for p in rule.positions]
    if kind == "P" and any(present) and not all(present):
        return rule.positions[present.index(False)], "2"
    if kind == "R" and not any(present):
        return rule.positions[0], "2"
    if kind == "C" and present[0] and not all(present[1:]):
        return rule.positions[1 + present[1:].index(False)], "2"
    if kind == "L" and present[0] and not any(present[1:]):
        return rule.positions[1], "2"
    if kind == "E" and sum(present) > 1:
        return rule.positions[[i for i, p in enumerate(present) if p][1]], "10"
    return None


def element_errors(
    spec: SegmentSpec,
    seg: Segment,
    position: int,
    component: str,
    repetition: str | None,
    base: Location,
) -> list[ElementError]:
    fields = seg.fields
    count = len(fields) - 1
    errors: list[ElementError] = []

    def add(code: str, pos: int, ref: str, value: str = "", comp: int | None = None) -> None:
        errors.append(
            ElementError(
                code,
                _MESSAGES[code],
                Location(
                    base.interchange_control_number,
                    base.group_control_number,
                    base.transaction_set_control_number,
                    position,
                    spec.id,
                    pos,
                    comp,
                    value or None,
                ),
                ref,
            )
        )

    elements = spec.elements
    for i, es in enumerate(elements, 1):
        value = fields[i] if i <= count else ""
        if not value:
            if es.usage == "R":
                add("1", i, es.ref)
            continue
        if es.usage == "N":
            add("10", i, es.ref, value)
            continue
        if es.components:
            _check_composite(es, value, component, i, add)
            continue
        values = value.split(repetition) if repetition and es.repeat > 1 else (value,)
        for item in values:
            code = check_element(es, item)
            if code is not None:
                add(code, i, es.ref, item)
                break
    if count > len(elements) and any(fields[len(elements) + 1 :]):
        add("3", len(elements) + 1, "", fields[len(elements) + 1])
    for rule in spec.syntax:
        broken = _violated(rule, fields, count)
        if broken is not None:
            bad, code = broken
            if not any(e.location.element_position == bad for e in errors):
                add(code, bad, elements[bad - 1].ref if bad <= len(elements) else "")
    return errors


def _check_composite(es: ElementSpec, value: str, component: str, i: int, add: _Add) -> None:
    parts = value.split(component)
    for k, sub in enumerate(es.components, 1):
        part = parts[k - 1] if k <= len(parts) else ""
        if not part:
            if sub.usage == "R":
                add("1", i, sub.ref, "", k)
            continue
        code = check_element(sub, part)
        if code is not None:
            add(code, i, sub.ref, part, k)
    if len(parts) > len(es.components) and any(parts[len(es.components) :]):
        add("3", i, es.ref, value, len(es.components) + 1)


class _Add(Protocol):  # the signature of element_errors's ``add`` helper
    def __call__(
        self, code: str, pos: int, ref: str, value: str = "", comp: int | None = None
    ) -> None: ...
