"""The pipeline for one inbound message: lexer -> envelope -> guide -> mapping -> 997/TA1.

``iter_results`` streams (a result per transaction set as soon as its SE is read, then one
per interchange), so a large file is processed in bounded memory; ``process_interchanges``
collects the same into lists. Both are pure: bytes in, values out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import BinaryIO

from pydantic import ValidationError

from adapters.edi.ack import GroupAck, SetAck, ack_delimiters, clean, render_997, render_ta1
from adapters.edi.build import build
from adapters.edi.codes import Mapped, envelope_of
from adapters.edi.envelope import (
    GroupEnd,
    GroupHeader,
    InterchangeEnd,
    InterchangeHeader,
    TransactionSet,
    iter_envelope,
    parse_date,
)
from adapters.edi.errors import (
    EdiError,
    InterchangeError,
    Location,
    MappingError,
    ReadError,
    TransactionSetError,
)
from adapters.edi.guide import GuideSet, default_guides
from adapters.edi.lexer import DEFAULT_CHUNK_SIZE, Delimiters, Segment, iter_segments
from adapters.edi.overlay import Overlay, apply_overlays
from adapters.edi.planning_schedule import parse_830
from adapters.edi.purchase_order import parse_850
from adapters.edi.results import (
    AckOptions,
    CanonicalDocument,
    InterchangeResult,
    SetResult,
    interchange_key,
    is_duplicate,
)
from adapters.edi.ship_notice import parse_856
from adapters.edi.validator import validate_set
from adapters.edi.writer import EnvelopeParams
from gateway.model import Channel, Envelope, PlanningSchedule, Provenance, PurchaseOrder, ShipNotice

__all__ = [
    "AckOptions",
    "CanonicalDocument",
    "InterchangeResult",
    "SetResult",
    "interchange_key",
    "is_duplicate",
    "iter_results",
    "process_interchange",
    "process_interchanges",
]

_PARSERS: dict[str, Callable[[Sequence[Segment], Envelope, str], Mapped]] = {
    "850": lambda segs, env, comp: parse_850(segs, env),
    "856": lambda segs, env, comp: parse_856(segs, env),
    "830": parse_830,
}

# TA1 note codes that reject the whole interchange (X12.5 I18); the others are noted (E).
_FATAL_TA1 = frozenset({"001", "016", "017", "018", "021", "023", "025", "026", "027"})


class _Run:
    """State of one ``iter_results`` run: the interchange and group being acknowledged."""

    def __init__(
        self,
        guides: GuideSet,
        overlays: Sequence[Overlay],
        seen: Collection[tuple[str, str]],
        ack: AckOptions,
    ) -> None:
        self.guides = guides
        self.overlays = overlays
        self.seen = seen
        self.seen_here: set[tuple[str, str]] = set()
        self.ack = ack
        self.acks_made = 0
        self.isa: InterchangeHeader | None = None
        self.duplicate = False
        self.groups: list[GroupAck] = []
        self.group: GroupAck | None = None
        self.errors: list[EdiError] = []

    def start(self, isa: InterchangeHeader) -> None:
        self.isa = isa
        key = interchange_key(isa.sender_qualifier, isa.sender_id, isa.control_number)
        self.duplicate = is_duplicate(key, self.seen) or key in self.seen_here
        self.seen_here.add(key)
        self.groups = []
        self.errors = []

    def start_group(self, gs: GroupHeader) -> None:
        self.group = GroupAck(gs.functional_id, gs.control_number, gs.version)

    def end_group(self, end: GroupEnd) -> None:
        group = self.group or GroupAck(
            end.group.functional_id, end.group.control_number, end.group.version
        )
        group.declared_sets = end.declared_sets
        codes = [e.code for e in end.group.errors]
        listed_all = group.received and len(group.sets) == group.received
        if listed_all and all("1" in s.set_codes for s in group.sets):
            # X12 716: 2 version not supported, 1 functional group not supported
            codes.append("2" if end.group.version[:6] < "004010" else "1")
        group.group_codes = sorted(set(codes), key=int)
        self.errors.extend(end.group.errors)
        if end.group.functional_id != "FA":  # an acknowledgment is never acknowledged
            self.groups.append(group)
        self.group = None

    def transaction_set(self, ts: TransactionSet) -> SetResult:
        gs = ts.group
        isa = gs.interchange
        base = Location(isa.control_number, gs.control_number, ts.control_number)
        errors: list[EdiError] = list(ts.errors)
        set_codes = [e.code for e in ts.errors]
        result = SetResult(
            ts.set_id, ts.control_number, gs.control_number, isa.control_number, gs.version, False
        )
        guide, note = self.guides.find(ts.set_id, gs.version)
        if note:
            result.notes.append(note)
        if guide is None:
            set_codes.append("1")
            errors.append(
                TransactionSetError(
                    "1", f"transaction set {ts.set_id} version {gs.version} is not supported", base
                )
            )
        else:
            delims = isa.delimiters
            found = validate_set(guide, ts.segments, delims.component, delims.repetition, base)
            found += apply_overlays(self.overlays, ts.set_id, ts.segments, base)
            errors += found
            if found:
                set_codes.append("5")
        result.accepted = not set_codes
        if result.accepted and ts.set_id in _PARSERS:
            self._map(ts, result, errors)
        result.errors = errors
        ack = SetAck(
            ts.set_id,
            ts.control_number,
            result.accepted,
            tuple(sorted(set(set_codes), key=int)),
            tuple(e for e in errors if e.kind in ("segment", "element")),
            ts.segments[0].get(3) or None,
        )
        if self.group is not None:
            self.group.add(ack, listed=self.ack.list_accepted_sets)
        return result

    def _map(self, ts: TransactionSet, result: SetResult, errors: list[EdiError]) -> None:
        gs = ts.group
        isa = gs.interchange
        envelope = envelope_of(
            isa.sender_id,
            isa.receiver_id,
            isa.control_number,
            gs.control_number,
            ts.control_number,
            gs.version,
        )
        try:
            mapped = _PARSERS[ts.set_id](ts.segments, envelope, isa.delimiters.component)
        except MappingError as exc:
            errors.append(exc)
            result.accepted = False
            return
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            errors.append(
                MappingError(
                    "model",
                    f"{where}: {first['msg']}",
                    Location(isa.control_number, gs.control_number, ts.control_number),
                )
            )
            result.accepted = False
            return
        document = mapped.document
        assert isinstance(document, PurchaseOrder | ShipNotice | PlanningSchedule)
        if isa.sender_id:
            document.provenance = build(
                Provenance, {"channel": Channel.X12, "partner_id": isa.sender_id}
            )
        result.document = document
        result.unmapped = mapped.unmapped
        result.details = mapped.details

    def finish(self, end: InterchangeEnd) -> InterchangeResult:
        isa = end.interchange
        errors = [*isa.errors, *self.errors]
        if self.duplicate:
            errors.append(_duplicate_error(isa))
        fatal = next((e.code for e in isa.errors if e.code in _FATAL_TA1), None)
        if self.duplicate:
            fatal = "025"
        result = InterchangeResult(
            isa.sender_qualifier,
            isa.sender_id,
            isa.receiver_qualifier,
            isa.receiver_id,
            isa.control_number,
            isa.version,
            isa.usage,
            isa.ack_requested == "1",
            accepted=fatal is None and bool(isa.version),
            duplicate=self.duplicate,
            errors=errors,
            delimiters=isa.delimiters,
        )
        out_delims = ack_delimiters(isa.delimiters)
        params = self._ack_params(isa, out_delims)
        if isa.errors or self.duplicate or isa.ack_requested == "1":
            status = "R" if fatal else ("E" if isa.errors else "A")
            note = fatal or (isa.errors[0].code if isa.errors else "000")
            result.ta1 = render_ta1(
                isa.control_number, isa.date, isa.time, status, note, params, out_delims
            )
            result.ack_control_numbers.append(params.interchange_control_number)
            self.acks_made += 1
            params = self._ack_params(isa, out_delims)
        if result.accepted and self.groups:
            result.ack_997 = render_997(self.groups, params, out_delims)
            used = len({g.version[:6] >= "005000" for g in self.groups})
            first = params.interchange_control_number
            result.ack_control_numbers.extend(range(first, first + used))
            self.acks_made += used
        self.isa = None
        return result

    def _ack_params(self, isa: InterchangeHeader, delims: Delimiters) -> EnvelopeParams:
        stamp = self.ack.timestamp
        if stamp is None:
            day = parse_date(isa.date) or dt.date(2000, 1, 1)
            hhmm = (
                isa.time
                if len(isa.time) == 4 and isa.time.isascii() and isa.time.isdigit()
                else "0000"
            )
            stamp = dt.datetime(
                day.year, day.month, day.day, min(int(hhmm[:2]), 23), min(int(hhmm[2:]), 59)
            )
        offset = self.acks_made
        return EnvelopeParams(
            sender_id=clean(isa.receiver_id, delims) or "UNKNOWN",
            receiver_id=clean(isa.sender_id, delims) or "UNKNOWN",
            interchange_control_number=self.ack.interchange_control_number + offset,
            group_control_number=self.ack.group_control_number + offset,
            transaction_set_control_number=self.ack.transaction_set_control_number,
            sender_qualifier=clean(isa.receiver_qualifier, delims)[:2] or "ZZ",
            receiver_qualifier=clean(isa.sender_qualifier, delims)[:2] or "ZZ",
            timestamp=stamp,
            usage=isa.usage if isa.usage in ("P", "T") else "P",
        )


def _duplicate_error(isa: InterchangeHeader) -> EdiError:
    return InterchangeError(
        "025",
        "duplicate interchange: this sender's ISA13 was already processed",
        Location(isa.control_number, segment_id="ISA", value=isa.control_number),
    )


def iter_results(
    source: bytes | str | BinaryIO,
    *,
    guides: GuideSet | None = None,
    overlays: Sequence[Overlay] = (),
    seen: Collection[tuple[str, str]] = frozenset(),
    ack: AckOptions = AckOptions(),
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Iterator[SetResult | InterchangeResult]:
    """Process every interchange in ``source``, yielding each set's result as soon as it is
    complete and then its interchange's result (with ``sets`` left empty: the caller has
    them already). Raises ``ReadError`` when the input is not X12 at all."""
    run = _Run(guides or default_guides(), overlays, seen, ack)
    for event in iter_envelope(iter_segments(source, chunk_size=chunk_size)):
        if isinstance(event, InterchangeHeader):
            run.start(event)
        elif isinstance(event, GroupHeader):
            run.start_group(event)
        elif isinstance(event, TransactionSet):
            if not run.duplicate:
                yield run.transaction_set(event)
        elif isinstance(event, GroupEnd):
            if not run.duplicate:
                run.end_group(event)
        else:
            if run.isa is None:
                run.start(event.interchange)
            yield run.finish(event)


def process_interchanges(
    source: bytes | str | BinaryIO,
    *,
    guides: GuideSet | None = None,
    overlays: Sequence[Overlay] = (),
    seen: Collection[tuple[str, str]] = frozenset(),
    ack: AckOptions = AckOptions(),
) -> list[InterchangeResult]:
    """Every interchange of ``source`` with its sets, documents, errors and acknowledgments."""
    out: list[InterchangeResult] = []
    pending: list[SetResult] = []
    for item in iter_results(source, guides=guides, overlays=overlays, seen=seen, ack=ack):
        if isinstance(item, SetResult):
            pending.append(item)
        else:
            item.sets = pending
            pending = []
            out.append(item)
    return out


def process_interchange(
    data: bytes | str | BinaryIO,
    *,
    guides: GuideSet | None = None,
    overlays: Sequence[Overlay] = (),
    seen: Collection[tuple[str, str]] = frozenset(),
    ack: AckOptions = AckOptions(),
) -> InterchangeResult:
    """Process a message holding exactly one interchange (the gateway's unit of work)."""
    results = process_interchanges(data, guides=guides, overlays=overlays, seen=seen, ack=ack)
    if len(results) != 1:
        raise ReadError(
            "024", f"expected one interchange, found {len(results)}; use process_interchanges"
        )
    return results[0]
