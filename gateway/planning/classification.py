"""Classification runs as proposals: compute, auto-apply small ones, approve or reject the rest.

A run classifies every item with ``planning_core.classify_items`` using the thresholds in
force, with hysteresis against the classification currently applied (so an item near a cut-off
keeps its class), and compares the result with it (``propose_reclassification``). The
proposal is stored with its changes (item, dimension, from, to, reason) and the items near a
boundary (alerts). When it changes at most ``auto_apply_max_changes`` items it is applied at
once (status ``applied``); otherwise it is ``pending`` until a planner approves or rejects it
with a note. Applying writes one audit entry per changed item (from, to, why) and one for the
decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from gateway.planning.errors import NoDemandError, NotFoundError, ProposalStateError
from gateway.planning.inputs import item_master, load_demand_panel
from gateway.planning.thresholds import current_thresholds
from gateway.store.audit import record
from gateway.store.planning import records
from gateway.store.planning_tables import (
    BoundaryAlertRow,
    ClassificationRow,
    ProposalChangeRow,
    ProposalRow,
)
from gateway.store.tables import AuditRow, utcnow
from planning_core import classify_items, propose_reclassification
from planning_core.segmentation import CLASS_COLUMNS

__all__ = [
    "ProposalResult",
    "approve_proposal",
    "current_classification",
    "propose",
    "reject_proposal",
]

APPLIED, PENDING, APPROVED, REJECTED = "applied", "pending", "approved", "rejected"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class ProposalResult:
    """What a classification run or decision did."""

    id: int
    status: str
    thresholds_version: str
    item_count: int
    change_count: int
    changed_items: int
    alerts: int = 0


def _result(row: ProposalRow, alerts: int = 0) -> ProposalResult:
    return ProposalResult(
        row.id,
        row.status,
        row.thresholds_version,
        row.item_count,
        row.change_count,
        row.changed_items,
        alerts,
    )


def current_classification(session: Session) -> pd.DataFrame:
    """The applied classes: ``item_id`` and the class columns (empty frame when none)."""
    result = session.execute(
        select(ClassificationRow.item_id, *(getattr(ClassificationRow, c) for c in CLASS_COLUMNS))
    )
    return pd.DataFrame(result.all(), columns=["item_id", *CLASS_COLUMNS])


def propose(session: Session, *, actor: str, as_of: dt.date | None = None) -> ProposalResult:
    """Classify every item now and store the proposal; apply it if it is small enough."""
    version = current_thresholds(session)
    panel = load_demand_panel(session, as_of)
    if panel.values.size == 0:
        raise NoDemandError("no demand history to classify")
    item_ids, matrix = panel.by_item()
    margin = item_master(session)["unit_margin"].reindex(item_ids).fillna(0.0).to_numpy()
    current = current_classification(session)
    fresh = classify_items(
        matrix,
        item_ids,
        unit_margin=margin,
        thresholds=version.thresholds,
        previous=current if len(current) else None,
    )
    changes = pd.DataFrame(
        propose_reclassification(current, fresh, version.thresholds),
        columns=[
            "item_id",
            "dimension",
            "from_class",
            "to_class",
            "reason",
            "volume_share",
            "auto_apply",
            "thresholds_version",
        ],
    )
    changed_items = int(changes["item_id"].nunique())
    small = changed_items <= version.auto_apply_max_changes
    row = ProposalRow(
        created_by=actor,
        thresholds_version=version.version,
        status=PENDING,
        item_count=len(fresh),
        change_count=len(changes),
        changed_items=changed_items,
    )
    _supersede_pending(session, actor)
    session.add(row)
    session.flush()
    _store_changes(session, row.id, changes)
    alerts = _store_alerts(session, row.id, fresh)
    record(
        session,
        actor,
        "plan.proposal_created",
        "proposal",
        str(row.id),
        {
            "changes": len(changes),
            "changed_items": changed_items,
            "alerts": alerts,
            "thresholds_version": version.version,
            "auto_apply": small,
        },
    )
    if small:
        _apply(session, row, fresh, actor="system", status=APPLIED, note="auto-applied")
    return _result(row, alerts)


def _supersede_pending(session: Session, actor: str) -> None:
    """Older pending proposals are stale once a newer one exists: close them."""
    for old in session.scalars(select(ProposalRow).where(ProposalRow.status == PENDING)):
        old.status, old.decided_by, old.decided_at = SUPERSEDED, actor, utcnow()
        old.note = "superseded by a newer proposal"
        record(session, actor, "plan.proposal_superseded", "proposal", str(old.id), {})


def _store_changes(session: Session, proposal_id: int, changes: pd.DataFrame) -> None:
    if changes.empty:
        return
    rows = changes[["item_id", "dimension", "from_class", "to_class", "reason", "volume_share"]]
    session.execute(insert(ProposalChangeRow), records(rows.assign(proposal_id=proposal_id)))


def _store_alerts(session: Session, proposal_id: int, fresh: pd.DataFrame) -> int:
    near = fresh.loc[fresh["near_boundary"], ["item_id", "near_boundary_detail", "reason"]]
    if near.empty:
        return 0
    found = near.rename(columns={"near_boundary_detail": "measures"}).assign(
        proposal_id=proposal_id
    )
    session.execute(insert(BoundaryAlertRow), records(found))
    return len(near)


def _proposed_classes(session: Session, proposal_id: int) -> pd.DataFrame:
    """The classes a proposal sets: current classes with its changes laid over them."""
    result = session.execute(
        select(
            ProposalChangeRow.item_id,
            ProposalChangeRow.dimension,
            ProposalChangeRow.to_class,
            ProposalChangeRow.reason,
        ).where(ProposalChangeRow.proposal_id == proposal_id)
    )
    changes = pd.DataFrame(result.all(), columns=["item_id", "dimension", "to_class", "reason"])
    if changes.empty:
        return pd.DataFrame(columns=["item_id", *CLASS_COLUMNS, "reason"])
    wide = changes.pivot(index="item_id", columns="dimension", values="to_class")
    reasons = changes.drop_duplicates("item_id").set_index("item_id")["reason"]
    current = current_classification(session).set_index("item_id")
    merged = wide.combine_first(current.reindex(wide.index)).reindex(columns=list(CLASS_COLUMNS))
    return merged.fillna("").assign(reason=reasons).reset_index()


def _apply(
    session: Session,
    row: ProposalRow,
    classes: pd.DataFrame | None,
    *,
    actor: str,
    status: str,
    note: str,
) -> None:
    """Write the changed items' classes, one audit entry per item, and close the proposal."""
    proposed = _proposed_classes(session, row.id)
    if classes is not None and not proposed.empty:
        reason = classes.set_index("item_id")["reason"].reindex(proposed["item_id"]).to_numpy()
        proposed["reason"] = reason
    before = current_classification(session).set_index("item_id")
    now = utcnow()
    if not proposed.empty:
        ids = proposed["item_id"].tolist()
        session.execute(delete(ClassificationRow).where(ClassificationRow.item_id.in_(ids)))
        table = proposed.assign(
            segment=proposed["abc_volume"] + proposed["xyz"] + "-" + proposed["demand_pattern"],
            thresholds_version=row.thresholds_version,
            proposal_id=row.id,
            applied_at=now,
        )
        session.execute(insert(ClassificationRow), records(table))
        _audit_items(session, row, proposed, before, actor, now)
    row.status, row.decided_by, row.decided_at, row.note = status, actor, now, note
    record(
        session,
        actor,
        f"plan.proposal_{status}",
        "proposal",
        str(row.id),
        {"changed_items": row.changed_items, "note": note},
    )


