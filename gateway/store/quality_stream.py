"""The streaming check's side of the store: its queue, the documents it judges, run marks.

The queue (``quality_pending``) is the watermark made exact. A single high-water mark (an id
or a timestamp) skips messages on PostgreSQL: concurrent ingest transactions commit in
another order than they took ids or clocks, so a checker can pass a mark before an earlier
message becomes visible. A row per processed message, written in the transaction that
stores the documents and deleted in the one that stores their findings, cannot be passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import delete, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gateway.model import Document
from gateway.store import document_tables as t
from gateway.store.documents import MAPPINGS, load_documents_where
from gateway.store.findings import tracked
from gateway.store.quality_tables import FindingRow, QualityPendingRow, QualityRunRow
from quality import Related, TrackedFinding
from quality.frames import KEY_FIELDS, document_key

Key = tuple[str, int]  # (document type, row id)
INVENTORY_WINDOW = dt.timedelta(days=31)  # inventory snapshots loaded around a new one
_CHUNK = 1000


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def claim_pending(session: Session, limit: int) -> list[str]:
    """The oldest queued message ids, locked for this transaction on PostgreSQL (others skip
    them); on SQLite the delete at the end re-checks (``release_checked``)."""
    query = (
        select(QualityPendingRow.message_id)
        .where(QualityPendingRow.failed_at.is_(None))  # set aside: see quality_failures
        .order_by(QualityPendingRow.processed_at)
    )
    if is_postgres(session):
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query.limit(limit)))


def failed_before(session: Session, message_ids: Collection[str]) -> set[str]:
    """Those of these queued messages whose check has raised before (``attempts`` > 0)."""
    query = select(QualityPendingRow.message_id).where(
        QualityPendingRow.message_id.in_(list(message_ids)), QualityPendingRow.attempts > 0
    )
    return set(session.scalars(query))


def release_checked(session: Session, message_ids: Collection[str]) -> int:
    """Take checked messages off the queue; the number that were still on it."""
    ids = list(message_ids)
    removed = 0
    for start in range(0, len(ids), _CHUNK):  # PostgreSQL takes at most 65,535 parameters
        result = session.execute(
            delete(QualityPendingRow)
            .where(QualityPendingRow.message_id.in_(ids[start : start + _CHUNK]))
            .execution_options(synchronize_session=False)
        )
        removed += int(getattr(result, "rowcount", 0))
    return removed


def queued_before(session: Session, moment: dt.datetime) -> list[str]:
    """Queued message ids processed before ``moment`` (a batch re-check covers them); not
    the set-aside ones, which wait for ``gateway quality retry``."""
    query = select(QualityPendingRow.message_id).where(
        QualityPendingRow.processed_at < moment, QualityPendingRow.failed_at.is_(None)
    )
    return list(session.scalars(query))


def documents_of_messages(session: Session, message_ids: Collection[str]) -> dict[Key, Document]:
    """The documents stored from these inbox messages."""
    found: dict[Key, Document] = {}
    for doc_type, mapping in MAPPINGS.items():
        criterion = mapping.table.message_id.in_(message_ids)
        for row_id, document in load_documents_where(session, doc_type, criterion):
            found[(doc_type, row_id)] = document
    return found


def related_documents(
    session: Session, related: Related, new: Iterable[BaseModel]
) -> dict[Key, Document]:
    """The stored documents the rules need beside ``new``: see ``quality.Related``, plus
    earlier copies of each new document's key (duplicates) and inventory around its date."""
    keys: dict[str, set[str]] = {}
    as_of: list[dt.date] = []
    for doc in new:
        doc_type = str(getattr(doc, "type", ""))
        if doc_type not in KEY_FIELDS:
            continue  # a type without a business key here (added later): no earlier copies
        keys.setdefault(doc_type, set()).add(document_key(doc))
        if doc_type == "inventory_position":
            as_of.append(getattr(doc, "as_of"))  # noqa: B009 - typed by doc_type
    criteria = _criteria(related, keys, as_of)
    found: dict[Key, Document] = {}
    for doc_type, clauses in criteria.items():
        if clauses:
            for row_id, document in load_documents_where(session, doc_type, or_(*clauses)):
                found[(doc_type, row_id)] = document
    return found


