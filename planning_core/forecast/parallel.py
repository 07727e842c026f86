"""Split a forecast over worker processes by series: the rows are independent.

Every series is forecast on its own, so cutting the matrix into row blocks and concatenating
the results gives exactly what one process would (the same methods, parameters and quantiles).
Uses ``fork`` where the platform has it, so workers read the matrix without copying it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from planning_core.forecast.auto import ForecastResult, Progress, forecast_panel
from planning_core.forecast.panel import FloatArray, as_demand_matrix

__all__ = ["forecast_panel_parallel"]

MIN_ROWS_PER_JOB = 2000


def _blocks(n: int, jobs: int) -> list[slice]:
    edges = np.linspace(0, n, jobs + 1).astype(int)
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


def _merge(parts: Sequence[ForecastResult]) -> ForecastResult:
    first = parts[0]
    params = {
        name: {key: np.concatenate([p.params[name][key] for p in parts]) for key in values}
        for name, values in first.params.items()
    }
    return ForecastResult(
        point=np.concatenate([p.point for p in parts]),
        method=np.concatenate([p.method for p in parts]),
        quantile_levels=first.quantile_levels,
        quantiles=np.concatenate([p.quantiles for p in parts]),
        backtest_error=np.concatenate([p.backtest_error for p in parts]),
        methods=first.methods,
        params=params,
    )


def forecast_panel_parallel(
    demand: FloatArray,
    horizon: int,
    *,
    n_jobs: int | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> ForecastResult:
    """``forecast_panel`` over ``n_jobs`` processes (default: the CPU count), same result.

    Small inputs (fewer than 2,000 series per job) run in this process.
    """
    matrix = as_demand_matrix(demand)
    jobs = max(1, min(n_jobs or os.cpu_count() or 1, matrix.shape[0] // MIN_ROWS_PER_JOB))
    if jobs == 1:
        return forecast_panel(matrix, horizon, progress=progress, **options)
    allowed = options.pop("allowed", None)
    methods = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(methods)
    blocks = _blocks(matrix.shape[0], jobs)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [
            pool.submit(
                forecast_panel, matrix[block], horizon,
                allowed=None if allowed is None else np.asarray(allowed)[block], **options,
            )
            for block in blocks
        ]  # fmt: skip
        parts = []
        for index, future in enumerate(futures):
            parts.append(future.result())
            if progress is not None:
                progress(f"block {index + 1}/{len(blocks)}", index + 1, len(blocks))
    return _merge(parts)
