"""The compiled fast check of one segment spec: True only when the segment has no error.

Most segments are valid, so each is first checked with the cheapest tests, unrolled per
element into straight-line Python with the spec's numbers as constants and made once per
spec. Anything doubtful (a composite, a repeat, a syntax note that applies) returns False
and goes to ``element_errors``, which then finds and locates the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from adapters.edi.elements import CONTROL, check_element, date_ok, time_ok
from adapters.edi.guide import ElementSpec, SegmentSpec

__all__ = ["FastCheck", "fast_check", "looks_valid"]

FastCheck = Callable[[list[str], str | None], bool]


def looks_valid(spec: SegmentSpec, fields: list[str], repetition: str | None = None) -> bool:
    """Whether ``fields`` certainly has no element error against ``spec`` (False: maybe)."""
    return fast_check(spec)(fields, repetition)


def fast_check(spec: SegmentSpec) -> FastCheck:
    """The compiled check of ``spec``, made on first use and kept on the spec."""
    return spec.fast_check or _compile(spec)


def _compile(spec: SegmentSpec) -> FastCheck:
    """``looks_valid`` for one segment spec as straight-line Python, made once per spec.

    Every test is one that ``element_errors`` also makes (same lengths, codes, character
    and date checks), unrolled per element with the spec's numbers as constants: a True
    from it means the full check would find nothing. Composites, elements marked not used
    and values holding a repetition separator go to the full check.
    """
    env: dict[str, object] = {
        "control": CONTROL.search,
        "check": check_element,
        "date_ok": date_ok,
        "time_ok": time_ok,
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
            continue  # element_errors knows no other kind
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
    fast = cast("FastCheck", env["fast"])
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
            if not all(low <= len(c) <= high and not CONTROL.search(c) for c in codes):
                test += f" and {size} and {printable}"
    elif dtype == "DT":
        test = f"v.isdigit() and v.isascii() and {size} and date_ok(v)"
    elif dtype == "TM":
        test = f"v.isdigit() and v.isascii() and {size} and time_ok(v)"
    elif dtype.startswith("N"):
        test = f"(v.isdigit() and v.isascii() and {size}) or check(e{i}, v) is None"
    elif dtype == "R":
        # digits with at most one decimal point; X12.6: the point does not count toward the
        # length. Signs and exponents go to check_element.
        digits = "(d := v.replace('.', '', 1))"
        test = (
            f"(v.isascii() and {digits}.isdigit() and {low} <= len(d) <= {high})"
            f" or check(e{i}, v) is None"
        )
    else:
        test = f"check(e{i}, v) is None"
    if es.repeat > 1:
        test = f"(rep is None or rep not in v) and ({test})"
    return test
