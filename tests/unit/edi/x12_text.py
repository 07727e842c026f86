"""Small X12 builders for the unit tests (not fixtures files: each test shows its input)."""

from __future__ import annotations

from collections.abc import Sequence


def isa(
    icn: int = 1,
    *,
    version: str = "00401",
    ack: str = "0",
    el: str = "*",
    comp: str = ">",
    rep: str = "^",
    sender: str = "SENDERID",
) -> list[str]:
    return [
        "ISA",
        "00",
        " " * 10,
        "00",
        " " * 10,
        "ZZ",
        sender.ljust(15),
        "ZZ",
        "RECEIVERID".ljust(15),
        "260301",
        "1015",
        rep if version >= "00402" else "U",
        version,
        f"{icn:09d}",
        ack,
        "P",
        comp,
    ]


def interchange(
    sets: Sequence[tuple[str, Sequence[Sequence[str]]]],
    *,
    fic: str = "PO",
    gs08: str = "004010",
    icn: int = 1,
    term: str = "~",
    el: str = "*",
    suffix: str = "\n",
    **isa_kw: str,
) -> str:
    segs: list[Sequence[str]] = [isa(icn, el=el, **isa_kw)]
    segs.append(["GS", fic, "SENDERID", "RECEIVERID", "20260301", "1015", "1", "X", gs08])
    for n, (set_id, body) in enumerate(sets, 1):
        segs.append(["ST", set_id, f"{n:04d}"])
        segs += list(body)
        segs.append(["SE", str(len(body) + 2), f"{n:04d}"])
    segs.append(["GE", str(len(sets)), "1"])
    segs.append(["IEA", "1", f"{icn:09d}"])
    return "".join(el.join(s) + term + suffix for s in segs)


PO_BODY: list[list[str]] = [
    ["BEG", "00", "SA", "PO-1", "", "20260301"],
    ["N1", "BY", "Buyer", "92", "B01"],
    ["PO1", "1", "10", "EA", "2.5", "", "BP", "B-1", "VP", "V-1"],
    ["CTT", "1"],
]


def po(**changes: list[str]) -> list[list[str]]:
    """PO_BODY with segments replaced by id (``BEG=[...]``)."""
    return [changes.get(seg[0], seg) for seg in PO_BODY]
