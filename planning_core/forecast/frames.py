# ruff: noqa: RUF002
"""Long frames (``unique_id, ds, y``) to a right-aligned demand panel and back.

The forecasting ecosystem's long format: one row per series and period. The frequency is
inferred from the spacing of ``ds`` (daily, weekly, monthly, quarterly, yearly; month and
quarter anchored at the start or the end, as in the data). Each series keeps its own start
and end: the panel is right-aligned (see ``panel``), so forecasts start after each series'
own last date. A period missing inside a series is read as zero demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning_core.errors import InputValueError, MissingColumnsError
from planning_core.forecast.panel import FloatArray

__all__ = ["SEASON_LENGTHS", "Panel", "future_dates", "infer_frequency", "long_to_panel"]

SEASON_LENGTHS = {"D": 7, "W": 52, "MS": 12, "ME": 12, "QS": 4, "QE": 4, "YS": 1}


@dataclass(frozen=True)
class Panel:
    """A right-aligned demand matrix with its series ids, last dates and frequency."""

    values: FloatArray
    ids: np.ndarray
    last_dates: pd.DatetimeIndex
    freq: str


def infer_frequency(dates: pd.Series) -> str:
    """One of D, W, MS, ME, QS, QE, YS from the typical gap between consecutive dates."""
    unique = pd.DatetimeIndex(dates.drop_duplicates()).sort_values()
    if len(unique) < 2:
        raise InputValueError("cannot infer a frequency from fewer than two distinct dates")
    # Differences as timedeltas divided by a day: independent of the datetime unit, which is
    # nanoseconds in pandas 2 and microseconds (or coarser) in pandas 3.
    gap = float(np.median((unique[1:] - unique[:-1]) / pd.Timedelta(days=1)))
    month_start = bool((unique.day == 1).all())
    month_end = bool(unique.is_month_end.all())
    if gap < 1.5:
        return "D"
    if 6 <= gap <= 8:
        return "W"
    if 27 <= gap <= 32 and (month_start or month_end):
        return "MS" if month_start else "ME"
    if 88 <= gap <= 93 and (month_start or month_end):
        return "QS" if month_start else "QE"
    if 360 <= gap <= 370:
        return "YS"
    raise InputValueError(
        f"ds is not regular daily/weekly/monthly/quarterly data (gap {gap:g} days)"
    )


def _ordinal(dates: pd.Series, freq: str) -> np.ndarray:
    if freq in ("D", "W"):
        step = 1 if freq == "D" else 7
        return np.asarray((dates.to_numpy().astype("datetime64[D]").astype(np.int64)) // step)
    months = dates.dt.year.to_numpy() * 12 + dates.dt.month.to_numpy() - 1
    return np.asarray(months // {"MS": 1, "ME": 1, "QS": 3, "QE": 3, "YS": 12}[freq])


def long_to_panel(frame: pd.DataFrame, freq: str | None = None) -> Panel:
    """Pivot ``unique_id, ds, y`` into a right-aligned (series × periods) panel."""
    missing = {"unique_id", "ds", "y"} - set(frame.columns)
    if missing:
        raise MissingColumnsError("demand", missing)
    if frame.empty:
        raise InputValueError("demand has no rows")
    dates = pd.to_datetime(frame["ds"], errors="coerce")
    if dates.isna().any():
        raise InputValueError(
            f"ds has unparseable dates, e.g. {frame['ds'][dates.isna()].iloc[0]!r}"
        )
    values = pd.to_numeric(frame["y"], errors="coerce")
    if values.isna().any():
        raise InputValueError(
            f"y has non-numeric values, e.g. {frame['y'][values.isna()].iloc[0]!r}"
        )
    frequency = freq or infer_frequency(dates)
    ids, codes = np.unique(frame["unique_id"].astype(str).to_numpy(), return_inverse=True)
    position = _ordinal(dates, frequency)
    first = np.full(len(ids), np.iinfo(np.int64).max)
    last = np.full(len(ids), np.iinfo(np.int64).min)
    np.minimum.at(first, codes, position)
    np.maximum.at(last, codes, position)
    width = int((last - first).max()) + 1
    matrix = np.full((len(ids), width), np.nan)
    column = width - 1 - (last[codes] - position)
    inside = np.arange(width)[None, :] >= (width - 1 - (last - first))[:, None]
    matrix[inside] = 0.0  # periods inside a series with no row: zero demand
    np.add.at(matrix, (codes, column), values.to_numpy(dtype=np.float64))
    last_dates = dates.groupby(codes).max().sort_index()
    return Panel(matrix, ids, pd.DatetimeIndex(last_dates.to_numpy()), frequency)


def future_dates(last_dates: pd.DatetimeIndex, freq: str, horizon: int) -> np.ndarray:
    """(n, horizon) dates following each series' last date at the given frequency."""
    offsets = {
        "D": pd.offsets.Day(1),
        "W": pd.offsets.Week(1),
        "MS": pd.offsets.MonthBegin(1),
        "ME": pd.offsets.MonthEnd(1),
        "QS": pd.offsets.QuarterBegin(1, startingMonth=1),
        "QE": pd.offsets.QuarterEnd(1, startingMonth=3),
        "YS": pd.offsets.YearBegin(1),
    }
    offset = offsets[freq]
    steps = [last_dates + offset * (k + 1) for k in range(horizon)]
    return np.stack([np.asarray(s.to_numpy()) for s in steps], axis=1)
