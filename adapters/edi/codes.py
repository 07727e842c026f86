"""X12 codes <-> canonical values, and the pieces every document mapping shares.

Each table is used both ways (reading and writing), so a round trip keeps the value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from adapters.edi.amounts import decimal_of
from adapters.edi.build import build
from adapters.edi.envelope import parse_date
from adapters.edi.lexer import Segment
from gateway.model import Envelope, Party, PartyRole, Purpose

__all__ = [
    "PARTY_CODES",
    "PURPOSE_CODES",
    "Mapped",
    "ProductIds",
    "Unmapped",
    "decimal_or_none",
    "format_date",
    "format_decimal",
    "party_role",
    "product_ids",
    "purpose_of",
    "to_date",
]

# X12 353 Transaction Set Purpose Code
PURPOSE_CODES: dict[Purpose, str] = {
    Purpose.ORIGINAL: "00",
    Purpose.CANCELLATION: "01",
    Purpose.CHANGE: "04",
    Purpose.REPLACE: "05",
    Purpose.CONFIRMATION: "06",
    Purpose.DUPLICATE: "07",
    Purpose.OTHER: "ZZ",  # mutually defined: any code we have no canonical value for
}
_PURPOSE_BY_CODE = {code: purpose for purpose, code in PURPOSE_CODES.items()}

# X12 98 Entity Identifier Code; SU (supplier) reads as vendor too, written as VN.
PARTY_CODES: dict[PartyRole, str] = {
    PartyRole.BUYER: "BY",
    PartyRole.BILL_TO: "BT",
    PartyRole.SHIP_TO: "ST",
    PartyRole.VENDOR: "VN",
    PartyRole.SHIP_FROM: "SF",
    PartyRole.MANUFACTURER: "MF",
    PartyRole.OTHER: "ZZ",
}
_ROLE_BY_CODE = {code: role for role, code in PARTY_CODES.items()} | {"SU": PartyRole.VENDOR}

# X12 235 Product/Service ID Qualifier, in order of preference per canonical field.
BUYER_ITEM = ("BP", "IN", "CB")
VENDOR_ITEM = ("VP", "VN")
UPC = ("UP",)
LOT = ("LT",)


def purpose_of(code: str) -> Purpose:
    return _PURPOSE_BY_CODE.get(code, Purpose.OTHER)


def party_role(code: str) -> PartyRole:
    return _ROLE_BY_CODE.get(code, PartyRole.OTHER)


@lru_cache(maxsize=4096)
def to_date(value: str) -> dt.date | None:
    # cached: the same few dates recur on every line of a file (dates are immutable)
    return parse_date(value) if value else None


def format_date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


# one Decimal per distinct text, checked once as an amount (see amounts.py)
decimal_or_none = decimal_of


def format_decimal(value: Decimal) -> str:
    """An X12 R value: no exponent, no trailing zeros after the point."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(slots=True)
class ProductIds:
    buyer_item: str | None = None
    vendor_item: str | None = None
    upc: str | None = None
    lot: str | None = None
    others: dict[str, str] = field(default_factory=dict)


def product_ids(seg: Segment, first: int) -> ProductIds:
    """Read qualifier/value pairs from element ``first`` on (PO106.., LIN02..): the first
    value of each qualifier counts, pairs with an empty qualifier or value do not."""
    fields = seg.fields
    values: list[str | None] = fields[first + 1 :: 2]  # type: ignore[assignment]
    if "" in values:
        return _product_ids(fields, first)
    qualifiers = tuple(fields[first:-1:2])
    plan = _PLANS.get(qualifiers) or _plan(qualifiers)
    buyer, vendor, upc, lot, others = plan
    values.append(None)  # index -1: the canonical field has no qualifier here
    if not others:
        return ProductIds(values[buyer], values[vendor], values[upc], values[lot], {})
    return ProductIds(
        values[buyer],
        values[vendor],
        values[upc],
        values[lot],
        {qualifier: values[i] for qualifier, i in others},  # type: ignore[misc]
    )


# What a sequence of qualifiers (all values present) picks: the index of the value of each
# canonical field (-1: none) and the (qualifier, index) pairs left over. Items of a file use
# the same few sequences; the table is emptied when full, so odd input cannot grow it.
_Plan = tuple[int, int, int, int, tuple[tuple[str, int], ...]]
_PLANS: dict[tuple[str, ...], _Plan] = {}
_PLANS_LIMIT = 1024


