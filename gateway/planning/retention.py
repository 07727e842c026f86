"""``prune_runs``: keep the newest forecast runs and every run a forecast was published from.

Each recompute stores a whole run (a 500-item catalogue: ~22,000 forecast cells plus series,
buffers and scorecards), and nothing reads a run older than the newest complete one except a
person comparing runs. Pruning deletes the older runs in one statement; their rows go with
them (``ON DELETE CASCADE``). A run an 830 was published from stays: it is the record of what
suppliers were told. The deletion is audited with the ids it removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gateway.planning.errors import InvalidRetentionError
from gateway.store.audit import record
from gateway.store.planning import COMPLETE
from gateway.store.planning_tables import (
    BufferRow,
    ForecastCellRow,
    ForecastRunRow,
    ForecastSeriesRow,
    PublicationRow,
    ScorecardRow,
)

_RESULT_TABLES = (ForecastCellRow, ForecastSeriesRow, BufferRow, ScorecardRow)


@dataclass(frozen=True)
class PruneResult:
    """What pruning kept and deleted (or, in a dry run, would delete)."""

    newest: list[int]
    published: list[int]
    deleted: list[int]
    rows: int
    dry_run: bool = False

    @property
    def kept(self) -> list[int]:
        return sorted({*self.newest, *self.published})


def prune_runs(session: Session, *, keep: int, actor: str, dry_run: bool = False) -> PruneResult:
    """Delete every run older than the newest ``keep`` complete runs, except published ones.

    Runs newer than the oldest kept one (say a recompute that failed or is still running)
    are left alone. ``dry_run`` counts without deleting or auditing.
    """
    if keep < 1:
        raise InvalidRetentionError(
            f"keep at least the newest run: --keep must be 1 or more, got {keep}"
        )
    newest = list(
        session.scalars(
            select(ForecastRunRow.id)
            .where(ForecastRunRow.status == COMPLETE)
            .order_by(ForecastRunRow.id.desc())
            .limit(keep)
        )
    )
    if not newest:
        return PruneResult([], [], [], 0, dry_run)
    published_ids = select(PublicationRow.run_id).distinct()
    older = ForecastRunRow.id < min(newest)
    published = list(
        session.scalars(
            select(ForecastRunRow.id).where(older, ForecastRunRow.id.in_(published_ids))
        )
    )
    doomed = list(
        session.scalars(
            select(ForecastRunRow.id)
            .where(older, ForecastRunRow.id.not_in(published_ids))
            .order_by(ForecastRunRow.id)
        )
    )
    rows = (
        sum(
            session.scalar(select(func.count()).select_from(table).where(table.run_id.in_(doomed)))
            or 0
            for table in _RESULT_TABLES
        )
        if doomed
        else 0
    )
    result = PruneResult(sorted(newest), sorted(published), doomed, rows, dry_run)
    if doomed and not dry_run:
        session.execute(
            delete(ForecastRunRow).where(ForecastRunRow.id.in_(doomed)),
            execution_options={"synchronize_session": False},
        )
        record(
            session,
            actor,
            "plan.runs_pruned",
            "plan_run",
            f"{doomed[0]}-{doomed[-1]}",
            {"deleted": doomed, "rows": rows, "keep": keep, "kept": result.kept},
        )
    return result