def _criteria(
    related: Related, keys: dict[str, set[str]], as_of: Sequence[dt.date]
) -> dict[str, list[Any]]:
    """Per document type, the WHERE clauses (OR-ed) that select its related rows."""
    pos, shipments = sorted(related.po_numbers), sorted(related.shipment_ids)
    schedules, suppliers = sorted(related.schedule_ids), sorted(related.schedule_suppliers)
    clauses: dict[str, list[Any]] = {
        doc_type: [getattr(MAPPINGS[doc_type].table, column).in_(sorted(keys[doc_type]))]
        for doc_type, column in KEY_FIELDS.items()
        if keys.get(doc_type)
    }

    def add(doc_type: str, clause: Any) -> None:
        clauses.setdefault(doc_type, []).append(clause)

    if pos:
        add("purchase_order", t.PurchaseOrderRow.po_number.in_(pos))
        shipping = select(t.ShipNoticeLineRow.document_id).where(
            t.ShipNoticeLineRow.po_number.in_(pos)
        )
        add("ship_notice", t.ShipNoticeRow.id.in_(shipping))
    if shipments:
        add("ship_notice", t.ShipNoticeRow.shipment_id.in_(shipments))
        add("receipt", t.ReceiptRow.shipment_id.in_(shipments))
    if schedules:
        add("planning_schedule", t.PlanningScheduleRow.schedule_id.in_(schedules))
        add("forecast_commit", t.ForecastCommitRow.schedule_id.in_(schedules))
    if suppliers:
        for doc_type in ("planning_schedule", "forecast_commit", "capacity_commit"):
            add(doc_type, MAPPINGS[doc_type].table.id.in_(_latest_of(doc_type, suppliers)))
    if related.inventory_locations and as_of:
        table = t.InventoryPositionRow
        add(
            "inventory_position",
            table.location_id.in_(sorted(related.inventory_locations))
            & table.as_of.between(min(as_of) - INVENTORY_WINDOW, max(as_of) + INVENTORY_WINDOW),
        )
    return clauses


def _latest_of(doc_type: str, suppliers: Sequence[str]) -> Any:
    table = MAPPINGS[doc_type].table
    return (
        select(func.max(table.id))
        .where(table.supplier_id.in_(suppliers))
        .group_by(table.supplier_id)
    )


def findings_for(
    session: Session, fingerprints: Collection[str], subjects: Collection[tuple[str, str]]
) -> list[TrackedFinding]:
    """Stored findings with these fingerprints or about these (doc_type, doc_key) subjects;
    locked on PostgreSQL, so a lifecycle move by a person is not overwritten."""
    clauses = []
    if fingerprints:
        clauses.append(FindingRow.fingerprint.in_(sorted(fingerprints)))
    if subjects:
        clauses.append(tuple_(FindingRow.doc_type, FindingRow.doc_key).in_(sorted(subjects)))
    if not clauses:
        return []
    query = select(FindingRow).where(or_(*clauses)).order_by(FindingRow.id)
    if is_postgres(session):
        query = query.with_for_update()
    return [tracked(row) for row in session.scalars(query)]


def findings_of_rule(session: Session, rule: str) -> list[TrackedFinding]:
    query = select(FindingRow).where(FindingRow.rule == rule).order_by(FindingRow.id)
    if is_postgres(session):
        query = query.with_for_update()
    return [tracked(row) for row in session.scalars(query)]


def claim_slot(session: Session, name: str, now: dt.datetime, every_s: float) -> bool:
    """Take the turn to run the check ``name`` if it last ran ``every_s`` ago or never.

    One statement decides, so of several workers one wins; on PostgreSQL the others wait on
    the row until the winner commits, then see its new time and skip.
    """
    _ensure_run_row(session, name, now - dt.timedelta(seconds=every_s))
    result = session.execute(
        update(QualityRunRow)
        .where(
            QualityRunRow.name == name,
            QualityRunRow.last_run_at <= now - dt.timedelta(seconds=every_s),
        )
        .values(last_run_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0)) == 1


def mark_run(session: Session, name: str, at: dt.datetime, duration_s: float, checked: int) -> None:
    """Record that the check ``name`` ran at ``at`` and checked ``checked`` things."""
    _ensure_run_row(session, name, at)
    session.execute(
        update(QualityRunRow)
        .where(QualityRunRow.name == name)
        .values(
            last_run_at=at,
            last_duration_s=duration_s,
            runs=QualityRunRow.runs + 1,
            checked=QualityRunRow.checked + checked,
        )
        .execution_options(synchronize_session=False)
    )


def _ensure_run_row(session: Session, name: str, at: dt.datetime) -> None:
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    statement = insert(QualityRunRow).values(
        name=name, last_run_at=at, last_duration_s=0.0, runs=0, checked=0
    )
    session.execute(statement.on_conflict_do_nothing(index_elements=[QualityRunRow.name]))


def _doc_date_column(doc_type: str) -> Any:
    """The header date that stands for reception when none was recorded (as in the frames)."""
    table = MAPPINGS[doc_type].table
    if doc_type == "planning_schedule":
        return func.coalesce(table.issue_date, table.horizon_start)
    for name in ("order_date", "ship_date", "received_date", "as_of", "issued_date"):
        if name in table.__table__.columns:
            return getattr(table, name)
    raise LookupError(f"{doc_type} has no document date")


def feed_last_seen(
    session: Session,
) -> list[tuple[str, str, dt.datetime | None, dt.date | None]]:
    """Per partner and document type: the latest reception time and document date (one
    aggregate per table, so the freshness check reads no documents)."""
    rows: list[tuple[str, str, dt.datetime | None, dt.date | None]] = []
    for doc_type, mapping in MAPPINGS.items():
        table = mapping.table
        query = select(
            table.partner_id, func.max(table.received_at), func.max(_doc_date_column(doc_type))
        ).group_by(table.partner_id)
        for partner_id, received, dated in session.execute(query):
            rows.append((partner_id, doc_type, _aware(received), _as_date(dated)))
    return rows


def _aware(value: Any) -> dt.datetime | None:
    # func.max() loses the column type: SQLite hands back a string, PostgreSQL an aware time.
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
