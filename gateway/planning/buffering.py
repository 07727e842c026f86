# ruff: noqa: RUF002
"""Buffers per item-location from the segment's policy, over all series at once.

- service level and measure (cycle α or fill rate β) from the item's segment
  (``Segment.service_level_target``, ``PlanningPolicy.service_measure``); review period R =
  ``review_cycle_days / 7`` weeks, periodic review (R, S);
- demand per week μ = mean of the consensus forecast over the first 13 weeks of the horizon;
  σ = the holdout RMSE of the chosen method (forecast error, not raw demand spread), falling
  back to the standard deviation of the last 26 weeks when there is no holdout;
- lead time L = the primary source's lead time in weeks; its σ_L from observed PO-to-receipt
  lead times of that supplier (``planning_core.lead_time_stats``), 0 when none were observed;
- intermittent series (ADI ≥ 1.32 over the last 52 weeks) use a bootstrap of lead-time demand
  (``planning_core.bootstrap_lead_time_demand``) instead of the normal approximation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planning_core import bootstrap_lead_time_demand, plan_buffers
from planning_core.segmentation import adi_cv2

__all__ = ["compute_buffers"]

DEMAND_WEEKS = 13
RECENT_WEEKS = 52
INTERMITTENT_ADI = 1.32


def _lead_time_sample(mean: float, sd: float, size: int = 400) -> np.ndarray:
    """Whole-week lead times for the bootstrap: gamma-distributed around (mean, sd)."""
    if sd <= 0 or mean <= 0:
        return np.array([max(round(mean), 0.0)])
    shape, scale = (mean / sd) ** 2, sd**2 / mean
    return np.round(np.random.default_rng(0).gamma(shape, scale, size))


def compute_buffers(
    series: pd.DataFrame, history: np.ndarray, consensus: np.ndarray
) -> pd.DataFrame:
    """Buffer columns for each series row.

    ``series`` columns: ``service_level, measure, review_weeks, lead_time_weeks,
    lead_time_sd_weeks, rmse``; ``history`` (n, T) demand; ``consensus`` (n, h).
    """
    recent = history[:, -RECENT_WEEKS:]
    mean = np.nanmean(consensus[:, :DEMAND_WEEKS], axis=1)
    with np.errstate(all="ignore"):
        spread = np.nan_to_num(np.nanstd(recent[:, -26:], axis=1, ddof=1))
    rmse = series["rmse"].to_numpy(dtype=np.float64)
    sd = np.where(np.isfinite(rmse), rmse, spread)
    columns = ("safety_stock", "reorder_point", "order_up_to", "expected_on_hand")
    result = {name: np.zeros(len(series)) for name in columns}
    lead = series["lead_time_weeks"].to_numpy(dtype=np.float64)
    lead_sd = series["lead_time_sd_weeks"].to_numpy(dtype=np.float64)
    level = series["service_level"].to_numpy(dtype=np.float64)
    review = series["review_weeks"].to_numpy(dtype=np.float64)
    measures = series["measure"].to_numpy(dtype=str)
    for measure in np.unique(measures):  # cycle / fill_rate: at most two calls
        rows = np.nonzero(measures == measure)[0]
        policy = plan_buffers(
            mean[rows], sd[rows], lead[rows], lead_sd[rows], level[rows],
            measure=str(measure), review_period=review[rows],
        )  # fmt: skip
        for name in columns:
            result[name][rows] = getattr(policy, name)
    method = np.full(len(series), "normal", dtype=object)
    _bootstrap_intermittent(
        result, method, recent, mean, np.column_stack([level, lead + review, lead_sd]), review
    )
    frame = pd.DataFrame({"demand_mean": mean, "demand_sd": sd, "method": method} | result)
    return frame.set_axis(series.index)


def _bootstrap_intermittent(
    result: dict[str, np.ndarray],
    method: np.ndarray,
    recent: np.ndarray,
    mean: np.ndarray,
    policy: np.ndarray,
    review: np.ndarray,
) -> None:
    """Replace the normal buffers of intermittent series by bootstrap ones.

    ``policy`` (n, 3): service level, protection weeks L + R and σ_L per series; one bootstrap
    per distinct policy, not per series.
    """
    adi = adi_cv2(recent)[0]
    sparse = np.nonzero(np.isfinite(adi) & (adi >= INTERMITTENT_ADI))[0]
    if len(sparse) == 0:
        return
    groups, which = np.unique(np.round(policy[sparse], 2), axis=0, return_inverse=True)
    for group, (level, weeks, lt_sd) in enumerate(groups):
        index = sparse[np.asarray(which).ravel() == group]
        sample = _lead_time_sample(float(weeks), float(lt_sd))
        point, stock = bootstrap_lead_time_demand(recent[index], sample, float(level))
        result["order_up_to"][index] = point
        result["reorder_point"][index] = point
        result["safety_stock"][index] = stock
        result["expected_on_hand"][index] = stock + mean[index] * review[index] / 2
        method[index] = "bootstrap"
