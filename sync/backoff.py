"""When to try again: exponential backoff with full jitter, from tenacity's wait strategies."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from tenacity import wait_exponential_jitter


@dataclass(frozen=True)
class RetryPolicy:
    """``delay(n) = min(initial_s * 2**(n-1) + uniform(0, jitter_s), max_s)`` seconds.

    The formula is tenacity's ``wait_exponential_jitter`` (Google Cloud's retry strategy,
    https://cloud.google.com/storage/docs/retry-strategy); jitter spreads the retries of many
    messages that failed together, so a recovering partner is not hit by one wave.
    """

    initial_s: float = 1.0
    max_s: float = 300.0
    jitter_s: float = 1.0

    def delay_s(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th failed attempt (1-based)."""
        if attempt < 1:
            raise ValueError("attempts count from 1")
        wait = wait_exponential_jitter(
            multiplier=self.initial_s, max=self.max_s, jitter=self.jitter_s
        )
        # tenacity's wait strategies read only ``attempt_number`` from the retry state; the
        # worker keeps its attempts in the outbox, not in a tenacity.Retrying loop.
        state: Any = SimpleNamespace(attempt_number=attempt)
        return float(wait(state))
