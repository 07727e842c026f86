"""The streaming check: the documents of newly processed messages, judged in micro-batches.

Ingest only queues a processed message (one row, in its own transaction); a checker takes
up to ``batch`` queued messages at a time, loads their documents and the stored documents
they relate to (``quality.related_keys``), runs the document rules over just those, and
writes the findings and takes the messages off the queue in one transaction. So a message is
checked once: a crash before the commit leaves it queued for the next try, and a commit
leaves nothing to check again. On PostgreSQL checkers lock the rows they take and skip the
ones others hold, so several workers share the queue without checking a message twice.
A message whose documents make a rule raise does not hold the others up: the checker splits
the batch in halves until it has the culprit alone, checks the rest, counts the failure on the
culprit's queue row and, after ``max_attempts``, sets it aside (``gateway.store.quality_failures``).
Feed freshness runs on its own cadence (``check_freshness``): no document triggers it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from gateway.model import DOCUMENT_TYPES
from gateway.quality_policy import QualityPolicy, load_policy
from gateway.store.findings import write_reconciliation
from gateway.store.master import load_items, load_locations, load_segments, load_suppliers
from gateway.store.quality_failures import record_failures
from gateway.store.quality_stream import (
    Key,
    claim_pending,
    claim_slot,
    documents_of_messages,
    failed_before,
    feed_last_seen,
    findings_for,
    findings_of_rule,
    mark_run,
    related_documents,
    release_checked,
)
from gateway.store.tables import utcnow
from quality import (
    SYSTEM_ACTOR,
    Finding,
    MasterFrames,
    Reconciliation,
    build_frames,
    check_documents,
    findings_about,
    master_frames,
    reconcile,
    related_keys,
    run_rules,
    select_rules,
    streaming_scope,
)
from quality.frames import document_key

log = logging.getLogger("gateway.quality")
Clock = Callable[[], dt.datetime]
STREAM, FRESHNESS, BATCH = "stream", "freshness", "batch"


class QueueContention(RuntimeError):
    """Another checker took some of the claimed messages first (SQLite has no row locks)."""


@dataclass
class StreamCheck:
    """What one micro-batch checked and changed."""

    messages: int = 0
    documents: int = 0
    related: int = 0
    findings: int = 0
    created: int = 0
    updated: int = 0
    resolved: int = 0
    reopened: int = 0
    retry: bool = False  # rolled back (a conflict with another writer): the queue keeps it
    failed: list[str] = field(default_factory=list)  # messages whose check raised
    set_aside: list[str] = field(default_factory=list)  # ... for the last allowed time

    def count(self, result: Reconciliation) -> None:
        self.created, self.updated = len(result.created), len(result.updated)
        self.resolved, self.reopened = len(result.resolved), len(result.reopened)


@dataclass(frozen=True)
class _Judged:
    """What a micro-batch found, before it is written; ``errors`` are the messages whose
    check raised (id -> error), not among ``ids``."""

    ids: list[str]
    new_docs: Sequence[BaseModel]
    found: list[Finding]
    subjects: set[tuple[str, str]]
    related: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    def merge(self, other: _Judged) -> _Judged:
        """Both halves of a split batch, as if checked together (a finding both saw once)."""
        found = {f.fingerprint: f for f in (*self.found, *other.found)}
        return _Judged(
            [*self.ids, *other.ids],
            [*self.new_docs, *other.new_docs],
            list(found.values()),
            self.subjects | other.subjects,
            self.related + other.related,
            self.errors | other.errors,
        )


class StreamChecker:
    """Checks queued messages; master data and the policy are re-read every ``master_ttl_s``."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        policy_file: Path | None = None,
        batch: int = 200,
        master_ttl_s: float = 60.0,
        max_attempts: int = 3,
        clock: Clock = utcnow,
    ) -> None:
        self._sessions = sessions
        self.max_attempts = max_attempts
        self._policy_file = policy_file
        self.batch = batch
        self._ttl_s = master_ttl_s
        self._clock = clock
        self._loaded_at = -float("inf")
        self._context: tuple[MasterFrames, QualityPolicy] | None = None

    def context(self) -> tuple[MasterFrames, QualityPolicy]:
        """Master frames and the policy, reloaded when older than the TTL."""
        if self._context is None or time.monotonic() - self._loaded_at >= self._ttl_s:
            with self._sessions() as session:
                segments = load_segments(session)
                master = master_frames(
                    segments=segments,
                    suppliers=load_suppliers(session),
                    items=load_items(session),
                    locations=load_locations(session),
                )
            self._context = (master, load_policy(self._policy_file, segments))
            self._loaded_at = time.monotonic()
        return self._context

    def check_once(self) -> StreamCheck:
        """Check up to ``batch`` queued messages; what was checked (0 messages when idle)."""
        master, policy = self.context()
        started = time.perf_counter()
        now = self._clock()
        check = StreamCheck()
        try:
            if self._row_locks:
                # PostgreSQL: the claimed rows stay locked (others skip them) until the commit.
                with self._sessions.begin() as session:
                    judged = self._claim_and_judge(session, master, policy, now)
                    if judged is not None:
                        self._record(session, judged, policy, now, check, started)
            else:
                # SQLite: read and compute first, then one short write transaction. A read
                # transaction that turns into a write fails at once in WAL mode if a writer
                # (ingest) committed meanwhile; one that starts with its write waits its turn.
                with self._sessions() as session:
                    judged = self._claim_and_judge(session, master, policy, now)
                if judged is not None:
                    with self._sessions.begin() as session:
                        self._record(session, judged, policy, now, check, started)
        except (IntegrityError, OperationalError, QueueContention) as error:
            # Two checkers created the same finding, or SQLite was busy: roll back, and the
            # messages stay queued for the next round, which sees the other's findings.
            log.info("streaming check rolled back, retrying: %s", error)
            return StreamCheck(retry=True)
        return check

    @property
    def _row_locks(self) -> bool:
        return bool(self._sessions.kw["bind"].dialect.name == "postgresql")

    def _claim_and_judge(
        self, session: Session, master: MasterFrames, policy: QualityPolicy, now: dt.datetime
    ) -> _Judged | None:
        """Claim queued messages and judge them, isolating any whose check raises."""
        ids = claim_pending(session, self.batch)
        if not ids:
            return None
        # A message that raised before is checked alone, so that it costs one check rather
        # than a bisection of the whole batch on every try.
        suspects = failed_before(session, ids)
        fresh = [i for i in ids if i not in suspects]
        judged = self._isolating(session, fresh, master, policy, now)
        for message_id in sorted(suspects):
            judged = judged.merge(self._isolating(session, [message_id], master, policy, now))
        return judged

    def _isolating(
        self,
        session: Session,
        ids: list[str],
        master: MasterFrames,
        policy: QualityPolicy,
        now: dt.datetime,
    ) -> _Judged:
        """Judge ``ids``; if that raises, judge each half on its own, down to the single
        messages that raise (k culprits in n cost about 2k·log2(n) extra checks)."""
        if not ids:
            return _Judged([], [], [], set())
        try:
            return self._judge(session, ids, master, policy, now)
        except SQLAlchemyError:
            raise  # the database, not the documents: the whole batch is retried
        except Exception as error:  # a rule that raises on these documents
            if len(ids) == 1:
                log.warning("streaming check of message %s raised: %r", ids[0], error)
                reason = f"{type(error).__name__}: {error}"
                return _Judged([], [], [], set(), errors={ids[0]: reason})
            half = len(ids) // 2
            first = self._isolating(session, ids[:half], master, policy, now)
            return first.merge(self._isolating(session, ids[half:], master, policy, now))

    def _judge(
        self,
        session: Session,
        ids: list[str],
        master: MasterFrames,
        policy: QualityPolicy,
        now: dt.datetime,
    ) -> _Judged:
        """Run the document rules over these messages' documents and their relations."""
        new = documents_of_messages(session, ids)
        new_docs = list(new.values())
        links = related_keys(new_docs)
        related = {k: d for k, d in related_documents(session, links, new_docs).items()
                   if k not in new}  # fmt: skip
        documents = _in_arrival_order(new | related)
        found = (
            check_documents(documents, master, policy.config, now, streaming=True)
            if new_docs
            else []
        )
        related_pos = [d for (kind, _), d in related.items() if kind == "purchase_order"]
        found = findings_about(found, [*new_docs, *related_pos])
        subjects = _subjects(new_docs, links.po_numbers)
        return _Judged(ids, new_docs, found, subjects, len(related))

    def _record(
        self,
        session: Session,
        judged: _Judged,
        policy: QualityPolicy,
        now: dt.datetime,
        check: StreamCheck,
        started: float,
    ) -> None:
        """Take the messages off the queue and write their findings, in the caller's
        transaction; the queue delete comes first so that it decides who checked them."""
        if release_checked(session, judged.ids) != len(judged.ids):
            raise QueueContention("another checker took some of these messages")
        check.messages, check.documents = len(judged.ids), len(judged.new_docs)
        check.related, check.findings = judged.related, len(judged.found)
        check.failed = sorted(judged.errors)
        check.set_aside = record_failures(
            session, judged.errors, now, max_attempts=self.max_attempts, actor=SYSTEM_ACTOR
        )
        existing = findings_for(session, {f.fingerprint for f in judged.found}, judged.subjects)
        result = reconcile(
            existing,
            judged.found,
            now,
            in_scope=streaming_scope(judged.new_docs),
            policy=policy.routing,
        )
        write_reconciliation(session, result)
        check.count(result)
        mark_run(session, STREAM, now, time.perf_counter() - started, len(judged.ids))

    def check_freshness(self, every_s: float) -> StreamCheck | None:
        """Raise (or resolve) stale-feed findings if no worker did in the last ``every_s``;
        None when it was not this worker's turn."""
        master, policy = self.context()
        now = self._clock()
        started = time.perf_counter()
        check = StreamCheck()
        with self._sessions.begin() as session:
            if not claim_slot(session, FRESHNESS, now, every_s):
                return None
            events = _feed_frame(feed_last_seen(session))
            rules = select_rules(["FEED_STALE"], config=policy.config)
            frames = replace(build_frames([]), documents=events)
            found = run_rules(frames, master, policy.config, now, rules)
            result = reconcile(
                findings_of_rule(session, "FEED_STALE"),
                found,
                now,
                in_scope=lambda f: f.finding.rule == "FEED_STALE",
                policy=policy.routing,
            )
            write_reconciliation(session, result)
            mark_run(session, FRESHNESS, now, time.perf_counter() - started, len(events))
        check.findings = len(found)
        check.count(result)
        return check


