"""The statistical forecast, its holdout accuracy and the consensus, for all series at once.

- **Methods per series**: each series may choose among its segment's
  ``PlanningPolicy.forecast_methods`` (a boolean mask over ``DEFAULT_METHODS``); the core picks
  one per series by rolling-origin backtest. Weekly data: season length 52.
- **Intervals**: the core's 10/90 % and 2.5/97.5 % quantiles, stored as 80 % and 95 % intervals.
- **Accuracy**: the chosen method is refit on all but the last ``holdout`` weeks and scored on
  them: MASE (scaled by the in-sample one-step naive MAE), WAPE and bias.
- **Commits**: a supplier commits per item and week; the commits of every source of the item
  are summed and spread over the item's locations in proportion to their statistical forecast
  (equally when it is zero), so each cell has a commit beside its forecast.
- **Consensus**: ``planning_core.consensus_forecast``: the newest planner override of the cell,
  else the statistical forecast (the commit constrains, it does not replace demand).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from gateway.planning.inputs import DemandPanel
from planning_core import DEFAULT_METHODS, bias, consensus_forecast, forecast_panel, mase, wape

__all__ = [
    "QUANTILES",
    "StatForecast",
    "allowed_methods",
    "consensus_cells",
    "holdout_accuracy",
    "statistical_forecast",
]

QUANTILES = (0.1, 0.9, 0.025, 0.975)
SEASON_LENGTH = 52


@dataclass(frozen=True)
class StatForecast:
    """Point forecasts (n, h), quantiles (n, 4, h), chosen method (n,) and periods (h,)."""

    point: np.ndarray
    quantiles: np.ndarray
    method: np.ndarray
    periods: list[dt.date]


def allowed_methods(segments: np.ndarray, policies: pd.DataFrame) -> np.ndarray:
    """(n, len(DEFAULT_METHODS)) mask: the methods each series' segment policy allows.

    A segment without a usable policy (unknown segment, no known method) allows every method.
    """
    codes, inverse = np.unique(segments.astype(str), return_inverse=True)
    table = np.ones((len(codes), len(DEFAULT_METHODS)), dtype=bool)
    for index, code in enumerate(codes):  # one row per segment, not per series
        if code in policies.index:
            wanted = set(cast(list[str], policies.at[code, "forecast_methods"]) or ())
            row = np.array([m in wanted for m in DEFAULT_METHODS])
            table[index] = row if row.any() else True
    return table[inverse]


def statistical_forecast(panel: DemandPanel, horizon: int, allowed: np.ndarray) -> StatForecast:
    """Forecast every series ``horizon`` weeks past the last week of history."""
    result = forecast_panel(
        panel.values,
        horizon,
        season_length=SEASON_LENGTH,
        methods=DEFAULT_METHODS,
        allowed=allowed,
        quantile_levels=QUANTILES,
    )
    last = panel.weeks[-1]
    periods = [last + dt.timedelta(weeks=k + 1) for k in range(horizon)]
    return StatForecast(result.point, result.quantiles, np.asarray(result.method), periods)


def holdout_accuracy(panel: DemandPanel, method: np.ndarray, holdout: int) -> pd.DataFrame:
    """Per series ``mase, wape, bias, rmse`` of the chosen method over the last ``holdout`` weeks.

    Series too short to hold out anything get NaN.
    """
    n = len(method)
    if panel.values.shape[1] <= holdout + 2:
        return pd.DataFrame(np.nan, index=range(n), columns=["mase", "wape", "bias", "rmse"])
    history, actual = panel.values[:, :-holdout], panel.values[:, -holdout:]
    chosen = np.asarray(method)[:, None] == np.array(DEFAULT_METHODS)[None, :]
    usable = ~np.isnan(history).all(axis=1)
    point = np.full((n, holdout), np.nan)
    if usable.any():
        point[usable] = forecast_panel(
            history[usable],
            holdout,
            season_length=SEASON_LENGTH,
            methods=DEFAULT_METHODS,
            allowed=chosen[usable],
            quantile_levels=(0.5,),
            prefer=None,
        ).point
    with np.errstate(all="ignore"):
        rmse = np.sqrt(np.nanmean((actual - point) ** 2, axis=1))
    return pd.DataFrame(
        {
            "mase": mase(actual, point, history, 1),
            "wape": wape(actual, point),
            "bias": bias(actual, point),
            "rmse": rmse,
        }
    )


def _spread_commits(cells: pd.DataFrame, commits: pd.DataFrame) -> pd.Series:
    """Each cell's share of its item's commit for the week (NaN where none was committed)."""
    per_item = commits.groupby(["item_id", "period_start"])["committed_quantity"].sum()
    keys = pd.MultiIndex.from_arrays([cells["item_id"], cells["period_start"]])
    committed = per_item.reindex(keys).to_numpy()
    group = cells.groupby(["item_id", "period_start"])["stat"]
    total = group.transform("sum").to_numpy()
    count = group.transform("size").to_numpy()
    with np.errstate(all="ignore"):
        share = np.where(total > 0, cells["stat"].to_numpy() / total, 1.0 / count)
    return pd.Series(committed * share, index=cells.index)


def consensus_cells(
    panel: DemandPanel,
    segments: np.ndarray,
    stat: StatForecast,
    commits: pd.DataFrame,
    overrides: pd.DataFrame,
) -> pd.DataFrame:
    """One row per series and period: stat, intervals, commit, override and consensus."""
    n, h = stat.point.shape
    q = stat.quantiles
    cells = pd.DataFrame(
        {
            "item_id": np.repeat(panel.item_ids, h),
            "location_id": np.repeat(panel.location_ids, h),
            "segment_id": np.repeat(segments, h),
            "period_start": np.tile(np.array(stat.periods, dtype=object), n),
            "stat": stat.point.ravel(),
            "lo80": q[:, 0, :].ravel(),
            "hi80": q[:, 1, :].ravel(),
            "lo95": q[:, 2, :].ravel(),
            "hi95": q[:, 3, :].ravel(),
        }
    )
    cells["commit"] = _spread_commits(cells, commits)
    cells["override"] = _overrides_for(cells, overrides)
    cells["period"] = cells["period_start"]
    with np.errstate(invalid="ignore"):  # min(consensus, NaN commit) where none was made
        result = consensus_forecast(cells)
    result = result.drop(columns=["period", "blend", "actual", "naive"])
    return result.rename(columns={"commit": "committed"})


def _overrides_for(cells: pd.DataFrame, overrides: pd.DataFrame) -> pd.Series:
    """The newest override quantity of each cell (NaN where there is none)."""
    keys = ["item_id", "location_id", "period_start"]
    if overrides.empty:
        return pd.Series(np.nan, index=cells.index)
    newest = overrides.sort_values("id").drop_duplicates(keys, keep="last").set_index(keys)
    index = pd.MultiIndex.from_frame(cells[keys])
    return pd.Series(newest["quantity"].reindex(index).to_numpy(), index=cells.index)
