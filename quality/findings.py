"""What a rule finds: the problem, its subject, and a fingerprint that survives re-checks."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Finding",
    "FindingState",
    "Severity",
    "Subject",
    "TrackedFinding",
    "Value",
    "fingerprint_of",
]

Value = str | int | float | bool | None
"""A JSON-ready value attached to a finding."""


class Severity(StrEnum):
    """How bad a finding is; ``critical`` findings escalate when left open."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2, Severity.CRITICAL: 3}


class FindingState(StrEnum):
    """Where a finding is in its lifecycle."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    WAIVED = "waived"


@dataclass(frozen=True, slots=True)
class Subject:
    """What a finding is about: a document (type and key), optionally one of its lines.

    ``line`` is a business key (``PO123/4``, an item id), never a position in the document,
    so that reordering lines does not change which finding a problem belongs to.
    """

    doc_type: str
    key: str
    line: str | None = None

    def __str__(self) -> str:
        suffix = f" line {self.line}" if self.line else ""
        return f"{self.doc_type} {self.key}{suffix}"


def fingerprint_of(rule: str, subject: Subject, discriminator: str = "") -> str:
    """A stable id for "this rule, about this subject": the same problem seen again matches."""
    text = "\x1f".join((rule, subject.doc_type, subject.key, subject.line or "", discriminator))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem one rule saw in one run; ``values`` carries the figures behind the message."""

    rule: str
    severity: Severity
    subject: Subject
    message: str
    segment_id: str | None = None
    supplier_id: str | None = None
    values: dict[str, Value] = field(default_factory=dict)
    fingerprint: str = ""

    def __post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", fingerprint_of(self.rule, self.subject))


@dataclass(frozen=True, slots=True)
class TrackedFinding:
    """A finding as stored: the latest sighting plus its lifecycle, owner and escalation.

    ``seen_count`` counts the checks that saw the problem (a re-check at the same instant
    does not count twice).
    """

    finding: Finding
    state: FindingState
    first_seen: dt.datetime
    last_seen: dt.datetime
    seen_count: int = 1
    owner: str | None = None
    escalation_level: int = 0
    escalated_at: dt.datetime | None = None
    changed_at: dt.datetime | None = None
    resolution_note: str | None = None
    waiver_reason: str | None = None
    waiver_expires: dt.datetime | None = None

    @property
    def fingerprint(self) -> str:
        return self.finding.fingerprint

    @property
    def is_terminal(self) -> bool:
        """Resolved or waived: nobody needs to act on it now."""
        return self.state in (FindingState.RESOLVED, FindingState.WAIVED)