def _in_arrival_order(documents: Mapping[Key, BaseModel]) -> list[BaseModel]:
    # As the batch loads them: by type, then by row id (arrival within a type).
    order = {doc_type: i for i, doc_type in enumerate(DOCUMENT_TYPES)}
    keys = sorted(documents, key=lambda k: (order.get(k[0], len(order)), k[1]))
    return [documents[k] for k in keys]


def _subjects(new_docs: Sequence[BaseModel], po_numbers: frozenset[str]) -> set[tuple[str, str]]:
    """The (doc_type, doc_key) subjects a streaming check may resolve (``streaming_scope``)."""
    subjects = {(str(getattr(d, "type", "")), document_key(d)) for d in new_docs}
    subjects |= {("purchase_order", po) for po in po_numbers}
    subjects |= {("commit", key) for kind, key in subjects if kind.endswith("_commit")}
    return subjects


def _feed_frame(rows: list[tuple[str, str, dt.datetime | None, dt.date | None]]) -> pd.DataFrame:
    """A documents frame with one row per feed (its last reception or document date): all
    ``feed_events`` reads, so FEED_STALE judges the store without loading documents."""
    received = pd.Series([r[2] for r in rows], dtype="object")
    dated = pd.Series([r[3] for r in rows], dtype="object")
    frame = pd.DataFrame({
        "partner_id": [r[0] for r in rows], "doc_type": [r[1] for r in rows],
        "received_at": pd.to_datetime(received, utc=True).dt.tz_localize(None),
        "doc_date": pd.to_datetime(dated),
    })  # fmt: skip
    # A feed whose newest document came without a reception time: the later of the two.
    later = frame["doc_date"] > frame["received_at"]
    frame.loc[later, "received_at"] = frame.loc[later, "doc_date"]
    return frame
