"""The transaction set structures the guides are written from (X12 004010 tables).

Trimmed to the segments suppliers send; usage tightened where the canonical model needs a
value (e.g. PO102/PO103). ``authoring.py`` renders them, with the segment dictionary in
``dictionary.py``, as pyx12 map XML.
"""

from __future__ import annotations

from typing import NamedTuple

from adapters.edi.guides.dictionary import Elem

__all__ = ["ADDED_IN_5010", "GUIDES", "GuideSpec", "L", "S"]


class S(NamedTuple):
    """A segment in a transaction set: usage, max use, elements made required, code lists."""

    id: str
    usage: str
    max_use: str
    required: tuple[int, ...] = ()
    codes: tuple[tuple[int, tuple[str, ...]], ...] = ()


class L(NamedTuple):
    id: str
    usage: str
    repeat: str
    children: tuple[S | L, ...]


def _loop(loop_id: str, usage: str, repeat: str, *children: S | L) -> L:
    return L(loop_id, usage, repeat, children)


def _n1(*extra: S) -> L:
    return _loop(
        "N1",
        "S",
        "200",
        S("N1", "R", "1"),
        S("N2", "S", "2"),
        S("N3", "S", "2"),
        S("N4", "S", ">1"),
        S("REF", "S", "12"),
        S("PER", "S", ">1"),
        S("FOB", "S", "1"),
        *extra,
    )


def _n9() -> L:
    return _loop("N9", "S", "1000", S("N9", "R", "1"), S("DTM", "S", "10"), S("MSG", "S", "1000"))


_850 = (
    S("BEG", "R", "1", (5,)),
    S("CUR", "S", "1"),
    S("REF", "S", ">1"),
    S("PER", "S", "3"),
    S("FOB", "S", ">1"),
    S("ITD", "S", ">1"),
    S("DTM", "S", "10"),
    S("PID", "S", "200"),
    S("PKG", "S", "200"),
    S("TD1", "S", "2"),
    S("TD5", "S", "12"),
    S("TD3", "S", "12"),
    S("MAN", "S", "10"),
    _n9(),
    _n1(S("TD5", "S", "12"), S("PKG", "S", "200")),
    _loop(
        "PO1",
        "R",
        "100000",
        S("PO1", "R", "1", (2, 3)),
        S("CUR", "S", "1"),
        _loop("PID", "S", "1000", S("PID", "R", "1"), S("MEA", "S", "10")),
        S("PO4", "S", ">1"),
        S("REF", "S", ">1"),
        S("PER", "S", "3"),
        S("IT8", "S", "1"),
        S("ITD", "S", ">1"),
        S("FOB", "S", ">1"),
        S("DTM", "S", "10"),
        S("TD1", "S", "1"),
        S("TD5", "S", "12"),
        S("TD3", "S", "12"),
        S("MAN", "S", "10"),
        S("MSG", "S", ">1"),
        S("PKG", "S", "200"),
        _n9(),
        _n1(),
    ),
    _loop("CTT", "S", "1", S("CTT", "R", "1"), S("AMT", "S", "1")),
)

_856 = (
    S("BSN", "R", "1"),
    S("DTM", "S", "10"),
    _loop(
        "HL",
        "R",
        "200000",
        S("HL", "R", "1", (), ((3, ("S", "O", "P", "T", "I", "Q", "E", "Z", "F", "D")),)),
        S("LIN", "S", "1"),
        S("SN1", "S", "1"),
        S("PRF", "S", "1"),
        S("PO4", "S", "1"),
        S("PID", "S", "200"),
        S("MEA", "S", "40"),
        S("PKG", "S", "25"),
        S("TD1", "S", "20"),
        S("TD5", "S", "10"),
        S("TD3", "S", "12"),
        S("REF", "S", ">1"),
        S("PER", "S", "3"),
        S("MAN", "S", ">1"),
        S("DTM", "S", "10"),
        S("FOB", "S", "1"),
        _n1(),
        S("YNQ", "S", "10"),
    ),
    S("CTT", "S", "1"),
)

_830 = (
    S("BFR", "R", "1"),
    S("REF", "S", "12"),
    S("PER", "S", "3"),
    S("FOB", "S", "1"),
    S("PID", "S", "200"),
    S("TD1", "S", "2"),
    S("TD5", "S", "12"),
    S("TD3", "S", "12"),
    S("MAN", "S", "10"),
    _n1(),
    _loop(
        "LIN",
        "R",
        "10000",
        S("LIN", "R", "1"),
        S("UIT", "R", "1"),
        S("DTM", "S", "10"),
        S("PID", "S", "1000"),
        S("MEA", "S", "40"),
        S("PO4", "S", "1"),
        S("REF", "S", "12"),
        S("PER", "S", "3"),
        S("TD1", "S", "1"),
        S("TD5", "S", "1"),
        S("TD3", "S", "1"),
        S("MAN", "S", "10"),
        S("ATH", "S", "20"),
        _n1(),
        _loop("SDP", "S", "260", S("SDP", "R", "1"), S("FST", "R", "260")),
        _loop("FST", "S", "260", S("FST", "R", "1")),
        _loop("SHP", "S", "25", S("SHP", "R", "1"), S("REF", "S", "5")),
    ),
    S("CTT", "S", "1"),
)

_997 = (
    S("AK1", "R", "1"),
    _loop(
        "AK2",
        "S",
        "999999",
        S("AK2", "R", "1"),
        _loop("AK3", "S", "999999", S("AK3", "R", "1"), S("AK4", "S", "99")),
        S("AK5", "R", "1"),
    ),
    S("AK9", "R", "1"),
)


class GuideSpec(NamedTuple):
    set_id: str
    version: str  # GS08 base, 004010 or 005010
    functional_id: str  # GS01
    name: str
    body: tuple[S | L, ...]


_NAMES = {
    "850": ("PO", "Purchase Order", _850),
    "856": ("SH", "Ship Notice/Manifest", _856),
    "830": ("PS", "Planning Schedule with Release Capability", _830),
    "997": ("FA", "Functional Acknowledgment", _997),
}

GUIDES = tuple(
    GuideSpec(set_id, version, fic, name, body)
    for version in ("004010", "005010")
    for set_id, (fic, name, body) in _NAMES.items()
)

# 005010 adds ST03 (implementation convention), AK103 and AK203; everything else used here is
# compatible with 004010 for these sets.
ADDED_IN_5010: dict[str, tuple[Elem, ...]] = {
    "ST": (Elem("1705"),),
    "AK1": (Elem("480"),),
    "AK2": (Elem("1705"),),
}
