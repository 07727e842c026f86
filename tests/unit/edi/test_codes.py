"""Product ids read from qualifier/value pairs (PO1, LIN) match the rule pair by pair."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.edi.codes import BUYER_ITEM, LOT, UPC, VENDOR_ITEM, ProductIds, product_ids
from adapters.edi.lexer import Segment


def _reference(fields: list[str], first: int) -> ProductIds:
    """The rule as written in the 850/856 notes: the first value of each qualifier counts,
    pairs with an empty qualifier or value do not; each canonical field takes the first of
    its qualifiers present, the rest stay in ``others`` in order."""
    found: dict[str, str] = {}
    for i in range(first, len(fields) - 1, 2):
        if fields[i] and fields[i + 1] and fields[i] not in found:
            found[fields[i]] = fields[i + 1]
    picked: list[str | None] = []
    for preference in (BUYER_ITEM, VENDOR_ITEM, UPC, LOT):
        qualifier = next((q for q in preference if q in found), None)
        picked.append(found.pop(qualifier) if qualifier else None)
    buyer, vendor, upc, lot = picked
    return ProductIds(buyer, vendor, upc, lot, found)


_QUALIFIERS = st.sampled_from(["BP", "IN", "CB", "VP", "VN", "UP", "LT", "EN", "ZZ", ""])
_VALUES = st.sampled_from(["A-1", "B", "0001", ""])


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from([2, 6]),
    st.lists(st.tuples(_QUALIFIERS, _VALUES), max_size=6),
    st.booleans(),
)
def test_product_ids_follow_the_pair_rule(
    first: int, pairs: list[tuple[str, str]], odd: bool
) -> None:
    fields = ["PO1", *["1"] * (first - 1), *(v for pair in pairs for v in pair)]
    if odd:
        fields.append("UP")  # a qualifier without its value is ignored
    got = product_ids(Segment(fields, 1), first)
    want = _reference(fields, first)
    assert got == want
    assert list(got.others.items()) == list(want.others.items())
