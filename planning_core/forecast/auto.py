# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Automatic per-series method selection by rolling-origin backtest, with quantiles.

For each allowed method: optimize its parameters per series (``fitting``), then re-run it from
``n_origins`` forecast origins T − h − k·step (k = 0 … n_origins − 1) with those parameters and
measure the error on the next h observed periods (Tashman 2000, *IJF* 16(4); FPP3 §5.10).
Each series takes the method with the lowest mean error over the origins it could be evaluated
at (``criterion``: "mae" or "mse"); a method that cannot be evaluated at the latest origin is
not a candidate for that series. Parameters are chosen once on the full history, so the
backtest re-runs the states, not the grid search (a mild look-ahead accepted to keep one grid
search per method).

When the backtest cannot tell methods apart, the robust choice wins: ``prefer`` (default the
equal-weight combination of SES, damped Holt and moving average) is taken whenever its error is
within ``prefer_tolerance`` (relative) of the best candidate's.

Default policy by demand pattern (``policy="pattern"``): when no ``allowed`` mask is given,
series with an average demand interval ADI ≥ 1.32 (intermittent or lumpy, Syntetos & Boylan
2005) choose among the intermittent methods (Croston, SBA, TSB, ADIDA) and the others among the
continuous methods. Fewer candidates means less selection noise; ``policy="all"`` lets every
method compete.

Zeros before a series' first positive demand are not history (the item was not launched or
not stocked yet): continuous methods start at the first demand, and the ADI is measured from it,
so a launched item is not taken for an intermittent one. Intermittent methods keep them.

Forecasts and quantiles are clipped at zero: demand is never negative.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from planning_core.errors import InputShapeError, InputValueError
from planning_core.forecast.fitting import MethodFit, fit_method
from planning_core.forecast.intervals import mixture_quantiles, residual_quantiles
from planning_core.forecast.methods import METHODS, MethodSpec, get_method
from planning_core.forecast.panel import FloatArray, as_demand_matrix, observation_count

__all__ = [
    "DEFAULT_METHODS",
    "ForecastResult",
    "backtest_errors",
    "forecast_panel",
    "origin_forecasts",
]

DEFAULT_METHODS: tuple[str, ...] = tuple(METHODS)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ForecastResult:
    """Point forecasts (n, h), the method chosen per series and quantiles (n, k, h)."""

    point: FloatArray
    method: np.ndarray
    quantile_levels: tuple[float, ...]
    quantiles: FloatArray
    backtest_error: FloatArray  # (n, len(methods)); inf where a method was not a candidate
    methods: tuple[str, ...]
    params: dict[str, dict[str, FloatArray]] = field(default_factory=dict)


def origin_forecasts(
    spec: MethodSpec,
    fit: MethodFit,
    demand: FloatArray,
    horizon: int,
    season_length: int,
    origins: Sequence[int],
) -> list[FloatArray]:
    """The method's (unclipped) forecast from each origin, with the fitted parameters.

    NaN from an origin where no series has enough history for the method (not run there).
    """
    forecasts = []
    for origin in origins:
        history = demand[:, :origin]
        if spec.applicable(history, season_length).any():
            forecasts.append(spec.kernel(history, horizon, fit.params, season_length)[1])
        else:
            forecasts.append(np.full((demand.shape[0], horizon), np.nan))
    return forecasts


