# ruff: noqa: RUF002  (formulas use Greek letters and math signs)
"""Aggregation of SKU-location forecasts to families, segments, suppliers, and reconciliation.

Three ways to make the levels add up (Hyndman & Athanasopoulos, FPP3 ch. 11):

- ``bottom_up``: every aggregate is the sum of its members' forecasts, ã_g = Σ_{i∈g} b̂_i.
- ``proportional``: an independent forecast of the aggregate â_g is kept and shared among the
  members in proportion to their own forecasts, b̃_i = b̂_i · â_g / Σ_{j∈g} b̂_j (equal shares
  when the members sum to zero) — a top-down split with forecast proportions.
- ``wls`` (MinT-lite): the weighted least-squares change that makes a group coherent, with a
  diagonal error covariance W = diag(v) (Wickramasuriya, Athanasopoulos & Hyndman 2019, JASA;
  structural scaling v_i = 1, v_g = |g| when no variances are given). With d = â_g − Σ b̂_j:
  b̃_i = b̂_i + v_i d / (Σ_{j∈g} v_j + v_g).

Any other level (e.g. supplier when the reconciliation was by family) is then summed from the
reconciled bottom level, so every level adds up. Negative results are clipped to zero and the
group is rescaled to keep its total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from planning_core.errors import InputShapeError, InputValueError
from planning_core.forecast.panel import FloatArray

__all__ = ["Aggregate", "aggregate_levels", "reconcile"]


@dataclass(frozen=True)
class Aggregate:
    """Forecasts summed to one level: the group labels and their (groups, h) totals."""

    labels: np.ndarray
    values: FloatArray


def _codes(groups: Sequence[object] | np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    labels = np.asarray(groups, dtype=object)
    if labels.shape != (n,):
        raise InputShapeError(
            f"group labels must have one entry per series ({n}), got {labels.shape}"
        )
    unique, codes = np.unique(labels.astype(str), return_inverse=True)
    return unique, codes


def _group_sum(values: FloatArray, codes: np.ndarray, size: int) -> FloatArray:
    out = np.zeros((size, values.shape[1]))
    np.add.at(out, codes, values)
    return out


def aggregate_levels(
    bottom: FloatArray, levels: dict[str, Sequence[object]]
) -> dict[str, Aggregate]:
    """Sum bottom-level forecasts (n, h) to each named level (labels per series)."""
    result: dict[str, Aggregate] = {}
    for name, groups in levels.items():
        labels, codes = _codes(groups, bottom.shape[0])
        result[name] = Aggregate(labels, _group_sum(bottom, codes, len(labels)))
    return result


def _proportional(bottom: FloatArray, codes: np.ndarray, target: FloatArray) -> FloatArray:
    totals = _group_sum(bottom, codes, target.shape[0])
    members = np.bincount(codes, minlength=target.shape[0]).astype(np.float64)
    with np.errstate(all="ignore"):
        share = np.where(totals[codes] > 0, bottom / totals[codes], 1.0 / members[codes][:, None])
    return np.asarray(share * target[codes], dtype=np.float64)


def _wls(
    bottom: FloatArray,
    codes: np.ndarray,
    target: FloatArray,
    bottom_var: FloatArray | None,
    group_var: FloatArray | None,
) -> FloatArray:
    size = target.shape[0]
    v_bottom = np.ones(bottom.shape[0]) if bottom_var is None else np.asarray(bottom_var, float)
    members = np.bincount(codes, minlength=size).astype(np.float64)
    v_group = members if group_var is None else np.asarray(group_var, dtype=np.float64)
    gap = target - _group_sum(bottom, codes, size)
    denominator = np.bincount(codes, weights=v_bottom, minlength=size) + v_group
    return np.asarray(bottom + (v_bottom / denominator[codes])[:, None] * gap[codes], np.float64)


def _clip_keep_totals(values: FloatArray, codes: np.ndarray, totals: FloatArray) -> FloatArray:
    clipped = np.clip(values, 0.0, None)
    return _proportional(clipped, codes, np.clip(totals, 0.0, None))


def reconcile(
    bottom: FloatArray,
    groups: Sequence[object],
    *,
    method: str = "bottom_up",
    aggregate_forecast: FloatArray | None = None,
    bottom_var: FloatArray | None = None,
    group_var: FloatArray | None = None,
) -> tuple[FloatArray, Aggregate]:
    """Reconcile bottom forecasts (n, h) with one grouping level; return (bottom, aggregate).

    ``aggregate_forecast`` (groups in sorted label order, h) is required by ``proportional``
    and ``wls``. After reconciliation the aggregate equals the sum of its members.
    """
    matrix = np.asarray(bottom, dtype=np.float64)
    labels, codes = _codes(groups, matrix.shape[0])
    if method == "bottom_up":
        return matrix, Aggregate(labels, _group_sum(matrix, codes, len(labels)))
    if method not in ("proportional", "wls"):
        raise InputValueError(f"unknown reconciliation method {method!r}")
    if aggregate_forecast is None or np.shape(aggregate_forecast) != (len(labels), matrix.shape[1]):
        raise InputShapeError(
            f"{method} needs aggregate_forecast of shape {(len(labels), matrix.shape[1])}"
        )
    target = np.asarray(aggregate_forecast, dtype=np.float64)
    if method == "proportional":
        result = _proportional(matrix, codes, np.clip(target, 0.0, None))
    else:
        result = _wls(matrix, codes, target, bottom_var, group_var)
        result = _clip_keep_totals(result, codes, _group_sum(result, codes, len(labels)))
    return result, Aggregate(labels, _group_sum(result, codes, len(labels)))
