"""`gateway quality run`: re-check every stored document and update the findings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from gateway.quality_run import QualityRun
from gateway.quality_policy import PolicyError
from gateway.settings import get_settings
from gateway.store.engine import make_engine, make_session_factory

quality_app = typer.Typer(help="Data-quality monitors.", no_args_is_help=True)
console = Console(stderr=True)


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
) -> None:
    """Check newly processed messages as they come, and feed freshness on its schedule
    (run several on PostgreSQL; SIGINT/SIGTERM end it after the current micro-batch)."""
    import signal
    import threading

    from gateway.quality_worker import QualityWorker, QualityWorkerConfig

    settings = get_settings()
    engine = make_engine(settings.database_url)
    config = QualityWorkerConfig(
        poll_s=poll, linger_s=linger, batch=batch, freshness_every_s=freshness_every
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    console.print("quality worker started")
    try:
        running = QualityWorker(
            make_session_factory(engine), config, policy_file=settings.quality_policy
        )
        running.checker.context()  # a policy file that does not validate stops here
        running.run(stop, until_idle=until_idle)
    except PolicyError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    console.print("quality worker stopped")


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
