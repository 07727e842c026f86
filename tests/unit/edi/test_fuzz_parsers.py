"""Element- and segment-level mutations of every X12 file in the golden corpus, through the
whole pipeline (reader, validator, 850/856/830 mappers, 997): an answer or ReadError, never a
crash. test_robustness.py mutates bytes; these mutations keep the envelope readable so the
damage reaches the mappers. ``FUZZ_EXAMPLES=4000`` runs a longer search (none failed)."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.edi import ReadError, process_interchanges

from .golden_tools import GOLDEN

SEEDS = sorted(
    path
    for folder in (GOLDEN / "corpus", GOLDEN / "cases")
    for path in folder.iterdir()
    if path.suffix in (".edi", ".x12") and path.read_bytes().lstrip()[:3] == b"ISA"
)
# Values that break naive numeric, date and id handling
NASTY = st.sampled_from(
    [
        "",
        "-0",
        "1E999999",
        "NaN",
        "Infinity",
        "-1",
        "99999999999999999999.99999",
        "0.0000000001",
        "20261332",
        "00000000",
        "2400",
        "\u00e9\u00e8",
        "A" * 300,
        "HL",
        "PO1",
        "0",
        "1.2.3",
        " ",
    ]
) | st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="*~|^>:\\"),
    max_size=12,
)


def _split(text: str) -> tuple[str, str, list[str]]:
    element, terminator = text[3], text[105]
    return element, terminator, [s for s in text.split(terminator)]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(SEEDS)).read_bytes().decode("latin-1").lstrip()
    element, terminator, segments = _split(text)
    body = list(range(1, max(2, len(segments) - 2)))  # leave ISA and the closing IEA
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.sampled_from(body))
        if at >= len(segments):
            continue
        action = draw(st.sampled_from(["element", "element", "drop", "duplicate", "swap"]))
        fields = segments[at].split(element)
        if action == "element" and len(fields) > 1:
            fields[draw(st.integers(1, len(fields) - 1))] = draw(NASTY)
            segments[at] = element.join(fields)
        elif action == "drop":
            del segments[at]
        elif action == "duplicate":
            segments.insert(at, segments[at])
        elif action == "swap" and at + 1 < len(segments) - 1:
            segments[at], segments[at + 1] = segments[at + 1], segments[at]
    return terminator.join(segments).encode("latin-1")


def _check(data: bytes) -> None:
    try:
        results = process_interchanges(data)
    except ReadError:
        return
    for result in results:
        for error in result.all_errors():
            assert error.code and str(error)
        assert isinstance(result.ack_997, str) and isinstance(result.ta1, str)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")), deadline=None)
@given(mutated())
def test_mutated_corpus_files_get_an_answer(data: bytes) -> None:
    _check(data)
