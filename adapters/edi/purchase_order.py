"""850 Purchase Order <-> canonical ``PurchaseOrder``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from adapters.edi import build as builder  # builder.fast_values: patchable in tests
from adapters.edi.build import UNSET, build
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
from adapters.edi.lexer import Segment
from gateway.model import Envelope, PurchaseOrder, PurchaseOrderLine, Reference

__all__ = ["parse_850", "render_850"]

_ENVELOPE_IDS = ("ST", "SE")
_N1_LOOP_OTHERS = frozenset({"N2", "PER", "REF", "FOB", "TD5", "PKG"})


def parse_850(segments: Sequence[Segment], envelope: Envelope | None = None) -> Mapped:
    """Map a validated 850 (ST..SE) to a ``PurchaseOrder``; raises pydantic's ValidationError."""
    head: dict[str, object] = {}
    references: list[Reference] = []
    parties = PartyReader()
    lines: list[list[object]] = []  # per PO1, the values of a PurchaseOrderLine in field order
    unmapped: list[Unmapped] = []
    header_requested = None
    in_party = False
    other_ids: list[dict[str, str]] = []  # PO1 product ids with no canonical field
    line: list[object] | None = None  # the current PO1 line
    for position, seg in enumerate(segments, 1):
        fields = seg.fields
        sid = fields[0]
        # the line segments first: they are most of an order
        if sid == "PO1":
            in_party = False
            ids = product_ids(seg, 6)
            line = _line(fields, len(lines) + 1, ids)
            lines.append(line)
            if ids.others:
                other_ids.append({"line": str(line[0]), **ids.others})
        elif sid == "PID" and line is not None:
            if len(fields) > 1 and fields[1] == "F" and line[_DESCRIPTION] is UNSET:
                line[_DESCRIPTION] = (fields[5] if len(fields) > 5 else "") or None
            else:
                unmapped.append(Unmapped(position, tuple(fields)))
        elif sid == "DTM" and len(fields) > 1 and fields[1] == "002":
            if line is not None:
                line[_REQUESTED] = to_date(fields[2] if len(fields) > 2 else "")
            else:
                header_requested = to_date(seg.get(2))
        elif sid == "BEG":
            head.update(
                purpose=purpose_of(seg.get(1)),
                order_type=seg.get(2) or None,
                po_number=seg.get(3),
                order_date=to_date(seg.get(5)),
            )
        elif sid == "CUR" and line is None:
            head["currency"] = seg.get(2) or None
        elif sid == "REF" and line is None and not in_party:
            references.append(
                build(Reference, {"qualifier": seg.get(1), "value": seg.get(2) or seg.get(3)})
            )
        elif sid == "N1" and line is None:
            in_party = parties.feed(seg)
        elif sid in ("N3", "N4") and in_party and line is None:
            parties.feed(seg)
        else:
            in_party = in_party and sid in _N1_LOOP_OTHERS
            if sid not in _ENVELOPE_IDS:
                unmapped.append(Unmapped(position, tuple(fields)))
    if header_requested is not None:
        # a header DTM*002 applies to every line that does not carry its own (X12 850 notes)
        for line in lines:
            if line[_REQUESTED] is UNSET:
                line[_REQUESTED] = header_requested
    order = build(
        PurchaseOrder,
        {
            **head,
            "envelope": envelope,
            "references": references,
            "parties": parties.build(),
            "lines": [_built(values) for values in lines],
        },
    )
    return Mapped(order, unmapped, {"other_product_ids": other_ids} if other_ids else {})


_LINE_FIELDS = tuple(PurchaseOrderLine.model_fields)
_DESCRIPTION = _LINE_FIELDS.index("description")  # PID05
_REQUESTED = _LINE_FIELDS.index("requested_date")  # DTM*002


def _line(fields: list[str], ordinal: int, ids: ProductIds) -> list[object]:
    """The values of a PO1's line, in the model's field order (PID and DTM set the last two)."""
    if len(fields) < 5:
        fields = fields + [""] * (5 - len(fields))
    return [
        # PO101 is optional in X12; the canonical line number then is the line's ordinal
        fields[1] or str(ordinal),
        decimal_or_none(fields[2]),
        fields[3],
        decimal_or_none(fields[4]),
        ids.buyer_item,
        ids.vendor_item,
        ids.upc,
        UNSET,
        UNSET,
    ]


def _built(values: list[object]) -> PurchaseOrderLine | dict[str, object]:
    """A line as a model when its values provably validate, else as a dict (the order's
    build then validates it and reports where it is)."""
    line = builder.fast_values(PurchaseOrderLine, *values)
    if line is not None:
        return line
    return {name: v for name, v in zip(_LINE_FIELDS, values, strict=True) if v is not UNSET}


def render_850(order: PurchaseOrder) -> list[list[str]]:
    """The body of an 850 (BEG..CTT) for ``order``; the writer adds ST/SE and envelopes."""
    out: list[list[str]] = [
        [
            "BEG",
            PURPOSE_CODES[order.purpose],
            order.order_type or "SA",
            order.po_number,
            "",
            format_date(order.order_date),
        ],
    ]
    if order.currency:
        out.append(["CUR", "BY", order.currency])
    out += [["REF", ref.qualifier, ref.value] for ref in order.references]
    out += list(party_segments(order.parties))
    total = Decimal(0)
    for line in order.lines:
        pairs = product_pairs(ProductIds(line.buyer_item, line.vendor_item, line.upc))
        price = format_decimal(line.unit_price) if line.unit_price is not None else ""
        out.append(
            ["PO1", line.line_number, format_decimal(line.quantity), line.uom, price, "", *pairs]
        )
        if line.description:
            out.append(["PID", "F", "", "", "", line.description])
        if line.requested_date:
            out.append(["DTM", "002", format_date(line.requested_date)])
        total += line.quantity
    out.append(["CTT", str(len(order.lines)), format_decimal(total)])
    return out
