"""Envelope stage: segments in, interchange / group / transaction set events out.

Checks what X12.5 and X12.6 require of the envelopes: ISA fields, ISA13 = IEA02 and IEA01 =
number of groups (TA1 codes), GS06 = GE02 and GE01 = number of sets (AK9 codes), ST02 = SE02,
SE01 = number of segments ST..SE and ST02 unique in the group (AK5 codes). Missing trailers
are reported and the structure closed, so a broken set never swallows the sets after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from adapters.edi.errors import GroupError, InterchangeError, Location, TransactionSetError
from adapters.edi.isa import InterchangeHeader, interchange_header, parse_date, parse_time
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

# the segments that open or close an envelope level: everything else in a set is its body
_ENVELOPE_IDS = frozenset({"ISA", "IEA", "GS", "GE", "ST"})
_SET_ENDS = _ENVELOPE_IDS | {"SE"}  # what ends the run of an open set's body segments


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
        if self.st is not None and sid not in _ENVELOPE_IDS:
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
        self.isa = interchange_header(seg)
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
        if not (_digits(self.gs.control_number) and len(self.gs.control_number) <= 9):
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
            declared = int(ge.get(1)) if _digits(ge.get(1)) else None
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
        declared = int(seg.get(1)) if _digits(seg.get(1)) else None
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
    seg: Segment | None = None
    source = iter(segments)
    for seg in source:
        walker.feed(seg)
        while walker.st is not None:
            # a set is open: its body segments go straight to it (_Walker.feed, inlined for
            # the common case), up to its SE or an envelope segment
            append = walker.st.segments.append
            for seg in source:
                sid = seg.fields[0]
                if sid in _SET_ENDS:
                    if sid == "SE":
                        append(seg)
                        walker._close_set(seg)
                    else:
                        walker.feed(seg)
                    break
                append(seg)
            else:
                break  # the input ends inside the set
            if out:
                yield from out
                out.clear()
        if out:
            yield from out
            out.clear()
    walker.finish((seg.index if seg is not None else 0) + 1)
    yield from out


def _digits(value: str) -> bool:
    # str.isdigit() also takes "³" and other digits int() refuses (found by fuzzing)
    return value.isascii() and value.isdigit()
