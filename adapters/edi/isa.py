"""The interchange header (ISA): its fields, and the checks X12.5 makes of them (TA1 codes).

Also the X12 date and time readers that the envelope, the guide checks and the mappings share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from adapters.edi.errors import InterchangeError, Location
from adapters.edi.lexer import Delimiters, Segment

__all__ = [
    "KNOWN_ISA_VERSIONS",
    "InterchangeHeader",
    "interchange_header",
    "parse_date",
    "parse_time",
]

# X12.5 I11 (interchange versions) this reader knows; later ones are read like the latest.
KNOWN_ISA_VERSIONS = frozenset(
    {
        "00200",
        "00201",
        "00204",
        "00300",
        "00301",
        "00302",
        "00303",
        "00304",
        "00305",
        "00306",
        "00307",
        "00400",
        "00401",
        "00402",
        "00403",
        "00404",
        "00405",
        "00406",
        "00500",
        "00501",
        "00502",
        "00503",
        "00504",
        "00505",
        "00600",
        "00601",
        "00602",
        "00700",
        "00701",
        "00702",
        "00703",
        "00704",
        "00800",
        "00801",
    }
)


@dataclass(slots=True)
class InterchangeHeader:
    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str  # ISA09, YYMMDD
    time: str  # ISA10, HHMM
    standards_id: str  # ISA11 (a repetition separator from 00402)
    version: str  # ISA12
    control_number: str  # ISA13
    ack_requested: str  # ISA14
    usage: str  # ISA15: P production, T test, I information
    delimiters: Delimiters
    fixed_width: bool
    segment_index: int
    errors: list[InterchangeError] = field(default_factory=list)


def parse_date(value: str) -> dt.date | None:
    """Read an X12 date, CCYYMMDD or YYMMDD (X12.6: YY < 50 is 20YY), or None if invalid."""
    try:
        if len(value) == 8 and value.isascii() and value.isdigit():
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        if len(value) == 6 and value.isascii() and value.isdigit():
            year = int(value[:2])
            return dt.date(
                2000 + year if year < 50 else 1900 + year, int(value[2:4]), int(value[4:])
            )
    except ValueError:
        return None
    return None


def parse_time(value: str) -> bool:
    """Whether ``value`` is an X12 time HHMM[SS[d..d]]."""
    # isascii: str.isdigit() also takes "³", which int() refuses (found by fuzzing)
    if not (4 <= len(value) <= 8 and value.isascii() and value.isdigit()):
        return False
    seconds = int(value[4:6]) if len(value) >= 6 else 0
    return int(value[:2]) < 24 and int(value[2:4]) < 60 and seconds < 60


def interchange_header(segment: Segment) -> InterchangeHeader:
    """The header of an ISA segment read by the lexer, with the errors of its fields."""
    f = segment.fields
    assert segment.delimiters is not None
    header = InterchangeHeader(
        f[5].strip(),
        f[6].strip(),
        f[7].strip(),
        f[8].strip(),
        f[9],
        f[10],
        f[11],
        f[12],
        f[13],
        f[14],
        f[15],
        segment.delimiters,
        segment.fixed_width,
        segment.index,
    )
    header.errors.extend(_isa_errors(header, segment.index))
    return header


def _isa_errors(h: InterchangeHeader, index: int) -> Iterator[InterchangeError]:
    def err(code: str, message: str, value: str) -> InterchangeError:
        return InterchangeError(
            code,
            message,
            Location(h.control_number, segment_position=index, segment_id="ISA", value=value),
        )

    d = h.delimiters
    if d.component in (d.element, d.segment) or d.component.isalnum():
        yield err("027", "invalid component element separator (ISA16)", d.component)
    if d.segment == d.element or d.segment.isalnum():
        yield err("026", "segment terminator clashes with the element separator", d.segment)
    if not h.sender_id:
        yield err("006", "interchange sender id (ISA06) is empty", h.sender_id)
    if not h.receiver_id:
        yield err("008", "interchange receiver id (ISA08) is empty", h.receiver_id)
    if parse_date(h.date) is None or len(h.date) != 6:
        yield err("014", "invalid interchange date (ISA09)", h.date)
    if len(h.time) != 4 or not parse_time(h.time):
        yield err("015", "invalid interchange time (ISA10)", h.time)
    if h.version < "00402" and h.standards_id != "U":
        yield err("016", "invalid interchange standards identifier (ISA11)", h.standards_id)
    if h.version not in KNOWN_ISA_VERSIONS and not (
        h.version.isascii() and h.version.isdigit() and len(h.version) == 5
    ):
        yield err("017", "invalid interchange version (ISA12)", h.version)
    if not (
        h.control_number.isascii() and h.control_number.isdigit() and len(h.control_number) == 9
    ):
        yield err("018", "invalid interchange control number (ISA13)", h.control_number)
    if h.ack_requested not in ("0", "1"):
        yield err("019", "invalid acknowledgment requested (ISA14)", h.ack_requested)
    if h.usage not in ("P", "T", "I"):
        yield err("020", "invalid test indicator (ISA15)", h.usage)
