"""The ``gateway`` command line: serve, demo, database migrations and the model's schema."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from gateway.cli_access import keys_app, policy_app
from gateway.cli_edi import edi_app
from gateway.cli_feeds import feeds_app, watch
from gateway.cli_ingest import ingest
from gateway.cli_plan import plan_app
from gateway.cli_plan_store import Actor, actor_name
from gateway.cli_plan_store import register as register_plan_store
from gateway.cli_pollers import pollers_app
from gateway.cli_quality import quality_app
from gateway.cli_sync import sync_app, worker
from gateway.logs import configure_logging
from gateway.settings import Settings, get_settings
from gateway.store.access import IssuedKey

app = typer.Typer(
    help="Supplier collaboration gateway: X12 EDI, REST and file feeds in one canonical model.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema migrations and retention.", no_args_is_help=True)
app.add_typer(db_app, name="db")
edi_app.command("ingest")(ingest)
app.add_typer(edi_app, name="edi")
app.add_typer(keys_app, name="keys")
register_plan_store(plan_app)
app.add_typer(plan_app, name="plan")
app.add_typer(quality_app, name="quality")
app.add_typer(sync_app, name="sync")
app.add_typer(pollers_app, name="pollers")
app.command("worker")(worker)
app.add_typer(policy_app, name="policy")
app.add_typer(feeds_app, name="feeds")
app.command("watch")(watch)
console = Console(stderr=True)


def _settings() -> Settings:
    try:
        return get_settings()
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        console.print(f"[red]configuration error:[/red] {error}")
        raise typer.Exit(2) from None


def _engine(settings: Settings) -> Engine:
    from gateway.store.engine import make_engine

    return make_engine(settings.database_url, pool_size=settings.db_pool_size)


def _say(settings: Settings, markup: str, level: int = logging.INFO) -> None:
    """Tell the operator: on the console, or as a log record when logs are JSON (so every
    line ``gateway serve`` writes to stderr is one JSON object)."""
    if settings.log_format != "json":
        console.print(markup)
        return
    configure_logging(settings.log_format, settings.log_level)
    logging.getLogger("gateway.cli").log(level, Text.from_markup(markup).plain)


def _upgrade(settings: Settings, revision: str = "head") -> None:
    from gateway.store.migrate import current_revision, upgrade

    engine = _engine(settings)
    try:
        upgrade(engine, revision)
        _say(settings, f"database at revision [bold]{current_revision(engine)}[/bold]")
    except SQLAlchemyError as error:
        message = f"[red]cannot migrate {_safe_url(settings)}:[/red] {_reason(error)}"
        _say(settings, message, logging.ERROR)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations up to a revision (the newest by default)."""
    _upgrade(_settings(), revision)


