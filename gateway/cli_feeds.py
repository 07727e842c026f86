"""`gateway feeds mapping set|show|list` and `gateway watch DIR`: supplier file feeds."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from adapters.api.feeds import FeedMapping, Limits
from gateway.drop_folder import DONE, Candidate, DropFolder, Outcome, settled, wait_for_settled
from gateway.settings import get_settings
from gateway.store.engine import make_engine, make_session_factory
from gateway.store.feeds import get_mappings, set_mapping

console = Console(stderr=True)
RETRY = "retry"  # not handled this time (left in place); the next scan tries again
feeds_app = typer.Typer(help="Supplier file feeds: column mappings.", no_args_is_help=True)
mapping_app = typer.Typer(help="Per-partner column mappings.", no_args_is_help=True)
feeds_app.add_typer(mapping_app, name="mapping")


def _sessions() -> tuple[sessionmaker[Session], Engine]:
    engine = make_engine(get_settings().database_url)
    return make_session_factory(engine), engine


@mapping_app.command("set")
def mapping_set(
    partner: Annotated[str, typer.Argument(help="Partner id (its supplier id).")],
    file: Annotated[Path, typer.Argument(help="The mapping, as JSON (see docs/feeds.md).")],
    actor: Annotated[str, typer.Option(help="Who makes the change (audit log).")] = "cli",
) -> None:
    """Store a partner's mapping for the document type it names (replacing the old one)."""
    try:
        mapping = FeedMapping.model_validate_json(file.read_bytes())
    except OSError as error:
        console.print(f"[red]cannot read {file}:[/red] {error.strerror}")
        raise typer.Exit(2) from None
    except ValidationError as error:
        console.print(f"[red]{file} is not a valid mapping:[/red]")
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"]) or "(the mapping)"
            console.print(f"  {where}: {item['msg'].removeprefix('Value error, ')}")
        raise typer.Exit(2) from None
    sessions, engine = _sessions()
    try:
        with sessions.begin() as session:
            created = set_mapping(session, partner, mapping, actor=actor)
    finally:
        engine.dispose()
    verb = "created" if created else "replaced"
    console.print(f"{mapping.document_type} mapping of {partner} {verb}")


@mapping_app.command("show")
def mapping_show(
    partner: Annotated[str, typer.Argument(help="Partner id.")],
    document_type: Annotated[
        str | None, typer.Option("--type", help="Only this document type.")
    ] = None,
) -> None:
    """Print a partner's mappings as JSON (what `set` takes)."""
    sessions, engine = _sessions()
    try:
        with sessions() as session:
            rows = [
                r
                for r in get_mappings(session, partner)
                if document_type in (None, r.document_type)
            ]
    finally:
        engine.dispose()
    if not rows:
        console.print(f"[yellow]no mapping for {partner}[/yellow]")
        raise typer.Exit(1)
    for row in rows:
        typer.echo(json.dumps(row.mapping, indent=2))


@mapping_app.command("list")
def mapping_list() -> None:
    """Every partner's mappings: document type, columns mapped, last change."""
    sessions, engine = _sessions()
    try:
        with sessions() as session:
            rows = get_mappings(session)
    finally:
        engine.dispose()
    table = Table("partner", "document type", "columns", "constants", "updated", "by")
    for row in rows:
        table.add_row(
            row.partner_id,
            row.document_type,
            str(len(row.mapping.get("columns", {}))),
            str(len(row.mapping.get("constants", {}))),
            row.updated_at.strftime("%Y-%m-%d %H:%M"),
            row.updated_by,
        )
    Console().print(table)


def watch(
    folder: Annotated[Path, typer.Argument(help="The drop folder: one subfolder per partner.")],
    once: Annotated[
        bool, typer.Option("--once", help="Process what is there now, then exit.")
    ] = False,
    interval: Annotated[float, typer.Option(min=0.1, help="Seconds between scans.")] = 5.0,
    settle: Annotated[
        float, typer.Option(min=0, help="--once: seconds a file must stay unchanged.")
    ] = 1.0,
) -> None:
    """Watch a drop folder: read each complete file, move it to done/ or failed/ with a report.

    With --once, exit 1 if any file failed. See docs/feeds.md for the folder layout.
    """
    if not folder.is_dir():
        console.print(f"[red]{folder} is not a folder[/red]")
        raise typer.Exit(2)
    settings = get_settings()
    engine = make_engine(settings.database_url)
    drop = DropFolder(
        folder,
        make_session_factory(engine),
        Limits(max_bytes=settings.max_file_bytes),
        warn=lambda text: console.log(f"[yellow]{text}[/yellow]"),
    )
    try:
        if once:
            outcomes = _process(drop, wait_for_settled(drop, settle))
            _print_summary(outcomes)
            if any(o.status != DONE for o in outcomes):
                raise typer.Exit(1)
            return
        console.log(f"watching {drop.root} every {interval:g}s (Ctrl-C stops)")
        previous = drop.scan()
        while True:
            time.sleep(interval)
            current = drop.scan()
            ready, _ = settled(previous, current)
            _process(drop, ready)
            previous = [c for c in current if c not in ready]
    finally:
        engine.dispose()


def _process(drop: DropFolder, candidates: list[Candidate]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    if not candidates:
        return outcomes
    with Progress(
        TextColumn("{task.description:<40}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as bar:
        task = bar.add_task("reading", total=len(candidates))
        for candidate in candidates:
            name = f"{candidate.partner_id}/{candidate.path.name}"
            bar.update(task, description=name[:40])
            try:
                outcome = drop.handle(candidate)
            except Exception as error:  # e.g. the database is down: the file waits in place
                reason = str(error).strip().splitlines()[0] if str(error) else repr(error)
                outcome = Outcome(candidate, candidate.path, RETRY, None, reason)
            colour = {DONE: "green", RETRY: "yellow"}.get(outcome.status, "red")
            console.log(f"[{colour}]{outcome.status:<6}[/{colour}] {name}: {outcome.summary}")
            outcomes.append(outcome)
            bar.advance(task)
    return outcomes


def _print_summary(outcomes: list[Outcome]) -> None:
    table = Table("partner", "file", "result", "message", "detail")
    for o in outcomes:
        table.add_row(
            o.candidate.partner_id, o.candidate.path.name, o.status, o.message_id or "-", o.summary
        )
    Console().print(table if outcomes else "nothing to read")
