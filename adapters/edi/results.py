"""What processing an inbound message returns: per-set and per-interchange results, the
options for outbound acknowledgments, and the duplicate-interchange key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from adapters.edi.codes import Unmapped
from adapters.edi.errors import EdiError
from adapters.edi.lexer import Delimiters
from gateway.model import PlanningSchedule, PurchaseOrder, ShipNotice

__all__ = [
    "AckOptions",
    "CanonicalDocument",
    "InterchangeResult",
    "SetResult",
    "interchange_key",
    "is_duplicate",
]

CanonicalDocument = PurchaseOrder | ShipNotice | PlanningSchedule


@dataclass(slots=True)
class SetResult:
    """One transaction set: verdict, canonical document when accepted, errors, leftovers."""

    set_id: str
    control_number: str
    group_control_number: str
    interchange_control_number: str
    version: str  # GS08
    accepted: bool
    document: CanonicalDocument | None = None
    errors: list[EdiError] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    details: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class InterchangeResult:
    """One interchange: its envelope ids, sets, errors, and the acknowledgments to send."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    control_number: str  # ISA13
    version: str  # ISA12
    usage: str  # ISA15
    ack_requested: bool
    accepted: bool
    duplicate: bool = False
    sets: list[SetResult] = field(default_factory=list)
    errors: list[EdiError] = field(default_factory=list)  # interchange and group errors
    ack_997: str = ""
    ta1: str = ""
    # the ISA13 numbers our acks for this interchange used (the store advances past them)
    ack_control_numbers: list[int] = field(default_factory=list)
    delimiters: Delimiters = field(default_factory=Delimiters)

    @property
    def key(self) -> tuple[str, str]:
        return interchange_key(self.sender_qualifier, self.sender_id, self.control_number)

    @property
    def documents(self) -> list[CanonicalDocument]:
        """Canonical documents of the accepted sets (none if the interchange was rejected)."""
        if not self.accepted:
            return []
        return [s.document for s in self.sets if s.accepted and s.document is not None]

    def all_errors(self) -> list[EdiError]:
        return [*self.errors, *(e for s in self.sets for e in s.errors)]


@dataclass(frozen=True, slots=True)
class AckOptions:
    """Control numbers (allocated by the store per partner) and time for outbound acks.

    ``timestamp`` None uses the inbound ISA09/ISA10, so output depends on input only. The
    first ack interchange of a run takes ``interchange_control_number`` (and GS06
    ``group_control_number``), each further one the next number; ``InterchangeResult``
    lists the numbers used.
    """

    interchange_control_number: int = 1
    group_control_number: int = 1
    transaction_set_control_number: int = 1
    timestamp: dt.datetime | None = None
    # list clean accepted sets in the 997 too (AK2/AK5 A); False lists only sets with errors,
    # which keeps memory flat for huge groups (nothing is kept per clean set)
    list_accepted_sets: bool = True


def interchange_key(sender_qualifier: str, sender_id: str, isa13: str) -> tuple[str, str]:
    """The identity of an interchange for duplicate detection: (ISA05:ISA06, ISA13)."""
    return (f"{sender_qualifier.strip()}:{sender_id.strip()}", isa13)


def is_duplicate(key: tuple[str, str], seen: Collection[tuple[str, str]]) -> bool:
    """Whether an interchange with ``key`` was already processed (``seen`` from the store)."""
    return key in seen
