"""Guide validation of one transaction set: segment order, loops, usage, counts, elements.

Errors carry the 997 codes directly: AK3 (X12 720) for segments, AK4 (X12 723) for elements.
The walk keeps a stack of open loops; a segment goes to the first place, searching from the
innermost open loop outwards, where the guide allows it at or after the current position
(the X12.6 rule that a loop ends when a segment not in it arrives).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol, cast

from adapters.edi.envelope import parse_date, parse_time
from adapters.edi.errors import EdiError, ElementError, Location, SegmentError
from adapters.edi.guide import ElementSpec, Guide, LoopSpec, SegmentSpec, SyntaxRule
from adapters.edi.lexer import Segment

__all__ = ["check_element", "check_segment", "validate_set"]

# X12 text may not hold control characters (C0, DEL, C1): AK4 6, invalid character
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_REAL = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:E-?\d+)?")
_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")


@lru_cache(maxsize=4096)
def _date_ok(value: str) -> bool:
    return parse_date(value) is not None


@lru_cache(maxsize=4096)
def _time_ok(value: str) -> bool:
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
        return "6" if _CONTROL.search(value) else None
    if dtype == "ID":
        if len(value) < spec.min_len:
            return "4"
        if len(value) > spec.max_len:
            return "5"
        if spec.codes is not None and value not in spec.codes:
            return "7"
        return "6" if _CONTROL.search(value) else None
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
            return None if _date_ok(value) else "8"
    elif dtype == "TM":
        if not (value.isascii() and value.isdigit()):
            return "9"
        size = len(value)
        if spec.min_len <= size <= spec.max_len:
            return None if _time_ok(value) else "9"
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


def check_segment(
    spec: SegmentSpec,
    seg: Segment,
    position: int,
    component: str,
    repetition: str | None,
    base: Location,
) -> list[ElementError]:
    """Element errors of one segment (AK4), in element order."""
    fast = spec.fast_check or _compile_fast_check(spec)
    if fast(seg.fields, repetition):
        return []
    return _element_errors(spec, seg, position, component, repetition, base)


def _looks_valid(spec: SegmentSpec, fields: list[str], repetition: str | None = None) -> bool:
    """The fast path: True only when the segment certainly has no element error.

    Most segments are valid, so they are checked once with the cheapest tests; anything
    doubtful (a composite, a repeat, a syntax note that applies) goes to the full check,
    which then finds and locates the errors.
    """
    fast = spec.fast_check or _compile_fast_check(spec)
    return fast(fields, repetition)


def _compile_fast_check(spec: SegmentSpec) -> Callable[[list[str], str | None], bool]:
    """``_looks_valid`` for one segment spec as straight-line Python, made once per spec.

    Every test is one that ``_element_errors`` also makes (same lengths, codes, character
    and date checks), unrolled per element with the spec's numbers as constants: a True
    from it means the full check would find nothing. Composites, elements marked not used
    and values holding a repetition separator go to the full check.
    """
    env: dict[str, object] = {
        "control": _CONTROL.search,
        "check": check_element,
        "date_ok": _date_ok,
        "time_ok": _time_ok,
    }
    # the syntax notes, in a function of their own: the element checks return through it
    # as soon as the segment has no more elements
    syntax = ["def syntax(f, n):"]
    for rule in spec.syntax:
        has = [f"(n >= {p} and f[{p}] != '')" for p in rule.positions]
        kind = rule.kind
        if kind == "P":
            broken = f"any(({', '.join(has)},)) and not all(({', '.join(has)},))"
            if len(has) == 2:
                broken = f"{has[0]} != {has[1]}"
        elif kind == "C":
            broken = f"{has[0]} and not ({' and '.join(has[1:])})"
        elif kind == "L":
            broken = f"{has[0]} and not ({' or '.join(has[1:])})"
        elif kind == "R":
            broken = f"not ({' or '.join(has)})"
        elif kind == "E":
            broken = f"sum(({', '.join(has)},)) > 1"
        else:
            continue  # _violated knows no other kind
        syntax.append(f"    if {broken}:")
        syntax.append("        return False")
    syntax.append("    return True")
    end = "syntax(f, n)" if len(syntax) > 2 else "True"
    out = [*syntax, "def fast(f, rep):", "    n = len(f) - 1"]
    out.append(f"    if n > {len(spec.elements)} or n < {spec.last_required}:")
    out.append("        return False")
    for i, es in enumerate(spec.elements, 1):
        env[f"e{i}"] = es
        if i > spec.last_required:
            out.append(f"    if n < {i}:")
            out.append(f"        return {end}")
        out.append(f"    v = f[{i}]")
        test = _value_test(es, i, env)
        if es.usage == "R":
            out.append(f"    if not v or not ({test}):")
        else:
            out.append(f"    if v and not ({test}):")
        out.append("        return False")
    out.append(f"    return {end}")
    exec("\n".join(out), env)  # the source is built above from the spec's numbers
    fast = cast("Callable[[list[str], str | None], bool]", env["fast"])
    object.__setattr__(spec, "fast_check", fast)
    return fast


def _value_test(es: ElementSpec, i: int, env: dict[str, object]) -> str:
    """A Python expression over ``v`` (non-empty) that is true only if ``v`` meets ``es``."""
    if es.usage == "N" or es.components:
        return "False"
    low, high = es.min_len, es.max_len
    size = f"{low} <= len(v) <= {high}"
    printable = "(v.isprintable() or not control(v))"  # isprintable: no C0, DEL or C1
    dtype = es.dtype
    if dtype == "AN":
        test = f"{size} and {printable}"
    elif dtype == "ID":
        codes = es.codes
        if codes is None:
            test = f"{size} and {printable}"
        else:
            env[f"c{i}"] = codes
            test = f"v in c{i}"
            if not all(low <= len(c) <= high and not _CONTROL.search(c) for c in codes):
                test += f" and {size} and {printable}"
    elif dtype == "DT":
        test = f"v.isdigit() and v.isascii() and {size} and date_ok(v)"
    elif dtype == "TM":
        test = f"v.isdigit() and v.isascii() and {size} and time_ok(v)"
    elif dtype.startswith("N") or dtype == "R":
        test = f"(v.isdigit() and v.isascii() and {size}) or check(e{i}, v) is None"
    else:
        test = f"check(e{i}, v) is None"
    if es.repeat > 1:
        test = f"(rep is None or rep not in v) and ({test})"
    return test


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


def _element_errors(
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


class _Add(Protocol):  # the signature of check_segment's ``add`` helper
    def __call__(
        self, code: str, pos: int, ref: str, value: str = "", comp: int | None = None
    ) -> None: ...


class _Frame:
    __slots__ = ("children", "counts", "idx", "loop", "next_required", "starts")

    def __init__(self, loop: LoopSpec) -> None:
        self.loop = loop
        self.idx = 0
        self.counts = [0] * len(loop.children)
        self.counts[0] = 1
        # the loop's tables, one attribute away for the walk
        self.starts = loop.starts
        self.children = loop.children
        self.next_required = loop.next_required


_SEG_MESSAGES = {
    "1": "unrecognized segment id",
    "2": "unexpected segment",
    "3": "mandatory segment missing",
    "4": "loop occurs over maximum times",
    "5": "segment exceeds maximum use",
    "8": "segment has data element errors",
}


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
    root = _Frame(guide.root)
    root.idx = -1
    root.counts[0] = 0
    stack = [root]

    def seg_error(code: str, sid: str, position: int, loop: str | None = None) -> None:
        errors.append(
            SegmentError(
                code,
                _SEG_MESSAGES[code],
                Location(
                    base.interchange_control_number,
                    base.group_control_number,
                    base.transaction_set_control_number,
                    position,
                    sid,
                ),
                loop,
            )
        )

    def missing(frame: _Frame, start: int, stop: int, position: int) -> None:
        children = frame.loop.children
        for k in frame.loop.required:
            if k < start or k >= stop:
                continue
            child = children[k]
            if frame.counts[k] == 0 and child.id != "SE":
                sid = child.id if isinstance(child, SegmentSpec) else child.trigger
                seg_error("3", sid, position, None if frame is root else frame.loop.id)

    for position, seg in enumerate(segments, 1):
        fields = seg.fields
        sid = fields[0]
        # _locate, inlined: the innermost open loop that allows sid at or after its place
        depth = len(stack) - 1
        j = -1
        while depth >= 0:
            frame = stack[depth]
            starts = frame.starts.get(sid)
            if starts:
                idx = frame.idx
                for i in starts:
                    # a loop's own first segment never repeats inside it: it opens a new loop
                    if i >= idx and (i or not depth):
                        j = i
                        break
                if j >= 0:
                    break
            depth -= 1
        if j < 0:
            known = sid in guide.segment_ids and _SEGMENT_ID.fullmatch(sid) is not None
            seg_error("2" if known else "1", sid, position, stack[-1].loop.id)
            continue
        while len(stack) - 1 > depth:
            closing = stack.pop()
            if closing.next_required[closing.idx + 1] < len(closing.children):
                missing(closing, closing.idx + 1, len(closing.children), position)
        if frame.next_required[frame.idx + 1] < j:
            missing(frame, frame.idx + 1, j, position)
        child = frame.children[j]
        frame.idx = j
        counts = frame.counts
        counts[j] += 1
        if isinstance(child, SegmentSpec):
            spec = child
            if counts[j] > spec.max_use:
                seg_error("5", sid, position, None if depth == 0 else frame.loop.id)
        else:
            if counts[j] > child.repeat:
                seg_error("4", sid, position, child.id)
            loop: LoopSpec = child
            while True:
                stack.append(_Frame(loop))
                first = loop.children[0]
                if isinstance(first, SegmentSpec):
                    spec = first
                    break
                loop = first
        fast = spec.fast_check or _compile_fast_check(spec)
        if fast(fields, repetition):
            continue  # check_segment, inlined: the common case, a clean segment
        element_errors = _element_errors(spec, seg, position, component, repetition, base)
        if element_errors:
            seg_error("8", sid, position, None if len(stack) == 1 else stack[-1].loop.id)
            errors.extend(element_errors)
    last = len(segments)
    while len(stack) > 1:
        closing = stack.pop()
        missing(closing, closing.idx + 1, len(closing.loop.children), last)
    missing(root, root.idx + 1, len(root.loop.children), last)
    return errors
