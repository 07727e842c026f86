"""Benchmark: planning_core.forecast_panel against statsforecast, in the same run.

Synthetic weekly series of 104 periods — a mix of smooth (level, some trend), seasonal
(annual, m = 52) and intermittent items — with the last 13 weeks held out. Prints wall time
and mean MASE (scale: in-sample one-step naive MAE) for this project and for statsforecast's
AutoETS, CrostonOptimized and SeasonalNaive, and the ratios.

    python bench/forecast.py --series 2000
    python bench/forecast.py                 # 10,000 series
    python bench/forecast.py --large         # 100,000 series (add --skip-statsforecast)
    python bench/forecast.py --demo          # the demo supply chain's item-location series
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planning_core import forecast_panel_parallel

PERIODS, HORIZON, SEASON = 104, 13, 52


def synthetic(series: int, seed: int = 42) -> tuple[np.ndarray, np.ndarray]:
    """(demand matrix, kind per series): 40% smooth, 30% seasonal, 30% intermittent."""
    rng = np.random.default_rng(seed)
    t = np.arange(PERIODS)[None, :]
    kind = rng.choice(np.array(["smooth", "seasonal", "intermittent"]), series, p=[0.4, 0.3, 0.3])
    level = rng.uniform(20, 200, (series, 1))
    trend = rng.normal(0, 0.002, (series, 1)) * level * (rng.random((series, 1)) < 0.3)
    noise = rng.normal(0, 1, (series, PERIODS)) * rng.uniform(0.05, 0.3, (series, 1)) * level
    amplitude = rng.uniform(0.2, 0.6, (series, 1)) * level
    phase = rng.uniform(0, 2 * np.pi, (series, 1))
    season = amplitude * np.sin(2 * np.pi * t / SEASON + phase)
    smooth = level + trend * t + noise
    seasonal = smooth + season
    prob = rng.uniform(0.05, 0.5, (series, 1))
    sizes = rng.gamma(2.0, rng.uniform(1, 10, (series, 1)) / 2.0, (series, PERIODS))
    sparse = (rng.random((series, PERIODS)) < prob) * np.ceil(sizes)
    demand = np.where(
        kind[:, None] == "smooth", smooth, np.where(kind[:, None] == "seasonal", seasonal, sparse)
    )
    return np.clip(np.round(demand), 0, None), kind


def demo() -> tuple[np.ndarray, np.ndarray]:
    """The demo's weekly demand per item and location; the kind follows the item's segment."""
    from gateway.demo import generate_demo

    data = generate_demo(7, as_of=dt.date(2026, 11, 20))
    segment = {item.id: item.segment_id for item in data.catalog.items}
    kinds = {"SPARE": "intermittent", "SEAS": "seasonal"}
    kind = np.array([kinds.get(segment[item], "smooth") for item, _ in data.demand.series])
    return data.demand.quantity.astype(float), kind


def mase(actual: np.ndarray, forecast: np.ndarray, train: np.ndarray) -> np.ndarray:
    """Per-series MASE with the in-sample one-step naive MAE as scale (NaN if it is 0)."""
    scale = np.mean(np.abs(np.diff(train, axis=1)), axis=1)
    mae = np.mean(np.abs(actual - forecast), axis=1)
    with np.errstate(all="ignore"):
        return np.where(scale > 0, mae / scale, np.nan)


def run_ours(train: np.ndarray, jobs: int) -> tuple[float, dict[str, np.ndarray]]:
    start = time.perf_counter()
    result = forecast_panel_parallel(train, HORIZON, n_jobs=jobs, season_length=SEASON)
    return time.perf_counter() - start, {"planning_core": result.point}


def run_statsforecast(
    train: np.ndarray, jobs: int
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, CrostonOptimized, SeasonalNaive

    n = train.shape[0]
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(n), train.shape[1]),
            "ds": np.tile(pd.date_range("2024-01-07", periods=train.shape[1], freq="W-SUN"), n),
            "y": train.ravel(),
        }
    )
    models = {"AutoETS": AutoETS(season_length=SEASON), "CrostonOptimized": CrostonOptimized(),
              "SeasonalNaive": SeasonalNaive(season_length=SEASON)}  # fmt: skip
    times, points = {}, {}
    for name, model in models.items():
        engine = StatsForecast(models=[model], freq="W-SUN", n_jobs=jobs)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = engine.forecast(df=frame, h=HORIZON)
        times[name] = time.perf_counter() - start
        out = out.sort_values(["unique_id", "ds"])
        points[name] = out[name].to_numpy().reshape(n, HORIZON)
    return times, points


def report(kind: np.ndarray, test: np.ndarray, train: np.ndarray, times: dict[str, float],
           points: dict[str, np.ndarray]) -> None:  # fmt: skip
    rows = []
    for name, point in points.items():
        score = mase(test, point, train)
        row = {"model": name, "seconds": times[name], "mean_MASE": np.nanmean(score),
               "negative_forecasts": int((point < 0).any(axis=1).sum())}  # fmt: skip
        for k in ("smooth", "seasonal", "intermittent"):
            row[f"MASE_{k}"] = np.nanmean(score[kind == k])
        rows.append(row)
    table = pd.DataFrame(rows).set_index("model")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    if "AutoETS" in table.index:
        ours = table.loc["planning_core"]
        others = table.drop(index="planning_core")
        best = others["mean_MASE"].idxmin()
        print(f"\nspeed-up vs AutoETS: {table.loc['AutoETS', 'seconds'] / ours['seconds']:.1f}x")
        total = others["seconds"].sum()
        print(f"speed-up vs all three statsforecast models: {total / ours['seconds']:.1f}x")
        print(
            f"best statsforecast model by mean MASE: {best} ({others.loc[best, 'mean_MASE']:.3f})"
        )
        ratio = ours["mean_MASE"] / others.loc[best, "mean_MASE"]
        print(f"MASE ratio planning_core / {best}: {ratio:.3f} (< 1: planning_core is better)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--series", type=int, default=10_000, help="number of series (default 10,000)"
    )
    parser.add_argument("--large", action="store_true", help="100,000 series")
    parser.add_argument("--demo", action="store_true", help="the demo supply chain's series")
    parser.add_argument("--jobs", type=int, default=2, help="processes for both (default 2)")
    parser.add_argument("--skip-statsforecast", action="store_true", help="time this project only")
    args = parser.parse_args()
    series = 100_000 if args.large else args.series
    demand, kind = demo() if args.demo else synthetic(series)
    train, test = demand[:, :-HORIZON], demand[:, -HORIZON:]
    source = "demo supply chain" if args.demo else "synthetic"
    print(
        f"{len(demand)} {source} weekly series x {demand.shape[1]} periods, holdout {HORIZON}, "
        f"cores {os.cpu_count()}"
    )
    ours_time, points = run_ours(train, args.jobs)
    times = {"planning_core": ours_time}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    workers = f", largest worker {workers_mb:.0f} MB" if workers_mb else " (one process)"
    print(f"planning_core: {ours_time:.2f} s, up to {args.jobs} job(s), peak RSS {peak_mb:.0f} MB"
          f"{workers}")  # fmt: skip
    if not args.skip_statsforecast:
        sf_times, sf_points = run_statsforecast(train, args.jobs)
        times.update(sf_times)
        points.update(sf_points)
    report(kind, test, train, times, points)


if __name__ == "__main__":
    main()
