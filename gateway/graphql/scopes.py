"""Scoped selects: the same rules as REST (gateway.store.queries, gateway.store.findings),
applied in SQL to every list and relation the graph loads.

Every function takes the caller's Scope for the object; NOTHING (an empty scope) matches no
row, so a field whose permission failed cannot leak through a nested selection or an alias.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, false, select, true

from access import Scope
from gateway.store.quality_tables import FindingRow
from gateway.store.tables import ItemRow, ItemSourceRow, SegmentRow, SupplierRow, SupplierSegmentRow


def items_of_segments(segments: frozenset[str]) -> Select[Any]:
    return select(ItemRow.id).where(ItemRow.segment_id.in_(sorted(segments)))


def segments_in(scope: Scope) -> Select[Any]:
    query = select(SegmentRow)
    if scope.segments is not None:
        query = query.where(SegmentRow.id.in_(sorted(scope.segments)))
    return query


def items_where(scope: Scope) -> ColumnElement[bool]:
    """Items in the scope's segments; for a supplier, only the items it supplies."""
    if scope.is_empty:
        return false()
    clauses: list[ColumnElement[bool]] = []
    if scope.segments is not None:
        clauses.append(ItemRow.segment_id.in_(sorted(scope.segments)))
    if scope.supplier_id is not None:
        clauses.append(
            exists().where(
                ItemSourceRow.item_id == ItemRow.id,
                ItemSourceRow.supplier_id == scope.supplier_id,
            )
        )
    return true() if not clauses else _and(clauses)


def suppliers_where(scope: Scope) -> ColumnElement[bool]:
    """A supplier sees itself; a planner the suppliers serving its segments; others all."""
    if scope.is_empty:
        return false()
    segments = None if scope.segments is None else sorted(scope.segments)
    return _suppliers_rule(scope.supplier_id, segments)


@functools.cache
def suppliers_rule(owner: bool, segments: bool) -> ColumnElement[bool]:
    """``suppliers_where`` for one shape of scope with the bound parameters of
    ``suppliers_bound``, so a hot statement is built once and only binds new values."""
    return _suppliers_rule(
        bindparam("scope_owner") if owner else None,
        bindparam("scope_segments", expanding=True) if segments else None,
    )


def _suppliers_rule(owner: Any, segments: Any) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if owner is not None:
        clauses.append(SupplierRow.id == owner)
    if segments is not None:
        serves = SupplierSegmentRow.__table__.alias("serves")  # not the caller's own links
        clauses.append(
            exists().where(
                serves.c.supplier_id == SupplierRow.id, serves.c.segment_id.in_(segments)
            )
        )
    return true() if not clauses else _and(clauses)


def suppliers_bound(scope: Scope) -> dict[str, Any]:
    return {"scope_owner": scope.supplier_id, "scope_segments": sorted(scope.segments or ())}


def documents_in(scope: Scope, header: Any, line: Any) -> Select[Any]:
    """Document headers in scope: a supplier's own, with at least one line in the scope's
    segments (as gateway.store.queries does for purchase orders)."""
    query = select(header)
    if scope.is_empty:
        return query.where(false())
    if scope.supplier_id is not None:
        query = query.where(header.supplier_id == scope.supplier_id)
    if scope.segments is not None:
        query = query.where(exists().where(line.document_id == header.id, lines_where(scope, line)))
    return query


def lines_where(scope: Scope, line: Any) -> ColumnElement[bool]:
    """Lines whose item is in the scope's segments (lines of other segments stay hidden)."""
    if scope.is_empty:
        return false()
    if scope.segments is None:
        return true()
    return line.buyer_item.in_(items_of_segments(scope.segments))  # type: ignore[no-any-return]


def findings_in(scope: Scope) -> Select[Any]:
    query = select(FindingRow)
    if scope.is_empty:
        return query.where(false())
    if scope.supplier_id is not None:
        query = query.where(FindingRow.supplier_id == scope.supplier_id)
    if scope.segments is not None:
        # Findings about no segment (a stale ERP feed) are for those who see every segment.
        query = query.where(FindingRow.segment_id.in_(sorted(scope.segments)))
    return query


def _and(clauses: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    from sqlalchemy import and_

    return and_(*clauses)
