"""The batch re-check: every stored document through every rule, reconciled with the store."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from gateway.model import DOCUMENT_TYPES
from gateway.store.documents import load_documents
from gateway.store.findings import load_all_findings, write_reconciliation
from gateway.store.master import load_items, load_locations, load_segments, load_suppliers
from quality import QualityConfig, RoutingPolicy, check_documents, master_frames, reconcile

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
    policy: RoutingPolicy | None = None,
    step: Step = lambda _name: None,
) -> QualityRun:
    """Check the whole store at ``now`` and write what changed, in one transaction."""
    with sessions() as session:
        step("loading documents")
        documents: list[BaseModel] = []
        for doc_type in DOCUMENT_TYPES:
            documents += load_documents(session, doc_type)
        segments = load_segments(session)
        master = master_frames(
            segments=segments,
            suppliers=load_suppliers(session),
            items=load_items(session),
            locations=load_locations(session),
        )
    step("running rules")
    fresh = check_documents(documents, master, QualityConfig.for_segments(segments), now)
    run = QualityRun(
        documents=len(documents), findings=len(fresh), by_rule=Counter(f.rule for f in fresh)
    )
    step("reconciling")
    with sessions.begin() as session:
        result = reconcile(load_all_findings(session), fresh, now, policy=policy or RoutingPolicy())
        write_reconciliation(session, result)
    run.created, run.updated = len(result.created), len(result.updated)
    run.resolved, run.reopened = len(result.resolved), len(result.reopened)
    return run
