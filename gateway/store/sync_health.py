"""The health of every partner channel, read from the outbox, attempts and breakers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.store.breakers import load_breakers
from gateway.store.outbox import channel_for, list_channels
from gateway.store.sync_tables import AttemptRow, OutboxRow
from sync import AckStatus, Breaker, BreakerPolicy, Status, choose_endpoint

HOUR = dt.timedelta(hours=1)


@dataclass
class ChannelHealth:
    """What an integration engineer asks of one partner and document type."""

    partner_id: str
    document_type: str
    primary_url: str | None = None
    secondary_url: str | None = None
    active_endpoint: str | None = None
    breakers: dict[str, str] = field(default_factory=dict)
    queue_depth: int = 0
    oldest_pending_age_s: float | None = None
    delivered: int = 0
    dead_letters: int = 0
    last_success_at: dt.datetime | None = None
    last_failure_at: dt.datetime | None = None
    last_error: str | None = None
    attempts_last_hour: int = 0
    failures_last_hour: int = 0
    overdue_acks: int = 0  # delivered X12 whose 997 is past its window
    problem_acks: int = 0  # 997s that rejected, partially accepted or noted errors

    @property
    def error_rate_last_hour(self) -> float | None:
        if not self.attempts_last_hour:
            return None
        return self.failures_last_hour / self.attempts_last_hour

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["error_rate_last_hour"] = self.error_rate_last_hour
        for key in ("last_success_at", "last_failure_at"):
            moment = out[key]
            out[key] = moment.isoformat() if moment else None
        return out


def partner_health(
    session: Session, now: dt.datetime, policy: BreakerPolicy | None = None
) -> list[ChannelHealth]:
    """One entry per partner and document type seen in the outbox or configured."""
    policy = policy or BreakerPolicy()
    entries: dict[tuple[str, str], ChannelHealth] = {}

    def entry(partner_id: str, document_type: str) -> ChannelHealth:
        key = (partner_id, document_type)
        if key not in entries:
            entries[key] = ChannelHealth(partner_id, document_type)
        return entries[key]

    channels = {(c.partner_id, c.document_type): c for c in list_channels(session)}
    for partner_id, document_type in channels:
        entry(partner_id, document_type)
    _outbox_counts(session, now, entry)
    _attempt_counts(session, now, entry)
    _ack_counts(session, now, entry)
    breakers = load_breakers(session)
    for health in entries.values():
        channel = channel_for(channels, health.partner_id, health.document_type)
        if channel is None:
            continue
        health.primary_url, health.secondary_url = channel.primary_url, channel.secondary_url
        primary = breakers.get(channel.primary_url, Breaker())
        secondary = breakers.get(channel.secondary_url) if channel.secondary_url else None
        health.breakers = {channel.primary_url: primary.current(now, policy).value}
        if channel.secondary_url:
            state = (secondary or Breaker()).current(now, policy).value
            health.breakers[channel.secondary_url] = state
        choice = choose_endpoint(
            channel.primary_url, primary, channel.secondary_url, secondary, now, policy
        )
        health.active_endpoint = choice.url
    return sorted(entries.values(), key=lambda h: (h.partner_id, h.document_type))


def _outbox_counts(session: Session, now: dt.datetime, entry: Any) -> None:
    rows = session.execute(
        select(
            OutboxRow.partner_id,
            OutboxRow.document_type,
            OutboxRow.status,
            func.count(),
            func.min(OutboxRow.created_at),
        ).group_by(OutboxRow.partner_id, OutboxRow.document_type, OutboxRow.status)
    )
    for partner_id, document_type, status, count, oldest in rows:
        health: ChannelHealth = entry(partner_id, document_type)
        if status in (Status.PENDING.value, Status.IN_FLIGHT.value):
            health.queue_depth += count
            oldest = _aware(oldest)
            age = (now - oldest).total_seconds()
            health.oldest_pending_age_s = max(health.oldest_pending_age_s or 0.0, age)
        elif status == Status.DELIVERED.value:
            health.delivered += count
        elif status == Status.DEAD.value:
            health.dead_letters += count


def _attempt_counts(session: Session, now: dt.datetime, entry: Any) -> None:
    key = (AttemptRow.partner_id, AttemptRow.document_type)
    recent = session.execute(
        select(*key, AttemptRow.ok, func.count())
        .where(AttemptRow.at >= now - HOUR)
        .group_by(*key, AttemptRow.ok)
    )
    for partner_id, document_type, ok, count in recent:
        health: ChannelHealth = entry(partner_id, document_type)
        health.attempts_last_hour += count
        if not ok:
            health.failures_last_hour += count
    successes = session.execute(
        select(*key, func.max(AttemptRow.at)).where(AttemptRow.ok.is_(True)).group_by(*key)
    )
    for partner_id, document_type, at in successes:
        entry(partner_id, document_type).last_success_at = _aware(at)
    last_failures = (
        select(func.max(AttemptRow.id)).where(AttemptRow.ok.is_(False)).group_by(*key)
    ).scalar_subquery()
    for row in session.scalars(select(AttemptRow).where(AttemptRow.id.in_(last_failures))):
        health = entry(row.partner_id, row.document_type)
        health.last_failure_at, health.last_error = row.at, row.error


_PROBLEMS = (
    AckStatus.REJECTED.value,
    AckStatus.PARTIALLY_ACCEPTED.value,
    AckStatus.ACCEPTED_WITH_ERRORS.value,
)


def _ack_counts(session: Session, now: dt.datetime, entry: Any) -> None:
    key = (OutboxRow.partner_id, OutboxRow.document_type)
    overdue = session.execute(
        select(*key, func.count())
        .where(OutboxRow.ack_status == AckStatus.WAITING.value, OutboxRow.ack_due_at < now)
        .group_by(*key)
    )
    for partner_id, document_type, count in overdue:
        entry(partner_id, document_type).overdue_acks = count
    problems = session.execute(
        select(*key, func.count()).where(OutboxRow.ack_status.in_(_PROBLEMS)).group_by(*key)
    )
    for partner_id, document_type, count in problems:
        entry(partner_id, document_type).problem_acks = count


@dataclass(frozen=True)
class MinuteCount:
    """Attempts and failed attempts in one minute (UTC), for the throughput chart."""

    minute: str  # YYYY-MM-DDTHH:MM
    attempts: int
    failures: int


def attempt_timeline(
    session: Session, now: dt.datetime, *, minutes: int = 60, partner_id: str | None = None
) -> list[MinuteCount]:
    """Attempts per minute over the last ``minutes``, oldest first, empty minutes included.

    Counted in the database (one row per minute and outcome), so a busy hour of attempts is
    not read into Python.
    """
    start = (now - dt.timedelta(minutes=minutes - 1)).replace(second=0, microsecond=0)
    if session.get_bind().dialect.name == "postgresql":
        utc = func.timezone("UTC", AttemptRow.at)
        minute = func.to_char(func.date_trunc("minute", utc), 'YYYY-MM-DD"T"HH24:MI')
    else:  # SQLite keeps naive UTC text
        minute = func.strftime("%Y-%m-%dT%H:%M", AttemptRow.at)
    query = select(minute, AttemptRow.ok, func.count()).where(AttemptRow.at >= start)
    if partner_id is not None:
        query = query.where(AttemptRow.partner_id == partner_id)
    counts: dict[str, list[int]] = {}
    for key, ok, count in session.execute(query.group_by(minute, AttemptRow.ok)):
        bucket = counts.setdefault(key, [0, 0])
        bucket[0] += count
        bucket[1] += 0 if ok else count
    out = []
    for n in range(minutes):
        key = (start + dt.timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M")
        attempts, failures = counts.get(key, (0, 0))
        out.append(MinuteCount(key, attempts, failures))
    return out


def _aware(moment: dt.datetime) -> dt.datetime:
    # aggregates bypass the column type: SQLite hands back naive UTC (or even text)
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
