# ruff: noqa: RUF001, RUF002  (formulas use Greek letters and math signs)
"""The demand panel: a float matrix (series × periods), NaN before a series starts.

Series of different lengths share one matrix by being *right-aligned*: every row ends at the
last column (the most recent period) and is NaN-padded on the left before its first
observation. A NaN inside a series means "not observed"; the smoothing recursions carry their
state over it rather than reading it as zero demand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from planning_core.errors import InputShapeError, InputValueError

__all__ = [
    "FloatArray",
    "as_demand_matrix",
    "first_valid_index",
    "forward_fill",
    "observation_count",
    "right_align",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
T = TypeVar("T")


def as_demand_matrix(values: Any, *, allow_negative: bool = False) -> FloatArray:
    """Validate and return demand as a 2-D float64 matrix (series × periods).

    A 1-D input is read as one series. Negative demand is refused unless ``allow_negative``
    (returns are netted upstream; a forecast of demand is never below zero).
    """
    matrix = np.array(values, dtype=np.float64, copy=True)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    if matrix.ndim != 2:
        raise InputShapeError(f"demand must be 1-D or 2-D (series × periods), got {matrix.ndim}-D")
    if matrix.shape[1] == 0:
        raise InputShapeError("demand has no periods")
    if np.isinf(matrix).any():
        raise InputValueError("demand contains infinite values")
    if not allow_negative and (np.nan_to_num(matrix, nan=0.0) < 0).any():
        rows = np.unique(np.nonzero(np.nan_to_num(matrix, nan=0.0) < 0)[0])[:5]
        raise InputValueError(f"demand is negative in series (row) {rows.tolist()}")
    return matrix


def first_valid_index(matrix: FloatArray) -> IntArray:
    """Column of each row's first observation; the column count for an all-NaN row."""
    valid = ~np.isnan(matrix)
    first = np.argmax(valid, axis=1).astype(np.int64)
    first[~valid.any(axis=1)] = matrix.shape[1]
    return np.asarray(first, dtype=np.int64)


def observation_count(matrix: FloatArray) -> IntArray:
    """Number of observed (non-NaN) periods per row."""
    return np.asarray((~np.isnan(matrix)).sum(axis=1), dtype=np.int64)


def forward_fill(matrix: FloatArray) -> FloatArray:
    """Carry each row's last observation forward over NaN (leading NaN stay NaN)."""
    columns = np.arange(matrix.shape[1])
    index = np.where(~np.isnan(matrix), columns, 0)
    np.maximum.accumulate(index, axis=1, out=index)
    filled = np.take_along_axis(matrix, index, axis=1)
    filled[:, : matrix.shape[1]][np.cumsum(~np.isnan(matrix), axis=1) == 0] = np.nan
    return filled


def right_align(matrix: FloatArray) -> FloatArray:
    """Shift each row so that its last observation sits in the last column (NaN on the left)."""
    valid = ~np.isnan(matrix)
    periods = matrix.shape[1]
    last = periods - 1 - np.argmax(valid[:, ::-1], axis=1)
    last[~valid.any(axis=1)] = periods - 1
    shift = (periods - 1 - last)[:, None]
    source = np.arange(periods)[None, :] - shift
    aligned = np.take_along_axis(matrix, np.clip(source, 0, periods - 1), axis=1)
    aligned[source < 0] = np.nan
    return aligned


_memo: dict[str, Any] = {}


def memoized(matrix: FloatArray, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per matrix object and key (the last matrix only).

    A grid search runs a kernel dozens of times on the same matrix; its parameter-free
    preparation (transposes, initial states) is done once. Results are shared: callers must
    not modify them in place. Not thread-safe; the matrix must not be mutated meanwhile.
    """
    if _memo.get("matrix") is not matrix:
        _memo.clear()
        _memo["matrix"] = matrix
    if key not in _memo:
        _memo[key] = compute()
    result: T = _memo[key]
    return result


def time_major(matrix: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(values, observed) as contiguous (T, n) arrays, NaN read as 0 with observed = 0.

    The recursions step through time; a contiguous row per period keeps each step a
    cache-friendly vector operation across all series. Shared (memoized): read only.
    """

    def compute() -> tuple[FloatArray, FloatArray]:
        observed = ~np.isnan(matrix)
        values = np.ascontiguousarray(np.where(observed, matrix, 0.0).T)
        return values, np.ascontiguousarray(observed.T.astype(np.float64))

    return memoized(matrix, "time_major", compute)


def first_values(matrix: FloatArray, columns: IntArray) -> FloatArray:
    """Each row's value at a given column (NaN where the column is past the end)."""
    inside = columns < matrix.shape[1]
    picked = np.take_along_axis(matrix, np.clip(columns, 0, matrix.shape[1] - 1)[:, None], axis=1)
    return np.where(inside, picked[:, 0], np.nan)


def mask_until(fitted_tm: FloatArray, columns: IntArray) -> None:
    """Set a time-major fitted array to NaN at t ≤ columns[i] for each series i, in place."""
    fitted_tm[np.arange(fitted_tm.shape[0])[:, None] <= columns[None, :]] = np.nan


INITIAL_WINDOW = 6


def initial_level(matrix: FloatArray, start: IntArray, window: int = INITIAL_WINDOW) -> FloatArray:
    """Mean of each row's first ``window`` periods from its start (observed values only).

    A steadier starting level than the first observation alone: with the small smoothing
    constants demand series favour, one noisy first value would linger for many periods.
    """

    def compute() -> FloatArray:
        periods = matrix.shape[1]
        columns = start[:, None] + np.arange(window)[None, :]
        picked = np.take_along_axis(matrix, np.clip(columns, 0, periods - 1), axis=1)
        picked[columns >= periods] = np.nan
        count = (~np.isnan(picked)).sum(axis=1)
        total = np.nansum(picked, axis=1)
        with np.errstate(all="ignore"):
            return np.asarray(np.where(count > 0, total / np.maximum(count, 1), np.nan), np.float64)

    return memoized(matrix, f"initial-level-{window}", compute)
