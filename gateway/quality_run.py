"""The batch re-check: every stored document through every rule, reconciled with the store."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gateway.model import DOCUMENT_TYPES
from gateway.quality_policy import load_policy
from gateway.store.documents import load_documents
from gateway.store.findings import (
    audit_events,
    findings_by_fingerprint,
    load_all_findings,
    tracked,
    update_unless_changed,
    write_reconciliation,
    write_unless_changed,
)
from gateway.store.master import load_items, load_locations, load_segments, load_suppliers
from gateway.store.quality_stream import mark_run, queued_before, release_checked
from gateway.store.quality_tables import FindingRow
from gateway.store.sent_interchanges import load_sent_interchanges, lock_findings
from quality import (
    ACK_RULES,
    Escalation,
    Finding,
    Reconciliation,
    RoutingPolicy,
    TrackedFinding,
    build_frames,
    check_documents,
    due_escalations,
    master_frames,
    reconcile,
    run_rules,
    select_rules,
)

Step = Callable[[str], None]


@dataclass
class QualityRun:
    """What a run found and changed."""

    documents: int = 0
    findings: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    resolved: int = 0
    reopened: int = 0


def run_quality(
    sessions: sessionmaker[Session],
    now: dt.datetime,
    *,
    policy_file: Path | None = None,
    step: Step = lambda _name: None,
) -> QualityRun:
    """Check the whole store at ``now`` and write what changed, in one transaction.

    Messages queued for the streaming check before the documents were read are covered by
    this run and leave the queue with its findings. The findings are read with the
    documents and written later without holding locks meanwhile, so the write compares:
    a finding that the streaming check created or a person moved since it was read is
    reconciled again from what is stored now (see ``_write_findings``).
    """
    started = time.perf_counter()
    with sessions() as session:
        step("loading documents")
        # The queue first: a queued message's documents committed with it, so they are read.
        covered = queued_before(session, dt.datetime.now(dt.UTC))
        documents: list[BaseModel] = []
        for doc_type in DOCUMENT_TYPES:
            documents += load_documents(session, doc_type)
        interchanges = load_sent_interchanges(session)
        segments = load_segments(session)
        master = master_frames(
            segments=segments,
            suppliers=load_suppliers(session),
            items=load_items(session),
            locations=load_locations(session),
        )
        stored = load_all_findings(session)
    policy = load_policy(policy_file, segments)
    step("running rules")
    fresh = check_documents(documents, master, policy.config, now, interchanges=interchanges)
    run = QualityRun(
        documents=len(documents), findings=len(fresh), by_rule=Counter(f.rule for f in fresh)
    )
    step("reconciling")
    result = reconcile(stored, fresh, now, policy=policy.routing)
    step("writing")
    with sessions.begin() as session:
        lock_findings(session, wait=True)
        _write_findings(session, result, stored, fresh, now, policy.routing, run)
        if covered:
            release_checked(session, covered)
        # wall-clock time, not ``now`` (which may be a past --at): the metric shows when it ran
        ran_at = dt.datetime.now(dt.UTC)
        mark_run(session, "batch", ran_at, time.perf_counter() - started, len(documents))
    return run


_WRITE_ROUNDS = 3  # the second round locks (PostgreSQL) or holds SQLite's write lock


def _write_findings(
    session: Session,
    result: Reconciliation,
    stored: list[TrackedFinding],
    fresh: list[Finding],
    now: dt.datetime,
    routing: RoutingPolicy,
    run: QualityRun,
) -> None:
    """Write ``result`` unless a finding changed since ``stored`` was read; reconcile those
    again from the stored rows (locked now) and write that, so a streaming check's insert
    is refreshed rather than refused and an acknowledgement made meanwhile is kept."""
    read = {t.fingerprint: t for t in stored}
    for _ in range(_WRITE_ROUNDS):
        conflicts = write_unless_changed(session, result, read)
        _count(run, result, conflicts)
        if not conflicts:
            return
        again = findings_by_fingerprint(session, conflicts, lock=True)
        read = {t.fingerprint: t for t in again}
        seen = [f for f in fresh if f.fingerprint in conflicts]
        # Only the conflicting findings are in scope: the others were written above.
        result = reconcile(again, seen, now, policy=routing)
    raise RuntimeError(f"findings kept changing under the batch: {sorted(conflicts)[:5]}")


def _count(run: QualityRun, result: Reconciliation, skipped: set[str]) -> None:
    def written(findings: list[TrackedFinding]) -> int:
        return sum(1 for t in findings if t.fingerprint not in skipped)

    run.created += written(result.created)
    run.updated += written(result.updated)
    run.resolved += written(result.resolved)
    run.reopened += written(result.reopened)


def check_acknowledgments(
    sessions: sessionmaker[Session], now: dt.datetime, *, policy_file: Path | None = None
) -> QualityRun | None:
    """Run only the acknowledgment rules and reconcile only their findings (the worker's
    scheduled check); None when another process holds the findings lock (it does the job).

    A 997 that arrived since the last check leaves its overdue finding unseen, so it is
    resolved here (the lifecycle's auto-resolve); a rejection opens ACK_REJECTED.
    """
    with sessions.begin() as session:
        if not lock_findings(session, wait=False):
            return None
        sent = load_sent_interchanges(session)
        segments = load_segments(session)
        master = master_frames(segments=segments, suppliers=load_suppliers(session))
        policy = load_policy(policy_file, segments)
        rules = select_rules(ACK_RULES, config=policy.config)
        fresh = run_rules(build_frames([], sent), master, policy.config, now, rules)
        stored = session.scalars(select(FindingRow).where(FindingRow.rule.in_(ACK_RULES)))
        result = reconcile(
            [tracked(row) for row in stored],
            fresh,
            now,
            in_scope=lambda f: f.finding.rule in ACK_RULES,
            policy=policy.routing,
        )
        write_reconciliation(session, result)
    run = QualityRun(findings=len(fresh), by_rule=Counter(f.rule for f in fresh))
    run.created, run.updated = len(result.created), len(result.updated)
    run.resolved, run.reopened = len(result.resolved), len(result.reopened)
    return run


def escalate(
    sessions: sessionmaker[Session], now: dt.datetime, *, policy_file: Path | None = None
) -> list[Escalation]:
    """Hand every finding that waited too long to the next owner on its segment's path.

    A finding someone moved since it was read is left for the next run (compare-and-set).
    """
    with sessions.begin() as session:
        policy = load_policy(policy_file, load_segments(session))
        stored = {t.fingerprint: t for t in load_all_findings(session)}
        due = due_escalations(list(stored.values()), policy.routing, now)
        done = [
            e
            for e in due
            if update_unless_changed(session, stored[e.finding.fingerprint], e.finding)
        ]
        audit_events(session, [e.event for e in done])
    return done
