"""Canonical documents out as X12 004010 or 005010 interchanges.

Every rendered interchange is read back through the same guides before it is returned, so
what we send passes the validation we apply to what we receive (a partner's translator
applies the same standard).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from adapters.edi.errors import Location, RenderError
from adapters.edi.lexer import Delimiters
from adapters.edi.planning_schedule import render_830
from adapters.edi.purchase_order import render_850
from adapters.edi.ship_notice import render_856
from adapters.edi.writer import EnvelopeParams, write_interchange
from gateway.model import PlanningSchedule, PurchaseOrder, ShipNotice

__all__ = ["DEFAULT_DELIMITERS", "render_document", "render_documents"]

DEFAULT_DELIMITERS = Delimiters("*", ">", "~", None, "\n")

_RENDERERS: dict[type[Any], tuple[str, str, Callable[[Any], list[list[str]]]]] = {
    PurchaseOrder: ("PO", "850", render_850),
    ShipNotice: ("SH", "856", render_856),
    PlanningSchedule: ("PS", "830", render_830),
}


def _body(
    document: PurchaseOrder | ShipNotice | PlanningSchedule,
) -> tuple[str, str, list[list[str]]]:
    entry = _RENDERERS.get(type(document))
    if entry is None:
        raise RenderError("type", f"cannot render {type(document).__name__} as X12")
    fic, set_id, render = entry
    return fic, set_id, render(document)


def render_documents(
    documents: Sequence[PurchaseOrder | ShipNotice | PlanningSchedule],
    params: EnvelopeParams,
    delimiters: Delimiters = DEFAULT_DELIMITERS,
    *,
    check: bool = True,
) -> str:
    """One interchange for ``documents``: a group per document kind, in first-seen order."""
    if params.version >= "005010" and delimiters.repetition is None:
        delimiters = Delimiters(
            delimiters.element, delimiters.component, delimiters.segment, "^", delimiters.suffix
        )
    groups: dict[str, list[tuple[str, list[list[str]]]]] = {}
    for document in documents:
        fic, set_id, body = _body(document)
        for seg in body:
            for position, value in enumerate(seg):
                if delimiters.component in value:
                    raise RenderError(
                        "delimiter",
                        "a value contains the component separator",
                        Location(segment_id=seg[0], element_position=position, value=value),
                    )
        groups.setdefault(fic, []).append((set_id, body))
    text = write_interchange(groups.items(), params, delimiters)
    if check:
        _check(text)
    return text


def render_document(
    document: PurchaseOrder | ShipNotice | PlanningSchedule,
    params: EnvelopeParams,
    delimiters: Delimiters = DEFAULT_DELIMITERS,
    *,
    check: bool = True,
) -> str:
    """One interchange holding ``document`` with the given envelope ids and delimiters."""
    return render_documents([document], params, delimiters, check=check)


def _check(text: str) -> None:
    from adapters.edi.process import process_interchanges  # the reader depends on us: late

    for result in process_interchanges(text):
        problems = result.all_errors()
        if problems or not all(s.accepted for s in result.sets):
            first = problems[0] if problems else RenderError("invalid", "a set was rejected")
            raise RenderError("invalid", f"rendered X12 fails validation: {first}", first.location)