def _audit_items(
    session: Session,
    row: ProposalRow,
    proposed: pd.DataFrame,
    before: pd.DataFrame,
    actor: str,
    now: dt.datetime,
) -> None:
    columns = list(CLASS_COLUMNS)
    old = before.reindex(proposed["item_id"])[columns].fillna("").to_dict("records")
    new = proposed[columns].to_dict("records")
    entries = [
        {
            "at": now,
            "actor": actor,
            "action": "plan.class_changed",
            "subject_type": "item",
            "subject_id": item,
            "detail": {"proposal_id": row.id, "from": f, "to": t, "reason": why},
        }
        for item, f, t, why in zip(proposed["item_id"], old, new, proposed["reason"], strict=True)
    ]
    session.execute(insert(AuditRow), entries)


def _pending(session: Session, proposal_id: int) -> ProposalRow:
    row = session.get(ProposalRow, proposal_id)
    if row is None:
        raise NotFoundError(f"no proposal {proposal_id}")
    if row.status != PENDING:
        raise ProposalStateError(f"proposal {proposal_id} is already {row.status}")
    return row


def approve_proposal(
    session: Session, proposal_id: int, *, actor: str, note: str = ""
) -> ProposalResult:
    """Apply a pending proposal's changes (audited per item) and mark it approved."""
    row = _pending(session, proposal_id)
    _apply(session, row, None, actor=actor, status=APPROVED, note=note)
    return _result(row)


def reject_proposal(session: Session, proposal_id: int, *, actor: str, note: str) -> ProposalResult:
    """Close a pending proposal without applying it; the note says why."""
    row = _pending(session, proposal_id)
    row.status, row.decided_by, row.decided_at, row.note = REJECTED, actor, utcnow(), note
    record(session, actor, "plan.proposal_rejected", "proposal", str(row.id), {"note": note})
    return _result(row)
