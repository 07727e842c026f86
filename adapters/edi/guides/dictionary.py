"""The X12 segment dictionary the guides are authored from (004010 base).

This is authoring input, not runtime data: ``authoring.py`` writes the guides as pyx12 map
XML (``*.xml`` beside this file) and the runtime reads only the XML. Segments list their
elements in order with the syntax notes of the standard (P paired, R required, E exclusion,
C conditional, L list conditional); element types, lengths and codes are in
``element_dictionary.py``.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["SEGMENTS", "CodeList", "Comp", "Elem", "SegDef"]


class Elem(NamedTuple):
    ref: str
    usage: str = "S"  # R required, S situational, N not used (pyx12 map usage codes)
    codes: tuple[str, ...] = ()


class Comp(NamedTuple):
    ref: str  # composite id, e.g. C001
    usage: str
    elements: tuple[Elem, ...]


class SegDef(NamedTuple):
    name: str
    elements: tuple[Elem | Comp, ...]
    syntax: tuple[str, ...] = ()


def _e(spec: str) -> tuple[Elem, ...]:
    """'353! 92 324' -> elements; '!' marks required (X12 M)."""
    return tuple(Elem(tok.rstrip("!"), "R" if tok.endswith("!") else "S") for tok in spec.split())


class CodeList(NamedTuple):
    ref: str
    codes: tuple[str, ...]


# Composites used in these guides.
C001 = Comp("C001", "S", _e("355! 1018 649 355 1018 649 355 1018 649 355 1018 649 355 1018 649"))
C030 = Comp("C030", "R", _e("722! 1528"))
C040 = Comp("C040", "S", _e("128! 127! 128 127 128 127"))

_PAIRS_10 = " ".join(["235 234"] * 10)
_PAIRS_15 = " ".join(["235 234"] * 15)
_PO1_SYNTAX = tuple(f"P{n:02d}{n + 1:02d}" for n in range(6, 25, 2))
_LIN_SYNTAX = tuple(f"P{n:02d}{n + 1:02d}" for n in range(4, 31, 2))

SEGMENTS: dict[str, SegDef] = {
    "ST": SegDef("Transaction Set Header", _e("143! 329!")),
    "SE": SegDef("Transaction Set Trailer", _e("96! 329!")),
    "BEG": SegDef(
        "Beginning Segment for Purchase Order", _e("353! 92! 324! 328 373! 367 587 1019 1166 1232")
    ),
    "CUR": SegDef("Currency", _e("98! 100! 280"), ()),
    "REF": SegDef("Reference Identification", (*_e("128! 127 352"), C040), ("R0203",)),
    "PER": SegDef(
        "Administrative Communications Contact",
        _e("366! 93 365 364 365 364 365 364 443"),
        ("P0304", "P0506", "P0708"),
    ),
    "FOB": SegDef(
        "F.O.B. Related Instructions",
        _e("146! 309 352 334 335 309 352 54 352"),
        ("C0302", "C0405", "C0706", "C0809"),
    ),
    "ITD": SegDef(
        "Terms of Sale/Deferred Terms of Sale",
        _e("336 333 338 370 351 446 386 362 389 342 352 765 107 954"),
    ),
    "DTM": SegDef(
        "Date/Time Reference", _e("374! 373 337 623 1250 1251"), ("R020305", "C0403", "P0506")
    ),
    "PID": SegDef(
        "Product/Item Description",
        _e("349! 750 559 751 352 752 822 1073 819"),
        ("C0403", "R0405", "C0703", "C0804", "C0905"),
    ),
    "PKG": SegDef(
        "Marking, Packaging, Loading", _e("349 753 559 754 352 819"), ("R0405", "C0403", "C0501")
    ),
    "TD1": SegDef(
        "Carrier Details (Quantity and Weight)",
        _e("103 80 23 22 79 187 81 355 183 355"),
        ("C0102", "C0302", "C0607", "P0708", "P0910"),
    ),
    "TD5": SegDef(
        "Carrier Details (Routing Sequence/Transit Time)",
        _e("133 66 67 91 387 368 309 310 731 732 733 284 284 284 26"),
        ("R0204050612", "C0203", "C0708", "C1011"),
    ),
    "TD3": SegDef(
        "Carrier Details (Equipment)",
        _e("40 206 207 187 81 355 102 407 225"),
        ("E0110", "C0203", "C0405", "P0506"),
    ),
    "MAN": SegDef("Marks and Numbers", _e("88! 87! 87 88 87 87"), ("P0405", "C0605")),
    "N1": SegDef("Name", _e("98! 93 66 67 706 98"), ("R0203", "P0304")),
    "N2": SegDef("Additional Name Information", _e("93! 93")),
    "N3": SegDef("Address Information", _e("166! 166")),
    "N4": SegDef("Geographic Location", _e("19 156 116 26 309 310"), ("C0605",)),
    "PO1": SegDef(
        "Baseline Item Data",
        _e("350 330 355 212 639 " + _PAIRS_10),
        ("C0302", "C0504", *_PO1_SYNTAX),
    ),
    "PO4": SegDef(
        "Item Physical Details",
        _e("356 357 355 103 187 384 355 385 355 82 189 65 355 810 752 350 350"),
        ("P0203", "C0506", "P0607", "P0809", "C1013", "C1113", "C1213"),
    ),
    "IT8": SegDef("Conditions of Sale", _e("563 306 610 508 596 559 560")),
    "N9": SegDef("Reference Identification", (*_e("128! 127 369 373 337 623"), C040), ("R0203",)),
    "MSG": SegDef("Message Text", _e("933! 934 1470"), ("C0302",)),
    "CTT": SegDef("Transaction Totals", _e("354! 347 81 355 183 355 352"), ("P0304", "P0506")),
    "AMT": SegDef("Monetary Amount", _e("522! 782! 478")),
    "BSN": SegDef(
        "Beginning Segment for Ship Notice", _e("353! 396! 373! 337! 1005 640 641"), ("C0706",)
    ),
    "HL": SegDef("Hierarchical Level", _e("628! 734 735! 736")),
    "LIN": SegDef("Item Identification", _e("350 235! 234! " + _PAIRS_15[8:]), _LIN_SYNTAX),
    "SN1": SegDef("Item Detail (Shipment)", _e("350 382! 355! 646 330 355 728 668"), ("P0506",)),
    "PRF": SegDef("Purchase Order Reference", _e("324! 328 327 373 350 367 92")),
    "MEA": SegDef(
        "Measurements",
        (*_e("737 738 739"), C001, *_e("740 741 935 936 752")),
        ("R03050608", "C0504", "C0604", "L07030506", "E0803"),
    ),
    "YNQ": SegDef(
        "Yes/No Question",
        _e("1321 1073! 1250 1251 933 933 933 1270 1271"),
        ("R0109", "P0304", "C0908"),
    ),
    "BFR": SegDef(
        "Beginning Segment for Planning Schedule",
        _e("353! 127 328 675! 676! 373! 373 373! 373 367 324 783 306"),
        ("R0203",),
    ),
    "UIT": SegDef("Unit Detail", (Comp("C001", "R", C001.elements), *_e("212 639")), ("C0302",)),
    "SDP": SegDef(
        "Ship/Delivery Pattern",
        _e("678! 679! 678 679 678 679 678 679"),
        ("P0304", "P0506", "P0708"),
    ),
    "FST": SegDef(
        "Forecast Schedule", _e("380! 680! 681! 373! 373 374 337 128 127"), ("C0706", "P0809")
    ),
    "ATH": SegDef("Resource Authorization", _e("672! 373 380 380 373"), ("C0305",)),
    "SHP": SegDef(
        "Shipped/Received Information",
        _e("673 380 374 373 337 373 337"),
        ("C0102", "C0304", "C0503", "C0607", "C0703"),
    ),
    "AK1": SegDef("Functional Group Response Header", _e("479! 28!")),
    "AK2": SegDef("Transaction Set Response Header", _e("143! 329!")),
    "AK3": SegDef("Data Segment Note", _e("721! 719! 447 720")),
    "AK4": SegDef("Data Element Note", (C030, *_e("725 723! 724"))),
    "AK5": SegDef("Transaction Set Response Trailer", _e("717! 718 718 718 718 718")),
    "AK9": SegDef("Functional Group Response Trailer", _e("715! 97! 123! 2! 716 716 716 716 716")),
}
