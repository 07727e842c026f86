from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.edi import ReadError, iter_segments
from adapters.edi.lexer import DEFAULT_CHUNK_SIZE

from .x12_text import PO_BODY, interchange


def ids(data: bytes | str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> list[str]:
    return [s.id for s in iter_segments(data, chunk_size=chunk_size)]


EXPECTED = ["ISA", "GS", "ST", "BEG", "N1", "PO1", "CTT", "SE", "GE", "IEA"]


@pytest.mark.parametrize("suffix", ["", "\n", "\r\n", "\r"])
def test_newlines_after_terminator_are_not_data(suffix: str) -> None:
    assert ids(interchange([("850", PO_BODY)], suffix=suffix)) == EXPECTED


@pytest.mark.parametrize(
    ("el", "comp", "term"),
    [
        ("*", ">", "~"),
        ("|", ":", "~"),
        ("^", "\\", "'"),
        ("\x1d", "\x1f", "\x1c"),
        ("*", ">", "\n"),
        ("!", "@", "$"),
        ("*", "{", "$"),
    ],
)
def test_delimiters_come_from_the_isa(el: str, comp: str, term: str) -> None:
    text = interchange([("850", PO_BODY)], el=el, comp=comp, term=term, suffix="")
    segs = list(iter_segments(text))
    assert [s.id for s in segs] == EXPECTED
    assert segs[0].delimiters is not None
    assert (
        segs[0].delimiters.element,
        segs[0].delimiters.component,
        segs[0].delimiters.segment,
    ) == (el, comp, term)
    assert segs[5].fields[7] == "B-1"


def test_repetition_separator_only_from_00402() -> None:
    old = next(iter(iter_segments(interchange([("850", PO_BODY)]))))
    new = next(iter(iter_segments(interchange([("850", PO_BODY)], version="00501"))))
    assert old.delimiters is not None and old.delimiters.repetition is None
    assert new.delimiters is not None and new.delimiters.repetition == "^"


def test_utf8_bom_latin1_and_utf8() -> None:
    body = [*PO_BODY[:1], ["N1", "BY", "Müller Großhandel"], *PO_BODY[2:]]
    text = interchange([("850", body)])
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.encode("latin-1")):
        segs = list(iter_segments(data, chunk_size=16))
        assert segs[4].fields[2] == "Müller Großhandel"


def test_hard_wrapped_file_is_recovered() -> None:
    flat = interchange([("850", PO_BODY)], suffix="")
    wrapped = "\n".join(flat[i : i + 50] for i in range(0, len(flat), 50))
    assert [s.fields for s in iter_segments(wrapped)] == [s.fields for s in iter_segments(flat)]


@pytest.mark.parametrize("chunk_size", [1, 3, 7, 64, 4096])
def test_chunk_boundaries_do_not_matter(chunk_size: int) -> None:
    text = interchange([("850", PO_BODY)]) * 3
    whole = [s.fields for s in iter_segments(text)]
    streamed = [s.fields for s in iter_segments(io.BytesIO(text.encode()), chunk_size=chunk_size)]
    assert streamed == whole and len(whole) == 30


def test_several_interchanges_with_different_delimiters() -> None:
    text = interchange([("850", PO_BODY)]) + interchange(
        [("850", PO_BODY)], el="|", term="\n", suffix=""
    )
    segs = list(iter_segments(text))
    isas = [s for s in segs if s.id == "ISA"]
    assert len(segs) == 20 and [s.delimiters.element for s in isas if s.delimiters] == ["*", "|"]


def test_non_fixed_width_isa_is_read_and_flagged() -> None:
    text = interchange([("850", PO_BODY)], sender="SENDER-LONGER-THAN-15")
    first = next(iter(iter_segments(text)))
    assert not first.fixed_width and first.fields[6] == "SENDER-LONGER-THAN-15"


