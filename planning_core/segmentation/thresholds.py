# ruff: noqa: RUF002
"""Versioned segmentation thresholds: one immutable object per business and version."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from planning_core.errors import ThresholdsError

__all__ = ["SegmentationThresholds"]


@dataclass(frozen=True)
class SegmentationThresholds:
    """Cut-offs for ABC, XYZ, Syntetos–Boylan and lifecycle classes, with hysteresis.

    - ABC: an item is A while the cumulative share *before* it (items sorted by decreasing
      volume or margin) is below ``abc_a_share``, B below ``abc_b_share``, C otherwise.
    - XYZ: coefficient of variation of per-period demand CV = σ/μ; X below ``xyz_x_cv``,
      Y below ``xyz_y_cv``, Z otherwise.
    - Syntetos–Boylan (Syntetos, Boylan & Croston 2005, JORS 56(5)): ADI = observed periods /
      periods with demand, CV² of the non-zero sizes; cut-offs 1.32 and 0.49.
    - Lifecycle: introduction while fewer than ``intro_periods`` observed periods; end of life
      after ``eol_periods`` without demand; growth / decline when the mean of the last
      ``trend_periods`` periods differs from the previous ``trend_periods`` by more than
      ``trend_change`` (relative).
    - ``hysteresis``: relative band around a boundary inside which an item keeps its previous
      class; ``near_boundary``: relative distance under which an item is flagged.
    - ``auto_apply_max_share``: a reclassification batch changing at most this share of items
      is applied automatically; ``auto_apply_max_impact``: nor may one change touch more than
      this share of total volume. Larger changes wait for approval.
    """

    version: str = "default-1"
    abc_a_share: float = 0.80
    abc_b_share: float = 0.95
    xyz_x_cv: float = 0.5
    xyz_y_cv: float = 1.0
    adi_cutoff: float = 1.32
    cv2_cutoff: float = 0.49
    intro_periods: int = 26
    eol_periods: int = 13
    trend_periods: int = 13
    trend_change: float = 0.2
    hysteresis: float = 0.10
    near_boundary: float = 0.05
    auto_apply_max_share: float = 0.05
    auto_apply_max_impact: float = 0.02

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.abc_a_share < self.abc_b_share <= 1:
            problems.append("need 0 < abc_a_share < abc_b_share <= 1")
        if not 0 < self.xyz_x_cv < self.xyz_y_cv:
            problems.append("need 0 < xyz_x_cv < xyz_y_cv")
        if self.adi_cutoff <= 1 or self.cv2_cutoff <= 0:
            problems.append("need adi_cutoff > 1 and cv2_cutoff > 0")
        if min(self.intro_periods, self.eol_periods, self.trend_periods) < 1:
            problems.append("lifecycle periods must be at least 1")
        for name in ("hysteresis", "near_boundary", "auto_apply_max_share", "trend_change"):
            if not 0 <= getattr(self, name) < 1:
                problems.append(f"{name} must be in [0, 1)")
        if problems:
            raise ThresholdsError(f"thresholds {self.version!r}: " + "; ".join(problems))

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for storing a version beside the results it produced."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> SegmentationThresholds:
        """Rebuild a stored version; unknown keys are refused."""
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ThresholdsError(f"unknown threshold keys: {', '.join(sorted(unknown))}")
        return cls(**values)