def _plan(qualifiers: tuple[str, ...]) -> _Plan:
    found: dict[str, int] = {}
    for i, qualifier in enumerate(qualifiers):
        if qualifier and qualifier not in found:
            found[qualifier] = i
    picks = []
    for preference in _PICK_ORDER:
        picked = next((q for q in preference if q in found), None)
        picks.append(-1 if picked is None else found.pop(picked))
    buyer, vendor, upc, lot = picks
    plan = (buyer, vendor, upc, lot, tuple(found.items()))
    if len(_PLANS) >= _PLANS_LIMIT:
        _PLANS.clear()
    _PLANS[qualifiers] = plan
    return plan


def _product_ids(fields: list[str], first: int) -> ProductIds:
    """``product_ids`` of a segment with empty values, pair by pair."""
    found: dict[str, str] = {}
    for i in range(first, len(fields) - 1, 2):
        qualifier = fields[i]
        if qualifier and qualifier not in found:
            value = fields[i + 1]
            if value:
                found[qualifier] = value
    if not found:
        return ProductIds()
    get = found.get
    # the first qualifier present of each preference list (values are never empty)
    buyer = get("BP") or get("IN") or get("CB")
    vendor = get("VP") or get("VN")
    upc = get("UP")
    lot = get("LT")
    picked = (buyer is not None) + (vendor is not None) + (upc is not None) + (lot is not None)
    if picked == len(found):
        return ProductIds(buyer, vendor, upc, lot, {})
    return ProductIds(buyer, vendor, upc, lot, _others(found))


def _others(found: dict[str, str]) -> dict[str, str]:
    """The pairs of ``found`` that no canonical field took, in their order."""
    others = dict(found)
    for qualifiers in _PICK_ORDER:
        for qualifier in qualifiers:
            if qualifier in others:
                del others[qualifier]
                break
    return others


_PICK_ORDER = (BUYER_ITEM, VENDOR_ITEM, UPC, LOT)


def product_pairs(ids: ProductIds) -> list[str]:
    """Qualifier/value pairs to write, the inverse of ``product_ids``."""
    out: list[str] = []
    for qualifier, value in (
        ("BP", ids.buyer_item),
        ("VP", ids.vendor_item),
        ("UP", ids.upc),
        ("LT", ids.lot),
    ):
        if value:
            out += [qualifier, value]
    return out


@dataclass(frozen=True, slots=True)
class Unmapped:
    """A segment the mapping did not turn into canonical fields, kept for whoever needs it."""

    position: int  # in the transaction set, ST = 1
    fields: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.fields[0]


@dataclass(slots=True)
class Mapped:
    """What a mapping produces: the document, what it left out, and structured extras."""

    document: object
    unmapped: list[Unmapped] = field(default_factory=list)
    details: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def envelope_of(
    sender: str, receiver: str, isa13: str, gs06: str, st02: str, gs08: str
) -> Envelope:
    return build(
        Envelope,
        {
            "sender_id": sender,
            "receiver_id": receiver,
            "interchange_control_number": isa13,
            "group_control_number": gs06,
            "transaction_set_control_number": st02,
            "version": gs08,
        },
    )


class PartyReader:
    """Collects N1/N2/N3/N4 groups into ``Party`` values (X12 N1 loop)."""

    def __init__(self) -> None:
        self.parties: list[dict[str, object]] = []

    def feed(self, seg: Segment) -> bool:
        """Take a segment of an N1 loop; False when it is not one or no N1 is open."""
        sid = seg.fields[0]
        if sid == "N1":
            self.parties.append(
                {
                    "role": party_role(seg.get(1)),
                    "name": seg.get(2) or None,
                    "id_qualifier": seg.get(3) or None,
                    "id": seg.get(4) or None,
                    "address": [],
                }
            )
            return True
        if not self.parties:
            return False
        party = self.parties[-1]
        if sid == "N3":
            address = party["address"]
            assert isinstance(address, list)
            address.extend(v for v in (seg.get(1), seg.get(2)) if v)
            return True
        if sid == "N4":
            party.update(
                city=seg.get(1) or None,
                region=seg.get(2) or None,
                postal_code=seg.get(3) or None,
                country=seg.get(4) or None,
            )
            return True
        return False

    def build(self) -> list[Party]:
        return [build(Party, p) for p in self.parties]


def party_segments(parties: Sequence[Party]) -> Iterator[list[str]]:
    """N1 loops for ``parties``, the inverse of ``PartyReader``."""
    for party in parties:
        n1 = ["N1", PARTY_CODES[party.role], party.name or ""]
        if party.id_qualifier or party.id:
            n1 += [party.id_qualifier or "", party.id or ""]
        yield n1
        if party.address:
            for i in range(0, len(party.address), 2):
                yield ["N3", *party.address[i : i + 2]]
        if party.city or party.region or party.postal_code or party.country:
            yield [
                "N4",
                party.city or "",
                party.region or "",
                party.postal_code or "",
                party.country or "",
            ]
