"""The transactional outbox: enqueue with the change, claim with a lease, finish each attempt.

Enqueue writes in the caller's session, so a message exists exactly when the change that
causes it commits. Workers claim due rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
workers never wait on one another) and mark them in flight with a lease; the HTTP call runs
outside any transaction. A compare-and-set on the claim token finishes the attempt, so a
worker whose lease ran out (it was presumed dead) cannot overwrite its successor's result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from gateway.store.sync_tables import AttemptRow, ChannelRow, OutboxRow
from gateway.store.tables import utcnow
from sync import AckStatus, AttemptResult, ChannelKind, Decision, Status, channel_endpoint

ANY_TYPE = "*"


def new_delivery_id() -> str:
    return uuid.uuid4().hex


def enqueue(
    session: Session,
    *,
    partner_id: str,
    document_type: str,
    body: bytes,
    content_type: str,
    control_number: str | None = None,
    replay_of: str | None = None,
    not_before: dt.datetime | None = None,
    ack_window: dt.timedelta | None = None,
) -> str:
    """Add a message to the outbox in the caller's transaction; returns its delivery id."""
    now = utcnow()
    delivery_id = new_delivery_id()
    session.add(
        OutboxRow(
            id=delivery_id,
            partner_id=partner_id,
            document_type=document_type,
            content_type=content_type,
            body=body,
            status=Status.PENDING.value,
            attempts=0,
            created_at=now,
            next_attempt_at=not_before or now,
            control_number=control_number,
            replay_of=replay_of,
            ack_window_s=ack_window.total_seconds() if ack_window else None,
            ack_status=AckStatus.WAITING.value if ack_window else None,
        )
    )
    return delivery_id


@dataclass(frozen=True)
class Claimed:
    """A delivery a worker holds until ``lease_until``: what it needs to send it."""

    id: str
    partner_id: str
    document_type: str
    content_type: str
    body: bytes
    attempts: int
    token: str
    lease_until: dt.datetime
    ack_window_s: float | None = None
    replay_of: str | None = None


def _due(now: dt.datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(OutboxRow.status == Status.PENDING.value, OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.status == Status.IN_FLIGHT.value, OutboxRow.lease_until < now),
    )


def claim(
    sessions: sessionmaker[Session], *, limit: int, lease_s: float, now: dt.datetime | None = None
) -> list[Claimed]:
    """Claim up to ``limit`` due deliveries (pending, or in flight with a lapsed lease)."""
    now = now or utcnow()
    token = uuid.uuid4().hex
    lease_until = now + dt.timedelta(seconds=lease_s)
    with sessions.begin() as session:
        query = select(OutboxRow.id).where(_due(now)).order_by(OutboxRow.next_attempt_at)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(session.scalars(query.limit(limit)))
        if not ids:
            return []
        # The predicate is checked again in the UPDATE: on SQLite (no row locks) another
        # process may have claimed a row between the SELECT and here; it then matches no row.
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_(ids), _due(now))
            .values(status=Status.IN_FLIGHT.value, claim_token=token, lease_until=lease_until)
            .execution_options(synchronize_session=False)
        )
        rows = session.scalars(
            select(OutboxRow)
            .where(OutboxRow.claim_token == token)
            .order_by(OutboxRow.next_attempt_at)
        ).all()
        return [
            Claimed(
                r.id,
                r.partner_id,
                r.document_type,
                r.content_type,
                r.body,
                r.attempts,
                token,
                lease_until,
                r.ack_window_s,
                r.replay_of,
            )
            for r in rows
        ]


def has_open(sessions: sessionmaker[Session]) -> bool:
    """Whether any delivery is still pending or in flight (due now or later)."""
    with sessions() as session:
        open_ = (Status.PENDING.value, Status.IN_FLIGHT.value)
        return (
            session.scalar(select(OutboxRow.id).where(OutboxRow.status.in_(open_)).limit(1))
            is not None
        )


def next_due_in(sessions: sessionmaker[Session], now: dt.datetime | None = None) -> float | None:
    """Seconds until the earliest open delivery may be claimed (0 if one is due now);
    None when nothing is pending or in flight.

    A pending row is due at its ``next_attempt_at`` (backoff, or an open breaker's cooldown);
    an in-flight row when its holder's lease runs out.
    """
    now = now or utcnow()
    with sessions() as session:
        pending = session.scalar(
            select(func.min(OutboxRow.next_attempt_at)).where(
                OutboxRow.status == Status.PENDING.value
            )
        )
        leased = session.scalar(
            select(func.min(OutboxRow.lease_until)).where(
                OutboxRow.status == Status.IN_FLIGHT.value
            )
        )
    moments = [_aware(m) for m in (pending, leased) if m is not None]
    if not moments:
        return None
    return max(0.0, (min(moments) - now).total_seconds())


