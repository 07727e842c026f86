"""Guide validation: each AK3 and AK4 code from a minimal change to a valid 850."""

from __future__ import annotations

import pytest

from adapters.edi import (
    ElementError,
    Overlay,
    SegmentError,
    SegmentRule,
    default_guides,
    load_overlay,
    process_interchanges,
)
from adapters.edi.guide import LoopSpec, SegmentSpec

from .x12_text import PO_BODY, interchange, po


def codes(body: list[list[str]], **kw: object) -> list[str]:
    [result] = process_interchanges(interchange([("850", body)]), **kw)  # type: ignore[arg-type]
    out = []
    for error in result.sets[0].errors:
        loc = error.location
        if isinstance(error, SegmentError):
            out.append(f"AK3 {loc.segment_id} {loc.segment_position} {error.code}")
        elif isinstance(error, ElementError):
            comp = f"-{loc.component_position}" if loc.component_position else ""
            out.append(f"AK4 {loc.element_position}{comp} {error.code}")
    return out


def test_valid_body_has_no_errors() -> None:
    assert codes(PO_BODY) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([*PO_BODY[:1], ["ZZZ", "1"], *PO_BODY[1:]], ["AK3 ZZZ 3 1"]),
        ([*PO_BODY, ["BEG", "00", "SA", "X", "", "20260301"]], ["AK3 BEG 6 2"]),
        (PO_BODY[1:], ["AK3 BEG 2 3"]),
        ([s for s in PO_BODY if s[0] != "PO1"], ["AK3 PO1 4 3"]),
        ([*PO_BODY[:1], ["CUR", "BY", "USD"], ["CUR", "BY", "USD"], *PO_BODY[1:]], ["AK3 CUR 4 5"]),
    ],
)
def test_segment_codes(body: list[list[str]], expected: list[str]) -> None:
    assert codes(body) == expected


def test_loop_over_maximum_is_code_4() -> None:
    body = [*PO_BODY[:3], ["CTT", "1"], ["CTT", "1"]]
    assert codes(body) == ["AK3 CTT 6 4"]


@pytest.mark.parametrize(
    ("seg", "expected"),
    [
        (["BEG", "00", "SA", "", "", "20260301"], ["AK3 BEG 2 8", "AK4 3 1"]),
        (["BEG", "00", "SA", "P" * 23, "", "20260301"], ["AK3 BEG 2 8", "AK4 3 5"]),
        (["BEG", "00", "S", "PO-1", "", "20260301"], ["AK3 BEG 2 8", "AK4 2 4"]),
        (["BEG", "00", "XX", "PO-1", "", "20260301"], ["AK3 BEG 2 8", "AK4 2 7"]),
        (["BEG", "00", "SA", "PO\x07", "", "20260301"], ["AK3 BEG 2 8", "AK4 3 6"]),
        (["BEG", "00", "SA", "PO-1", "", "20260230"], ["AK3 BEG 2 8", "AK4 5 8"]),
        (
            ["BEG", "00", "SA", "PO-1", "", "20260301", "", "", "", "", "", "EXTRA"],
            ["AK3 BEG 2 8", "AK4 11 3"],
        ),
    ],
)
def test_element_codes(seg: list[str], expected: list[str]) -> None:
    assert codes(po(BEG=seg)) == expected


def test_invalid_time_and_numeric() -> None:
    body = [*PO_BODY[:1], ["DTM", "002", "20260301", "2561"], *PO_BODY[1:]]
    assert codes(body) == ["AK3 DTM 3 8", "AK4 3 9"]
    line = ["PO1", "1", "1O", "EA", "2.5", "", "BP", "B-1"]
    assert codes(po(PO1=line)) == ["AK3 PO1 4 8", "AK4 2 6"]


def test_syntax_notes_paired_and_conditional() -> None:
    line = ["PO1", "1", "10", "EA", "2.5", "", "BP"]  # P0607: BP without a value
    assert codes(po(PO1=line)) == ["AK3 PO1 4 8", "AK4 7 2"]
    n1 = ["N1", "BY"]  # R0203: name or id required
    assert codes(po(N1=n1)) == ["AK3 N1 3 8", "AK4 2 2"]


def test_composite_components_are_checked() -> None:
    guide = default_guides().guides[("830", "004010")]
    lin_loop = guide.root.children[guide.root.starts["LIN"][0]]
    assert isinstance(lin_loop, LoopSpec)
    uit = lin_loop.children[lin_loop.starts["UIT"][0]]
    assert isinstance(uit, SegmentSpec) and uit.elements[0].components[0].ref == "355"
    body = [
        ["BFR", "00", "S-1", "", "DL", "A", "20260301", "20260331", "20260301"],
        ["LIN", "", "BP", "B-1"],
        ["UIT", ">EA"],
        ["CTT", "1"],
    ]
    [result] = process_interchanges(interchange([("830", body)], fic="PS"))
    element = result.sets[0].errors[1]
    assert (
        element.code,
        element.location.element_position,
        element.location.component_position,
    ) == ("1", 1, 1)


def test_overlay_requires_and_forbids_segments() -> None:
    overlay = Overlay("850", require=(SegmentRule("REF", 1, "IA"),), forbid=(SegmentRule("CTT"),))
    assert codes(PO_BODY, overlays=[overlay]) == ["AK3 CTT 5 2", "AK3 REF 6 3"]
    body = [*PO_BODY[:1], ["REF", "IA", "V-1"], *PO_BODY[1:3]]
    assert codes(body, overlays=[overlay]) == []


def test_overlay_from_xml_applies_only_to_its_set() -> None:
    overlay = load_overlay(
        '<overlay partner="ACME" transaction="856"><forbid segment="CTT"/></overlay>'
    )
    assert overlay.partner == "ACME" and overlay.forbid == (SegmentRule("CTT"),)
    assert codes(PO_BODY, overlays=[overlay]) == []
