# ruff: noqa: RUF002
"""Classify items: ABC (volume, margin), XYZ, Syntetos–Boylan pattern, lifecycle.

Every class comes with its measured value and the thresholds it was compared with (the
``reason`` column), a flag for items within ``near_boundary`` of a cut-off, and hysteresis:
given the previous classes, an item keeps its class while its value stays inside that class's
interval widened by ``hysteresis`` (relative) — so it does not flip on every run.

Output frame (one row per item): ``item_id, abc_volume, abc_margin, xyz, demand_pattern,
lifecycle, volume, volume_share_before, margin_contribution, margin_share_before, cv, adi, cv2,
recent_ratio, observed_periods, near_boundary, near_boundary_detail, reason,
thresholds_version``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planning_core.errors import InputShapeError
from planning_core.forecast.panel import FloatArray, as_demand_matrix, observation_count
from planning_core.segmentation.measures import adi_cv2, cumulative_share, demand_cv, recent_ratio
from planning_core.segmentation.thresholds import SegmentationThresholds

__all__ = ["CLASS_COLUMNS", "band_class", "classify_items"]

CLASS_COLUMNS = ("abc_volume", "abc_margin", "xyz", "demand_pattern", "lifecycle")
OUTPUT_COLUMNS = (
    "item_id", *CLASS_COLUMNS, "volume", "volume_share_before", "margin_contribution",
    "margin_share_before", "cv", "adi", "cv2", "recent_ratio", "observed_periods",
    "near_boundary", "near_boundary_detail", "reason", "thresholds_version",
)  # fmt: skip
ABC = np.array(["A", "B", "C"], dtype=object)
XYZ = np.array(["X", "Y", "Z"], dtype=object)
TREND = np.array(["decline", "maturity", "growth"], dtype=object)


def band_class(
    values: FloatArray, bounds: Sequence[float], previous: np.ndarray | None, band: float
) -> np.ndarray:
    """Class index of each value among ordered bounds, keeping ``previous`` within the band.

    Class k covers [b(k−1), b(k)); with hysteresis the previous class k is kept while the value
    lies in [b(k−1)·(1 − band), b(k)·(1 + band)).
    """
    edges = np.asarray(bounds, dtype=np.float64)
    fresh = np.searchsorted(edges, values, side="right")
    if previous is None:
        return fresh
    extended = np.concatenate([[-np.inf], edges, [np.inf]])
    prev = np.asarray(previous)
    known = prev >= 0
    safe = np.where(known, prev, 0)
    lower = extended[safe] * (1 - band)
    upper = extended[safe + 1] * (1 + band)
    keep = known & (values >= lower) & (values < upper)
    return np.where(keep, safe, fresh)


def _near(values: FloatArray, bounds: Sequence[float], margin: float) -> np.ndarray:
    edges = np.asarray(bounds, dtype=np.float64)[None, :]
    with np.errstate(all="ignore"):
        distance = np.abs(values[:, None] - edges) / np.abs(edges)
    return np.asarray((distance <= margin).any(axis=1))


def _previous_index(
    previous: pd.DataFrame | None, ids: np.ndarray, column: str, labels: np.ndarray
) -> np.ndarray | None:
    if previous is None or column not in previous.columns:
        return None
    mapping = dict(zip(previous["item_id"].astype(str), previous[column], strict=True))
    lookup = {str(label): i for i, label in enumerate(labels)}
    return np.array([lookup.get(str(mapping.get(str(i))), -1) for i in ids])


def _lifecycle(
    matrix: FloatArray, t: SegmentationThresholds, previous: np.ndarray | None
) -> tuple[np.ndarray, FloatArray]:
    ratio = recent_ratio(matrix, t.trend_periods)
    index = band_class(
        np.nan_to_num(ratio, nan=1.0),
        (1 - t.trend_change, 1 + t.trend_change),
        previous,
        t.hysteresis,
    )
    stage = TREND[index].astype(object)
    observed = observation_count(matrix)
    recent = np.nan_to_num(matrix[:, -t.eol_periods :], nan=0.0).sum(axis=1)
    ever = np.nan_to_num(matrix, nan=0.0).sum(axis=1) > 0
    stage[observed < t.intro_periods] = "introduction"
    stage[ever & (recent == 0) & (observed >= t.eol_periods + 1)] = "end_of_life"
    return stage, ratio


def _pattern(
    adi: FloatArray,
    cv2: FloatArray,
    t: SegmentationThresholds,
    previous: pd.DataFrame | None,
    ids: np.ndarray,
) -> np.ndarray:
    prev = _previous_index(
        previous, ids, "demand_pattern", np.array(["smooth", "erratic", "intermittent", "lumpy"])
    )
    prev_adi = None if prev is None else np.where(prev >= 0, prev // 2, -1)
    prev_cv2 = None if prev is None else np.where(prev >= 0, prev % 2, -1)
    high_adi = band_class(
        np.where(np.isfinite(adi), adi, 1e9), (t.adi_cutoff,), prev_adi, t.hysteresis
    )
    high_cv2 = band_class(cv2, (t.cv2_cutoff,), prev_cv2, t.hysteresis)
    names = np.array(["smooth", "erratic", "intermittent", "lumpy"], dtype=object)
    pattern = names[high_adi * 2 + high_cv2]
    pattern[~np.isfinite(adi)] = "no_demand"
    return np.asarray(pattern)


def _reasons(frame: pd.DataFrame, t: SegmentationThresholds) -> list[str]:
    rows = zip(
        frame["abc_volume"], frame["volume_share_before"], frame["abc_margin"],
        frame["margin_share_before"], frame["xyz"], frame["cv"], frame["demand_pattern"],
        frame["adi"], frame["cv2"], frame["lifecycle"], frame["recent_ratio"],
        frame["observed_periods"], strict=True,
    )  # fmt: skip
    return [
        f"{av}: volume share before item {vs:.3f} vs A<{t.abc_a_share} B<{t.abc_b_share}; "
        f"margin {am}: share before {ms:.3f}; {x}: CV {cv:.2f} vs X<{t.xyz_x_cv} Y<{t.xyz_y_cv}; "
        f"{pat}: ADI {adi:.2f} vs {t.adi_cutoff}, CV² {cv2:.2f} vs {t.cv2_cutoff}; "
        f"{life}: {obs} periods (intro<{t.intro_periods}), recent/previous {ratio:.2f} "
        f"vs ±{t.trend_change}"
        for av, vs, am, ms, x, cv, pat, adi, cv2, life, ratio, obs in rows
    ]


def classify_items(
    demand: FloatArray,
    item_ids: Sequence[object] | np.ndarray,
    *,
    unit_margin: FloatArray | None = None,
    thresholds: SegmentationThresholds | None = None,
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Segment every item (row of ``demand``); see the module docstring for the columns.

    ``unit_margin`` (n,) is the margin per unit (price − cost); margin contribution is
    volume × unit margin. ``previous``: an earlier result (``item_id`` and class columns)
    for hysteresis.
    """
    t = thresholds or SegmentationThresholds()
    matrix = as_demand_matrix(demand)
    ids = np.asarray(item_ids, dtype=object)
    if ids.shape != (matrix.shape[0],):
        raise InputShapeError(
            f"need one item id per demand row ({matrix.shape[0]}), got {ids.shape}"
        )
    margin = np.zeros(len(ids)) if unit_margin is None else np.asarray(unit_margin, np.float64)
    volume = np.nan_to_num(matrix, nan=0.0).sum(axis=1)
    adi, cv2 = adi_cv2(matrix)
    frame = pd.DataFrame(
        {
            "item_id": ids,
            "volume": volume,
            "volume_share_before": cumulative_share(volume, ids),
            "margin_contribution": volume * margin,
            "margin_share_before": cumulative_share(volume * margin, ids),
            "cv": demand_cv(matrix),
            "adi": adi,
            "cv2": cv2,
            "observed_periods": observation_count(matrix),
        }
    )
    _assign_classes(frame, matrix, t, previous)
    _flag_near_boundaries(frame, t)
    frame["reason"] = _reasons(frame, t)
    frame["thresholds_version"] = t.version
    return frame[list(OUTPUT_COLUMNS)]


