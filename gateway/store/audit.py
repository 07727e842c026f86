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
    """Append one entry in the caller's transaction (it commits with the change it explains).

    Text that may come from a request (a route's path, a key id) is cut to its column: an
    audit entry must never fail the answer it records. The detail keeps the whole subject.
    """
    if len(subject_id) > _SUBJECT_LENGTH or len(actor) > _ACTOR_LENGTH:
        detail = {**(detail or {}), "subject": subject_id, "actor": actor}
        subject_id, actor = _cut(subject_id, _SUBJECT_LENGTH), _cut(actor, _ACTOR_LENGTH)
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


_SUBJECT_LENGTH = AuditRow.__table__.c.subject_id.type.length  # type: ignore[attr-defined]
_ACTOR_LENGTH = AuditRow.__table__.c.actor.type.length  # type: ignore[attr-defined]


def _cut(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 3] + "..."
