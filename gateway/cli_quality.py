"""`gateway quality run|escalate|worker|failed|retry`: the data-quality monitors' commands."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from gateway.quality_run import QualityRun
from gateway.quality_policy import PolicyError
from gateway.settings import get_settings
from gateway.store.engine import make_engine, make_session_factory
from gateway.store.quality_failures import count_failed, failed_messages, retry_failed

quality_app = typer.Typer(help="Data-quality monitors.", no_args_is_help=True)
console = Console(stderr=True)
ACTOR = "cli"


@quality_app.command("run")
def run(
    at: Annotated[
        str | None, typer.Option(help="Check as of this ISO time (default: now, UTC).")
    ] = None,
) -> None:
    """Run every rule over the store; new problems open findings, gone ones resolve."""
    from gateway.quality_run import run_quality  # pandas: only when needed

    now = _moment(at)
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with console.status("checking") as status:
            result = run_quality(
                make_session_factory(engine),
                now,
                policy_file=settings.quality_policy,
                step=lambda name: status.update(name),
            )
    except PolicyError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    print_run(result)


@quality_app.command("escalate")
def escalate_(
    at: Annotated[
        str | None, typer.Option(help="Escalate as of this ISO time (default: now, UTC).")
    ] = None,
) -> None:
    """Hand findings that waited too long to the next owner of their segment's path."""
    from gateway.quality_run import escalate

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        due = escalate(
            make_session_factory(engine), _moment(at), policy_file=settings.quality_policy
        )
    except PolicyError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    table = Table("finding", "rule", "from", "to", "level", "hours waiting")
    for e in due:
        table.add_row(
            e.finding.fingerprint[:12],
            e.finding.finding.rule,
            e.from_owner or "-",
            e.to_owner,
            str(e.level),
            f"{e.hours_waiting:g}",
        )
    Console().print(table)
    console.print(f"{len(due)} findings escalated")


@quality_app.command("worker")
def worker(
    poll: Annotated[float, typer.Option(help="Seconds between polls when idle.")] = 1.0,
    linger: Annotated[
        float, typer.Option(help="Longest a message waits for others to join its check, s.")
    ] = 5.0,
    batch: Annotated[int, typer.Option(help="Messages checked per micro-batch at most.")] = 1000,
    freshness_every: Annotated[
        float, typer.Option(help="Seconds between stale-feed checks (by any worker).")
    ] = 900.0,
    until_idle: Annotated[
        bool, typer.Option(help="Exit once no processed message waits for its check.")
    ] = False,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Failed checks of a message before it is set aside.")
    ] = 3,
) -> None:
    """Check newly processed messages as they come, and feed freshness on its schedule
    (run several on PostgreSQL; SIGINT/SIGTERM end it after the current micro-batch)."""
    import signal
    import threading

    from gateway.quality_worker import QualityWorker, QualityWorkerConfig

    settings = get_settings()
    engine = make_engine(settings.database_url)
    config = QualityWorkerConfig(
        poll_s=poll,
        linger_s=linger,
        batch=batch,
        freshness_every_s=freshness_every,
        max_attempts=max_attempts,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console.print("quality worker started")
    sessions = make_session_factory(engine)
    _report_set_aside(sessions)
    try:
        running = QualityWorker(sessions, config, policy_file=settings.quality_policy)
        running.checker.context()  # a policy file that does not validate stops here
        running.run(stop, until_idle=until_idle)
        _report_set_aside(sessions)
    except PolicyError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    console.print("quality worker stopped")


def _report_set_aside(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        failed = count_failed(session)
    if failed:
        console.print(
            f"[yellow]{failed} message(s) set aside after their check failed: "
            "`gateway quality failed` lists them, `gateway quality retry` puts them back[/yellow]"
        )


@quality_app.command("failed")
def failed() -> None:
    """List the messages set aside after their streaming check raised: id, when, tries and
    the last error, tab-separated."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            messages = failed_messages(session)
    finally:
        engine.dispose()
    # One tab-separated line per message (id first), so that ids can be piped to `retry`.
    for m in messages:
        when = m.failed_at.isoformat(timespec="seconds")
        error = " ".join(m.last_error.split())
        print(f"{m.message_id}\t{when}\tattempts={m.attempts}\t{error}")
    console.print(f"{len(messages)} message(s) set aside")


@quality_app.command("retry")
def retry(
    message_ids: Annotated[
        list[str] | None, typer.Argument(help="Set-aside message ids to check again.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Put every set-aside message back in the queue.")
    ] = False,
) -> None:
    """Put set-aside messages back in the streaming queue (tries reset; audited)."""
    if bool(message_ids) == all_:
        console.print("[red]name message ids or pass --all (not both)[/red]")
        raise typer.Exit(2)
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine).begin() as session:
            back = retry_failed(session, None if all_ else message_ids, actor=ACTOR)
    finally:
        engine.dispose()
    unknown = sorted(set(message_ids or ()) - set(back))
    for message_id in back:
        print(message_id)
    console.print(f"{len(back)} message(s) queued again for the streaming check")
    if unknown:
        console.print(f"[red]not set aside: {', '.join(unknown)}[/red]")
        raise typer.Exit(1)


def print_run(result: QualityRun) -> None:
    table = Table("rule", "findings", title=f"{result.documents:,} documents checked")
    for rule, count in result.by_rule.most_common():
        table.add_row(rule, f"{count:,}")
    Console().print(table)
    console.print(
        f"opened {result.created:,}, updated {result.updated:,}, "
        f"resolved {result.resolved:,}, reopened {result.reopened:,}"
    )


def _moment(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        console.print(f"[red]--at {text!r} is not an ISO date or time[/red]")
        raise typer.Exit(2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
