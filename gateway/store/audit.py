"""The append-only audit log: who did what to which subject, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from gateway.store.tables import AuditRow, utcnow


def record(
    session: Session,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry in the caller's transaction (it commits with the change it explains)."""
    session.add(
        AuditRow(
            at=utcnow(),
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail or {},
        )
    )
