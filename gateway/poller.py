"""Inbound pollers: claim due pollers, fetch their pages, store each raw, process, move on.

Every page goes into the inbox through ``store_message`` (dedupe key: poller and body hash,
so a page fetched twice is one message), is processed by the same inbox path as a pushed
document, and only then does the poller's position move. A crash between fetch and store
re-fetches that page; it never skips one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from gateway.background import BackgroundLoop
from gateway.model import Channel, Provenance
from gateway.store.breakers import load_breakers, save_breaker
from gateway.store.inbox import FAILED, PROCESSED, Handler, process_message, store_message
from gateway.store.pollers import (
    Claimed,
    RunReport,
    claim,
    finish,
    new_items,
    save_position,
)
from gateway.store.tables import InboxRow, utcnow
from sync import (
    Breaker,
    BreakerPolicy,
    Fetched,
    PollerConfig,
    PullError,
    PullState,
    RetryPolicy,
    SecretMissing,
    advance,
    auth_headers,
    fetch_page,
    is_transient,
    item_key,
    next_position,
    page_request,
    read_page,
    to_documents,
)

log = logging.getLogger("gateway.sync.pollers")
Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class PollerSettings:
    batch: int = 10  # pollers claimed at a time (one per partner), run concurrently
    lease_s: float = 300.0  # renewed after every stored page
    poll_s: float = 1.0  # sleep when nothing is due
    retry: RetryPolicy = field(default_factory=lambda: RetryPolicy(1.0, 30.0, 1.0))
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    longest_wait_s: float = 60.0  # a longer Retry-After ends the run instead of blocking it
    max_page_bytes: int = 10 * 1024 * 1024  # a larger page fails the run unread


def page_handler(config: PollerConfig) -> Handler:
    """Inbox handler for a stored page: decode, validate every item, keep the new ones.

    Items this poller stored before (by ``item_key``) are left out, in the same transaction
    that stores the rest, so a page re-fetched with items appended adds only those.
    """

    def handle(session: Session, row: InboxRow) -> list[BaseModel]:
        page = read_page(row.body, config)
        documents = to_documents(page, config)
        keys = [item_key(item) for item in page.items]
        fresh = new_items(session, config, keys, row.id)
        documents = [d for d, new in zip(documents, fresh, strict=True) if new]
        provenance = Provenance(
            channel=Channel.PULL,
            partner_id=row.partner_id,
            message_id=row.id,
            received_at=row.received_at,
        )
        for document in documents:
            setattr(document, "provenance", provenance)  # noqa: B010
        return documents

    return handle


def dedupe_key(config: PollerConfig, body: bytes) -> str:
    """The same page (same poller, same bytes) is the same inbox message."""
    return f"pull:{config.name}:sha256:{hashlib.sha256(body).hexdigest()}"


class _Failed(Exception):
    def __init__(self, error: str, message_id: str | None = None) -> None:
        super().__init__(error)
        self.message_id = message_id


@dataclass
class _Run:
    claimed: Claimed
    started_at: dt.datetime
    state: PullState
    pages: int = 0
    documents: int = 0
    requests: int = 0
    not_modified: bool = False
    not_before: dt.datetime | None = None  # a Retry-After or an open breaker


class PollRunner:
    """Runs pollers once each: what a worker calls on every tick, and `pollers run --once`."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: PollerSettings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = utcnow,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._sessions = sessions
        self.settings = settings or PollerSettings()
        self._transport = transport
        self._clock = clock
        self._environ = environ

    def run_due(
        self,
        *,
        partner_id: str | None = None,
        name: str | None = None,
        due_only: bool = True,
        not_run_since: dt.datetime | None = None,
    ) -> list[RunReport]:
        """Claim due pollers (or any, with ``due_only=False``), run each once, record."""
        claimed = claim(
            self._sessions,
            lease_s=self.settings.lease_s,
            limit=self.settings.batch,
            partner_id=partner_id,
            name=name,
            due_only=due_only,
            not_run_since=not_run_since,
            now=self._clock(),
        )
        if not claimed:
            return []
        return asyncio.run(self._run_all(claimed))

    async def _run_all(self, claimed: list[Claimed]) -> list[RunReport]:
        async with httpx.AsyncClient(transport=self._transport) as client:
            return list(await asyncio.gather(*(self.run_one(client, c) for c in claimed)))

    async def run_one(self, client: httpx.AsyncClient, claimed: Claimed) -> RunReport:
        run = _Run(claimed, self._clock(), claimed.state)
        error: str | None = None
        message_id: str | None = None
        try:
            await self._pages(client, run)
        except _Failed as failure:
            error, message_id = str(failure), failure.message_id
        except Exception as unexpected:  # a bug or the database: recorded, the worker goes on
            log.exception("poller %s failed", claimed.config.key)
            error = f"internal error: {type(unexpected).__name__}: {unexpected}"
        report = RunReport(
            run.started_at,
            self._clock(),
            ok=error is None,
            pages=run.pages,
            documents=run.documents,
            requests=run.requests,
            not_modified=run.not_modified,
            error=error,
            message_id=message_id,
        )
        if error:
            log.warning("poller %s: %s", claimed.config.key, error)
        if not finish(self._sessions, claimed, report, self._next_due(run, report)):
            log.warning("poller %s: claim lost (lease lapsed) before it ended", claimed.config.key)
        return report

    def _next_due(self, run: _Run, report: RunReport) -> dt.datetime:
        due = report.finished_at + dt.timedelta(seconds=run.claimed.config.interval_s)
        return max(due, run.not_before) if run.not_before else due

    async def _pages(self, client: httpx.AsyncClient, run: _Run) -> None:
        config = run.claimed.config
        try:
            secret = auth_headers(config, self._environ)
        except SecretMissing as missing:
            raise _Failed(str(missing)) from None
        for number in range(1, config.max_pages + 1):
            self._check_breaker(run)
            asked_for = run.state.cursor
            request = page_request(config, run.state)
            request = replace(request, headers={**request.headers, **secret})
            fetched = await fetch_page(
                client,
                request,
                timeout_s=config.timeout_s,
                max_attempts=config.max_attempts,
                policy=self.settings.retry,
                longest_wait_s=self.settings.longest_wait_s,
                max_bytes=self.settings.max_page_bytes,
            )
            self._count(run, fetched)
            if fetched.not_modified:
                run.not_modified = run.pages == 0
                return
            if not fetched.ok:
                raise _Failed(f"page {number}: {fetched.error}")
            next_at = self._store_page(run, number, fetched)
            if next_at is None or next_at == asked_for:  # the end, or a server going round
                return

    def _store_page(self, run: _Run, number: int, fetched: Fetched) -> str | None:
        """Store the page raw, process it like a pushed document, then move the position."""
        config = run.claimed.config
        stored = store_message(
            self._sessions,
            partner_id=config.partner_id,
            channel=Channel.PULL.value,
            content_type=fetched.content_type,
            body=fetched.body,
            dedupe_key=dedupe_key(config, fetched.body),
        )
        run.pages += 1
        if stored.status != PROCESSED:  # new, or stored by a run that crashed, or failed before
            outcome = process_message(self._sessions, stored.message_id, page_handler(config))
            if outcome.status == FAILED:
                reason = _describe(number, stored.message_id, outcome.error)
                raise _Failed(reason, stored.message_id)
            run.documents += outcome.documents
        try:
            next_at = next_position(read_page(fetched.body, config), config, fetched.link)
        except PullError as error:  # e.g. a next link to another host: not followed
            reason = _describe(number, stored.message_id, error)
            raise _Failed(reason, stored.message_id) from None
        state = advance(
            config, run.state, next_at, etag=fetched.etag, last_modified=fetched.last_modified
        )
        if not save_position(self._sessions, run.claimed, state, lease_s=self.settings.lease_s):
            raise _Failed("claim lost: the lease ran out and another worker took the poller")
        run.state = state
        return next_at

    def _check_breaker(self, run: _Run) -> None:
        url, now = run.claimed.config.url, self._clock()
        with self._sessions() as session:
            breaker = load_breakers(session).get(url, Breaker())
        if not breaker.allows(now, self.settings.breaker):
            run.not_before = breaker.reopens_at(self.settings.breaker)
            until = f"{run.not_before:%Y-%m-%dT%H:%M:%SZ}" if run.not_before else "further notice"
            raise _Failed(f"the breaker of {url} is open until {until}")

    def _count(self, run: _Run, fetched: Fetched) -> None:
        """Fold the attempts into the endpoint's shared breaker; remember a Retry-After."""
        run.requests += len(fetched.attempts)
        url, now, policy = run.claimed.config.url, self._clock(), self.settings.breaker
        with self._sessions.begin() as session:
            before = load_breakers(session).get(url, Breaker())
            after = before
            for attempt in fetched.attempts:
                # a 4xx is an answer: the endpoint is up, the request is what is wrong
                transient = is_transient(attempt.status_code)
                after = after.on_failure(now, policy) if transient else after.on_success()
            if after != before:
                save_breaker(session, url, after, now)
        if fetched.retry_after_s is not None and not fetched.ok:
            run.not_before = now + dt.timedelta(seconds=fetched.retry_after_s)


def _describe(number: int, message_id: str, error: Exception | None) -> str:
    code = error.code if isinstance(error, PullError) else "pull.rejected"
    return f"page {number} (inbox message {message_id}): {code}: {error}"


class PollWorker:
    """Runs due pollers until stopped: the loop of `gateway worker` and `gateway serve`."""

    def __init__(self, runner: PollRunner) -> None:
        self.runner = runner

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                ran = self.runner.run_due()
            except Exception:  # a database hiccup must not end the worker
                log.exception("poller tick failed; retrying after the poll interval")
                ran = []
            if not ran:
                stop.wait(self.runner.settings.poll_s)


class RunningPollers(BackgroundLoop[PollWorker]):
    """A poll worker on a daemon thread; ``stop()`` ends it after the current runs."""

    def __init__(self, worker: PollWorker) -> None:
        super().__init__(worker, worker.run, "gateway-poll-worker")


def start_pollers(
    sessions: sessionmaker[Session], settings: PollerSettings | None = None, **runner: Any
) -> RunningPollers:
    """Start one poll worker on a daemon thread (``gateway serve`` and ``gateway worker``)."""
    return RunningPollers(PollWorker(PollRunner(sessions, settings, **runner))).start()
