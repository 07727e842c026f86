"""Acknowledgments: the 997 functional acknowledgment and the TA1 interchange acknowledgment.

997 (X12 004010/005010): one transaction set per received functional group: AK1 names the
group, then per set AK2, AK3 (segment note, X12 720) and AK4 (element note, X12 723), AK5
(set verdict: A accepted, E accepted with errors, R rejected; codes X12 718), and AK9 (group
verdict: A, E, P partially accepted, R; counts; codes X12 716). TA1 (X12.5): the interchange
verdict with a note code (I18) when ISA14 asks for it or the interchange has errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from adapters.edi.errors import EdiError, ElementError, SegmentError
from adapters.edi.lexer import Delimiters
from adapters.edi.writer import EnvelopeParams, format_segment, isa_fields, write_interchange

__all__ = ["GroupAck", "SetAck", "ack_delimiters", "build_997", "clean", "render_997", "render_ta1"]


@dataclass(slots=True)
class SetAck:
    set_id: str
    control_number: str
    accepted: bool
    # tuples, empty for a clean set: a group of many sets keeps one small record per set
    set_codes: Sequence[str] = ()  # AK5 codes (718)
    errors: Sequence[EdiError] = ()  # SegmentError / ElementError
    implementation_ref: str | None = None  # ST03 in 005010


@dataclass(slots=True)
class GroupAck:
    functional_id: str
    control_number: str
    version: str  # GS08 of the acknowledged group
    sets: list[SetAck] = field(default_factory=list)  # the sets the 997 lists (AK2 loops)
    group_codes: list[str] = field(default_factory=list)  # AK9 codes (716)
    declared_sets: int | None = None
    received: int = 0  # AK903: every set received, listed or not
    accepted: int = 0  # AK904
    with_errors: bool = False  # some accepted set was accepted with errors

    def add(self, ack: SetAck, *, listed: bool = True) -> None:
        """Count a set; keep it for an AK2 loop when ``listed`` or when it has errors (the
        997 AK2 loop is optional for clean accepted sets, X12 997 table)."""
        self.received += 1
        self.accepted += ack.accepted
        self.with_errors |= ack.accepted and bool(ack.errors or ack.set_codes)
        if listed or not ack.accepted or ack.errors or ack.set_codes:
            self.sets.append(ack)

    @property
    def status(self) -> str:
        if (self.group_codes and self.accepted == 0) or not self.received:
            return "R"
        if self.accepted == self.received:
            return "E" if self.with_errors or self.group_codes else "A"
        return "P" if self.accepted else "R"


def _ak4_position(error: ElementError, component: str) -> str:
    position = str(error.location.element_position or 0)
    if error.location.component_position:
        position += component + str(error.location.component_position)
    return position


def build_997(group: GroupAck, ack_version: str, component: str) -> list[list[str]]:
    """The body (AK1..AK9) of the 997 answering ``group``."""
    ak1 = ["AK1", group.functional_id, group.control_number]
    if ack_version >= "005010":
        ak1.append(group.version)
    out = [ak1]
    for ts in group.sets:
        ak2 = ["AK2", ts.set_id, ts.control_number]
        if ack_version >= "005010" and ts.implementation_ref:
            ak2.append(ts.implementation_ref)
        out.append(ak2)
        elements_in_segment = 0
        for error in ts.errors:
            loc = error.location
            if isinstance(error, SegmentError):
                elements_in_segment = 0
                out.append(
                    [
                        "AK3",
                        _segment_code(loc.segment_id),
                        str(loc.segment_position or 0),
                        _loop_code(error.loop_id),
                        error.code,
                    ]
                )
            elif isinstance(error, ElementError) and elements_in_segment < 99:
                elements_in_segment += 1  # X12 997: AK4 may occur at most 99 times per AK3
                copy = (
                    (loc.value or "")[:99]
                    if error.code in ["4", "5", "6", "7", "8", "9", "10"]
                    else ""
                )
                out.append(
                    [
                        "AK4",
                        _ak4_position(error, component),
                        _element_reference(error.data_element),
                        error.code,
                        _printable(copy),
                    ]
                )
        status = "A" if ts.accepted and not ts.errors else ("E" if ts.accepted else "R")
        out.append(["AK5", status, *ts.set_codes[:5]])
    accepted = group.accepted
    declared = group.declared_sets
    if declared is None or declared > 999_999:  # AK902 is N0 1-6, GE01 may be any digits
        declared = group.received
    out.append(
        [
            "AK9",
            group.status,
            str(declared),
            str(group.received),
            str(accepted),
            *group.group_codes[:5],
        ]
    )
    return out


def _segment_code(segment_id: str | None) -> str:
    """AK301 (ID, 2-3 characters) for a segment id as received, which may be any length:
    cut to 3, or padded with trailing spaces, which X12.6 allows to reach a minimum length."""
    return _printable((segment_id or "")[:3]).ljust(2)


def _element_reference(data_element: str | None) -> str:
    """AK402 is a dictionary number (N0, 1-4 digits); a composite's id (``C001``) is none,
    and the element is optional: left out."""
    if data_element is None or not (data_element.isdigit() and len(data_element) <= 4):
        return ""
    return data_element


def _loop_code(loop_id: str | None) -> str:
    """AK303 names an X12 loop (1-6 letters and digits, e.g. ``N1``, ``HL``); a guide's
    structural loops (``ST_LOOP``, the transaction set itself) are no X12 loop: left out."""
    if loop_id is None or not (1 <= len(loop_id) <= 6 and loop_id.isalnum()):
        return ""
    return loop_id


def _printable(value: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in value)


def ack_version_for(gs08: str) -> str:
    return "005010" if gs08[:6] >= "005000" else "004010"


def render_997(groups: Sequence[GroupAck], params: EnvelopeParams, delimiters: Delimiters) -> str:
    """One interchange holding one 997 per group, in one FA group per 997 version.

    ``params.version`` is ignored: each 997 is written in its group's version family.
    """
    by_version: dict[str, list[tuple[str, list[list[str]]]]] = {}
    for group in groups:
        version = ack_version_for(group.version)
        body = build_997(group, version, delimiters.component)
        by_version.setdefault(version, []).append(("997", _strip_unsafe(body, delimiters)))
    if not by_version:
        return ""
    text = []
    for offset, (gs08, sets) in enumerate(sorted(by_version.items())):
        text.append(
            write_interchange(
                [("FA", sets)],
                replace(
                    params,
                    version=gs08,
                    interchange_control_number=params.interchange_control_number + offset,
                    group_control_number=params.group_control_number + offset,
                ),
                delimiters,
            )
        )
    return "".join(text)


_FALLBACK = Delimiters("*", ">", "~", None, "\n")


def ack_delimiters(inbound: Delimiters) -> Delimiters:
    """The partner's delimiters for our acks, or ``* > ~`` when theirs are unusable (a
    broken ISA: TA1 026/027). A line break follows each terminator unless it is one."""
    chosen = (inbound.element, inbound.component, inbound.segment)
    usable = len(set(chosen)) == 3 and not any(c.isalnum() or c == " " for c in chosen)
    repetition = inbound.repetition
    if (
        not usable
        or repetition in chosen
        or (repetition and (len(repetition) != 1 or repetition.isalnum()))
    ):
        return _FALLBACK
    suffix = "" if inbound.segment in "\r\n" else "\n"
    return Delimiters(
        inbound.element, inbound.component, inbound.segment, inbound.repetition, suffix
    )


def clean(value: str, delimiters: Delimiters, *, component: bool = True) -> str:
    """``value`` with delimiter characters replaced by '?': copied inbound data must not
    break the structure of our own output."""
    reserved = delimiters.element + delimiters.segment + (delimiters.repetition or "")
    if component:
        reserved += delimiters.component
    if frozenset(reserved).isdisjoint(value):
        return value
    return "".join("?" if c in reserved else c for c in value)


def _strip_unsafe(body: list[list[str]], delimiters: Delimiters) -> list[list[str]]:
    # AK4's first element is a composite (position:component); everything else is simple
    return [
        [
            clean(value, delimiters, component=not (seg[0] == "AK4" and i == 1))
            for i, value in enumerate(seg)
        ]
        for seg in body
    ]


def render_ta1(
    isa13: str,
    isa09: str,
    isa10: str,
    status: str,
    note_code: str,
    params: EnvelopeParams,
    delimiters: Delimiters,
) -> str:
    """An interchange holding one TA1 (status A accepted, E with errors, R rejected)."""
    isa = isa_fields(params, delimiters)
    return "".join(
        [
            delimiters.element.join(isa) + delimiters.segment + delimiters.suffix,
            format_segment(
                ["TA1", *(clean(v, delimiters) for v in (isa13, isa09, isa10)), status, note_code],
                delimiters,
            ),
            format_segment(["IEA", "0", f"{params.interchange_control_number:09d}"], delimiters),
        ]
    )
