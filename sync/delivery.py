"""A delivery's life: pending → in flight → delivered, or back to pending, or dead.

::

    pending ──claim──▶ in_flight ──2xx──▶ delivered
       ▲                  │
       └──transient error─┤ (500s, 408, 429, timeouts, refused; attempts left)
                          └──permanent error or attempts used up──▶ dead ──replay──▶ replayed

A claim carries a lease: a worker that dies mid-delivery leaves an in-flight row whose lease
runs out, and another worker claims it again with the same delivery id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sync.backoff import RetryPolicy


class Status(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    DELIVERED = "delivered"
    DEAD = "dead"
    REPLAYED = "replayed"


class Verdict(StrEnum):
    DELIVERED = "delivered"
    TRANSIENT = "transient"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt did: the HTTP status, or the transport error when there was none.

    Channels without a status (a drop folder) give their verdict in ``outcome``.
    """

    status_code: int | None
    error: str | None = None
    duration_ms: float = 0.0
    outcome: Verdict | None = None

    @property
    def verdict(self) -> Verdict:
        return self.outcome or classify(self.status_code)

    def describe(self) -> str:
        if self.status_code is None:
            return self.error or "no response"
        detail = f": {self.error}" if self.error else ""
        return f"HTTP {self.status_code}{detail}"


# RFC 9110: 408 and 429 ask the client to come back later; every other 4xx says the request
# itself is wrong and will be wrong again.
_RETRYABLE_4XX = frozenset({408, 429})


def classify(status_code: int | None) -> Verdict:
    """2xx delivered; no response, 5xx, 408, 429 transient; any other status permanent."""
    if status_code is None:
        return Verdict.TRANSIENT
    if 200 <= status_code < 300:
        return Verdict.DELIVERED
    if status_code >= 500 or status_code in _RETRYABLE_4XX:
        return Verdict.TRANSIENT
    return Verdict.PERMANENT


@dataclass(frozen=True)
class Decision:
    """Where a delivery goes after an attempt, and when to try again if it goes back."""

    status: Status
    next_attempt_at: dt.datetime | None = None
    reason: str | None = None


def decide(
    result: AttemptResult,
    attempts: int,
    max_attempts: int,
    now: dt.datetime,
    policy: RetryPolicy,
) -> Decision:
    """The next status after ``attempts`` attempts, the last of which gave ``result``."""
    verdict = result.verdict
    if verdict is Verdict.DELIVERED:
        return Decision(Status.DELIVERED)
    if verdict is Verdict.PERMANENT:
        return Decision(Status.DEAD, reason=f"permanent error: {result.describe()}")
    if attempts >= max_attempts:
        return Decision(
            Status.DEAD, reason=f"gave up after {attempts} attempts: {result.describe()}"
        )
    delay = dt.timedelta(seconds=policy.delay_s(attempts))
    return Decision(Status.PENDING, now + delay, reason=result.describe())
