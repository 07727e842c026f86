"""Errors raised by the quality core, each with a stable code.

QualityError (QUALITY_ERROR)
 ├── ConfigError (QUALITY_CONFIG)           a threshold that does not exist or is invalid
 │                                          (also a ValueError, so pydantic reports it)
 ├── UnknownRuleError (QUALITY_UNKNOWN_RULE) a rule code nobody registered
 └── TransitionError (QUALITY_INVALID_TRANSITION, QUALITY_NOTE_REQUIRED,
                      QUALITY_REASON_REQUIRED, QUALITY_WAIVER_EXPIRY, QUALITY_UNKNOWN_ACTION)
                                             a lifecycle move the state machine refuses
"""

from __future__ import annotations

__all__ = ["ConfigError", "QualityError", "TransitionError", "UnknownRuleError"]


class QualityError(Exception):
    """Base of every error the quality core raises; ``code`` is stable for clients."""

    code = "QUALITY_ERROR"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code}: {super().__str__()}"


class ConfigError(QualityError, ValueError):
    """A configuration names a threshold, rule, severity or owner that does not exist."""

    code = "QUALITY_CONFIG"


class UnknownRuleError(QualityError):
    """A rule code that is not registered."""

    code = "QUALITY_UNKNOWN_RULE"


class TransitionError(QualityError):
    """A lifecycle transition the state machine does not allow, or one missing its reason."""

    code = "QUALITY_INVALID_TRANSITION"
