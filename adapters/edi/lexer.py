"""Lexer: bytes or text in, segments out, in bounded memory.

Delimiters are read from each ISA (X12.5: the ISA is fixed width, so its separators are
positional; real files are not always fixed width, so we count element separators instead of
columns). Line breaks that are not the segment terminator are not data in X12 (CR and LF are
outside the basic and extended character sets), so they are dropped: that handles a newline
after each terminator and files hard-wrapped at any width in one rule.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, count, repeat
from typing import BinaryIO, ClassVar

from adapters.edi.errors import Location, ReadError

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Delimiters",
    "IsaSegment",
    "Segment",
    "decode_chunks",
    "iter_segments",
]

# 4 KiB: the segments of a buffer are made at once, and those of a large buffer outlive
# the garbage collector's young generations, which then traverse them again and again
# (64 KiB cost 8% more instructions per segment, most of it in the collector)
DEFAULT_CHUNK_SIZE = 1 << 12
_ISA_LOOKAHEAD = 400  # an ISA is 106 characters; room for padding errors and line breaks
_NEWLINES = "\r\n"
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Delimiters:
    """The four X12 delimiters, plus what follows each terminator when writing."""

    element: str = "*"
    component: str = ">"
    segment: str = "~"
    repetition: str | None = None
    suffix: str = ""  # e.g. "\n" after each terminator: not part of the data

    def all(self) -> str:
        return self.element + self.component + self.segment + (self.repetition or "")


@dataclass(slots=True)
class Segment:
    """One segment: ``fields[0]`` is the segment id, ``fields[n]`` element n (as text)."""

    fields: list[str]
    index: int  # 1-based position in the input, over all interchanges
    # only an ISA header (``IsaSegment``) has these: made per segment, two slots instead of
    # four make the lexer's segments a third cheaper
    delimiters: ClassVar[Delimiters | None] = None
    fixed_width: ClassVar[bool] = True

    @property
    def id(self) -> str:
        return self.fields[0]

    def get(self, position: int) -> str:
        fields = self.fields
        return fields[position] if position < len(fields) else ""


@dataclass(slots=True)
class IsaSegment(Segment):
    """An ISA segment as the lexer read it: with the delimiters it declares."""

    delimiters: Delimiters | None  # type: ignore[misc]  # an instance slot here
    fixed_width: bool = True  # type: ignore[misc]  # whether it had the standard 106 columns


def decode_chunks(stream: BinaryIO, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[str]:
    """Decode a byte stream as UTF-8 (with or without BOM), falling back to Latin-1.

    Chunks are cut after their last ASCII byte so that no UTF-8 sequence is split; the first
    chunk that is not UTF-8 switches the rest of the stream to Latin-1 (every byte is valid
    Latin-1, so decoding can no longer fail).
    """
    encoding = "utf-8"
    carry = b""
    first = True
    while True:
        chunk = stream.read(chunk_size)
        if first:
            first = False
            if chunk.startswith(_UTF8_BOM):
                chunk = chunk[len(_UTF8_BOM) :]
        if not chunk:
            if carry:
                yield _decode(carry, encoding)[0]
            return
        data = carry + chunk
        cut = len(data)
        while cut > 0 and data[cut - 1] >= 0x80:
            cut -= 1
        if cut == 0:  # no ASCII byte at all yet: keep reading
            carry = data
            continue
        text, encoding = _decode(data[:cut], encoding)
        carry = data[cut:]
        yield text


def _decode(data: bytes, encoding: str) -> tuple[str, str]:
    if encoding == "utf-8":
        try:
            return data.decode("utf-8"), encoding
        except UnicodeDecodeError:
            encoding = "latin-1"
    return data.decode("latin-1"), encoding


def _text_chunks(source: bytes | str | BinaryIO, chunk_size: int) -> Iterator[str]:
    if isinstance(source, str):
        yield source[1:] if source.startswith("\ufeff") else source
        return
    stream: BinaryIO = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    yield from decode_chunks(stream, chunk_size)


def _read_isa(text: str) -> tuple[list[str], Delimiters, int, bool]:
    """Parse an ISA header at the start of ``text``: fields, delimiters, length used, fixed.

    Counts 16 element separators rather than trusting columns, skipping line breaks (a
    hard-wrapped file may break inside the ISA). The character after ISA16 is the segment
    terminator; if it is a line break and the header itself had none, the file uses line
    breaks as terminators.
    """
    element = text[3:4]
    # any character may separate elements except letters, digits, space and line breaks;
    # control characters such as GS (0x1D) are common in older translators
    if not element or element.isalnum() or element in " \r\n":
        raise ReadError("026", f"invalid element separator {element!r} after ISA")
    header: list[str] = []
    wrapped = False
    seps = 0
    pos = 0
    limit = min(len(text), _ISA_LOOKAHEAD)
    while pos < limit:
        char = text[pos]
        pos += 1
        if char in _NEWLINES:
            wrapped = True
            continue
        header.append(char)
        if char == element:
            seps += 1
            if seps == 16:
                break
    if seps < 16:
        raise ReadError("024", "ISA header is truncated: fewer than 16 elements")
    while pos < limit and text[pos] in _NEWLINES and wrapped:
        pos += 1
    if pos >= len(text):
        raise ReadError("023", "file ends inside the ISA header")
    header.append(text[pos])  # ISA16, the component separator
    pos += 1
    terminator, pos = _terminator(text, pos, wrapped)
    component = header[-1]
    if len({element, component, terminator}) < 3 or terminator.isalnum() or terminator == " ":
        # the delimiters clash: nothing after this header can be tokenized (TA1 026/027)
        raise ReadError("026", f"ISA delimiters clash: {element!r} {component!r} {terminator!r}")
    line = "".join(header)
    fields = line.split(element)
    version = fields[12]
    isa11 = fields[11]
    repetition = isa11 if version >= "00402" and len(isa11) == 1 and not isa11.isalnum() else None
    suffix = "\n" if text[pos : pos + 1] == "\n" or text[pos : pos + 2] == "\r\n" else ""
    delimiters = Delimiters(element, fields[16], terminator, repetition, suffix)
    return fields, delimiters, pos, len(line) == 105


def _terminator(text: str, pos: int, wrapped: bool) -> tuple[str, int]:
    while wrapped and pos < len(text) and text[pos] in _NEWLINES:
        pos += 1
    char = text[pos : pos + 1]
    if not char:
        raise ReadError("023", "file ends before the ISA segment terminator")
    if char == "\r" and text[pos + 1 : pos + 2] == "\n":
        return "\n", pos + 2  # CRLF terminators: split on LF, CR is dropped as a line break
    return char, pos + 1


def iter_segments(
    source: bytes | str | BinaryIO, *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[Segment]:
    """Yield every segment of every interchange in ``source``, reading in chunks.

    Raises ``ReadError`` when the input does not start with an ISA. Text between an IEA and
    the next ISA that is not whitespace comes out as a segment with the id ``""`` so that the
    envelope stage can report it.
    """
    # the lexer hands over a list of segments per buffer; chaining them is done in C
    return chain.from_iterable(_lex(_text_chunks(source, chunk_size)))


def _lex(chunks: Iterable[str]) -> Iterator[list[Segment]]:
    chunk_iter = iter(chunks)
    buf = ""
    eof = False
    index = 0
    delimiters: Delimiters | None = None
    # Between interchanges, a run of text that is not X12 (up to the next good ISA header) is
    # reported once, however the chunks cut it, so that a file reads the same at any size.
    in_junk = False
    while True:
        if delimiters is None:
            buf, eof = _next_header(buf, chunk_iter, eof)
            if not buf:
                return
            isa_at = buf.find("ISA")
            if isa_at != 0:
                # "IS" at the end of the buffer may be the start of an ISA in the next chunk
                end = isa_at if isa_at > 0 else len(buf) if eof else len(buf) - 2
                junk = buf[:end]
                if index == 0:
                    raise ReadError(
                        "024", "input does not start with an ISA segment", Location(value=junk[:40])
                    )
                if not in_junk:
                    index += 1
                    yield [Segment(["", junk.strip()[:80]], index)]
                    in_junk = True
                buf = buf[end:]
                continue
            try:
                fields, delimiters, used, fixed = _read_isa(buf)
            except ReadError:
                if index == 0:
                    raise
                # a broken header after good interchanges: report it, look for the next ISA
                if not in_junk:
                    index += 1
                    yield [Segment(["", buf[:80]], index)]
                    in_junk = True
                buf = buf[3:]
                continue
            in_junk = False
            index += 1
            yield [IsaSegment(fields, index, delimiters, fixed)]
            buf = buf[used:]
            continue
        terminator = delimiters.segment
        element = delimiters.element
        newlines = _NEWLINES.replace(terminator, "")
        text = buf
        for char in newlines:
            if char in text:
                text = text.replace(char, "")
        if "IEA" not in text and "ISA" not in text:
            # the common case: the whole buffer lies inside one interchange, so its line
            # breaks can go at once, and no segment in it can change the delimiters
            pieces = text.split(terminator)
            tail = pieces.pop()
            if "" in pieces:  # an empty segment (e.g. a doubled terminator) is not data
                pieces = [piece for piece in pieces if piece]
            first = index + 1
            index += len(pieces)
            yield list(map(Segment, map(str.split, pieces, repeat(element)), count(first)))
            if eof:
                tail = tail.strip()
                if tail:
                    index += 1  # the last segment lacks its terminator: keep it
                    yield [Segment(tail.split(element), index)]
                return
            more = next(chunk_iter, None)
            if more is None:
                eof = True
                buf = tail
            else:
                buf = tail + more
            continue
        pieces = buf.split(terminator)
        tail = pieces.pop()
        # otherwise line breaks are removed per segment, not per chunk: the next interchange
        # in the file may use a line break as its terminator
        wrapped = any(char in buf for char in newlines)
        for k, piece in enumerate(pieces):
            if wrapped:
                piece = _drop_newlines(piece, terminator)
            if not piece:
                continue  # an empty segment (e.g. a doubled terminator): not data
            fields = piece.split(element)
            if fields[0][:3] == "ISA" and len(piece) > 3 and not piece[3].isalnum():
                # an ISA without the IEA before it: read it as a header (its delimiters may
                # differ); the envelope stage reports the missing IEA
                buf = terminator.join([piece, *pieces[k + 1 :], tail])
                delimiters = None
                break
            index += 1
            yield [Segment(fields, index)]
            if fields[0] == "IEA":
                buf = terminator.join([*pieces[k + 1 :], tail])
                delimiters = None
                break
        else:
            if eof:
                tail = _drop_newlines(tail, terminator).strip()
                if tail:
                    index += 1  # the last segment lacks its terminator: keep it
                    yield [Segment(tail.split(element), index)]
                return
            more = next(chunk_iter, None)
            if more is None:
                eof = True
                buf = tail
            else:
                buf = tail + more


def _next_header(buf: str, chunks: Iterator[str], eof: bool) -> tuple[str, bool]:
    """The buffer without leading blanks, holding at least a header's worth of text (or all
    that is left): blanks between interchanges can be longer than any chunk."""
    while True:
        buf = buf[_skip_blank(buf) :]
        if eof or len(buf) >= _ISA_LOOKAHEAD:
            return buf, eof
        more = next(chunks, None)
        if more is None:
            eof = True
        else:
            buf += more


def _skip_blank(text: str) -> int:
    pos = 0
    while pos < len(text) and (text[pos].isspace() or text[pos] == "\x00"):
        pos += 1
    return pos


def _drop_newlines(text: str, terminator: str) -> str:
    if terminator != "\r" and "\r" in text:
        text = text.replace("\r", "")
    if terminator != "\n" and "\n" in text:
        text = text.replace("\n", "")
    return text
