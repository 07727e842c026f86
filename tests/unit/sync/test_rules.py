"""The pure rules of delivery: backoff, breaker, failover and the delivery state machine."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from sync import (
    AttemptResult,
    Breaker,
    BreakerPolicy,
    BreakerState,
    RetryPolicy,
    Role,
    Status,
    Verdict,
    choose_endpoint,
    classify,
    decide,
)

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
POLICY = BreakerPolicy(failure_threshold=3, cooldown_s=30)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_backoff_grows_exponentially_within_the_jitter_and_the_cap() -> None:
    random.seed(7)
    policy = RetryPolicy(initial_s=1, max_s=60, jitter_s=0.5)
    for attempt, base in [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16)]:
        for _ in range(50):
            assert base <= policy.delay_s(attempt) <= base + 0.5
    assert policy.delay_s(30) == 60


def test_backoff_jitter_spreads_retries() -> None:
    policy = RetryPolicy(initial_s=1, max_s=60, jitter_s=1)
    assert len({policy.delay_s(3) for _ in range(20)}) > 1
    with pytest.raises(ValueError):
        policy.delay_s(0)


@pytest.mark.parametrize(
    ("code", "verdict"),
    [
        (200, Verdict.DELIVERED),
        (202, Verdict.DELIVERED),
        (None, Verdict.TRANSIENT),
        (500, Verdict.TRANSIENT),
        (503, Verdict.TRANSIENT),
        (408, Verdict.TRANSIENT),
        (429, Verdict.TRANSIENT),
        (400, Verdict.PERMANENT),
        (401, Verdict.PERMANENT),
        (404, Verdict.PERMANENT),
        (422, Verdict.PERMANENT),
        (301, Verdict.PERMANENT),
    ],
)
def test_classify(code: int | None, verdict: Verdict) -> None:
    assert classify(code) is verdict


def test_decide_walks_the_state_machine() -> None:
    retry = RetryPolicy(initial_s=10, max_s=100, jitter_s=0)
    assert decide(AttemptResult(200), 1, 3, T0, retry).status is Status.DELIVERED
    again = decide(AttemptResult(503), 1, 3, T0, retry)
    assert again.status is Status.PENDING and again.next_attempt_at == at(10)
    assert decide(AttemptResult(503), 2, 3, T0, retry).next_attempt_at == at(20)
    last = decide(AttemptResult(None, "timeout"), 3, 3, T0, retry)
    assert last.status is Status.DEAD and last.reason == "gave up after 3 attempts: timeout"
    bad = decide(AttemptResult(422, "bad segment"), 1, 3, T0, retry)
    assert bad.status is Status.DEAD and bad.reason == "permanent error: HTTP 422: bad segment"


def test_breaker_opens_after_the_threshold_and_half_opens_after_the_cooldown() -> None:
    b = Breaker()
    for i in range(2):
        b = b.on_failure(at(i), POLICY)
        assert b.current(at(i), POLICY) is BreakerState.CLOSED
    b = b.on_failure(at(2), POLICY)
    assert b.current(at(2), POLICY) is BreakerState.OPEN and not b.allows(at(31), POLICY)
    assert b.reopens_at(POLICY) == at(32)
    assert b.current(at(32), POLICY) is BreakerState.HALF_OPEN and b.allows(at(32), POLICY)
    reopened = b.on_failure(at(33), POLICY)  # the probe failed
    assert reopened.current(at(33), POLICY) is BreakerState.OPEN
    assert reopened.current(at(62), POLICY) is BreakerState.OPEN
    assert b.on_success() == Breaker()  # the probe succeeded


def test_a_success_resets_the_failure_count() -> None:
    b = Breaker().on_failure(T0, POLICY).on_failure(T0, POLICY).on_success()
    assert b.on_failure(T0, POLICY).current(T0, POLICY) is BreakerState.CLOSED


def test_failover_and_failback() -> None:
    closed, opened = Breaker(), Breaker(BreakerState.OPEN, 3, T0)
    choice = choose_endpoint("p", closed, "s", None, at(1), POLICY)
    assert (choice.role, choice.url) == (Role.PRIMARY, "p")
    choice = choose_endpoint("p", opened, "s", closed, at(1), POLICY)
    assert (choice.role, choice.url) == (Role.SECONDARY, "s")
    choice = choose_endpoint("p", opened, "s", closed, at(30), POLICY)  # half-open: fail back
    assert (choice.role, choice.url) == (Role.PRIMARY, "p")
    both = choose_endpoint("p", opened, "s", Breaker(BreakerState.OPEN, 3, at(10)), at(1), POLICY)
    assert both.url is None and both.retry_at == at(30)
    alone = choose_endpoint("p", opened, None, None, at(1), POLICY)
    assert alone.url is None and alone.retry_at == at(30)
