"""Which endpoint a delivery goes to: the primary while its breaker allows, else the secondary.

Failback needs no separate rule: once the primary's cooldown passes its breaker is half-open,
so the primary is chosen again as a probe; a success closes it and traffic stays there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sync.breaker import Breaker, BreakerPolicy


class Role(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class Choice:
    """Send to ``url`` (``role``), or, when ``url`` is None, wait until ``retry_at``."""

    role: Role | None
    url: str | None
    retry_at: dt.datetime | None = None


def choose_endpoint(
    primary_url: str,
    primary: Breaker,
    secondary_url: str | None,
    secondary: Breaker | None,
    now: dt.datetime,
    policy: BreakerPolicy,
) -> Choice:
    """The endpoint to try now, or when to come back if every breaker is open."""
    if primary.allows(now, policy):
        return Choice(Role.PRIMARY, primary_url)
    if secondary_url is not None:
        secondary = secondary or Breaker()
        if secondary.allows(now, policy):
            return Choice(Role.SECONDARY, secondary_url)
    moments = [primary.reopens_at(policy)]
    if secondary is not None and secondary_url is not None:
        moments.append(secondary.reopens_at(policy))
    known = [m for m in moments if m is not None]
    return Choice(None, None, min(known) if known else now)
