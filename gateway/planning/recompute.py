"""``recompute``: forecast, accuracy, consensus, buffers and scorecards for every item at once,
stored as one forecast run.

Every call creates a new run (id, as_of, created_by, timings); earlier runs are kept for
comparison and the newest complete run is the one the reads serve. The computation is
deterministic: the same store content and as-of date give the same figures in the new run.
Steps run on whole matrices and frames (``planning_core``); results are written with one
executemany per table, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Float, cast, select
from sqlalchemy.orm import Session

from access import Scope
from gateway.planning.buffering import compute_buffers
from gateway.planning.errors import NoDemandError
from gateway.planning.forecasting import (
    allowed_methods,
    consensus_cells,
    holdout_accuracy,
    statistical_forecast,
)
from gateway.planning.inputs import (
    item_master,
    load_commits,
    load_demand_panel,
    segment_policies,
)
from gateway.store.audit import record
from gateway.store.planning import COMPLETE, bulk_insert
from gateway.store.planning_tables import (
    BufferRow,
    ForecastCellRow,
    ForecastRunRow,
    ForecastSeriesRow,
    OverrideRow,
    ScorecardRow,
)
from gateway.store.scorecard_inputs import scorecard_inputs
from planning_core import PlanningError, ScorecardConfig, build_scorecards, lead_time_stats

__all__ = ["STEPS", "RecomputeResult", "recompute"]

Step = Callable[[str], None]
STEPS = ("loading", "forecasting", "accuracy", "consensus", "buffers", "scorecards", "storing")
DAYS_PER_WEEK = 7.0


@dataclass(frozen=True)
class RecomputeResult:
    """The stored run: its id, as-of date, sizes and seconds per step."""

    run_id: int
    as_of: dt.date
    series: int
    forecast_cells: int
    scorecards: int
    timings: dict[str, float] = field(default_factory=dict)


class _Clock:
    def __init__(self, step: Step) -> None:
        self.step = step
        self.timings: dict[str, float] = {}
        self.last = time.perf_counter()

    def done(self, name: str, next_name: str | None = None) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.last, 3)
        self.last = now
        if next_name is not None:
            self.step(next_name)


def _overrides(session: Session) -> pd.DataFrame:
    result = session.execute(
        select(
            OverrideRow.id,
            OverrideRow.item_id,
            OverrideRow.location_id,
            OverrideRow.period_start,
            cast(OverrideRow.quantity, Float).label("quantity"),
        )
    )
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def recompute(
    session: Session,
    *,
    actor: str,
    as_of: dt.date | None = None,
    horizon: int = 26,
    holdout: int = 13,
    step: Step = lambda _name: None,
) -> RecomputeResult:
    """Compute and store a new forecast run from the demand up to ``as_of`` (default: all)."""
    clock = _Clock(step)
    step("loading")
    panel = load_demand_panel(session, as_of)
    if panel.values.size == 0:
        raise NoDemandError("no demand history to forecast")
    master, policies = item_master(session), segment_policies(session)
    commits, overrides = load_commits(session), _overrides(session)
    lines = scorecard_inputs(session, Scope(segments=None))  # every line, as REST reads them
    po, asn, receipts = lines.po_lines, lines.asn_lines, lines.receipts
    series = master.reindex(panel.item_ids).reset_index()
    segments = series["segment_id"].fillna("").to_numpy(dtype=object)
    clock.done("loading", "forecasting")
    stat = statistical_forecast(panel, horizon, allowed_methods(segments, policies))
    clock.done("forecasting", "accuracy")
    accuracy = holdout_accuracy(panel, stat.method, holdout)
    clock.done("accuracy", "consensus")
    cells = consensus_cells(panel, segments, stat, commits, overrides)
    clock.done("consensus", "buffers")
    buffers = _buffers(series, policies, po, receipts, accuracy, panel.values, cells, horizon)
    clock.done("buffers", "scorecards")
    cards = _scorecards(po, asn, receipts, lines.commits, panel.weeks[-1])
    clock.done("scorecards", "storing")
    run = ForecastRunRow(
        as_of=panel.weeks[-1],
        created_by=actor,
        status=COMPLETE,
        horizon=horizon,
        series_count=len(series),
        timings={},
        note="",
    )
    session.add(run)
    session.flush()
    keys = {"run_id": run.id, "item_id": panel.item_ids, "location_id": panel.location_ids}
    bulk_insert(
        session,
        ForecastSeriesRow,
        pd.DataFrame(
            keys
            | {
                "segment_id": segments,
                "method": stat.method,
                "mase": accuracy["mase"].to_numpy(),
                "wape": accuracy["wape"].to_numpy(),
                "bias": accuracy["bias"].to_numpy(),
            }
        ),
    )
    cell_columns = [c.name for c in ForecastCellRow.__table__.columns if c.name != "run_id"]
    bulk_insert(session, ForecastCellRow, cells[cell_columns].assign(run_id=run.id))
    bulk_insert(session, BufferRow, pd.concat([pd.DataFrame(keys), buffers], axis=1))
    bulk_insert(session, ScorecardRow, cards.assign(run_id=run.id))
    clock.done("storing")
    run.timings = clock.timings | {"total": round(sum(clock.timings.values()), 3)}
    record(
        session,
        actor,
        "plan.recomputed",
        "forecast_run",
        str(run.id),
        {"as_of": run.as_of.isoformat(), "series": len(series), "timings": run.timings},
    )
    return RecomputeResult(run.id, run.as_of, len(series), len(cells), len(cards), run.timings)


def _buffers(
    series: pd.DataFrame,
    policies: pd.DataFrame,
    po: pd.DataFrame,
    receipts: pd.DataFrame,
    accuracy: pd.DataFrame,
    history: np.ndarray,
    cells: pd.DataFrame,
    horizon: int,
) -> pd.DataFrame:
    policy = policies.reindex(series["segment_id"])
    lead_sd = _lead_time_sd_days(po, receipts).reindex(series["supplier_id"]).fillna(0.0)
    inputs = pd.DataFrame(
        {
            "service_level": policy["service_level"].fillna(0.95).to_numpy(),
            "measure": policy["service_measure"].fillna("cycle").to_numpy(),
            "review_weeks": policy["review_cycle_days"].fillna(7).to_numpy() / DAYS_PER_WEEK,
            "lead_time_weeks": series["lead_time_days"].fillna(0).to_numpy() / DAYS_PER_WEEK,
            "lead_time_sd_weeks": lead_sd.to_numpy() / DAYS_PER_WEEK,
            "rmse": accuracy["rmse"].to_numpy(),
        }
    )
    consensus = cells["consensus"].to_numpy().reshape(len(series), horizon)
    out = compute_buffers(inputs, history, consensus)
    return pd.concat([inputs.drop(columns=["rmse"]), out], axis=1)


def _lead_time_sd_days(po: pd.DataFrame, receipts: pd.DataFrame) -> pd.Series:
    """Observed lead-time standard deviation per supplier, in days (empty when unknown)."""
    try:
        stats = lead_time_stats(po, receipts)
    except PlanningError:
        return pd.Series(dtype=float)
    return stats.set_index("supplier_id")["lead_time_sd_days"]


SCORE_COLUMNS = [c.name for c in ScorecardRow.__table__.columns if c.name != "run_id"]


def _scorecards(
    po: pd.DataFrame,
    asn: pd.DataFrame,
    receipts: pd.DataFrame,
    commits: pd.DataFrame,
    as_of: dt.date,
) -> pd.DataFrame:
    """Monthly scorecards per supplier and segment with trend and peer rank (commitments
    judged from the start of their period, as of the run)."""
    if po.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    card = build_scorecards(po, asn, receipts, commits, ScorecardConfig(freq="M", as_of=as_of))
    card["period"] = pd.to_datetime(card["period"]).dt.date
    card[["rank", "peer_count", "lines"]] = card[["rank", "peer_count", "lines"]].astype(int)
    return card[SCORE_COLUMNS]