def _assign_classes(
    frame: pd.DataFrame,
    matrix: FloatArray,
    t: SegmentationThresholds,
    previous: pd.DataFrame | None,
) -> None:
    """Add the class columns, each with hysteresis against ``previous``."""
    ids = frame["item_id"].to_numpy()
    abc = (t.abc_a_share, t.abc_b_share)

    def prior(column: str, labels: np.ndarray) -> np.ndarray | None:
        return _previous_index(previous, ids, column, labels)

    for column, share in (
        ("abc_volume", "volume_share_before"),
        ("abc_margin", "margin_share_before"),
    ):
        index = band_class(frame[share].to_numpy(), abc, prior(column, ABC), t.hysteresis)
        frame[column] = ABC[index]
    cv = frame["cv"].to_numpy()
    xyz = band_class(
        np.where(np.isfinite(cv), cv, 1e9),
        (t.xyz_x_cv, t.xyz_y_cv),
        prior("xyz", XYZ),
        t.hysteresis,
    )
    frame["xyz"] = XYZ[xyz]
    frame["demand_pattern"] = _pattern(
        frame["adi"].to_numpy(), frame["cv2"].to_numpy(), t, previous, ids
    )
    frame["lifecycle"], frame["recent_ratio"] = _lifecycle(matrix, t, prior("lifecycle", TREND))


def _flag_near_boundaries(frame: pd.DataFrame, t: SegmentationThresholds) -> None:
    """``near_boundary`` and which measures are within ``near_boundary`` of a cut-off."""
    near = {
        "abc_volume": _near(
            frame["volume_share_before"].to_numpy(), (t.abc_a_share, t.abc_b_share), t.near_boundary
        ),
        "xyz": _near(frame["cv"].to_numpy(), (t.xyz_x_cv, t.xyz_y_cv), t.near_boundary),
        "adi": _near(frame["adi"].to_numpy(), (t.adi_cutoff,), t.near_boundary),
        "cv2": _near(frame["cv2"].to_numpy(), (t.cv2_cutoff,), t.near_boundary),
    }
    flags = np.column_stack(list(near.values()))
    frame["near_boundary"] = np.asarray(flags.any(axis=1))
    names = np.array(list(near), dtype=object)
    frame["near_boundary_detail"] = [",".join(names[row]) for row in flags]
