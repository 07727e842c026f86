"""A circuit breaker per endpoint as pure transitions over an immutable state and a clock.

::

    closed ──(threshold consecutive failures)──▶ open ──(cooldown elapsed)──▶ half-open
      ▲                                                                       │    │
      └───────────────────────────(probe succeeds)────────────────────────────┘    │
                                   open ◀──────────(probe fails)───────────────────┘

The state is plain data, so a worker can keep it in memory and persist it on change, and
tests drive it with a fake clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerPolicy:
    failure_threshold: int = 3
    cooldown_s: float = 30.0


@dataclass(frozen=True)
class Breaker:
    """What an endpoint's breaker remembers: its stored state, failures in a row, when opened."""

    state: BreakerState = BreakerState.CLOSED
    failures: int = 0
    opened_at: dt.datetime | None = None

    def current(self, now: dt.datetime, policy: BreakerPolicy) -> BreakerState:
        """The state as of ``now``: an open breaker whose cooldown passed is half-open."""
        if (
            self.state is BreakerState.OPEN
            and self.opened_at is not None
            and (now - self.opened_at).total_seconds() >= policy.cooldown_s
        ):
            return BreakerState.HALF_OPEN
        return self.state

    def allows(self, now: dt.datetime, policy: BreakerPolicy) -> bool:
        """Whether a request may go to the endpoint now (half-open lets probes through)."""
        return self.current(now, policy) is not BreakerState.OPEN

    def reopens_at(self, policy: BreakerPolicy) -> dt.datetime | None:
        """When an open breaker turns half-open."""
        if self.state is not BreakerState.OPEN or self.opened_at is None:
            return None
        return self.opened_at + dt.timedelta(seconds=policy.cooldown_s)

    def on_success(self) -> Breaker:
        return Breaker()

    def on_failure(self, now: dt.datetime, policy: BreakerPolicy) -> Breaker:
        current = self.current(now, policy)
        if current is BreakerState.HALF_OPEN:
            return Breaker(BreakerState.OPEN, self.failures + 1, now)
        failures = self.failures + 1
        if current is BreakerState.CLOSED and failures >= policy.failure_threshold:
            return Breaker(BreakerState.OPEN, failures, now)
        return replace(self, failures=failures)
