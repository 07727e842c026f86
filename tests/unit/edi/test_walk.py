"""The validator's state machine (walk.py) gives exactly the errors of the plain stack walk.

``reference_walk`` is the stack-of-open-loops walk the validator used before the machine,
kept here as the specification: on random sequences of segments (in and out of order, known
and unknown ids, repeats past the maximum), both must report the same AK3 errors, and a
machine warmed by earlier walks must answer like a fresh one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.edi import default_guides, load_guide
from adapters.edi.errors import Location, SegmentError
from adapters.edi.guide import Guide, LoopSpec, SegmentSpec
from adapters.edi.lexer import Segment
from adapters.edi.validator import validate_set

_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")
AK3 = tuple[str, str, int, str | None]


class _Frame:
    def __init__(self, loop: LoopSpec) -> None:
        self.loop = loop
        self.idx = 0
        self.counts = [0] * len(loop.children)
        self.counts[0] = 1


def reference_walk(guide: Guide, sids: Sequence[str]) -> list[AK3]:
    """(code, segment id, position, loop) of every segment-level error, in order."""
    out: list[AK3] = []
    root = _Frame(guide.root)
    root.idx, root.counts[0] = -1, 0
    stack = [root]

    def missing(frame: _Frame, start: int, stop: int, position: int) -> None:
        for k in frame.loop.required:
            child = frame.loop.children[k]
            if start <= k < stop and frame.counts[k] == 0 and child.id != "SE":
                sid = child.id if isinstance(child, SegmentSpec) else child.trigger
                out.append(("3", sid, position, None if frame is root else frame.loop.id))

    for position, sid in enumerate(sids, 1):
        depth, j = len(stack) - 1, -1
        while depth >= 0:
            frame = stack[depth]
            j = next(
                (i for i in frame.loop.starts.get(sid, []) if i >= frame.idx and (i or not depth)),
                -1,
            )
            if j >= 0:
                break
            depth -= 1
        if j < 0:
            known = sid in guide.segment_ids and _SEGMENT_ID.fullmatch(sid) is not None
            out.append(("2" if known else "1", sid, position, stack[-1].loop.id))
            continue
        while len(stack) - 1 > depth:
            closing = stack.pop()
            missing(closing, closing.idx + 1, len(closing.loop.children), position)
        missing(frame, frame.idx + 1, j, position)
        child = frame.loop.children[j]
        frame.idx = j
        frame.counts[j] += 1
        if isinstance(child, SegmentSpec):
            if frame.counts[j] > child.max_use:
                out.append(("5", sid, position, None if depth == 0 else frame.loop.id))
        else:
            if frame.counts[j] > child.repeat:
                out.append(("4", sid, position, child.id))
            loop: LoopSpec | SegmentSpec = child
            while isinstance(loop, LoopSpec):
                stack.append(_Frame(loop))
                loop = loop.children[0]
    while len(stack) > 1:
        closing = stack.pop()
        missing(closing, closing.idx + 1, len(closing.loop.children), len(sids))
    missing(root, root.idx + 1, len(root.loop.children), len(sids))
    return out


def machine_walk(guide: Guide, sids: Sequence[str]) -> list[AK3]:
    # segments with no elements: a required element missing gives AK3 8, which the
    # reference (segments only) leaves out
    segments = [Segment([sid], k) for k, sid in enumerate(sids, 1)]
    return [
        (e.code, e.location.segment_id or "", e.location.segment_position or 0, e.loop_id)
        for e in validate_set(guide, segments, ">", None, Location())
        if isinstance(e, SegmentError) and e.code != "8"
    ]


GUIDES = sorted(default_guides().guides.values(), key=lambda g: (g.set_id, g.version))


def _ordered(draw: st.DrawFn, loop: LoopSpec, budget: list[int]) -> list[str]:
    """Segment ids in guide order: each child 0..3 times (required ones mostly present)."""
    out: list[str] = []
    for k, child in enumerate(loop.children):
        low = 1 if k == 0 or (child.usage == "R" and draw(st.integers(0, 5))) else 0
        for _ in range(draw(st.integers(low, 3)) if budget[0] > 0 else low):
            budget[0] -= 1
            if isinstance(child, SegmentSpec):
                out.append(child.id)
            else:
                out += _ordered(draw, child, budget)
    return out


@st.composite
def walks(draw: st.DrawFn) -> tuple[Guide, list[str]]:
    """Mostly guide-shaped sequences (loops opened, repeated, required children skipped),
    then a few random edits: insert any id (or an unknown one), delete, duplicate, swap."""
    guide = draw(st.sampled_from(GUIDES))
    body = _ordered(draw, guide.root, [draw(st.integers(0, 40))])
    ids = st.one_of(st.sampled_from(sorted(guide.segment_ids)), st.sampled_from(["ZZZ", "X1"]))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(body)))
        edit = draw(st.sampled_from(["insert", "delete", "duplicate", "swap"]))
        if edit == "insert":
            body.insert(at, draw(ids))
        elif at < len(body) and edit == "delete":
            del body[at]
        elif at < len(body) and edit == "duplicate":
            body.insert(at, body[at])
        elif at + 1 < len(body):
            body[at], body[at + 1] = body[at + 1], body[at]
    return guide, body


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(walks())
def test_machine_matches_reference_walk(case: tuple[Guide, list[str]]) -> None:
    guide, sids = case
    assert machine_walk(guide, sids) == reference_walk(guide, sids)


def test_fresh_machine_answers_like_a_warm_one() -> None:
    for guide in GUIDES:
        fresh = load_guide(Path(guide.source), guide.functional_id, guide.version)
        assert fresh.machine is None
        sids = ["ST", *sorted(guide.segment_ids), "ZZZ", *sorted(guide.segment_ids), "SE"]
        expected = reference_walk(guide, sids)
        assert machine_walk(fresh, sids) == expected  # every step made on the way
        assert machine_walk(fresh, sids) == expected  # every step remembered