def test_missing_last_terminator_keeps_the_segment() -> None:
    text = interchange([("850", PO_BODY)], suffix="").rstrip("~")
    assert ids(text)[-1] == "IEA"


def test_empty_segments_are_skipped_not_fatal() -> None:
    text = interchange([("850", PO_BODY)]).replace("CTT*1~", "CTT*1~~\n~")
    assert ids(text) == EXPECTED


def test_junk_between_interchanges_is_reported_as_a_segment() -> None:
    text = interchange([("850", PO_BODY)]) + "garbage\n" + interchange([("850", PO_BODY)], icn=2)
    assert ids(text).count("") == 1 and ids(text).count("ISA") == 2


@pytest.mark.parametrize("data", [b"", b"hello", b"ISA*00*short", b"ISA0000"])
def test_not_x12_raises_read_error(data: bytes) -> None:
    if not data:
        assert ids(data) == []
        return
    with pytest.raises(ReadError):
        ids(data)


def test_isa_without_iea_starts_a_new_interchange() -> None:
    first = interchange([("850", PO_BODY)]).replace("IEA*1*000000001~\n", "")
    segs = list(iter_segments(first + interchange([("850", PO_BODY)], el="|", icn=2)))
    assert [s.id for s in segs].count("ISA") == 2 and segs[9].delimiters is not None


def test_broken_header_after_a_good_interchange_is_reported_not_raised() -> None:
    text = interchange([("850", PO_BODY)]) + "ISA*00*broken~" + interchange([("850", PO_BODY)])
    segs = list(iter_segments(text))
    assert [s.id for s in segs].count("ISA") == 2 and "" in [s.id for s in segs]


@st.composite
def _wrapped_files(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    """Interchanges (some with line-break terminators) hard-wrapped at random places."""
    parts: list[str] = []
    expected: list[list[str]] = []
    for _ in range(draw(st.integers(1, 3))):
        term, suffix = draw(st.sampled_from([("~", ""), ("~", "\n"), ("~", "\r\n"), ("\n", "")]))
        lines = draw(st.integers(1, 4))
        body = PO_BODY + [["PO1", str(n), "1", "EA"] for n in range(2, lines + 1)]
        text = interchange([("850", body)], term=term, suffix=suffix)
        expected += [s.fields for s in iter_segments(text)]
        if term != "\n":  # hard-wrap the body (a wrapped ISA is tested above)
            head = text.index("GS")
            cuts = sorted(draw(st.lists(st.integers(head, len(text)), max_size=8)))
            pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
            text = draw(st.sampled_from(["\n", "\r\n"])).join(pieces)
        parts.append(text)
    return "".join(parts), expected


@settings(max_examples=200, deadline=None)
@given(_wrapped_files(), st.integers(1, 200))
def test_wrapped_and_chunked_files_give_the_same_segments(
    case: tuple[str, list[list[str]]], chunk_size: int
) -> None:
    text, expected = case
    streamed = [s.fields for s in iter_segments(io.BytesIO(text.encode()), chunk_size=chunk_size)]
    assert streamed == expected
    assert [s.index for s in iter_segments(text)] == list(range(1, len(expected) + 1))


@pytest.mark.parametrize("gap", ["\n" * 500, " " * 1000, "junk" * 300])
@pytest.mark.parametrize("chunk_size", [7, 61, 1000, DEFAULT_CHUNK_SIZE])
def test_long_gaps_between_interchanges_read_the_same_at_any_chunk_size(
    gap: str, chunk_size: int
) -> None:
    # found by the x12_reader fuzz target: blanks longer than a chunk ended the file early
    # (the next interchange was lost), and a junk run gave one error per chunk it spanned
    text = interchange([("850", PO_BODY)]) + gap + interchange([("850", PO_BODY)], icn=2)
    found = ids(text.encode(), chunk_size)
    assert found.count("ISA") == 2 and found.count("IEA") == 2
    assert found.count("") == (1 if "junk" in gap else 0)
