"""Feed mappings per partner and the row report of each file, in the store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from adapters.api.feeds import FeedMapping
from gateway.store.audit import record
from gateway.store.feed_tables import FeedMappingRow, FeedReportRow
from gateway.store.tables import utcnow

MAX_PROBLEMS = 1000  # kept per file; the counts stay exact


def set_mapping(session: Session, partner_id: str, mapping: FeedMapping, actor: str) -> bool:
    """Store a partner's mapping for its document type (audited); True if it was new."""
    data = mapping.model_dump(mode="json", exclude_defaults=True)
    data["document_type"] = mapping.document_type
    row = session.get(FeedMappingRow, (partner_id, mapping.document_type))
    created = row is None
    if row is None:
        row = FeedMappingRow(partner_id=partner_id, document_type=mapping.document_type)
        session.add(row)
    row.mapping, row.updated_at, row.updated_by = data, utcnow(), actor
    action = "feed.mapping.created" if created else "feed.mapping.changed"
    record(session, actor, action, "feed_mapping", f"{partner_id}/{mapping.document_type}", data)
    return created


def get_mappings(session: Session, partner_id: str | None = None) -> list[FeedMappingRow]:
    """A partner's mappings (or everyone's), by partner and document type."""
    query = select(FeedMappingRow).order_by(FeedMappingRow.partner_id, FeedMappingRow.document_type)
    if partner_id is not None:
        query = query.where(FeedMappingRow.partner_id == partner_id)
    return list(session.scalars(query))


def save_report(session: Session, row: FeedReportRow) -> None:
    """Keep a file's report (replacing an earlier one for the same message)."""
    row.problems = row.problems[:MAX_PROBLEMS]
    session.merge(row)


def report_of(session: Session, message_id: str) -> dict[str, Any] | None:
    """A file's report as the API shows it, or None for a message that was not a file."""
    row = session.get(FeedReportRow, message_id)
    if row is None:
        return None
    return {
        "file_name": row.file_name,
        "format": row.format,
        "document_type": row.document_type,
        "read": row.details,
        "rows_total": row.rows_total,
        "rows_accepted": row.rows_accepted,
        "rows_rejected": row.rows_rejected,
        "documents": row.documents,
        "error": row.error,
        "problems": row.problems,
        "problems_truncated": int(row.details.get("problems_total", 0)) > len(row.problems),
    }
