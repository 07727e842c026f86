"""Supplier scorecards: computed on request from the store with planning_core's scorecard, or
read from the newest forecast run (what planners see in GraphQL).

Both fill the same response shape (``ScorecardPeriod``); ``Scorecard.source`` says which.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from access import Scope
from gateway.store.planning import latest_run_id
from gateway.store.planning_tables import ScorecardRow
from gateway.store.scorecard_inputs import scorecard_inputs
from planning_core.scorecard import METRICS, ScorecardConfig, build_scorecards

__all__ = [
    "Scorecard",
    "ScorecardPeriod",
    "compute_scorecard",
    "scorecard_scope",
    "stored_scorecard",
]

Frequency = Literal["W", "M", "Q"]


class ScorecardPeriod(BaseModel):
    """One supplier's performance in one segment and period (shares in [0, 1])."""

    supplier_id: str
    segment_id: str
    period: dt.date = Field(description="First day of the period.")
    lines: int = Field(description="PO lines requested in the period.")
    on_time: float | None = None
    in_full: float | None = None
    otif: float | None = None
    fill_rate: float | None = None
    lead_time_adherence: float | None = None
    asn_accuracy: float | None = None
    quality: float | None = None
    commit_reliability: float | None = None
    delay_mean_days: float | None = None
    score: float | None = None
    tier: str | None = None
    rank: int | None = Field(None, description="Among the segment's suppliers; null for "
                             "suppliers, who see no peers.")  # fmt: skip
    peer_count: int | None = None
    otif_trend: float | None = Field(None, description="OTIF change from the period before.")


class Scorecard(BaseModel):
    """Scorecard periods, newest first, and how they were obtained."""

    freq: Frequency
    source: Literal["computed", "stored"] = "computed"
    run_id: int | None = Field(None, description="The forecast run a stored scorecard is from.")
    periods: list[ScorecardPeriod]


def compute_scorecard(
    session: Session,
    scope: Scope,
    *,
    supplier_id: str | None = None,
    freq: Frequency = "M",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: dt.date | None = None,
) -> Scorecard:
    """Scorecards of the suppliers in scope over the PO lines requested in the window;
    forecast commitments count from the start of their period (``as_of``, default today)."""
    inputs = scorecard_inputs(
        session, scope, supplier_id=supplier_id, date_from=date_from, date_to=date_to
    )
    periods: list[ScorecardPeriod] = []
    if not inputs.po_lines.empty:
        card = build_scorecards(
            inputs.po_lines,
            inputs.asn_lines,
            inputs.receipts,
            inputs.commits,
            ScorecardConfig(freq=freq, as_of=as_of or dt.datetime.now(dt.UTC).date()),
        )
        periods = [_period(row, peers=scope.supplier_id is None) for row in _records(card)]
    periods.sort(key=lambda p: (p.period, p.supplier_id, p.segment_id), reverse=True)
    return Scorecard(freq=freq, periods=periods)


def scorecard_scope(owner: Any, segments: Any) -> list[ColumnElement[bool]]:
    """The stored scorecard rows a scope sees: a supplier (``owner``) its own, a planner its
    ``segments``. Each is a value or a bound parameter (GraphQL builds its statement once);
    None: no restriction."""
    clauses: list[ColumnElement[bool]] = []
    if owner is not None:
        clauses.append(ScorecardRow.supplier_id == owner)
    if segments is not None:
        clauses.append(ScorecardRow.segment_id.in_(segments))
    return clauses


def stored_scorecard(
    session: Session,
    scope: Scope,
    *,
    supplier_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Scorecard:
    """The monthly scorecards of the newest forecast run, in scope (empty before any run).

    Peer ranks there are among all of a segment's suppliers, as the run computed them; a
    supplier still sees none.
    """
    run_id = latest_run_id(session)
    if run_id is None or scope.is_empty:
        return Scorecard(freq="M", source="stored", run_id=run_id, periods=[])
    segments = None if scope.segments is None else sorted(scope.segments)
    visible = scorecard_scope(scope.supplier_id, segments)
    query = select(ScorecardRow).where(ScorecardRow.run_id == run_id, *visible)
    if supplier_id is not None:
        query = query.where(ScorecardRow.supplier_id == supplier_id)
    if date_from is not None:
        query = query.where(ScorecardRow.period >= date_from.replace(day=1))
    if date_to is not None:
        query = query.where(ScorecardRow.period <= date_to)
    order = (
        ScorecardRow.period.desc(),
        ScorecardRow.supplier_id.desc(),
        ScorecardRow.segment_id.desc(),
    )
    peers = scope.supplier_id is None
    periods = [
        _period({c.key: getattr(row, c.key) for c in ScorecardRow.__table__.columns}, peers=peers)
        for row in session.scalars(query.order_by(*order))
    ]
    return Scorecard(freq="M", source="stored", run_id=run_id, periods=periods)


def _records(card: pd.DataFrame) -> list[dict[str, Any]]:
    return card.to_dict("records")  # type: ignore[return-value]


def _period(row: dict[str, Any], *, peers: bool) -> ScorecardPeriod:
    metrics = {name: _number(row.get(name)) for name in (*METRICS, "delay_mean_days", "score",
                                                        "otif_trend")}  # fmt: skip
    rank, count = _number(row.get("rank")), _number(row.get("peer_count"))
    return ScorecardPeriod(
        supplier_id=str(row["supplier_id"]),
        segment_id=str(row["segment_id"]),
        period=pd.Timestamp(row["period"]).date(),
        lines=int(row["lines"]),
        tier=str(row["tier"]) if row.get("tier") is not None else None,
        rank=int(rank) if peers and rank is not None else None,
        peer_count=int(count) if peers and count is not None else None,
        **metrics,
    )


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number, 6)