def _aware(moment: dt.datetime | str) -> dt.datetime:
    # aggregates bypass the column type: SQLite hands back naive UTC text
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def finish(
    session: Session,
    claimed: Claimed,
    *,
    endpoint: str,
    result: AttemptResult,
    decision: Decision,
    now: dt.datetime,
) -> bool:
    """Record an attempt and move the delivery on; False if the claim was lost meanwhile."""
    session.add(
        AttemptRow(
            delivery_id=claimed.id,
            partner_id=claimed.partner_id,
            document_type=claimed.document_type,
            endpoint=endpoint,
            at=now,
            ok=decision.status is Status.DELIVERED,
            status_code=result.status_code,
            error=None if decision.status is Status.DELIVERED else result.describe(),
            duration_ms=result.duration_ms,
        )
    )
    values: dict[str, object] = {
        "status": decision.status.value,
        "attempts": claimed.attempts + 1,
        "endpoint": endpoint,
        "claim_token": None,
        "lease_until": None,
    }
    if decision.status is Status.DELIVERED:
        values["delivered_at"] = now
        if claimed.ack_window_s is not None:  # the partner's 997 is due from now
            values["ack_due_at"] = now + dt.timedelta(seconds=claimed.ack_window_s)
    else:
        values["last_error"] = result.describe()
    if decision.status is Status.DEAD:
        values["dead_reason"] = decision.reason
    if decision.next_attempt_at is not None:
        values["next_attempt_at"] = decision.next_attempt_at
    return _compare_and_set(session, claimed, values)


def release(session: Session, claimed: Claimed, *, not_before: dt.datetime, reason: str) -> bool:
    """Give a claim back without an attempt (no endpoint may be tried before ``not_before``)."""
    values: dict[str, object] = {
        "status": Status.PENDING.value,
        "next_attempt_at": not_before,
        "claim_token": None,
        "lease_until": None,
        "last_error": reason,
    }
    return _compare_and_set(session, claimed, values)


def bury(session: Session, claimed: Claimed, *, reason: str) -> bool:
    """Dead-letter a claim that cannot be attempted at all (no channel configured)."""
    values: dict[str, object] = {
        "status": Status.DEAD.value,
        "claim_token": None,
        "lease_until": None,
        "dead_reason": reason,
        "last_error": reason,
    }
    return _compare_and_set(session, claimed, values)


def _compare_and_set(session: Session, claimed: Claimed, values: dict[str, object]) -> bool:
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == claimed.id, OutboxRow.claim_token == claimed.token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def origins(session: Session, delivery_ids: Iterable[str]) -> dict[str, str]:
    """The first delivery of each one's replay chain (the delivery itself when no replay)."""
    found: dict[str, str] = {}
    for delivery_id in delivery_ids:
        current, seen = delivery_id, {delivery_id}
        while (
            parent := session.scalar(select(OutboxRow.replay_of).where(OutboxRow.id == current))
        ) is not None and parent not in seen:
            current = parent
            seen.add(parent)
        found[delivery_id] = current
    return found


# --- channels --------------------------------------------------------------------------------


def set_channel(
    session: Session,
    *,
    partner_id: str,
    document_type: str,
    primary_url: str,
    secondary_url: str | None = None,
    timeout_s: float = 10.0,
    max_attempts: int = 8,
    enabled: bool = True,
    kind: ChannelKind | str = ChannelKind.HTTP,
) -> ChannelRow:
    """Create or replace the channel of a partner for a document type (``*``: any type).

    ``kind`` says what the endpoints are: HTTP(S) URLs, or absolute directory paths (stored
    as ``file://`` URIs); ``ValueError`` (``BadEndpoint``) names what does not fit.
    """
    if max_attempts < 1 or timeout_s <= 0:
        raise ValueError("max_attempts must be at least 1 and timeout_s positive")
    primary_url = channel_endpoint(kind, primary_url)
    secondary_url = channel_endpoint(kind, secondary_url) if secondary_url else None
    row = session.get(ChannelRow, (partner_id, document_type))
    if row is None:
        row = ChannelRow(partner_id=partner_id, document_type=document_type)
        session.add(row)
    row.primary_url, row.secondary_url = primary_url, secondary_url
    row.timeout_s, row.max_attempts, row.enabled = timeout_s, max_attempts, enabled
    row.updated_at = utcnow()
    return row


def list_channels(session: Session) -> Sequence[ChannelRow]:
    return session.scalars(
        select(ChannelRow).order_by(ChannelRow.partner_id, ChannelRow.document_type)
    ).all()


def channel_for(
    channels: dict[tuple[str, str], ChannelRow], partner_id: str, document_type: str
) -> ChannelRow | None:
    """The channel for exactly this type, else the partner's catch-all (``*``)."""
    return channels.get((partner_id, document_type)) or channels.get((partner_id, ANY_TYPE))
