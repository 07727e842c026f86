"""Envelope stage: segments in, interchange / group / transaction set events out.

Checks what X12.5 and X12.6 require of the envelopes: ISA fields, ISA13 = IEA02 and IEA01 =
number of groups (TA1 codes), GS06 = GE02 and GE01 = number of sets (AK9 codes), ST02 = SE02,
SE01 = number of segments ST..SE and ST02 unique in the group (AK5 codes). Missing trailers
are reported and the structure closed, so a broken set never swallows the sets after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from adapters.edi.errors import GroupError, InterchangeError, Location, TransactionSetError
from adapters.edi.lexer import Delimiters, Segment

__all__ = [
    "GroupEnd",
    "GroupHeader",
    "InterchangeEnd",
    "InterchangeHeader",
    "TransactionSet",
    "iter_envelope",
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


@dataclass(slots=True)
class GroupHeader:
    functional_id: str  # GS01
    application_sender: str  # GS02
    application_receiver: str  # GS03
    date: str  # GS04
    time: str  # GS05
    control_number: str  # GS06
    agency: str  # GS07
    version: str  # GS08, e.g. 004010 or 004010VICS
    interchange: InterchangeHeader
    errors: list[GroupError] = field(default_factory=list)


@dataclass(slots=True)
class TransactionSet:
    """The segments ST..SE of one set (SE missing when the trailer was), with its errors."""

    set_id: str  # ST01
    control_number: str  # ST02
    segments: list[Segment]
    group: GroupHeader
    errors: list[TransactionSetError] = field(default_factory=list)


@dataclass(slots=True)
class GroupEnd:
    group: GroupHeader
    declared_sets: int | None  # GE01, None when GE is missing or not numeric
    received_sets: int


@dataclass(slots=True)
class InterchangeEnd:
    interchange: InterchangeHeader
    declared_groups: int | None


Event = InterchangeHeader | GroupHeader | TransactionSet | GroupEnd | InterchangeEnd


def parse_date(value: str) -> dt.date | None:
    """Read an X12 date, CCYYMMDD or YYMMDD (X12.6: YY < 50 is 20YY), or None if invalid."""
    try:
        if len(value) == 8 and value.isdigit():
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        if len(value) == 6 and value.isdigit():
            year = int(value[:2])
            return dt.date(
                2000 + year if year < 50 else 1900 + year, int(value[2:4]), int(value[4:])
            )
    except ValueError:
        return None
    return None


def parse_time(value: str) -> bool:
    """Whether ``value`` is an X12 time HHMM[SS[d..d]]."""
    if not (4 <= len(value) <= 8 and value.isdigit()):
        return False
    seconds = int(value[4:6]) if len(value) >= 6 else 0
    return int(value[:2]) < 24 and int(value[2:4]) < 60 and seconds < 60


def _interchange_header(segment: Segment) -> InterchangeHeader:
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
    if h.version not in KNOWN_ISA_VERSIONS and not (h.version.isdigit() and len(h.version) == 5):
        yield err("017", "invalid interchange version (ISA12)", h.version)
    if not (h.control_number.isdigit() and len(h.control_number) == 9):
        yield err("018", "invalid interchange control number (ISA13)", h.control_number)
    if h.ack_requested not in ("0", "1"):
        yield err("019", "invalid acknowledgment requested (ISA14)", h.ack_requested)
    if h.usage not in ("P", "T", "I"):
        yield err("020", "invalid test indicator (ISA15)", h.usage)


class _Walker:
    """State of the envelope walk; one per input. Emits events through ``out``."""

    def __init__(self) -> None:
        self.isa: InterchangeHeader | None = None
        self.gs: GroupHeader | None = None
        self.st: TransactionSet | None = None
        self.groups = 0
        self.sets = 0
        self.seen_sets: set[str] = set()
        self.out: list[Event] = []

    def feed(self, seg: Segment) -> None:
        sid = seg.fields[0]
        if self.st is not None and sid not in ("ISA", "IEA", "GS", "GE", "ST"):
            self.st.segments.append(seg)
            if sid == "SE":
                self._close_set(seg)
            return
        handler = _HANDLERS.get(sid)
        if handler is not None:
            handler(self, seg)
        else:
            self._stray(seg)

    def _isa(self, seg: Segment) -> None:
        if seg.delimiters is None or len(seg.fields) < 17:
            return self._stray(seg)  # not a header the lexer could read
        if self.isa is not None:
            self._missing_iea(seg.index)
        self.isa = _interchange_header(seg)
        self.groups = 0
        self.out.append(self.isa)

    def _gs(self, seg: Segment) -> None:
        if self.isa is None:
            return self._stray(seg)
        if self.gs is not None:
            self._close_group(None, seg.index, missing=True)
        f = seg.fields + [""] * max(0, 9 - len(seg.fields))
        self.gs = GroupHeader(f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], self.isa)
        self.groups += 1
        self.sets = 0
        self.seen_sets = set()
        if not (self.gs.control_number.isdigit() and len(self.gs.control_number) <= 9):
            self.gs.errors.append(self._group_error("6", "group control number (GS06) invalid"))
        if parse_date(self.gs.date) is None or not parse_time(self.gs.time):
            self.isa.errors.append(
                InterchangeError("024", "invalid GS date or time", self._loc(seg, self.gs.date))
            )
            self.gs.errors.append(self._group_error("6", "GS date or time invalid"))
        self.out.append(self.gs)

    def _st(self, seg: Segment) -> None:
        if self.gs is None:
            return self._stray(seg)
        if self.st is not None:
            self.st.errors.append(self._set_error("2", "transaction set trailer (SE) missing"))
            self._emit_set()
        self.sets += 1
        self.st = TransactionSet(seg.get(1), seg.get(2), [seg], self.gs)
        if not seg.get(1):
            self.st.errors.append(self._set_error("6", "ST01 transaction set id missing"))
        if not (4 <= len(seg.get(2)) <= 9):
            self.st.errors.append(self._set_error("7", "ST02 control number missing or invalid"))
        elif seg.get(2) in self.seen_sets:
            self.st.errors.append(self._set_error("23", "ST02 not unique within the group"))
        self.seen_sets.add(seg.get(2))

    def _close_set(self, se: Segment) -> None:
        st = self.st
        assert st is not None
        if se.get(2) != st.control_number:
            st.errors.append(self._set_error("3", "ST02 and SE02 do not agree", se.get(2)))
        if se.get(1) != str(len(st.segments)) and se.get(1).lstrip("0") != str(len(st.segments)):
            st.errors.append(
                self._set_error(
                    "4", f"SE01 says {se.get(1)} segments, counted {len(st.segments)}", se.get(1)
                )
            )
        self._emit_set()

    def _emit_set(self) -> None:
        assert self.st is not None
        self.out.append(self.st)
        self.st = None

    def _ge(self, seg: Segment) -> None:
        if self.gs is None:
            return self._stray(seg)
        if self.st is not None:
            self.st.errors.append(self._set_error("2", "transaction set trailer (SE) missing"))
            self._emit_set()
        self._close_group(seg, seg.index, missing=False)

    def _close_group(self, ge: Segment | None, index: int, *, missing: bool) -> None:
        gs = self.gs
        assert gs is not None
        declared: int | None = None
        if missing or ge is None:
            gs.errors.append(self._group_error("3", "functional group trailer (GE) missing"))
        else:
            declared = int(ge.get(1)) if ge.get(1).isdigit() else None
            if ge.get(2) != gs.control_number:
                gs.errors.append(self._group_error("4", "GS06 and GE02 do not agree", ge.get(2)))
            if declared != self.sets:
                gs.errors.append(
                    self._group_error(
                        "5", f"GE01 says {ge.get(1)} sets, counted {self.sets}", ge.get(1)
                    )
                )
        self.out.append(GroupEnd(gs, declared, self.sets))
        self.gs = None

    def _iea(self, seg: Segment) -> None:
        if self.isa is None:
            return self._stray(seg)
        self._close_open(seg.index)
        isa = self.isa
        declared = int(seg.get(1)) if seg.get(1).isdigit() else None
        if seg.get(2) != isa.control_number:
            isa.errors.append(
                InterchangeError("001", "ISA13 and IEA02 do not agree", self._loc(seg, seg.get(2)))
            )
        if declared != self.groups:
            isa.errors.append(
                InterchangeError(
                    "021",
                    f"IEA01 says {seg.get(1)} groups, counted {self.groups}",
                    self._loc(seg, seg.get(1)),
                )
            )
        self.out.append(InterchangeEnd(isa, declared))
        self.isa = None

    def _close_open(self, index: int) -> None:
        if self.st is not None:
            self.st.errors.append(self._set_error("2", "transaction set trailer (SE) missing"))
            self._emit_set()
        if self.gs is not None:
            self._close_group(None, index, missing=True)

    def _missing_iea(self, index: int) -> None:
        self._close_open(index)
        assert self.isa is not None
        self.isa.errors.append(
            InterchangeError(
                "023",
                "interchange trailer (IEA) missing",
                Location(self.isa.control_number, segment_position=index),
            )
        )
        self.out.append(InterchangeEnd(self.isa, None))
        self.isa = None

    def finish(self, index: int) -> None:
        if self.isa is not None:
            self._missing_iea(index)

    def _stray(self, seg: Segment) -> None:
        # TA1 may sit between ISA and GS (X12.5); anything else outside a set is misplaced.
        if seg.fields[0] == "TA1" and self.isa is not None and self.gs is None:
            return
        if self.isa is not None:
            self.isa.errors.append(
                InterchangeError(
                    "024",
                    f"segment {seg.fields[0]!r} outside a transaction set",
                    self._loc(seg, seg.fields[0]),
                )
            )
        else:
            self.out.append(_orphan_interchange(seg))

    def _loc(self, seg: Segment, value: str | None = None) -> Location:
        return Location(
            self.isa.control_number if self.isa else None,
            self.gs.control_number if self.gs else None,
            segment_position=seg.index,
            segment_id=seg.fields[0],
            value=value,
        )

    def _group_error(self, code: str, message: str, value: str | None = None) -> GroupError:
        return GroupError(
            code,
            message,
            Location(
                self.isa.control_number if self.isa else None,
                self.gs.control_number if self.gs else None,
                value=value,
            ),
        )

    def _set_error(self, code: str, message: str, value: str | None = None) -> TransactionSetError:
        st = self.st
        return TransactionSetError(
            code,
            message,
            Location(
                self.isa.control_number if self.isa else None,
                self.gs.control_number if self.gs else None,
                st.control_number if st else None,
                value=value,
            ),
        )


def _orphan_interchange(seg: Segment) -> InterchangeEnd:
    """Text outside any interchange: reported as an interchange of its own that failed."""
    header = InterchangeHeader(
        "", "", "", "", "", "", "", "", "", "0", "", Delimiters(), False, seg.index
    )
    header.errors.append(
        InterchangeError(
            "024",
            "data outside an interchange (ISA..IEA)",
            Location(segment_position=seg.index, value=" ".join(seg.fields)[:80]),
        )
    )
    return InterchangeEnd(header, None)


_HANDLERS = {
    "ISA": _Walker._isa,
    "GS": _Walker._gs,
    "ST": _Walker._st,
    "GE": _Walker._ge,
    "IEA": _Walker._iea,
}


def iter_envelope(segments: Iterable[Segment]) -> Iterator[Event]:
    """Walk segments into envelope events, in order, closing anything left open at the end."""
    walker = _Walker()
    out = walker.out
    last = 0
    for seg in segments:
        last = seg.index
        walker.feed(seg)
        if out:
            yield from out
            out.clear()
    walker.finish(last + 1)
    yield from out
