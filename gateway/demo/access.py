"""Who may see what in the demo: a principal per supplier, a planner, integration and admin."""

from __future__ import annotations

from dataclasses import dataclass

from access import PrincipalKind, global_role, supplier_role
from gateway.demo.catalog import Catalog
from gateway.model import CollaborationRole, Supplier


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
    """The supplier whose key the demo hands out: the most involved collaborator (co-creation
    before advisory before execution only, so its key shows the demand signal too), then the
    one serving the most segments."""
    depth = {CollaborationRole.CO_CREATION: 0, CollaborationRole.ADVISORY: 1}

    def rank(supplier: Supplier) -> tuple[int, int, str]:
        deepest = min((depth.get(link.role, 2) for link in supplier.segments), default=2)
        return deepest, -len(supplier.segments), supplier.id

    return min(catalog.suppliers, key=rank).id
