"""X12 targets: the reader (lexer and envelope), the whole pipeline, and one transaction set.

The contract (adapters/edi/errors.py): only ``ReadError`` is raised, for input that is not X12
at all; everything else is a result whose errors are values with a code, with a 997/TA1 as
text. On top of that, each target checks what the gateway relies on next:

- the segments do not depend on where the input was cut into chunks (a large file is read in
  64 KiB pieces; a bug at a chunk boundary would read the same file two ways);
- every mapped document survives the store's JSON round trip (dump, then validate again);
- every 997 we write reads back through our own 997 guide as an accepted set;
- a 997 the gateway accepts can be matched by ``sync.read_997`` (it runs on accepted 997s).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from adapters.edi import (
    EdiError,
    InterchangeResult,
    ReadError,
    iter_envelope,
    iter_segments,
    process_interchanges,
)
from gateway.model import Document
from sync import read_997

_DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)
_MAPPED_SETS = ("850", "856", "830")
_SMALL_CHUNK = 61  # prime, so boundaries fall at every offset within a segment over a run


def check_reader(data: bytes) -> None:
    """Lexer and envelope: events or ``ReadError``; the same segments at any chunk size."""
    whole = _segments(data, chunk_size=1 << 16)
    if _is_utf8(data):
        # Valid UTF-8 decodes the same in any chunking; other bytes switch to Latin-1 at the
        # first chunk that is not UTF-8, so their text may differ by design.
        assert _segments(data, chunk_size=_SMALL_CHUNK) == whole, "chunk size changed segments"


def _segments(data: bytes, chunk_size: int) -> tuple[str, list[tuple[list[str], int]]]:
    try:
        segments = [(s.fields, s.index) for s in iter_segments(data, chunk_size=chunk_size)]
        events = list(iter_envelope(iter(iter_segments(data, chunk_size=chunk_size))))
    except ReadError as error:
        assert error.code and str(error)
        return f"ReadError {error.code}", []
    return f"{len(events)} events", segments


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_interchange(data: bytes) -> None:
    """The whole pipeline (reader, guides, 850/856/830 mappers, 997/TA1): results or ReadError."""
    try:
        results = process_interchanges(data)
    except ReadError as error:
        assert error.code and str(error)
        return
    for result in results:
        check_result(result)
    if any(s.set_id == "997" and s.accepted for r in results for s in r.sets):
        # what gateway.x12_inbound does next with an accepted 997 (sync_x12.record_997)
        read_997(data.decode("ascii", errors="replace"))


def check_result(result: InterchangeResult) -> None:
    """What every interchange result owes its caller; see the module docstring."""
    for error in result.all_errors():
        assert isinstance(error, EdiError) and error.code and str(error)
    assert isinstance(result.ack_997, str) and isinstance(result.ta1, str)
    for item in result.sets:
        if item.accepted and item.set_id in _MAPPED_SETS:
            assert item.document is not None, f"accepted {item.set_id} without a document"
        if item.document is not None:
            again = _DOCUMENT.validate_json(item.document.model_dump_json())
            assert again == item.document, "the document changed in a JSON round trip"
    if result.ack_997:
        _check_own_997(result.ack_997)


def _check_own_997(text: str) -> None:
    for ack in process_interchanges(text):
        assert ack.accepted, f"our own 997 interchange is refused: {ack.errors}"
        for item in ack.sets:
            wrong = [str(e) for e in item.errors if not _echoes_envelope(e)]
            assert not wrong, f"our own 997 is refused: {wrong}"


def _echoes_envelope(error: EdiError) -> bool:
    """AK1 and AK2 name the group and set by the partner's own GS01/GS06 and ST01/ST02; when
    those were malformed (a GS06 of "1O"), so is the echo. Known limit: docs/reliability.md."""
    return error.location.segment_id in ("AK1", "AK2")


# One transaction set, wrapped in a fixed envelope, so that mutations reach the guide and the
# mapper instead of breaking the ISA. The input is the GS08 version on the first line, then
# the set's segments between ST and SE with '*' elements, '>' components, '~' terminators.
FUNCTIONAL_IDS = {"850": "PO", "856": "SH", "830": "PS", "997": "FA"}


def wrap_set(set_id: str, data: bytes) -> bytes:
    """An interchange holding one ``set_id`` set whose version and body come from ``data``."""
    first, _, body = data.partition(b"\n")
    version = first.strip()[:12] or b"004010"
    five = version[:3] >= b"005"
    isa = (
        b"ISA*00*          *00*          *ZZ*FUZZSENDER     *ZZ*FUZZRECEIVER   *261122*0800*"
        + (b"^*00501" if five else b"U*00401")
        + b"*000000001*0*P*>~\n"
    )
    count = sum(1 for piece in body.split(b"~") if piece.strip(b"\r\n")) + 2
    fid = FUNCTIONAL_IDS[set_id].encode()
    return b"".join(
        [
            isa,
            b"GS*" + fid + b"*FUZZSENDER*FUZZRECEIVER*20261122*0800*1*X*" + version + b"~\n",
            b"ST*" + set_id.encode() + b"*0001~\n",
            body if body.endswith(b"~\n") or not body else body + b"~\n",
            b"SE*%d*0001~\nGE*1*1~\nIEA*1*000000001~\n" % count,
        ]
    )


def check_850(data: bytes) -> None:
    """One 850 in a fixed envelope (see ``wrap_set``), then ``check_interchange``."""
    check_interchange(wrap_set("850", data))


def check_856(data: bytes) -> None:
    """One 856 in a fixed envelope (see ``wrap_set``), then ``check_interchange``."""
    check_interchange(wrap_set("856", data))


def check_830(data: bytes) -> None:
    """One 830 in a fixed envelope (see ``wrap_set``), then ``check_interchange``."""
    check_interchange(wrap_set("830", data))


def check_997(data: bytes) -> None:
    """One 997 in a fixed envelope (see ``wrap_set``), then ``check_interchange``."""
    check_interchange(wrap_set("997", data))


def unwrap_sets(data: bytes) -> dict[str, list[bytes]]:
    """The bodies of the sets in an interchange, in ``wrap_set``'s input form, by set id."""
    found: dict[str, list[bytes]] = {}
    body: list[str] = []
    version, set_id, component = "", "", ">"
    for segment in iter_segments(data):
        line = "*".join(f.replace(component, ">") for f in segment.fields)
        if segment.delimiters is not None:
            component = segment.delimiters.component
        elif segment.id == "GS":
            version = segment.get(8)
        elif segment.id == "ST":
            set_id, body = segment.get(1), []
        elif segment.id == "SE" and set_id in FUNCTIONAL_IDS:
            text = version + "\n" + "".join(b + "~\n" for b in body)
            found.setdefault(set_id, []).append(text.encode("utf-8"))
            set_id = ""
        elif set_id:
            body.append(line)
    return found
