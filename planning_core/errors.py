"""Errors raised by the planning core, each with a stable code.

::

    PlanningError                 planning.error
    ├── InputShapeError           planning.input_shape      arrays of the wrong shape/size
    ├── InputValueError           planning.input_value      negative demand, bad probability
    ├── UnknownMethodError        planning.unknown_method   a forecast method not in the registry
    ├── MissingColumnsError       planning.missing_columns  a frame lacks required columns
    └── ThresholdsError           planning.thresholds       inconsistent segmentation thresholds
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "InputShapeError",
    "InputValueError",
    "MissingColumnsError",
    "PlanningError",
    "ThresholdsError",
    "UnknownMethodError",
]


class PlanningError(Exception):
    """Base of every planning-core error; ``code`` is stable, ``message`` says what is wrong."""

    code = "planning.error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputShapeError(PlanningError):
    """An array or matrix has the wrong number of dimensions or a mismatched size."""

    code = "planning.input_shape"


class InputValueError(PlanningError):
    """A value is out of its domain (negative demand, a probability outside (0, 1), ...)."""

    code = "planning.input_value"


class UnknownMethodError(PlanningError):
    """A forecast method name is not one the planning core implements."""

    code = "planning.unknown_method"


class MissingColumnsError(PlanningError):
    """An input frame lacks columns its schema requires."""

    code = "planning.missing_columns"

    def __init__(self, frame_name: str, missing: Iterable[str]) -> None:
        self.missing = sorted(missing)
        super().__init__(f"{frame_name} is missing required column(s): {', '.join(self.missing)}")


class ThresholdsError(PlanningError):
    """Segmentation thresholds are inconsistent (e.g. A share above B share)."""

    code = "planning.thresholds"
