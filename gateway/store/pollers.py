"""Pollers in the store: configuration, claims with a lease, resume state, and run records.

A worker claims due pollers (``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and marks them with a
claim token and a lease; the HTTP calls run outside any transaction. Every later write is a
compare-and-set on the token, so a worker whose lease lapsed cannot move a successor's
cursor. A poller is not claimed while another poller of the same partner holds a lease:
one partner's API is polled by one worker at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from gateway.store.poller_tables import PollerItemRow, PollerRow, PollerRunRow
from gateway.store.tables import utcnow
from sync import PollerConfig, PullState

log = logging.getLogger("gateway.sync.pollers")


class PollerExists(ValueError):
    """``add`` of a poller that is already configured (use replace)."""


def add_poller(session: Session, config: PollerConfig, *, replace: bool = False) -> PollerRow:
    """Store a validated poller; a replaced one keeps its position and health."""
    row = session.get(PollerRow, (config.partner_id, config.name))
    now = utcnow()
    if row is not None and not replace:
        raise PollerExists(f"poller {config.key} exists; pass replace to change it")
    if row is None:
        row = PollerRow(partner_id=config.partner_id, name=config.name, created_at=now)
        row.next_due_at = now
        session.add(row)
    row.config = config.model_dump(mode="json")
    row.enabled = config.enabled
    row.updated_at = now
    session.flush()
    return row


def remove_poller(session: Session, partner_id: str, name: str) -> bool:
    row = session.get(PollerRow, (partner_id, name))
    if row is None:
        return False
    session.delete(row)
    return True


def list_pollers(session: Session, partner_id: str | None = None) -> Sequence[PollerRow]:
    query = select(PollerRow).order_by(PollerRow.partner_id, PollerRow.name)
    if partner_id is not None:
        query = query.where(PollerRow.partner_id == partner_id)
    return session.scalars(query).all()


def config_of(row: PollerRow) -> PollerConfig:
    return PollerConfig.model_validate(row.config)


@dataclass(frozen=True)
class Claimed:
    """A poller a worker holds until its lease ends: what it needs for one run."""

    config: PollerConfig
    state: PullState
    token: str
    consecutive_failures: int


def _free(now: dt.datetime):  # type: ignore[no-untyped-def]
    other = aliased(PollerRow)
    partner_busy = exists().where(
        other.partner_id == PollerRow.partner_id, other.lease_until >= now
    )
    return and_(
        PollerRow.enabled.is_(True),
        or_(PollerRow.lease_until.is_(None), PollerRow.lease_until < now),
        ~partner_busy,
    )


def claim(
    sessions: sessionmaker[Session],
    *,
    lease_s: float,
    limit: int = 10,
    now: dt.datetime | None = None,
    partner_id: str | None = None,
    name: str | None = None,
    due_only: bool = True,
    not_run_since: dt.datetime | None = None,
) -> list[Claimed]:
    """Claim up to ``limit`` pollers (due ones, or any with ``due_only=False``), one per partner.

    ``not_run_since`` leaves out pollers that ran at or after that moment (``run --once``).
    """
    now = now or utcnow()
    token = uuid.uuid4().hex
    condition = _free(now)
    if due_only:
        condition = and_(condition, PollerRow.next_due_at <= now)
    if partner_id is not None:
        condition = and_(condition, PollerRow.partner_id == partner_id)
    if name is not None:
        condition = and_(condition, PollerRow.name == name)
    if not_run_since is not None:
        ran = PollerRow.last_run_at
        condition = and_(condition, or_(ran.is_(None), ran < not_run_since))
    with sessions.begin() as session:
        query = select(PollerRow).where(condition)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True, of=PollerRow)
        picked: dict[str, PollerRow] = {}
        for row in session.scalars(query.order_by(PollerRow.next_due_at)):
            if row.partner_id in picked or not _valid(row):
                continue  # one poller per partner per claim
            picked[row.partner_id] = row
            if len(picked) >= limit:
                break
        claimed = []
        for partner, row in picked.items():
            if not _partner_lock(session, partner):
                continue
            # checked again in the UPDATE: on SQLite (no row locks) another process may have
            # claimed it since the SELECT; then it matches no row
            taken = session.execute(
                update(PollerRow)
                .where(PollerRow.partner_id == partner, PollerRow.name == row.name, condition)
                .values(claim_token=token, lease_until=now + dt.timedelta(seconds=lease_s))
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                state = PullState(row.cursor, row.etag, row.last_modified)
                config = config_of(row)
                claimed.append(Claimed(config, state, token, row.consecutive_failures))
        return claimed


def _partner_lock(session: Session, partner_id: str) -> bool:
    """On PostgreSQL, one claiming transaction per partner at a time.

    Row locks alone do not stop two workers from claiming two different pollers of one
    partner at the same instant (neither sees the other's uncommitted lease). The advisory
    lock lasts until the claim commits; the UPDATE's re-check then sees the committed lease.
    SQLite serialises writers, so there the re-check is enough.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    key = func.hashtext(f"gateway.poller:{partner_id}")
    return bool(session.scalar(select(func.pg_try_advisory_xact_lock(key))))


def _valid(row: PollerRow) -> bool:
    """A stored configuration that no longer validates (edited by hand, an older version)
    is left unclaimed and logged, so one broken poller cannot stop the others."""
    try:
        config_of(row)
    except ValidationError as error:
        log.error("poller %s/%s has an invalid configuration: %s", row.partner_id, row.name, error)
        return False
    return True


def _mine(claimed: Claimed):  # type: ignore[no-untyped-def]
    return and_(
        PollerRow.partner_id == claimed.config.partner_id,
        PollerRow.name == claimed.config.name,
        PollerRow.claim_token == claimed.token,
    )


def save_position(
    sessions: sessionmaker[Session],
    claimed: Claimed,
    state: PullState,
    *,
    lease_s: float,
    now: dt.datetime | None = None,
) -> bool:
    """Persist where the next run starts (after the page is stored) and renew the lease.

    False when the claim was lost (the lease lapsed and another worker took the poller).
    """
    now = now or utcnow()
    with sessions.begin() as session:
        result = session.execute(
            update(PollerRow)
            .where(_mine(claimed))
            .values(
                cursor=state.cursor,
                etag=state.etag,
                last_modified=state.last_modified,
                lease_until=now + dt.timedelta(seconds=lease_s),
                updated_at=now,
            )
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RunReport:
    """What one run of a poller did."""

    started_at: dt.datetime
    finished_at: dt.datetime
    ok: bool
    pages: int = 0
    documents: int = 0
    requests: int = 0
    not_modified: bool = False
    error: str | None = None
    message_id: str | None = None  # the stored page that failed, for inspection


def finish(
    sessions: sessionmaker[Session], claimed: Claimed, report: RunReport, next_due_at: dt.datetime
) -> bool:
    """Record a run, update the poller's health and counters, and release the claim."""
    values: dict[str, object] = {
        "claim_token": None,
        "lease_until": None,
        "next_due_at": next_due_at,
        "last_run_at": report.finished_at,
        "updated_at": report.finished_at,
        "runs_total": PollerRow.runs_total + 1,
        "pages_total": PollerRow.pages_total + report.pages,
        "documents_total": PollerRow.documents_total + report.documents,
    }
    if report.ok:
        values |= {"last_success_at": report.finished_at, "consecutive_failures": 0}
    else:
        values |= {
            "last_failure_at": report.finished_at,
            "last_error": report.error,
            "last_message_id": report.message_id,
            "consecutive_failures": PollerRow.consecutive_failures + 1,
            "failures_total": PollerRow.failures_total + 1,
        }
    with sessions.begin() as session:
        session.add(
            PollerRunRow(
                partner_id=claimed.config.partner_id,
                name=claimed.config.name,
                started_at=report.started_at,
                finished_at=report.finished_at,
                ok=report.ok,
                not_modified=report.not_modified,
                pages=report.pages,
                documents=report.documents,
                requests=report.requests,
                error=report.error,
                worker=f"{socket.gethostname()}:{os.getpid()}"[:100],  # which process
            )
        )
        result = session.execute(update(PollerRow).where(_mine(claimed)).values(**values))
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def new_items(
    session: Session, config: PollerConfig, keys: Sequence[str], message_id: str
) -> list[bool]:
    """Which of a page's items (by key) this poller has not stored before; records them.

    Runs in the caller's transaction (the one that stores the documents), so a rolled-back
    page records nothing. A key twice on one page counts once.
    """
    seen = set(
        session.scalars(
            select(PollerItemRow.sha256).where(
                PollerItemRow.partner_id == config.partner_id,
                PollerItemRow.name == config.name,
                PollerItemRow.sha256.in_(set(keys)),
            )
        )
    )
    fresh: list[bool] = []
    for key in keys:
        fresh.append(key not in seen)
        if key not in seen:
            seen.add(key)
            session.add(
                PollerItemRow(
                    partner_id=config.partner_id,
                    name=config.name,
                    sha256=key,
                    message_id=message_id,
                    seen_at=utcnow(),
                )
            )
    return fresh
