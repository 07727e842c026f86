"""The compiled fast check of one segment spec: True only when the segment has no error.

Most segments are valid, so each is first checked with the cheapest tests, unrolled per
element into straight-line Python with the spec's numbers as constants and made once per
spec and segment length (the number of elements then needs no test). Anything doubtful (a
composite, a repeat, a syntax note that applies) returns False and goes to
``element_errors``, which then finds and locates the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from adapters.edi.elements import CONTROL, check_element, date_ok, time_ok
from adapters.edi.guide import ElementSpec, SegmentSpec, SyntaxRule

__all__ = ["FastCheck", "fast_check", "fast_checks", "looks_valid"]

FastCheck = Callable[[list[str], str | None, str], bool]  # fields, repetition, component


def looks_valid(
    spec: SegmentSpec, fields: list[str], repetition: str | None = None, component: str = ">"
) -> bool:
    """Whether ``fields`` certainly has no element error against ``spec`` (False: maybe)."""
    return fast_check(spec)(fields, repetition, component)


def fast_check(spec: SegmentSpec) -> FastCheck:
    """The compiled check of ``spec`` for any number of elements, made on first use and
    kept on the spec: it picks the check for the segment's length from ``fast_checks``."""
    fast = spec.fast_check
    if fast is None:
        checks = fast_checks(spec)
        size = len(checks)

        def fast(f: list[str], rep: str | None, comp: str) -> bool:
            return len(f) < size and checks[len(f)](f, rep, comp)

        object.__setattr__(spec, "fast_check", fast)
    return fast


def fast_checks(spec: SegmentSpec) -> list[FastCheck]:
    """The compiled checks of ``spec`` by the segment's length (``len(fields)``, id
    included), each made the first time a segment of that length is checked; a length past
    the end of the list has too many elements (the validator reads an IndexError so)."""
    checks = spec.fast_checks
    if checks is None:
        checks = [_first_use(spec, size) for size in range(len(spec.elements) + 2)]
        object.__setattr__(spec, "fast_checks", checks)
    return checks


def _first_use(spec: SegmentSpec, size: int) -> FastCheck:
    def compile_and_check(f: list[str], rep: str | None, comp: str) -> bool:
        check = _compile(spec, size - 1)
        fast_checks(spec)[size] = check
        return check(f, rep, comp)

    return compile_and_check


def _reject(f: list[str], rep: str | None, comp: str) -> bool:
    return False  # a required element is missing: the full check reports it


def _compile(spec: SegmentSpec, n: int) -> FastCheck:
    """``looks_valid`` for segments of ``spec`` with exactly ``n`` elements, as straight-line
    Python with the spec's numbers as constants.

    Every test is one that ``element_errors`` also makes (same lengths, codes, character
    and date checks), unrolled per element: a True from it means the full check would find
    nothing. The number of elements being known, the syntax notes are specialised for it:
    notes on absent elements drop out or become single tests. A composite is checked here
    only when its value is one component (no component separator) and no later component is
    required; other composites, elements marked not used and values holding a repetition
    separator go to the full check.
    """
    if n < spec.last_required or n > len(spec.elements):
        return _reject
    env: dict[str, object] = {
        "control": CONTROL.search,
        "check": check_element,
        "date_ok": date_ok,
        "time_ok": time_ok,
    }
    out = ["def fast(f, rep, comp):"]
    for i, es in enumerate(spec.elements[:n], 1):
        env[f"e{i}"] = es
        out.append(f"    v = f[{i}]")
        test = _value_test(es, str(i), env)
        if es.usage == "R":
            out.append(f"    if not v or not ({test}):")
        else:
            out.append(f"    if v and not ({test}):")
        out.append("        return False")
    out += _syntax_return(spec.syntax, n, "    ")
    exec("\n".join(out), env)  # the source is built above from the spec's numbers
    return cast("FastCheck", env["fast"])


