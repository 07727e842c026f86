"""Findings in the store: reconciled in bulk by fingerprint, read and changed by scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from access import Scope
from gateway.store.audit import record
from gateway.store.quality_tables import FindingRow
from quality import AuditEvent, Reconciliation, TrackedFinding, from_record, to_record

_TIMES = ("first_seen", "last_seen", "escalated_at", "changed_at", "waiver_expires")


def _row_values(tracked: TrackedFinding) -> dict[str, Any]:
    values = to_record(tracked)
    for name in _TIMES:  # the record carries ISO strings; the table, timestamps
        if values[name] is not None:
            values[name] = dt.datetime.fromisoformat(values[name])
    return values


def tracked(row: FindingRow) -> TrackedFinding:
    """The tracked finding a row holds."""
    columns = {c.key: getattr(row, c.key) for c in FindingRow.__table__.columns}
    return from_record(columns)


def load_all_findings(session: Session) -> list[TrackedFinding]:
    """Every stored finding (the batch re-check reconciles against all of them)."""
    return [tracked(row) for row in session.scalars(select(FindingRow).order_by(FindingRow.id))]


def write_reconciliation(session: Session, result: Reconciliation) -> None:
    """Insert new findings, update changed ones by fingerprint, audit every lifecycle event."""
    for tracked in result.created:
        session.add(FindingRow(**_row_values(tracked)))
    changed = {t.fingerprint: t for t in (*result.updated, *result.resolved, *result.reopened)}
    if changed:
        rows = session.scalars(select(FindingRow).where(FindingRow.fingerprint.in_(changed)))
        for row in rows:
            for name, value in _row_values(changed[row.fingerprint]).items():
                setattr(row, name, value)
    audit_events(session, result.events)


def audit_events(session: Session, events: Sequence[AuditEvent]) -> None:
    for event in events:
        record(
            session,
            event.actor,
            event.action,
            event.object_type,
            event.fingerprint,
            dict(event.detail()),
        )


def _scoped(scope: Scope) -> Select[FindingRow]:
    query = select(FindingRow)
    if scope.is_empty:
        return query.where(false())
    if scope.supplier_id is not None:
        query = query.where(FindingRow.supplier_id == scope.supplier_id)
    if scope.segments is not None:
        # Findings about no segment (a stale ERP feed) are for those who see every segment.
        query = query.where(FindingRow.segment_id.in_(sorted(scope.segments)))
    return query


def list_findings(
    session: Session,
    scope: Scope,
    *,
    filters: dict[str, str | None],
    after_id: int = 0,
    limit: int = 50,
) -> tuple[list[tuple[int, TrackedFinding]], int]:
    """Findings in scope matching the filters (rule, severity, state, segment_id,
    supplier_id), newest id last, from a cursor; and the next cursor."""
    query = _scoped(scope).where(FindingRow.id > after_id)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(FindingRow, name) == value)
    rows = session.scalars(query.order_by(FindingRow.id).limit(limit)).all()
    return [(row.id, tracked(row)) for row in rows], (rows[-1].id if rows else after_id)


def get_finding(session: Session, scope: Scope, fingerprint: str) -> FindingRow | None:
    return session.scalar(_scoped(scope).where(FindingRow.fingerprint == fingerprint))


def save_transition(session: Session, row: FindingRow, tracked: TrackedFinding) -> None:
    for name, value in _row_values(tracked).items():
        setattr(row, name, value)


def counts_by_rule(session: Session, scope: Scope) -> list[tuple[str, str, str, int]]:
    """(rule, severity, state, count) in scope, for the health page."""

    query = (
        _scoped(scope)
        .with_only_columns(FindingRow.rule, FindingRow.severity, FindingRow.state, func.count())
        .group_by(FindingRow.rule, FindingRow.severity, FindingRow.state)
    )
    return [(r, s, st, int(n)) for r, s, st, n in session.execute(query).all()]
