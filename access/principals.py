"""Who is asking: principals, their kinds, and the scope a decision grants them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PrincipalKind(StrEnum):
    SUPPLIER = "supplier"  # bound to one supplier id
    PLANNER = "planner"  # bound to segments through policies
    INTEGRATION = "integration"  # health and messages, no commercial terms
    ADMIN = "admin"  # everything, including policies and keys


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``subject`` is its name in policies, e.g. ``supplier:SUP001``."""

    id: str
    kind: PrincipalKind
    supplier_id: str | None = None
    key_id: str | None = None

    @property
    def subject(self) -> str:
        return self.id


@dataclass(frozen=True)
class Scope:
    """What a principal may see for one kind of record: segments, and an owning supplier.

    ``segments`` is None for every segment. ``supplier_id`` set means only that supplier's
    records. Repositories turn both into WHERE clauses; an empty scope matches nothing.
    """

    segments: frozenset[str] | None
    supplier_id: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.segments is not None and not self.segments

    def allows_segment(self, segment_id: str | None) -> bool:
        return self.segments is None or (segment_id is not None and segment_id in self.segments)

    def allows_supplier(self, supplier_id: str | None) -> bool:
        return self.supplier_id is None or supplier_id == self.supplier_id


NOTHING = Scope(segments=frozenset())
