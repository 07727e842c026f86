"""The guide walk as a state machine: what a segment id does in each place, worked out once.

A place in the walk (a ``State``) is the stack of open loops, each with the index of the
child it is at. What a segment id does there (which loops it closes, which required children
it skips, where it lands, which loops it opens) depends on nothing else: a loop's children
after the current one have never been seen (the walk only moves forward within a loop), so
their use counts are 0. That answer, a ``Step``, is made the first time and reused for every
later segment with that id in that place; a walk then costs one dictionary lookup per segment.
Only the use counts of the current children (max use, loop repeat) are kept per walk.

The search for a segment's place is X12.6's: from the innermost open loop outwards, the
first child that may start with that id at or after the loop's current child (a loop's own
first segment never repeats inside it: it opens a new occurrence of the loop).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from adapters.edi.fast_check import FastCheck, fast_checks
from adapters.edi.guide import Guide, LoopSpec, SegmentSpec

__all__ = ["Machine", "State", "Step", "machine_of"]

_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")

Frame = tuple[LoopSpec, int]  # an open loop and the index of the child it is at
Skipped = tuple[tuple[str, str | None], ...]  # AK3 3: (segment id, loop id) per missing child


class State:
    """A place in the walk, and the steps made from it so far (by segment id)."""

    __slots__ = ("closing", "frames", "steps")

    def __init__(self, frames: tuple[Frame, ...]) -> None:
        self.frames = frames
        self.steps: dict[str, Step] = {}
        self.closing: Skipped | None = None  # what ending the set here leaves missing


@dataclass(frozen=True, slots=True, eq=False)
class Step:
    """What one segment id does in one state."""

    target: State  # the state after it (the same state when the segment has no place)
    spec: SegmentSpec | None  # where it lands; None: no place here, AK3 ``code``
    checks: list[FastCheck] | None  # spec's compiled fast checks, by len(fields)
    code: str  # when spec is None: 1 unrecognized, 2 unexpected
    loop: str | None  # the loop named in AK3 errors of the segment itself (1, 2, 8)
    missing: Skipped  # required children it skips, in the order they are reported
    depth: int  # the stack depth it lands at, whose use counter it moves
    repeat: bool  # the same child as before at that depth: its use count goes up
    limit: int  # that child's max use (segment) or repeat (loop)
    over_code: str  # 5 segment exceeds maximum use, 4 loop occurs over maximum times
    over_loop: str | None
    # an AK3 error whatever the segment holds (no place, or required children skipped):
    # one test for the validator's common case, where neither holds
    odd: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "odd", self.checks is None or bool(self.missing))


class Machine:
    """The states of one guide, made as walks reach them (a guide has finitely many)."""

    __slots__ = ("depth", "guide", "start", "states")

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.states: dict[tuple[tuple[int, int], ...], State] = {}
        self.start = self._state(((guide.root, -1),))
        self.depth = _depth(guide.root)  # the deepest stack, for the per-walk counters

    def step(self, state: State, sid: str) -> Step:
        """The step of ``sid`` from ``state``, remembered when ``sid`` is in the guide (a
        bounded set: arbitrary ids from the input never grow the table)."""
        step = self._resolve(state, sid)
        if sid in self.guide.segment_ids:
            state.steps[sid] = step
        return step

    def closing(self, state: State) -> Skipped:
        """The required children still missing when the set ends in ``state``."""
        if state.closing is None:
            frames = state.frames
            found: list[tuple[str, str | None]] = []
            for loop, idx in reversed(frames[1:]):
                found += _skipped(loop, idx + 1, len(loop.children), loop.id)
            root, idx = frames[0]
            found += _skipped(root, idx + 1, len(root.children), None)
            state.closing = tuple(found)
        return state.closing

    def _state(self, frames: tuple[Frame, ...]) -> State:
        # the guide keeps its loops alive, so their ids name them for the machine's life
        key = tuple((id(loop), idx) for loop, idx in frames)
        found = self.states.get(key)
        if found is None:
            found = self.states.setdefault(key, State(frames))
        return found

    def _resolve(self, state: State, sid: str) -> Step:
        frames = state.frames
        depth, j = _place(frames, sid)
        if j < 0:
            known = sid in self.guide.segment_ids and _SEGMENT_ID.fullmatch(sid) is not None
            top = frames[-1][0].id
            return Step(state, None, None, "2" if known else "1", top, (), 0, False, 0, "", None)
        missing: list[tuple[str, str | None]] = []
        for loop, idx in reversed(frames[depth + 1 :]):  # the loops it closes, innermost first
            missing += _skipped(loop, idx + 1, len(loop.children), loop.id)
        loop, idx = frames[depth]
        missing += _skipped(loop, idx + 1, j, None if depth == 0 else loop.id)
        child = loop.children[j]
        new: list[Frame] = [*frames[:depth], (loop, j)]
        if isinstance(child, SegmentSpec):
            spec = child
            limit, over_code, over_loop = child.max_use, "5", None if depth == 0 else loop.id
        else:
            limit, over_code, over_loop = child.repeat, "4", child.id
            inner: LoopSpec = child
            while True:  # open the loop, and any loop that is its first child
                new.append((inner, 0))
                first = inner.children[0]
                if isinstance(first, SegmentSpec):
                    spec = first
                    break
                inner = first
        target = self._state(tuple(new))
        where = None if len(new) == 1 else new[-1][0].id
        checks = fast_checks(spec)
        return Step(
            target, spec, checks, "8", where, tuple(missing), depth, j == idx, limit, over_code,
            over_loop,
        )  # fmt: skip


def _place(frames: tuple[Frame, ...], sid: str) -> tuple[int, int]:
    """(depth, child index) where ``sid`` goes, or (-1, -1) when it has no place."""
    depth = len(frames) - 1
    while depth >= 0:
        loop, idx = frames[depth]
        for i in loop.starts.get(sid, ()):
            # a loop's own first segment never repeats inside it: it opens a new loop
            if i >= idx and (i or not depth):
                return depth, i
        depth -= 1
    return -1, -1


def _skipped(loop: LoopSpec, start: int, stop: int, where: str | None) -> Skipped:
    """The required children of ``loop`` in [start, stop), which are absent (never seen)."""
    if loop.next_required[start] >= stop:
        return ()
    out: list[tuple[str, str | None]] = []
    for k in loop.required:
        if start <= k < stop:
            child = loop.children[k]
            if child.id != "SE":  # SE is the envelope's to check
                out.append((child.id if isinstance(child, SegmentSpec) else child.trigger, where))
    return tuple(out)


def _depth(loop: LoopSpec) -> int:
    inner = [_depth(child) for child in loop.children if isinstance(child, LoopSpec)]
    return 1 + max(inner, default=0)


def machine_of(guide: Guide) -> Machine:
    """The guide's machine, made on first use and kept on the guide."""
    machine = guide.machine
    if machine is None:
        machine = guide.machine = Machine(guide)
    return machine
