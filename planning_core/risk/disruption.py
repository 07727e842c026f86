# ruff: noqa: RUF002
"""Monte Carlo disruption simulation: a supplier's lead time stretched or capacity cut.

For N weeks from ``start`` the disrupted supplier's items get lead times × ``lead_time_factor``
(orders placed then arrive late) or an order cap of ``capacity_share`` × mean demand per
period. Each item runs its periodic (R = 1, S) policy twice — with its safety stock (S from
``plan_buffers`` at the segment's service level) and without (S = expected demand over the
protection interval) — and the achieved cycle service, fill rate and share of stock-out
periods are averaged per segment and scenario. Uses ``buffers.simulate_policy``.

Items frame columns: ``item_id, segment_id, supplier_id, demand_mean, demand_sd,
lead_time_mean, lead_time_sd, service_level`` (periods as the time unit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planning_core.buffers.safety_stock import plan_buffers
from planning_core.buffers.simulation import simulate_policy
from planning_core.errors import InputValueError, MissingColumnsError

__all__ = ["ITEM_COLUMNS", "simulate_disruption"]

ITEM_COLUMNS = (
    "item_id", "segment_id", "supplier_id", "demand_mean", "demand_sd", "lead_time_mean",
    "lead_time_sd", "service_level",
)  # fmt: skip


def simulate_disruption(
    items: pd.DataFrame,
    supplier_id: str,
    *,
    kind: str = "lead_time",
    start: int = 30,
    weeks: int = 8,
    lead_time_factor: float = 2.0,
    capacity_share: float = 0.5,
    periods: int = 104,
    replications: int = 30,
    seed: int = 0,
) -> pd.DataFrame:
    """Per segment and scenario (``with_buffers`` / ``without_buffers``): service, stock-outs."""
    missing = set(ITEM_COLUMNS) - set(items.columns)
    if missing:
        raise MissingColumnsError("items", missing)
    if kind not in ("lead_time", "capacity"):
        raise InputValueError(f"kind must be 'lead_time' or 'capacity', got {kind!r}")
    hit = (items["supplier_id"] == supplier_id).to_numpy()
    window = np.zeros(periods, dtype=bool)
    window[start : start + weeks] = True
    disrupted = hit[:, None] & window[None, :]
    mean, sd, lt_mean, lt_sd, target = (
        items[c].to_numpy(float)
        for c in ("demand_mean", "demand_sd", "lead_time_mean", "lead_time_sd", "service_level")
    )
    factor = np.where(disrupted, lead_time_factor, 1.0) if kind == "lead_time" else None
    cap = (
        np.where(disrupted, capacity_share * mean[:, None], np.inf) if kind == "capacity" else None
    )
    policy = plan_buffers(mean, sd, lt_mean, lt_sd, target)
    levels = {
        "with_buffers": policy.order_up_to,
        "without_buffers": policy.order_up_to - policy.safety_stock,
    }
    frames = []
    for scenario, level in levels.items():
        report = simulate_policy(
            level, mean, sd, lt_mean, lt_sd, periods=periods, warmup=min(start, 26),
            replications=replications, seed=seed, lead_time_factor=factor, capacity=cap,
        )  # fmt: skip
        frames.append(
            pd.DataFrame(
                {
                    "segment_id": items["segment_id"].to_numpy(),
                    "scenario": scenario,
                    "affected": hit,
                    "cycle_service": report.cycle_service,
                    "fill_rate": report.fill_rate,
                    "stockout_periods": report.stockout_periods,
                    "target": target,
                }
            )
        )
    return _per_segment(pd.concat(frames))


def _per_segment(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.groupby(["segment_id", "scenario"], as_index=False).agg(
        items=("affected", "size"), affected_items=("affected", "sum"),
        cycle_service=("cycle_service", "mean"), fill_rate=("fill_rate", "mean"),
        stockout_periods=("stockout_periods", "mean"), target=("target", "mean"),
    )  # fmt: skip
