"""856 Ship Notice/Manifest <-> canonical ``ShipNotice``, walking the HL tree.

Any hierarchy works (BSN05 0001 S-O-P-I, 0004 S-O-I, S-O-T-P-I, pick-and-pack): each item
level (HL03 I) takes its order from the nearest O ancestor (PRF01) and its SSCC from its own
MAN*GM, else the nearest pack (P), else tare (T) ancestor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from adapters.edi import build as builder  # builder.fast_values: patchable in tests
from adapters.edi.build import build
from adapters.edi.codes import (
    PURPOSE_CODES,
    Mapped,
    PartyReader,
    ProductIds,
    Unmapped,
    decimal_or_none,
    format_date,
    format_decimal,
    party_segments,
    product_ids,
    product_pairs,
    purpose_of,
    to_date,
)
from adapters.edi.errors import Location, MappingError
from adapters.edi.lexer import Segment
from gateway.model import Envelope, Reference, ShipNotice, ShipNoticeLine

__all__ = ["parse_856", "render_856"]


@dataclass(slots=True)
class _Level:
    hl_id: str
    parent: str
    code: str  # HL03: S shipment, O order, T tare, P pack, I item
    position: int
    segments: list[Segment] = field(default_factory=list)  # after the HL, up to the next

    def first(self, sid: str, qualifier: str | None = None) -> Segment | None:
        for seg in self.segments:
            if seg.fields[0] == sid and (qualifier is None or seg.get(1) == qualifier):
                return seg
        return None


def _levels(segments: Sequence[Segment]) -> tuple[list[Segment], list[_Level]]:
    """The segments before the first HL, and the HL levels in order."""
    header: list[Segment] = []
    levels: list[_Level] = []
    seen: set[str] = set()
    add = header.append  # where the segments go: the header, then the current level
    for position, seg in enumerate(segments, 1):
        fields = seg.fields
        if fields[0] != "HL":
            add(seg)
            continue
        if len(fields) < 4:
            fields = fields + [""] * (4 - len(fields))
        hl_id, parent = fields[1], fields[2]
        if hl_id in seen or (parent and parent not in seen):
            _bad_hl(hl_id, parent, position, seen)
        seen.add(hl_id)
        level = _Level(hl_id, parent, fields[3], position, [])
        levels.append(level)
        add = level.segments.append
    return header, levels


def _bad_hl(hl_id: str, parent: str, position: int, seen: set[str]) -> None:
    loc = Location(segment_position=position, segment_id="HL", value=hl_id)
    if hl_id in seen:
        raise MappingError("hl", f"HL01 {hl_id!r} is not unique", loc)
    raise MappingError("hl", f"HL02 {parent!r} names no earlier HL", loc)


def parse_856(segments: Sequence[Segment], envelope: Envelope | None = None) -> Mapped:
    """Map a validated 856 (ST..SE) to a ``ShipNotice``."""
    header, levels = _levels(segments)
    by_id = {level.hl_id: level for level in levels}
    bsn = next((seg for seg in header if seg.fields[0] == "BSN"), None)
    if bsn is None:
        raise MappingError("bsn", "no BSN segment")
    shipment = next((lv for lv in levels if lv.code == "S"), None)
    scope = header + (shipment.segments if shipment else [])
    dates = {seg.get(1): seg.get(2) for seg in scope if seg.fields[0] == "DTM"}
    td5 = next((seg for seg in scope if seg.fields[0] == "TD5" and seg.get(3)), None)
    refs = [seg for seg in scope if seg.fields[0] == "REF"]
    parties = PartyReader()
    for seg in scope:
        parties.feed(seg)
    used: set[int] = {
        id(seg) for seg in scope if seg.fields[0] in ("BSN", "DTM", "TD5", "REF", "N1", "N3", "N4")
    }
    lines = []
    other_ids: list[dict[str, str]] = []  # LIN product ids with no canonical field
    inherit: dict[str, tuple[Segment | None, Segment | None]] = {}
    for level in levels:
        if level.code != "I":
            continue
        line, ids = _line(level, by_id, used, inherit)
        lines.append(line)
        others = ids.others
        if others:
            other_ids.append({"line": str(len(lines)), "hl": level.hl_id, **others})
    notice = build(
        ShipNotice,
        {
            "envelope": envelope,
            "shipment_id": bsn.get(2),
            "purpose": purpose_of(bsn.get(1)),
            "ship_date": to_date(dates.get("011", "")) or to_date(bsn.get(3)),
            "expected_delivery": to_date(dates.get("017", "")),
            "carrier": td5.get(3) if td5 else None,
            "bill_of_lading": next((r.get(2) for r in refs if r.get(1) == "BM"), None),
            "references": [
                build(Reference, {"qualifier": r.get(1), "value": r.get(2) or r.get(3)})
                for r in refs
                if r.get(1) != "BM"
            ],
            "parties": parties.build(),
            "lines": lines,
        },
    )
    unmapped = [
        Unmapped(position, tuple(seg.fields))
        for position, seg in enumerate(segments, 1)
        if seg.fields[0] not in _NOT_DATA and id(seg) not in used
    ]
    details = {"other_product_ids": other_ids} if other_ids else {}
    return Mapped(notice, unmapped, details)


_NOT_DATA = frozenset({"ST", "SE", "HL"})  # envelope, and the tree itself


def _ancestor(level: _Level, by_id: dict[str, _Level], codes: str) -> _Level | None:
    current = by_id.get(level.parent)
    hops = 0
    while current is not None and hops < len(by_id):
        if current.code in codes:
            return current
        current = by_id.get(current.parent)
        hops += 1
    return None


def _inherited(level: _Level, by_id: dict[str, _Level]) -> tuple[Segment | None, Segment | None]:
    """What an item takes from its ancestors: the order's PRF, and the MAN*GM of the
    nearest pack, else tare (the same for every item under one parent)."""
    order = _ancestor(level, by_id, "O")
    prf = order.first("PRF") if order else None
    for codes in ("P", "T"):
        pack = _ancestor(level, by_id, codes)
        man = pack.first("MAN", "GM") if pack else None
        if man is not None:
            return prf, man
    return prf, None


def _line(
    level: _Level,
    by_id: dict[str, _Level],
    used: set[int],
    inherit: dict[str, tuple[Segment | None, Segment | None]],
) -> tuple[ShipNoticeLine, ProductIds]:
    """The canonical line of an item level, and the product ids of its LIN (``inherit``
    keeps what items take from their ancestors, by parent HL)."""
    lin: Segment | None = None
    sn1: Segment | None = None
    man: Segment | None = None
    for seg in level.segments:  # the first LIN, SN1 and MAN*GM of the item, in one pass
        sid = seg.fields[0]
        if sid == "LIN":
            lin = lin or seg
        elif sid == "SN1":
            sn1 = sn1 or seg
        elif sid == "MAN" and man is None and seg.get(1) == "GM":
            man = seg
    if sn1 is None:
        raise MappingError(
            "sn1",
            f"item level HL {level.hl_id} has no SN1",
            Location(segment_position=level.position, segment_id="HL"),
        )
    inherited = inherit.get(level.parent)
    if inherited is None:
        inherited = inherit[level.parent] = _inherited(level, by_id)
    prf, pack_man = inherited
    man = man or pack_man
    used.add(id(sn1))
    sn1_fields = sn1.fields
    if len(sn1_fields) < 4:
        sn1_fields = sn1_fields + [""] * (4 - len(sn1_fields))
    quantity = decimal_or_none(sn1_fields[2]) or Decimal(0)  # SN102 is required by the guide
    uom = sn1_fields[3]
    if lin is not None:
        used.add(id(lin))
        ids = product_ids(lin, 2)
        line_number = lin.get(1) or None
    else:
        ids = ProductIds()
        line_number = None
    po_number = sscc = None
    if prf is not None:
        used.add(id(prf))
        po_number = prf.get(1)
    if man is not None:
        used.add(id(man))
        sscc = man.get(2)
    line = builder.fast_values(
        ShipNoticeLine,
        po_number, line_number, ids.buyer_item, ids.vendor_item, ids.upc, quantity, uom, sscc,
        ids.lot,
    )  # fmt: skip
    if line is None:
        line = build(
            ShipNoticeLine,
            {
                "po_number": po_number,
                "line_number": line_number,
                "buyer_item": ids.buyer_item,
                "vendor_item": ids.vendor_item,
                "upc": ids.upc,
                "lot": ids.lot,
                "quantity": quantity,
                "uom": uom,
                "sscc": sscc,
            },
        )
    return line, ids


def render_856(notice: ShipNotice) -> list[list[str]]:
    """The body of an 856 (BSN..CTT): S, then O per run of lines with one PO number, then
    P per run with one SSCC, then I per line, so that reading it back keeps line order."""
    packed = any(line.sscc for line in notice.lines)
    out: list[list[str]] = [
        [
            "BSN",
            PURPOSE_CODES[notice.purpose],
            notice.shipment_id,
            format_date(notice.ship_date),
            "0000",
            "0001" if packed else "0004",
        ]
    ]
    out.append(["HL", "1", "", "S"])
    if notice.carrier:
        out.append(["TD5", "", "2", notice.carrier])
    if notice.bill_of_lading:
        out.append(["REF", "BM", notice.bill_of_lading])
    out += [["REF", ref.qualifier, ref.value] for ref in notice.references]
    out.append(["DTM", "011", format_date(notice.ship_date)])
    if notice.expected_delivery:
        out.append(["DTM", "017", format_date(notice.expected_delivery)])
    out += list(party_segments(notice.parties))
    next_id = 2
    for po_number, by_order in groupby(notice.lines, key=lambda line: line.po_number):
        order_id = "1"
        if po_number is not None:
            order_id = str(next_id)
            next_id += 1
            out += [["HL", order_id, "1", "O"], ["PRF", po_number]]
        for sscc, by_pack in groupby(by_order, key=lambda line: line.sscc):
            parent = order_id
            if sscc is not None:
                parent = str(next_id)
                next_id += 1
                out += [["HL", parent, order_id, "P"], ["MAN", "GM", sscc]]
            for line in by_pack:
                pairs = product_pairs(
                    ProductIds(line.buyer_item, line.vendor_item, line.upc, line.lot)
                )
                out.append(["HL", str(next_id), parent, "I"])
                next_id += 1
                if pairs:
                    out.append(["LIN", line.line_number or "", *pairs])
                out.append(["SN1", "", format_decimal(line.quantity), line.uom])
    out.append(["CTT", str(next_id - 1)])
    return out