@db_app.command("current")
def db_current() -> None:
    """Print the database's revision and the newest the code knows."""
    from gateway.store.migrate import current_revision, head_revision

    settings = _settings()
    engine = _engine(settings)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as error:
        console.print(f"[red]cannot reach {_safe_url(settings)}:[/red] {_reason(error)}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    head = head_revision()
    typer.echo(f"current: {current or '(empty)'}\nhead:    {head}")
    if current != head:
        raise typer.Exit(1)


@db_app.command("prune")
def db_prune(
    days: Annotated[
        float, typer.Option(min=1, help="Delete history older than this many days.")
    ] = 30,
    dry_run: Annotated[bool, typer.Option(help="Count what would go; delete nothing.")] = False,
    batch: Annotated[int, typer.Option(min=1, help="Rows per short transaction.")] = 5000,
    actor: Actor = None,
) -> None:
    """Delete old poller runs and delivery attempts (kept: open and dead deliveries' attempts,
    each channel's last success and failure; documents, messages and the audit log stay)."""
    from gateway.store.retention import prune_histories

    settings = _settings()
    engine = _engine(settings)
    before = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    who = actor_name(actor)
    try:
        due = prune_histories(engine, before=before, actor=who, dry_run=True)
        counts = due
        if not dry_run and any(due.values()):
            with _progress() as bar:
                tasks = {t: bar.add_task(f"deleting {t}", total=n) for t, n in due.items()}

                def advance(table: str, rows: int) -> None:
                    bar.advance(tasks[table], rows)

                counts = prune_histories(
                    engine, before=before, actor=who, batch=batch, progress=advance
                )
    except SQLAlchemyError as error:
        console.print(f"[red]cannot prune {_safe_url(settings)}:[/red] {_reason(error)}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    verb = "would delete" if dry_run else "deleted"
    stamp = before.isoformat(timespec="seconds")
    for table, rows in counts.items():
        typer.echo(f"{table}: {verb} {rows:,} rows older than {stamp}")


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of the canonical model."""
    from gateway.model import canonical_json_schema

    text = json.dumps(canonical_json_schema(), indent=2)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        console.print(f"schema written to {output}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [GATEWAY_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [GATEWAY_PORT].")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes [GATEWAY_WORKERS].")] = None,
    migrate: Annotated[bool, typer.Option(help="Apply pending migrations before serving.")] = True,
) -> None:
    """Serve the gateway over HTTP (OpenAPI docs at /docs)."""
    settings = _settings()
    if migrate:
        _upgrade(settings)
    _serve(settings, host, port, workers)


def _serve(settings: Settings, host: str | None, port: int | None, workers: int | None) -> None:
    import uvicorn

    host, port = host or settings.host, port or settings.port
    workers = workers or settings.workers
    if workers > 1 and settings.database_url.startswith("sqlite"):
        _say(settings, "[yellow]SQLite serialises writers: serving with one worker.[/yellow]")
        workers = 1
    _say(settings, f"serving on [bold]http://{host}:{port}[/bold]  (docs: /docs, health: /readyz)")
    uvicorn.run(
        "gateway.app:serve_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        access_log=False,  # the gateway's access log has the request id and the principal
        timeout_keep_alive=settings.keep_alive_s,
        limit_concurrency=settings.limit_concurrency,
    )


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 7,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the gateway afterwards.")
    ] = True,
    reset: Annotated[
        bool, typer.Option(help="Drop everything in the database and rebuild the demo.")
    ] = False,
    items: Annotated[int, typer.Option(min=12, help="Number of items.")] = 500,
    suppliers: Annotated[int, typer.Option(min=6, help="Number of suppliers.")] = 40,
    weeks: Annotated[int, typer.Option(min=60, help="Weeks of demand history.")] = 130,
    as_of: Annotated[
        str | None, typer.Option(help="Last day of history, YYYY-MM-DD (default: today).")
    ] = None,
    keys_file: Annotated[
        Path, typer.Option(help="Where to write one API key per kind of principal.")
    ] = Path("demo-keys.txt"),
) -> None:
    """Build a demo supply chain in the database (and serve it, unless --no-serve)."""
    from gateway.demo.build import generate_demo, load_demo
    from gateway.store.engine import make_session_factory
    from gateway.store.migrate import reset_schema

    settings = _settings()
    day = _parse_day(as_of)
    engine = _engine(settings)
    try:
        if reset:
            reset_schema(engine)
        _upgrade(settings)
        existing = _existing_demo(engine)
        if existing is not None:
            console.print(
                f"the database already holds {existing}; keeping it (use --reset to rebuild it)"
            )
        else:
            data = generate_demo(seed, as_of=day, items=items, suppliers=suppliers, weeks=weeks)
            with _progress() as bar:
                task = bar.add_task("loading", total=len(data.documents()) + 6)

                def step(name: str, count: int) -> None:
                    bar.update(task, advance=1, description=f"{name}: {count:,}")

                keys = load_demo(make_session_factory(engine), data, step)
                from gateway.quality_run import run_quality  # pandas: only when needed

                checked_at = dt.datetime.combine(data.as_of, dt.time(12), tzinfo=dt.UTC)
                bar.update(task, description="data-quality check")
                findings = run_quality(
                    make_session_factory(engine), checked_at, policy_file=settings.quality_policy
                )
                bar.update(task, advance=1, description=f"findings: {findings.findings:,}")
                planned = _plan_demo(engine, bar, task)
            counts = data.counts() | {"quality findings": findings.findings} | planned
            _print_counts(counts, seed, data.as_of)
            _write_keys(keys_file, keys, f"http://{settings.host}:{settings.port}")
    except SQLAlchemyError as error:
        console.print(f"[red]database error on {_safe_url(settings)}:[/red] {_reason(error)}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    if serve_after:
        _serve(settings, None, None, None)


def _plan_demo(engine: Engine, bar: Progress, task: TaskID) -> dict[str, int]:
    """Classify the items (a first proposal) and run one recompute, so planning data exists."""
    from gateway.planning import propose, recompute
    from gateway.store.engine import make_session_factory

    sessions = make_session_factory(engine)
    bar.update(task, description="classification proposal")
    with sessions.begin() as session:
        proposal = propose(session, actor="gateway demo")
    bar.update(task, advance=1, description="planning recompute")
    with sessions.begin() as session:
        run = recompute(session, actor="gateway demo", step=lambda name: bar.update(
            task, description=f"recompute: {name}"))  # fmt: skip
    bar.update(task, advance=1, description=f"forecast run {run.run_id}")
    return {"classification changes": proposal.change_count, "forecast cells": run.forecast_cells}


def _existing_demo(engine: Engine) -> str | None:
    from gateway.store.tables import AuditRow, SegmentRow

    with engine.connect() as connection:
        built = connection.execute(
            select(AuditRow.detail).where(AuditRow.action == "demo.built").limit(1)
        ).scalar()
        if built is not None:
            return f"the demo built with seed {built.get('seed')} as of {built.get('as_of')}"
        segments = connection.execute(select(func.count()).select_from(SegmentRow)).scalar()
    if segments:
        console.print("[red]the database holds data that is not the demo; not touching it.[/red]")
        raise typer.Exit(1)
    return None


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _print_counts(counts: dict[str, int], seed: int, as_of: dt.date) -> None:
    table = Table(title=f"demo supply chain (seed {seed}, as of {as_of})")
    table.add_column("records")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)


def _write_keys(path: Path, keys: Sequence[IssuedKey], base_url: str) -> None:
    lines = [f"{key.principal_id:<24} {key.token}" for key in keys]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    console.print(f"API keys, one per kind of principal (also in [bold]{path}[/bold]):")
    for line in lines:
        console.print(f"  {line}")
    console.print(f"  try: curl -H 'Authorization: Bearer <key>' {base_url}/api/v1/me")


def _parse_day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        console.print(f"[red]--as-of {text!r} is not a date (YYYY-MM-DD)[/red]")
        raise typer.Exit(2) from None


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def _reason(error: SQLAlchemyError) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


def main() -> None:
    """Entry point of the ``gateway`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