def _syntax_return(rules: tuple[SyntaxRule, ...], n: int, indent: str) -> list[str]:
    """Lines that return whether the syntax notes hold for a segment of exactly ``n``
    elements (element p is present when ``p <= n`` and ``f[p]`` is not empty)."""
    tests: list[str] = []
    for rule in rules:
        test = _broken(rule.kind, [p for p in rule.positions if p <= n], rule.positions, n)
        if test == "True":
            return [f"{indent}return False"]
        if test:
            tests.append(test)
    lines = [f"{indent}if {test}:\n{indent}    return False" for test in tests]
    return [*lines, f"{indent}return True"]


def _broken(kind: str, present: list[int], positions: tuple[int, ...], n: int) -> str:
    """A test over ``f`` that is true when a note is broken: "" never, "True" always
    (``present``: the note's positions that can hold a value, p <= n)."""
    has = [f"f[{p}]" for p in present]  # a value is present when its text is not empty
    if kind == "P":  # paired: all or none
        if not present:
            return ""
        if len(present) < len(positions):
            return " or ".join(has)
        return f"({' or '.join(has)}) and not ({' and '.join(has)})"
    if kind == "R":  # at least one
        return f"not ({' or '.join(has)})" if present else "True"
    first = positions[0]
    if kind in "CL":  # if the first, then all others (C) / at least one other (L)
        if first > n:
            return ""
        others = [f"f[{p}]" for p in present if p != first]
        if kind == "C" and len(others) < len(positions) - 1:
            return f"f[{first}]"
        if not others:
            return f"f[{first}]"
        joined = " and ".join(others) if kind == "C" else " or ".join(others)
        return f"f[{first}] and not ({joined})"
    if kind == "E":  # at most one
        if len(present) == 2:
            return f"{has[0]} and {has[1]}"
        return f"sum(1 for v in ({', '.join(has)},) if v) > 1" if len(present) > 2 else ""
    return ""  # element_errors knows no other kind


def _value_test(es: ElementSpec, i: str, env: dict[str, object]) -> str:
    """A Python expression over ``v`` (non-empty) that is true only if ``v`` meets ``es``
    (``i`` names the constants it needs in ``env``)."""
    if es.usage == "N":
        return "False"
    if es.components:
        first, *rest = es.components
        if any(sub.usage == "R" for sub in rest):
            return "False"
        # one component: the value is the first component, the others are absent
        env[f"e{i}_1"] = first
        return f"comp not in v and ({_value_test(first, i + '_1', env)})"
    low, high = es.min_len, es.max_len
    size = _size_test("len(v)", low, high)
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
            if not all(low <= len(c) <= high and not CONTROL.search(c) for c in codes):
                test += f" and {size} and {printable}"
    elif dtype == "DT":  # date_ok and time_ok are true only for ASCII digits
        test = f"{size} and date_ok(v)"
    elif dtype == "TM":
        test = f"{size} and time_ok(v)"
    elif dtype.startswith("N"):
        test = f"(v.isdigit() and v.isascii() and {size}) or check(e{i}, v) is None"
    elif dtype == "R":
        # digits with at most one decimal point; X12.6: the point does not count toward the
        # length. Signs and exponents go to check_element.
        digits = "(d := v.replace('.', '', 1))"
        test = (
            f"(v.isascii() and {digits}.isdigit() and {_size_test('len(d)', low, high)})"
            f" or check(e{i}, v) is None"
        )
    else:
        test = f"check(e{i}, v) is None"
    if es.repeat > 1:
        test = f"(rep is None or rep not in v) and ({test})"
    return test


def _size_test(size: str, low: int, high: int) -> str:
    """A test that ``low <= size <= high`` for a value known not to be empty (size >= 1)."""
    if low == high:
        return f"{size} == {low}"
    return f"{size} <= {high}" if low <= 1 else f"{low} <= {size} <= {high}"
