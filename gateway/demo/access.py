"""Who may see what in the demo: a principal per supplier, a planner, integration and admin."""

from __future__ import annotations

from dataclasses import dataclass

from access import PrincipalKind, global_role, supplier_role
from gateway.demo.catalog import Catalog


@dataclass(frozen=True)
class DemoPrincipal:
    id: str
    kind: PrincipalKind
    supplier_id: str | None
    display_name: str


def demo_principals(catalog: Catalog) -> list[DemoPrincipal]:
    """One principal per supplier, and one each of the other kinds."""
    suppliers = [
        DemoPrincipal(f"supplier:{s.id}", PrincipalKind.SUPPLIER, s.id, s.name)
        for s in catalog.suppliers
    ]
    return [
        *suppliers,
        DemoPrincipal("planner:demo", PrincipalKind.PLANNER, None, "Demo planner"),
        DemoPrincipal("integration:demo", PrincipalKind.INTEGRATION, None, "Demo integration"),
        DemoPrincipal("admin:demo", PrincipalKind.ADMIN, None, "Demo admin"),
    ]


def demo_grants(catalog: Catalog) -> list[list[str]]:
    """Casbin ``g`` rules: suppliers hold their collaboration role in each segment they serve;
    the demo planner plans the first two segments."""
    rules = [
        ["g", f"supplier:{s.id}", supplier_role(link.role), link.segment_id]
        for s in catalog.suppliers
        for link in s.segments
    ]
    rules += [["g", "planner:demo", "role:planner", seg.id] for seg in catalog.segments[:2]]
    rules.append(["g", "integration:demo", global_role(PrincipalKind.INTEGRATION), "*"])
    rules.append(["g", "admin:demo", global_role(PrincipalKind.ADMIN), "*"])
    return rules


def showcase_supplier(catalog: Catalog) -> str:
    """The supplier whose key the demo hands out: one serving several segments."""
    ranked = sorted(catalog.suppliers, key=lambda s: (-len(s.segments), s.id))
    return ranked[0].id