def backtest_errors(
    spec: MethodSpec,
    fit: MethodFit,
    demand: FloatArray,
    horizon: int,
    season_length: int,
    origins: Sequence[int],
    criterion: str,
    forecasts: Sequence[FloatArray] | None = None,
) -> FloatArray:
    """Mean error per series over the origins (inf if not evaluable at the latest origin).

    ``forecasts``: the forecasts from each origin when already known (``origin_forecasts``).
    """
    if forecasts is None:
        forecasts = origin_forecasts(spec, fit, demand, horizon, season_length, origins)
    total = np.zeros(demand.shape[0])
    count = np.zeros(demand.shape[0])
    for origin, raw in zip(origins, forecasts, strict=True):
        history = demand[:, :origin]
        forecast = np.clip(raw, 0.0, None)
        actual = demand[:, origin : origin + horizon]
        error = actual - forecast[:, : actual.shape[1]]
        loss = np.abs(error) if criterion == "mae" else error**2
        valid = ~np.isnan(loss)
        usable = valid.any(axis=1) & spec.applicable(history, season_length)
        with np.errstate(all="ignore"):
            mean = np.where(valid, loss, 0.0).sum(axis=1) / valid.sum(axis=1)
        total += np.where(usable, mean, 0.0)
        count += usable
        if origin == origins[0]:
            latest_ok = usable
    with np.errstate(all="ignore"):
        score = total / count
    return np.where(latest_ok & (count > 0), score, np.inf)


def _member_mean(
    members: Sequence[str],
    rows: np.ndarray,
    cache: dict[str, tuple[np.ndarray, list[FloatArray]]],
) -> list[FloatArray] | None:
    """A combination's forecasts per origin from its members' backtest, if all cover ``rows``."""
    picked = []
    for name in members:
        if name not in cache:
            return None
        member_rows, forecasts = cache[name]
        where = np.searchsorted(member_rows, rows)
        if not (where < len(member_rows)).all() or not (member_rows[where] == rows).all():
            return None
        picked.append([forecast[where] for forecast in forecasts])
    total = [np.zeros_like(forecasts[0]) for forecasts in picked[0]]
    for forecasts in picked:
        total = [t + f for t, f in zip(total, forecasts, strict=True)]
    return [t / len(members) for t in total]


