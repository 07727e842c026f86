"""Outbound delivery to partners: the pure rules of retries, breakers, failover and dead letters.

The store and the worker loop that apply them live in ``gateway.store.outbox`` and
``gateway.sync_worker``; this package has no database session and no web framework.
"""

from sync.acks import AckStatus, GroupAnswer, is_overdue, read_997
from sync.backoff import RetryPolicy
from sync.breaker import Breaker, BreakerPolicy, BreakerState
from sync.delivery import AttemptResult, Decision, Status, Verdict, classify, decide
from sync.failover import Choice, Role, choose_endpoint
from sync.transport import DELIVERY_ID_HEADER, IDEMPOTENCY_HEADER, post_delivery

__all__ = [
    "DELIVERY_ID_HEADER",
    "IDEMPOTENCY_HEADER",
    "AckStatus",
    "AttemptResult",
    "Breaker",
    "BreakerPolicy",
    "BreakerState",
    "Choice",
    "Decision",
    "GroupAnswer",
    "RetryPolicy",
    "Role",
    "Status",
    "Verdict",
    "choose_endpoint",
    "classify",
    "decide",
    "is_overdue",
    "post_delivery",
    "read_997",
]
