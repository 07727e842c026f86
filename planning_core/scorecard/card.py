# ruff: noqa: RUF002
"""Supplier scorecards per supplier × segment × period, with targets, trend, peer rank, tier.

Metrics (shares in [0, 1] unless stated): ``on_time``, ``in_full``, ``otif`` (line shares);
``fill_rate`` = Σ min(accepted, ordered) / Σ ordered (units); ``lead_time_adherence`` = share
of lines not late; ``delay_mean_days`` / ``delay_sd_days`` (receipt − requested, days);
``lead_time_mean_days`` / ``lead_time_sd_days`` when PO lines carry ``order_date``;
``asn_accuracy`` = share of ASN lines whose quantity matched the receipt; ``quality`` =
1 − rejected / received; ``commit_reliability`` = Σ min(delivered, committed) / Σ committed,
over the commitments due (with ``as_of``: for periods begun by then).

``score`` is the weighted mean of the available metrics (weights in ``ScorecardConfig``);
``rank`` is 1 for the best score among suppliers of the same segment and period; ``tier``
maps the score onto strategic / preferred / approved / probation. ``otif_trend`` is the change
from the supplier's previous period in that segment. Targets per segment give
``<metric>_target`` and ``meets_targets``; an SLA gives ``sla_amount`` (reward > 0, penalty < 0)
= rate × percentage points above / below the OTIF target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planning_core.scorecard.lines import DeliveryTolerances, asn_facts, po_line_facts
from planning_core.scorecard.schemas import (
    ASN_COLUMNS,
    COMMIT_COLUMNS,
    PO_COLUMNS,
    RECEIPT_COLUMNS,
    require_columns,
)

__all__ = ["METRICS", "ScorecardConfig", "build_scorecards"]

METRICS = (
    "on_time", "in_full", "otif", "fill_rate", "lead_time_adherence", "asn_accuracy", "quality",
    "commit_reliability",
)  # fmt: skip
KEYS = ["supplier_id", "segment_id", "period"]


@dataclass(frozen=True)
class ScorecardConfig:
    """Period length, tolerances, score weights, tier cut-offs, targets and SLA rates."""

    freq: str = "M"
    tolerances: DeliveryTolerances = field(default_factory=DeliveryTolerances)
    weights: Mapping[str, float] = field(
        default_factory=lambda: {"otif": 0.4, "fill_rate": 0.2, "quality": 0.2,
                                 "asn_accuracy": 0.1, "commit_reliability": 0.1}
    )  # fmt: skip
    tiers: tuple[tuple[float, str], ...] = (
        (0.95, "strategic"), (0.90, "preferred"), (0.80, "approved"), (0.0, "probation"),
    )  # fmt: skip
    targets: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # segment or "*"
    sla_per_point: Mapping[str, tuple[float, float]] = field(default_factory=dict)  # (pen, rew)
    # commitments for periods that begin after this day are not due yet: not judged (None:
    # every commitment is)
    as_of: dt.date | None = None


def _period(dates: pd.Series, freq: str) -> pd.Series:
    return pd.Series(dates.dt.to_period(freq).dt.start_time, index=dates.index)


def _delivery_metrics(lines: pd.DataFrame, tol: DeliveryTolerances) -> pd.DataFrame:
    lines = lines.assign(not_late=lines["delay_days"] <= tol.late_days)
    agg = {
        "lines": ("po_number", "size"), "on_time": ("on_time", "mean"),
        "in_full": ("in_full", "mean"), "otif": ("otif", "mean"),
        "lead_time_adherence": ("not_late", "mean"), "filled": ("filled", "sum"),
        "ordered": ("quantity", "sum"), "received": ("received", "sum"),
        "rejected": ("rejected", "sum"), "delay_mean_days": ("delay_days", "mean"),
        "delay_sd_days": ("delay_days", "std"),
    }  # fmt: skip
    if "lead_time_days" in lines.columns:
        agg["lead_time_mean_days"] = ("lead_time_days", "mean")
        agg["lead_time_sd_days"] = ("lead_time_days", "std")
    card = lines.groupby(KEYS, as_index=False).agg(**agg)
    card["fill_rate"] = card["filled"] / card["ordered"].where(card["ordered"] > 0)
    card["quality"] = 1 - card["rejected"] / card["received"].where(card["received"] > 0)
    return card.drop(columns=["filled", "ordered"])


def _commit_metrics(
    commits: pd.DataFrame, lines: pd.DataFrame, freq: str, as_of: dt.date | None
) -> pd.DataFrame:
    starts = pd.to_datetime(commits["period"])
    if as_of is not None:
        due = starts <= pd.Timestamp(as_of)
        commits, starts = commits[due], starts[due]
    commits = commits.assign(period=_period(starts, freq))
    items = lines[["supplier_id", "item_id", "segment_id"]].drop_duplicates(
        ["supplier_id", "item_id"]
    )
    received = lines.dropna(subset=["last_received"]).assign(
        period=lambda f: _period(f["last_received"], freq)
    )
    delivered = received.groupby(["supplier_id", "item_id", "period"], as_index=False)[
        "accepted"
    ].sum()
    joined = commits.merge(items, on=["supplier_id", "item_id"], how="inner").merge(
        delivered, on=["supplier_id", "item_id", "period"], how="left"
    )
    joined["kept"] = np.minimum(joined["accepted"].fillna(0.0), joined["committed_quantity"])
    sums = joined.groupby(KEYS, as_index=False)[["kept", "committed_quantity"]].sum()
    sums["commit_reliability"] = sums["kept"] / sums["committed_quantity"].where(
        sums["committed_quantity"] > 0
    )
    return sums[[*KEYS, "commit_reliability"]]


def build_scorecards(
    po_lines: pd.DataFrame,
    asn_lines: pd.DataFrame,
    receipts: pd.DataFrame,
    commits: pd.DataFrame | None = None,
    config: ScorecardConfig | None = None,
) -> pd.DataFrame:
    """The scorecard frame, one row per supplier × segment × period (requested-date period)."""
    cfg = config or ScorecardConfig()
    po = require_columns(po_lines, PO_COLUMNS, "po_lines", ("requested_date",))
    asn = require_columns(asn_lines, ASN_COLUMNS, "asn_lines", ("ship_date", "expected_delivery"))
    rec = require_columns(receipts, RECEIPT_COLUMNS, "receipts", ("received_date",))
    lines = po_line_facts(po, rec, cfg.tolerances)
    lines["period"] = _period(lines["requested_date"], cfg.freq)
    card = _delivery_metrics(lines, cfg.tolerances)
    owners = lines[["po_number", "item_id", *KEYS]].drop_duplicates(["po_number", "item_id"])
    asn_lines_f = asn_facts(asn, rec, cfg.tolerances).merge(owners, on=["po_number", "item_id"])
    accuracy = asn_lines_f.groupby(KEYS).agg(asn_accuracy=("asn_accurate", "mean"))
    card = card.merge(accuracy.reset_index(), on=KEYS, how="left")
    if commits is not None:
        found = require_columns(commits, COMMIT_COLUMNS, "commits")
        metrics = _commit_metrics(found, lines, cfg.freq, cfg.as_of)
        card = card.merge(metrics, on=KEYS, how="left")
    else:
        card["commit_reliability"] = np.nan
    return _rank_and_judge(card, cfg)


def _rank_and_judge(card: pd.DataFrame, cfg: ScorecardConfig) -> pd.DataFrame:
    names = [m for m in cfg.weights if m in card.columns]
    values = card[names].astype(float).to_numpy()
    weights = np.array([cfg.weights[m] for m in names])[None, :] * ~np.isnan(values)
    with np.errstate(all="ignore"):
        card["score"] = np.nansum(np.nan_to_num(values) * weights, axis=1) / weights.sum(axis=1)
    peers = card.groupby(["segment_id", "period"])["score"]
    card["rank"] = peers.rank(ascending=False, method="min")
    card["peer_count"] = peers.transform("size")
    cutoffs = np.array([c for c, _ in cfg.tiers])
    labels = np.array([name for _, name in cfg.tiers], dtype=object)
    position = (np.nan_to_num(card["score"].to_numpy(), nan=0.0)[:, None] < cutoffs[None, :]).sum(
        axis=1
    )
    card["tier"] = labels[np.minimum(position, len(labels) - 1)]
    card = card.sort_values(KEYS).reset_index(drop=True)
    card["otif_trend"] = card.groupby(["supplier_id", "segment_id"])["otif"].diff()
    return _targets(card, cfg)


def _targets(card: pd.DataFrame, cfg: ScorecardConfig) -> pd.DataFrame:
    meets = pd.Series(True, index=card.index)
    metrics = sorted({m for t in cfg.targets.values() for m in t})
    for metric in metrics:
        default = cfg.targets.get("*", {}).get(metric, np.nan)
        target = card["segment_id"].map(
            lambda s, m=metric, d=default: cfg.targets.get(s, {}).get(m, d)
        )
        card[f"{metric}_target"] = target.astype(float)
        meets &= ~(card[metric] < card[f"{metric}_target"])
    card["meets_targets"] = meets
    if cfg.sla_per_point and "otif_target" in card.columns:
        rates = card["segment_id"].map(
            lambda s: cfg.sla_per_point.get(s, cfg.sla_per_point.get("*", (0.0, 0.0)))
        )
        points = (card["otif"] - card["otif_target"]) * 100
        penalty = np.array([r[0] for r in rates])
        reward = np.array([r[1] for r in rates])
        card["sla_amount"] = np.where(points < 0, penalty * points, reward * points)
    return card