def _origins(periods: int, horizon: int, n_origins: int, step: int | None) -> list[int]:
    step = step or max(1, (horizon + 1) // 2)
    return [o for o in (periods - horizon - k * step for k in range(n_origins)) if o >= 1]


def _favour(scores: FloatArray, index: int, tolerance: float) -> FloatArray:
    """Scores where the preferred method wins rows it is within ``tolerance`` of the best."""
    best = scores.min(axis=1)
    close = np.isfinite(scores[:, index]) & (scores[:, index] <= best * (1 + tolerance))
    adjusted = scores.copy()
    adjusted[close, index] = -np.inf  # argmin picks it; the reported scores stay true
    return adjusted


def trim_leading_zeros(matrix: FloatArray) -> FloatArray:
    """The demand with each series starting at its first positive demand (NaN before it).

    Zeros before an item's first sale (not yet launched, not yet stocked) are not demand
    history: a level or trend method started on them begins far below the item's real level.
    An all-zero series becomes all NaN.
    """
    started = np.cumsum(np.nan_to_num(matrix, nan=0.0) > 0, axis=1) > 0
    return np.where(started, matrix, np.nan)


def _pattern_policy(matrix: FloatArray, active: FloatArray, specs: list[MethodSpec]) -> np.ndarray:
    """Intermittent methods for series with ADI ≥ 1.32, the others elsewhere.

    The ADI is measured from each series' first demand (``active``), so the zeros before a
    launch do not make a new item look intermittent; a series with fewer than two demands
    keeps the ADI over its whole history. A series whose pattern leaves no candidate in
    ``specs`` may use every method.
    """
    demand_periods = (np.nan_to_num(matrix, nan=0.0) > 0).sum(axis=1)
    since_first = np.where(
        demand_periods >= 2, observation_count(active), observation_count(matrix)
    )
    sparse = since_first >= 1.32 * np.maximum(demand_periods, 1)
    kinds = np.array([spec.intermittent for spec in specs])
    mask = np.where(sparse[:, None], kinds[None, :], ~kinds[None, :])
    usable = np.asarray(mask.any(axis=1))
    return np.where(usable[:, None], mask, True)


def _validate(
    horizon: int, methods: Sequence[str], criterion: str, policy: str
) -> list[MethodSpec]:
    if horizon < 1:
        raise InputValueError(f"horizon must be at least 1, got {horizon}")
    if policy not in ("pattern", "all"):
        raise InputValueError(f"policy must be 'pattern' or 'all', got {policy!r}")
    if criterion not in ("mae", "mse"):
        raise InputValueError(f"criterion must be 'mae' or 'mse', got {criterion!r}")
    if not methods:
        raise InputValueError("at least one forecast method must be allowed")
    return [get_method(name) for name in methods]


def forecast_panel(
    demand: FloatArray,
    horizon: int,
    *,
    season_length: int = 1,
    methods: Sequence[str] = DEFAULT_METHODS,
    allowed: np.ndarray | None = None,
    quantile_levels: Sequence[float] = (0.1, 0.5, 0.9),
    n_origins: int = 8,
    step: int | None = None,
    criterion: str = "mae",
    policy: str = "pattern",
    prefer: str | None = "combination",
    prefer_tolerance: float = 0.1,
    progress: Progress | None = None,
) -> ForecastResult:
    """Forecast every series with its best allowed method; quantiles included.

    ``demand``: (n, T) right-aligned, NaN before each series starts. ``allowed``: optional
    boolean (n, len(methods)) restricting methods per series (a segment's policy).
    """
    matrix = as_demand_matrix(demand)
    specs = _validate(horizon, methods, criterion, policy)
    n, periods = matrix.shape
    if allowed is not None and np.shape(allowed) != (n, len(specs)):
        raise InputShapeError(f"allowed must have shape {(n, len(specs))}, got {np.shape(allowed)}")
    origins = _origins(periods, horizon, n_origins, step)
    # Degenerate series (huge or tiny values) may overflow in some method; such a method gets
    # a non-finite score or forecast below and is simply not chosen for that series.
    active = trim_leading_zeros(matrix)
    if allowed is None and policy == "pattern":
        allowed = _pattern_policy(matrix, active, specs)
    mask = np.ones((n, len(specs)), dtype=bool) if allowed is None else np.asarray(allowed, bool)
    with np.errstate(all="ignore"):
        scores, fits = _score_methods(
            matrix, active, horizon, specs, season_length, origins, criterion, mask, progress
        )
    if allowed is not None:
        scores = np.where(np.asarray(allowed, dtype=bool), scores, np.inf)
    ranking = scores
    if prefer is not None and prefer in methods:
        ranking = _favour(scores, list(methods).index(prefer), prefer_tolerance)
    if allowed is not None:  # a row no method could be scored on takes its first allowed one
        unscored = np.isposinf(ranking) & np.asarray(allowed, dtype=bool)
        ranking = np.where(unscored, np.finfo(np.float64).max, ranking)
    choice = np.argmin(ranking, axis=1)
    with np.errstate(all="ignore"):
        return _assemble(
            matrix,
            active,
            horizon,
            specs,
            fits,
            scores,
            choice,
            tuple(quantile_levels),
            season_length,
        )


def _score_methods(
    matrix: FloatArray,
    active: FloatArray,
    horizon: int,
    specs: list[MethodSpec],
    season_length: int,
    origins: list[int],
    criterion: str,
    mask: np.ndarray,
    progress: Progress | None,
) -> tuple[FloatArray, list[MethodFit]]:
    """Fit every method on the series allowed to use it and score it there by backtest.

    Elsewhere the score is inf and the forecast NaN: a method nobody may choose costs nothing.
    """
    n = matrix.shape[0]
    scores = np.full((n, len(specs)), np.inf)
    fits: list[MethodFit] = []
    # backtest forecasts of combination members, so a combination averages them, not re-runs them
    members = {name for spec in specs for name in spec.members}
    cache: dict[str, tuple[np.ndarray, list[FloatArray]]] = {}
    for index, spec in enumerate(specs):
        if progress is not None:
            progress(spec.name, index, len(specs))
        rows = np.nonzero(mask[:, index])[0]
        if len(rows) == 0:
            fits.append(_unused(spec, n, horizon))
            continue
        known = {done.name: {k: v[rows] for k, v in done.params.items()} for done in fits}
        part = (matrix if spec.intermittent else active)[rows]
        fit = fit_method(spec, part, horizon, season_length, known)
        if origins:
            forecasts = _member_mean(spec.members, rows, cache) if spec.members else None
            if forecasts is None:
                forecasts = origin_forecasts(spec, fit, part, horizon, season_length, origins)
            if spec.name in members:
                cache[spec.name] = (rows, forecasts)
            score = backtest_errors(
                spec, fit, part, horizon, season_length, origins, criterion, forecasts
            )
        else:  # too short to backtest anywhere: every applicable method ties
            score = np.where(fit.applicable, 0.0, np.inf)
        unusable = ~fit.applicable | ~np.isfinite(fit.forecast).all(axis=1)
        scores[rows, index] = np.where(unusable, np.inf, score)
        fits.append(_expand(fit, rows, n))
    return scores, fits


def _unused(spec: MethodSpec, n: int, horizon: int) -> MethodFit:
    """A placeholder fit for a method no series may use."""
    params = {key: np.full(n, value) for key, value in spec.grid[0].items()}
    nothing = np.full((n, horizon), np.nan)
    return MethodFit(spec.name, params, np.empty((0, 0)), nothing, np.zeros(n, dtype=bool))


def _expand(fit: MethodFit, rows: np.ndarray, n: int) -> MethodFit:
    """A fit on some rows as a fit on all n rows (NaN elsewhere), without fitted values.

    Fitted values are re-run for the chosen rows later, so memory stays O(n·T) rather than
    O(methods·n·T).
    """
    params = {key: np.full(n, np.nan) for key in fit.params}
    for key, value in fit.params.items():
        params[key][rows] = value
    forecast = np.full((n, fit.forecast.shape[1]), np.nan)
    forecast[rows] = fit.forecast
    applicable = np.zeros(n, dtype=bool)
    applicable[rows] = fit.applicable
    return MethodFit(fit.name, params, np.empty((0, 0)), forecast, applicable)


def _assemble(
    matrix: FloatArray,
    active: FloatArray,
    horizon: int,
    specs: list[MethodSpec],
    fits: list[MethodFit],
    scores: FloatArray,
    choice: np.ndarray,
    levels: tuple[float, ...],
    season_length: int,
) -> ForecastResult:
    n = matrix.shape[0]
    point = np.zeros((n, horizon))
    quantiles = np.zeros((n, len(levels), horizon))
    mixture = mixture_quantiles(matrix, horizon, levels)
    for index, (spec, fit) in enumerate(zip(specs, fits, strict=True)):
        rows = choice == index
        if not rows.any():
            continue
        point[rows] = fit.forecast[rows]
        if spec.intermittent:
            quantiles[rows] = mixture[rows]
        else:
            params = {key: value[rows] for key, value in fit.params.items()}
            fitted, _ = spec.kernel(active[rows], 1, params, season_length)
            factor = spec.variance_factor(params, horizon, season_length)
            quantiles[rows] = residual_quantiles(
                active[rows], fitted, fit.forecast[rows], factor, levels
            )
    empty = observation_count(matrix) == 0
    point = np.clip(np.where(np.isfinite(point), point, 0.0), 0.0, None)
    point[empty] = 0.0
    quantiles = np.where(np.isfinite(quantiles), quantiles, point[:, None, :])
    # non-decreasing in τ, whatever order the levels were given in
    order = np.argsort(levels, kind="stable")
    ordered = np.sort(np.clip(quantiles, 0.0, None), axis=1)
    quantiles = np.empty_like(ordered)
    quantiles[:, order, :] = ordered
    names = np.array([spec.name for spec in specs], dtype=object)[choice]
    params = {fit.name: fit.params for fit in fits}
    method_names = tuple(spec.name for spec in specs)
    return ForecastResult(point, names, levels, quantiles, scores, method_names, params)
