"""Which text encoding a CSV file uses: by its byte order mark, else UTF-8, else Latin-1."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from adapters.api.feeds.errors import UnreadableFile

# Longest marks first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as reported back to the sender: utf-8, utf-8-sig, utf-16, windows-1252...


def decode(data: bytes) -> Decoded:
    """Decode a text file, saying which encoding was used (see ``_decode``); refuse NULs."""
    decoded = _decode(data)
    if "\x00" in decoded.text:  # no spreadsheet writes one; databases refuse them in text
        raise UnreadableFile("the file holds NUL characters: it is binary, not text")
    return decoded


def _decode(data: bytes) -> Decoded:
    """A byte order mark decides. Without one, strict UTF-8; if that fails the file is taken as
    Windows-1252 (what Excel writes for "CSV" in Western Europe, a superset of Latin-1's
    printable range), and as ISO-8859-1 when it holds a byte Windows-1252 leaves undefined.
    """
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise UnreadableFile(f"invalid {encoding} at byte {error.start}") from None
    if b"\x00" in data[:4096]:
        # Latin-1 would "decode" this, giving a column of NULs: say what it probably is.
        raise UnreadableFile(
            "the file holds NUL bytes: binary, or UTF-16 without a byte order mark "
            "(save it as UTF-8, or UTF-16 with a BOM)"
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "windows-1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "iso-8859-1")
