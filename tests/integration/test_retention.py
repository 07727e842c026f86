"""``gateway db prune``: old poller runs and delivery attempts go, in batches; nothing the
health views, dead letters or open deliveries read is lost (both backends)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from gateway.cli import app
from gateway.store.poller_tables import PollerRunRow
from gateway.store.retention import prune_histories
from gateway.store.sync_health import partner_health
from gateway.store.sync_tables import AttemptRow, OutboxRow
from gateway.store.tables import AuditRow, utcnow
from sync import Status

NOW = utcnow()
BEFORE = NOW - dt.timedelta(days=30)
OPEN = {Status.PENDING.value, Status.IN_FLIGHT.value, Status.DEAD.value}


def _ago(rng: random.Random) -> dt.datetime:
    """A moment in the last 90 days, not within a day of the 30-day cut-off (the CLI takes
    its own clock a little after the test's)."""
    minutes = rng.choice([(1, 29 * 24 * 60), (31 * 24 * 60, 90 * 24 * 60)])
    return NOW - dt.timedelta(minutes=rng.randint(*minutes))


def _history(sessions: sessionmaker[Session], seed: int = 7) -> None:
    """Deliveries in every state, attempts and poller runs spread over 90 days."""
    rng = random.Random(seed)
    statuses = [s.value for s in Status]
    with sessions.begin() as session:
        for n in range(40):
            partner, doc = rng.choice(["SUP1", "SUP2", "SUP3"]), rng.choice(["850", "830"])
            status = statuses[n % len(statuses)]
            session.add(
                OutboxRow(
                    id=f"d{n:03d}",
                    partner_id=partner,
                    document_type=doc,
                    content_type="application/edi-x12",
                    body=b"x",
                    status=status,
                    next_attempt_at=NOW,
                )
            )
            for _ in range(rng.randint(1, 8)):
                ok = rng.random() < 0.6
                session.add(
                    AttemptRow(
                        delivery_id=f"d{n:03d}",
                        partner_id=partner,
                        document_type=doc,
                        endpoint="http://127.0.0.1:9/in",
                        at=_ago(rng),
                        ok=ok,
                        status_code=200 if ok else 503,
                        error=None if ok else "503 from partner",
                    )
                )
        # attempts whose delivery row is gone (before this command existed, nothing deleted
        # deliveries; a database restored from elsewhere may still have them)
        session.add(
            AttemptRow(
                delivery_id="gone",
                partner_id="SUP9",
                document_type="850",
                endpoint="http://127.0.0.1:9/in",
                at=NOW - dt.timedelta(days=60),
                ok=True,
            )
        )
        for n in range(120):
            started = _ago(rng)
            session.add(
                PollerRunRow(
                    partner_id="SUP1",
                    name="orders",
                    started_at=started,
                    finished_at=started + dt.timedelta(seconds=2),
                    ok=n % 5 != 0,
                )
            )


def _expected_kept(session: Session) -> tuple[set[int], set[int]]:
    """What must stay, worked out row by row from the rule, not by the module's statement."""
    status = {i: s for i, s in session.execute(select(OutboxRow.id, OutboxRow.status))}
    attempts = list(session.scalars(select(AttemptRow)))
    newest: dict[tuple[str, str, bool], int] = {}
    for a in attempts:
        key = (a.partner_id, a.document_type, a.ok)
        newest[key] = max(newest.get(key, 0), a.id)
    kept_attempts = {
        a.id
        for a in attempts
        if a.at >= BEFORE or status.get(a.delivery_id) in OPEN or a.id in newest.values()
    }
    runs = session.scalars(select(PollerRunRow))
    kept_runs = {r.id for r in runs if r.finished_at >= BEFORE}
    return kept_attempts, kept_runs


def _ids(session: Session) -> tuple[set[int], set[int]]:
    return set(session.scalars(select(AttemptRow.id))), set(
        session.scalars(select(PollerRunRow.id))
    )


def _health(session: Session) -> list[dict[str, object]]:
    return [h.as_dict() for h in partner_health(session, NOW)]


def test_prune_keeps_exactly_what_the_rule_keeps_and_the_health_view_is_unchanged(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    _history(sessions)
    with sessions() as session:
        expected = _expected_kept(session)
        before_ids = _ids(session)
        health = _health(session)
    gone = {"sync_attempts": len(before_ids[0] - expected[0])}
    gone["poller_runs"] = len(before_ids[1] - expected[1])
    assert gone["sync_attempts"] > 20 and gone["poller_runs"] > 50  # the data has old rows

    counted = prune_histories(engine, before=BEFORE, actor="test", dry_run=True)
    assert counted == gone
    with sessions() as session:
        assert _ids(session) == before_ids  # a dry run deletes nothing
        assert session.scalar(select(AuditRow).where(AuditRow.action == "retention.prune")) is None

    batches: list[tuple[str, int]] = []
    deleted = prune_histories(
        engine, before=BEFORE, actor="test", batch=7, progress=lambda t, n: batches.append((t, n))
    )
    assert deleted == gone
    assert all(0 < n <= 7 for _, n in batches)  # short transactions of at most 7 rows
    assert sum(n for t, n in batches if t == "sync_attempts") == gone["sync_attempts"]
    with sessions() as session:
        assert _ids(session) == expected
        assert _health(session) == health  # last success / failure, the last hour: the same
        audit = session.scalars(select(AuditRow).where(AuditRow.action == "retention.prune"))
        assert [(a.actor, a.detail["rows"]) for a in audit] == [("test", gone)]

    again = prune_histories(engine, before=BEFORE, actor="test")
    assert again == {"sync_attempts": 0, "poller_runs": 0}
    with sessions() as session:
        audited = session.scalars(select(AuditRow).where(AuditRow.action == "retention.prune"))
        assert len(list(audited)) == 1  # nothing deleted, nothing audited


def test_a_dead_letters_attempts_stay_until_it_is_replayed(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        session.add(
            OutboxRow(
                id="dead1",
                partner_id="SUP1",
                document_type="850",
                content_type="application/edi-x12",
                body=b"x",
                status=Status.DEAD.value,
                next_attempt_at=NOW,
            )
        )
        for day in (80, 70, 60):  # all old, all failed
            session.add(
                AttemptRow(
                    delivery_id="dead1",
                    partner_id="SUP1",
                    document_type="850",
                    endpoint="http://127.0.0.1:9/in",
                    at=NOW - dt.timedelta(days=day),
                    ok=False,
                    error="refused",
                )
            )
    assert prune_histories(engine, before=BEFORE, actor="t")["sync_attempts"] == 0
    with sessions.begin() as session:
        row = session.get(OutboxRow, "dead1")
        assert row is not None
        row.status = Status.REPLAYED.value
    # replayed: its history may go, but the channel's last failure stays
    assert prune_histories(engine, before=BEFORE, actor="t")["sync_attempts"] == 2
    with sessions() as session:
        left = list(session.scalars(select(AttemptRow)))
    assert [a.at.date() for a in left] == [(NOW - dt.timedelta(days=60)).date()]


def test_the_cli_counts_then_deletes(
    database_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(sessions, seed=11)
    with sessions() as session:
        expected = _expected_kept(session)
        total = len(_ids(session)[1])
    monkeypatch.setenv("GATEWAY_DATABASE_URL", database_url)
    runner = CliRunner()
    dry = runner.invoke(app, ["db", "prune", "--days", "30", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    runs_due = total - len(expected[1])
    assert f"poller_runs: would delete {runs_due:,} rows older than" in dry.output
    with sessions() as session:
        assert len(_ids(session)[1]) == total
    done = runner.invoke(app, ["db", "prune", "--days", "30", "--batch", "10", "--actor", "ops"])
    assert done.exit_code == 0, done.output
    assert f"poller_runs: deleted {runs_due:,} rows older than" in done.output
    with sessions() as session:
        # the command's cut-off is a little later than the test's: at most the same rows go
        kept_attempts, kept_runs = _ids(session)
        assert kept_runs == expected[1] and kept_attempts == expected[0]
        actors = set(
            session.scalars(select(AuditRow.actor).where(AuditRow.action == "retention.prune"))
        )
    assert actors == {"ops"}
    refused = runner.invoke(app, ["db", "prune", "--days", "0"])
    assert refused.exit_code == 2  # below the minimum: typer's usage error, nothing deleted
