"""The validator's compiled per-segment fast checks never pass a segment with an error."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.edi import default_guides, validate_set
from adapters.edi.elements import element_errors as _element_errors
from adapters.edi.errors import Location
from adapters.edi.fast_check import looks_valid as _looks_valid
from adapters.edi.guide import LoopSpec, SegmentSpec
from adapters.edi.lexer import Segment


def _specs() -> list[SegmentSpec]:
    out: dict[tuple[str, int], SegmentSpec] = {}

    def walk(loop: LoopSpec) -> None:
        for child in loop.children:
            if isinstance(child, SegmentSpec):
                out.setdefault((child.id, id(child)), child)
            else:
                walk(child)

    for guide in default_guides().guides.values():
        walk(guide.root)
    return list(out.values())


SPECS = _specs()


def _candidates(spec: SegmentSpec, i: int) -> st.SearchStrategy[str]:
    es = spec.elements[i] if i < len(spec.elements) else None
    pool: list[st.SearchStrategy[str]] = [
        st.just(""),
        st.sampled_from(["0", "12", "-3", "1.5", "9.25", "A", "AB", "XYZ", "20260301"]),
        st.sampled_from(["260301", "20260230", "1015", "2460", "ABC DEF", "1^2", "A>B", "1E5"]),
        st.text(alphabet="AZaz09 .-^>\x07\x7f\x85é", max_size=12),
    ]
    if es is not None:
        if es.codes:
            pool.append(st.sampled_from(sorted(es.codes)))
        pool.append(st.text(alphabet="0123456789", min_size=es.min_len, max_size=es.min_len))
        if es.max_len < 100:
            pool.append(st.just("9" * es.max_len))
            pool.append(st.just("A" * (es.max_len + 1)))
    return st.one_of(pool)


@st.composite
def segments(draw: st.DrawFn) -> tuple[SegmentSpec, list[str], str | None]:
    spec = draw(st.sampled_from(SPECS))
    count = draw(st.integers(0, len(spec.elements) + 1))
    fields = [spec.id, *(draw(_candidates(spec, i)) for i in range(count))]
    repetition = draw(st.sampled_from([None, "^"]))
    return spec, fields, repetition


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(segments())
def test_fast_check_passes_only_clean_segments(
    case: tuple[SegmentSpec, list[str], str | None],
) -> None:
    spec, fields, repetition = case
    errors = _element_errors(spec, Segment(fields, 1), 1, ">", repetition, Location())
    if _looks_valid(spec, fields, repetition):
        assert errors == [], (fields, [(e.code, e.location.element_position) for e in errors])


def test_fast_check_takes_plain_valid_segments() -> None:
    by_id = {spec.id: spec for spec in SPECS}
    for fields in (
        ["BEG", "00", "SA", "PO0000001", "", "20260301"],
        ["PO1", "1", "3", "EA", "9.25", "", "BP", "B-1", "VP", "V-1-1"],
        ["PID", "F", "", "", "", "WIDGET 1"],
        ["DTM", "002", "20260315"],
        ["N1", "ST", "DC EAST", "92", "0001"],
        ["CTT", "100"],
    ):
        assert _looks_valid(by_id[fields[0]], fields), fields


def test_replaced_spec_gets_its_own_check() -> None:
    spec = next(s for s in SPECS if s.id == "CUR")
    fields = ["CUR", "BY", "USD"]
    assert _looks_valid(spec, fields)
    narrower = dataclasses.replace(
        spec, elements=(spec.elements[0], dataclasses.replace(spec.elements[1], max_len=2))
    )
    assert narrower.fast_check is None
    assert not _looks_valid(narrower, fields)


def test_too_many_elements_are_located_by_the_full_check() -> None:
    # the validator picks the compiled check by segment length; a segment longer than any
    # check falls to element_errors, which reports AK4 3 after the last element
    guide, _ = default_guides().find("850", "004010")
    assert guide is not None
    segments = [
        Segment(fields, i)
        for i, fields in enumerate(
            [
                ["ST", "850", "0001"],
                ["BEG", "00", "SA", "PO1", "", "20260301"],
                ["PO1", "1", "3", "EA", "9.25", "", "BP", "B-1", *["VP", "V"] * 12],
                ["CTT", "1"],
                ["SE", "5", "0001"],
            ],
            1,
        )
    ]
    errors = validate_set(guide, segments, ">", None, Location())
    codes = [(e.code, e.location.segment_id, e.location.element_position) for e in errors]
    assert ("3", "PO1", 26) in codes
