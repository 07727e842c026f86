"""Writing X12: segments with given delimiters, wrapped in ISA/GS/ST..SE/GE/IEA.

Control numbers are parameters (the gateway's store allocates them per partner); dates and
times too, so that the same input always writes the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from adapters.edi.errors import Location, RenderError
from adapters.edi.lexer import Delimiters

__all__ = ["EnvelopeParams", "format_segment", "isa_fields", "write_interchange"]

_X12_4010 = Delimiters("*", ">", "~", None, "\n")


@dataclass(frozen=True, slots=True)
class EnvelopeParams:
    """What an outbound envelope needs besides the documents.

    ``version`` is GS08 (004010 or 005010); ISA12 follows from it (00401 / 00501).
    """

    sender_id: str
    receiver_id: str
    interchange_control_number: int
    group_control_number: int
    transaction_set_control_number: int = 1
    sender_qualifier: str = "ZZ"
    receiver_qualifier: str = "ZZ"
    version: str = "004010"
    timestamp: dt.datetime = dt.datetime(2000, 1, 1)
    usage: str = "P"
    ack_requested: bool = False


def format_segment(fields: Sequence[str], delimiters: Delimiters) -> str:
    """One segment with its terminator; trailing empty elements are dropped (X12.6)."""
    end = len(fields)
    while end > 1 and fields[end - 1] == "":
        end -= 1
    # the component separator is legal inside composites; callers that write simple values
    # check for it themselves (render.py)
    reserved = frozenset(delimiters.element + delimiters.segment + (delimiters.repetition or ""))
    for position, value in enumerate(fields[:end]):
        if not reserved.isdisjoint(value):
            raise RenderError(
                "delimiter",
                "a value contains a delimiter character",
                Location(segment_id=fields[0], element_position=position, value=value),
            )
    return delimiters.element.join(fields[:end]) + delimiters.segment + delimiters.suffix


def isa_fields(params: EnvelopeParams, delimiters: Delimiters) -> list[str]:
    isa12 = "00501" if params.version >= "005010" else "00401"
    # X12.5: ISA11 is "U" up to 00401 and the repetition separator from 00402 on
    isa11 = "U" if isa12 < "00402" else (delimiters.repetition or "^")
    return [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        params.sender_qualifier.ljust(2),
        params.sender_id.ljust(15)[:15],
        params.receiver_qualifier.ljust(2),
        params.receiver_id.ljust(15)[:15],
        params.timestamp.strftime("%y%m%d"),
        params.timestamp.strftime("%H%M"),
        isa11,
        isa12,
        f"{params.interchange_control_number:09d}",
        "1" if params.ack_requested else "0",
        params.usage,
        delimiters.component,
    ]


def write_interchange(
    groups: Iterable[tuple[str, Sequence[tuple[str, list[list[str]]]]]],
    params: EnvelopeParams,
    delimiters: Delimiters = _X12_4010,
) -> str:
    """An interchange: ``groups`` is [(GS01, [(ST01, body segments), ...]), ...].

    Group control numbers count up from ``params.group_control_number`` and set control
    numbers from ``params.transaction_set_control_number``; SE01, GE01 and IEA01 are counted.
    """
    groups = list(groups)
    isa = isa_fields(params, delimiters)
    # ISA is fixed width: written directly, not through format_segment (its padding counts)
    parts = [delimiters.element.join(isa) + delimiters.segment + delimiters.suffix]
    set_number = params.transaction_set_control_number
    for offset, (fic, sets) in enumerate(groups):
        gs06 = str(params.group_control_number + offset)
        parts.append(
            format_segment(
                [
                    "GS",
                    fic,
                    params.sender_id,
                    params.receiver_id,
                    params.timestamp.strftime("%Y%m%d"),
                    params.timestamp.strftime("%H%M"),
                    gs06,
                    "X",
                    params.version,
                ],
                delimiters,
            )
        )
        for set_id, body in sets:
            st02 = f"{set_number:04d}"
            set_number += 1
            st = ["ST", set_id, st02]
            if params.version >= "005010":
                st.append(params.version)
            parts.append(format_segment(st, delimiters))
            parts += [format_segment(seg, delimiters) for seg in body]
            parts.append(format_segment(["SE", str(len(body) + 2), st02], delimiters))
        parts.append(format_segment(["GE", str(len(sets)), gs06], delimiters))
    parts.append(
        format_segment(
            ["IEA", str(len(groups)), f"{params.interchange_control_number:09d}"], delimiters
        )
    )
    return "".join(parts)
