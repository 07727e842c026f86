"""Findings in the store: reconciled in bulk by fingerprint, read and changed by scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
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


# What a lifecycle move, an escalation or a sighting changes: if any differs from what a
# writer read, someone else wrote the finding since (compare-and-set, on both backends).
_VERSION = ("state", "changed_at", "last_seen", "seen_count", "escalation_level", "owner")
_CHUNK = 500


def _unchanged_since(before: TrackedFinding) -> list[ColumnElement[bool]]:
    values = _row_values(before)
    return [getattr(FindingRow, name).is_not_distinct_from(values[name]) for name in _VERSION]


def update_unless_changed(session: Session, before: TrackedFinding, after: TrackedFinding) -> bool:
    """Write ``after`` over the finding if it still is as ``before`` was read; False (nothing
    written) when another writer changed it meanwhile."""
    result = session.execute(
        update(FindingRow)
        .where(FindingRow.fingerprint == before.fingerprint, *_unchanged_since(before))
        .values(**_row_values(after))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


def insert_new(session: Session, created: Sequence[TrackedFinding]) -> set[str]:
    """Insert findings unless their fingerprint exists (another writer created it since it
    was read); the fingerprints that were not inserted."""
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    skipped: set[str] = set()
    for start in range(0, len(created), _CHUNK):
        chunk = created[start : start + _CHUNK]
        statement = (
            insert(FindingRow)
            .values([_row_values(t) for t in chunk])
            .on_conflict_do_nothing(index_elements=[FindingRow.fingerprint])
            .returning(FindingRow.fingerprint)
        )
        inserted = set(session.scalars(statement))
        skipped |= {t.fingerprint for t in chunk} - inserted
    return skipped


def write_unless_changed(
    session: Session, result: Reconciliation, read: Mapping[str, TrackedFinding]
) -> set[str]:
    """Write a reconciliation made from findings ``read`` earlier, without a lock: creates
    that another writer made first and changes to findings someone changed since are left
    out (with their audit events); the fingerprints left out, to reconcile again."""
    conflicts = insert_new(session, result.created)
    for after in (*result.updated, *result.resolved, *result.reopened):
        if not update_unless_changed(session, read[after.fingerprint], after):
            conflicts.add(after.fingerprint)
    audit_events(session, [e for e in result.events if e.fingerprint not in conflicts])
    return conflicts


def findings_by_fingerprint(
    session: Session, fingerprints: Collection[str], *, lock: bool = False
) -> list[TrackedFinding]:
    """These stored findings; with ``lock``, locked until the commit on PostgreSQL."""
    query = select(FindingRow).where(FindingRow.fingerprint.in_(sorted(fingerprints)))
    if lock and is_postgres(session):
        query = query.with_for_update()
    return [tracked(row) for row in session.scalars(query.order_by(FindingRow.id))]


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


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


def get_finding(
    session: Session, scope: Scope, fingerprint: str, *, lock: bool = False
) -> FindingRow | None:
    """The finding in scope; with ``lock``, locked until the commit on PostgreSQL (a
    lifecycle move then cannot interleave with a check's write)."""
    query = _scoped(scope).where(FindingRow.fingerprint == fingerprint)
    if lock and is_postgres(session):
        query = query.with_for_update()
    return session.scalar(query)


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
