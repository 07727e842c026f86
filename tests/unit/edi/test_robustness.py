"""Bad input never crashes the pipeline: any mutation of a valid interchange either reads
(with errors as values) or raises ReadError (not X12 at all)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.edi import ReadError, process_interchanges

from .golden_tools import GOLDEN

SEEDS = [
    (GOLDEN / "cases" / name).read_bytes()
    for name in ("mixed_850_856_830.edi", "850_5010_pipe_crlf.edi", "856_sotpi.edi")
]
NOISE = st.sampled_from([b"*", b"~", b"\n", b">", b"|", b"^", b"ISA", b"SE", b"HL*9*9*I", b"\xff"])


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data[at:at] = draw(NOISE)
        else:
            del data[at : at + draw(st.integers(1, 12))]
    return bytes(data)


@settings(max_examples=150, deadline=None)
@given(mutated())
def test_mutations_never_crash(data: bytes) -> None:
    try:
        results = process_interchanges(data)
    except ReadError:
        return
    for result in results:
        for error in result.all_errors():
            assert error.code and str(error)
        assert isinstance(result.ack_997, str) and isinstance(result.ta1, str)
