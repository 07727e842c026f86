"""Guide validation of one transaction set: segment order, loops, usage, counts, elements.

Errors carry the 997 codes directly: AK3 (X12 720) for segments, AK4 (X12 723) for elements.
Where each segment goes comes from the guide's state machine (walk.py): one lookup per
segment. Each segment is then checked with its spec's compiled fast check (fast_check.py);
only a segment that fails it is checked element by element (elements.py) to locate errors.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.edi.elements import check_element, element_errors
from adapters.edi.errors import EdiError, ElementError, Location, SegmentError
from adapters.edi.fast_check import fast_check
from adapters.edi.guide import Guide, SegmentSpec
from adapters.edi.lexer import Segment
from adapters.edi.walk import machine_of

__all__ = ["check_element", "check_segment", "validate_set"]

_SEG_MESSAGES = {
    "1": "unrecognized segment id",
    "2": "unexpected segment",
    "3": "mandatory segment missing",
    "4": "loop occurs over maximum times",
    "5": "segment exceeds maximum use",
    "8": "segment has data element errors",
}


def check_segment(
    spec: SegmentSpec,
    seg: Segment,
    position: int,
    component: str,
    repetition: str | None,
    base: Location,
) -> list[ElementError]:
    """Element errors of one segment (AK4), in element order."""
    if fast_check(spec)(seg.fields, repetition, component):
        return []
    return element_errors(spec, seg, position, component, repetition, base)


def validate_set(
    guide: Guide,
    segments: Sequence[Segment],
    component: str,
    repetition: str | None,
    base: Location,
) -> list[EdiError]:
    """Every AK3/AK4 error of a transaction set (ST..SE) against ``guide``, in order.

    An AK3 error with code 8 is followed by its AK4 element errors.
    """
    errors: list[EdiError] = []
    machine = machine_of(guide)
    state = machine.start
    counts = [0] * machine.depth  # use count of the current child, per stack depth

    def seg_error(code: str, sid: str, position: int, loop: str | None) -> None:
        location = Location(
            base.interchange_control_number,
            base.group_control_number,
            base.transaction_set_control_number,
            position,
            sid,
        )
        errors.append(SegmentError(code, _SEG_MESSAGES[code], location, loop))

    for position, seg in enumerate(segments, 1):
        fields = seg.fields
        sid = fields[0]
        step = state.steps.get(sid) or machine.step(state, sid)
        checks = step.checks
        if step.odd:
            for missing_id, loop in step.missing:
                seg_error("3", missing_id, position, loop)
            if checks is None:
                seg_error(step.code, sid, position, step.loop)
                continue
        if step.repeat:
            depth = step.depth
            count = counts[depth] + 1
            counts[depth] = count
            if count > step.limit:
                seg_error(step.over_code, sid, position, step.over_loop)
        else:
            counts[step.depth] = 1
        state = step.target
        try:
            if checks[len(fields)](fields, repetition, component):  # type: ignore[index]
                continue  # the common case: a clean segment (checks is None only when odd)
        except IndexError:
            pass  # more elements than the spec has: the full check says which
        assert step.spec is not None
        found = element_errors(step.spec, seg, position, component, repetition, base)
        if found:
            seg_error("8", sid, position, step.loop)
            errors.extend(found)
    for missing_id, loop in machine.closing(state):
        seg_error("3", missing_id, len(segments), loop)
    return errors
