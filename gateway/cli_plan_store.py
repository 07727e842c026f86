"""``gateway plan`` over the store: thresholds, classification proposals, recompute, overrides
and publishing. Service errors print one line with their code and exit with code 2."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from gateway.settings import get_settings
from gateway.store.engine import make_engine, make_session_factory

thresholds_app = typer.Typer(help="Segmentation thresholds (versioned).", no_args_is_help=True)
proposals_app = typer.Typer(help="Classification proposals.", invoke_without_command=True)
console = Console(stderr=True)
out = Console()
T = TypeVar("T")
Actor = Annotated[str | None, typer.Option(help="Who acts (default: cli:<login>).")]


def actor_name(actor: str | None) -> str:
    return actor or f"cli:{getpass.getuser()}"


@contextmanager
def _transaction() -> Iterator[Session]:
    """One committed transaction on the configured database; service errors exit with 2."""
    from gateway.planning import PlanningServiceError

    engine = make_engine(get_settings().database_url)
    try:
        with make_session_factory(engine).begin() as session:
            yield session
    except PlanningServiceError as error:
        console.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def _day(value: str | None) -> dt.date | None:
    try:
        return None if value is None else dt.date.fromisoformat(value)
    except ValueError:
        console.print(f"[red]error:[/red] not a date (YYYY-MM-DD): {value!r}")
        raise typer.Exit(2) from None


# --- thresholds --------------------------------------------------------------------------------


@thresholds_app.command("show")
def thresholds_show(
    history: Annotated[bool, typer.Option(help="List every version, newest first.")] = False,
) -> None:
    """The thresholds in force (JSON on stdout), or the version history."""
    from gateway.planning import current_thresholds, threshold_history

    with _transaction() as session:
        current = current_thresholds(session)
        versions = threshold_history(session) if history else []
    if history:
        table = Table("version", "created by", "created at", "auto-apply max", "note")
        for v in versions:
            table.add_row(
                v.version,
                v.created_by,
                f"{v.created_at:%Y-%m-%d %H:%M}",
                str(v.auto_apply_max_changes),
                v.note,
            )
        out.print(table)
        return
    values = current.thresholds.as_dict() | {
        "auto_apply_max_changes": current.auto_apply_max_changes
    }
    typer.echo(json.dumps(values, indent=2))


def _parse_pairs(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep:
            console.print(f"[red]error:[/red] expected KEY=VALUE, got {pair!r}")
            raise typer.Exit(2)
        try:
            values[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            values[key.strip()] = raw
    return values


@thresholds_app.command("set")
def thresholds_set(
    file: Annotated[Path | None, typer.Option(help="JSON object of thresholds to change.")] = None,
    value: Annotated[
        list[str] | None, typer.Option("--set", help="KEY=VALUE (repeatable).")
    ] = None,
    note: Annotated[str, typer.Option(help="Why the thresholds change.")] = "",
    actor: Actor = None,
) -> None:
    """Store a new version: the current thresholds with these changes (audited)."""
    from gateway.planning import set_thresholds

    changes: dict[str, Any] = {}
    if file is not None:
        try:
            changes = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            console.print(f"[red]error:[/red] cannot read {file}: {error}")
            raise typer.Exit(2) from None
    changes |= _parse_pairs(value or [])
    limit = changes.pop("auto_apply_max_changes", None)
    with _transaction() as session:
        version = set_thresholds(
            session, changes, actor=actor_name(actor), note=note, auto_apply_max_changes=limit
        )
    console.print(f"thresholds version [bold]{version.version}[/bold] is now in force")


# --- proposals ---------------------------------------------------------------------------------


def propose_command(
    as_of: Annotated[str | None, typer.Option(help="Classify demand up to this date.")] = None,
    actor: Actor = None,
) -> None:
    """Classify every item; small proposals apply at once, larger ones wait for approval."""
    from gateway.planning import propose

    with _transaction() as session:
        result = propose(session, actor=actor_name(actor), as_of=_day(as_of))
    console.print(
        f"proposal [bold]{result.id}[/bold]: {result.status}, {result.changed_items} items "
        f"change ({result.change_count} changes), {result.alerts} near-boundary alerts"
    )


@proposals_app.callback()
def proposals_default(
    context: typer.Context,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
) -> None:
    """List proposals (newest first); subcommands show, approve or reject one."""
    if context.invoked_subcommand is None:
        _print_proposals(status)


@proposals_app.command("list")
def proposals_list(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
) -> None:
    """List proposals, newest first."""
    _print_proposals(status)


def _print_proposals(status: str | None) -> None:
    from gateway.store.planning import list_proposals

    with _transaction() as session:
        rows = list_proposals(session, status)
    table = Table("id", "status", "changed items", "changes", "thresholds", "created", "decided by")
    for r in rows:
        table.add_row(
            str(r.id),
            r.status,
            str(r.changed_items),
            str(r.change_count),
            r.thresholds_version,
            f"{r.created_at:%Y-%m-%d %H:%M}",
            r.decided_by or "",
        )
    out.print(table)


@proposals_app.command("show")
def proposals_show(proposal_id: int, limit: Annotated[int, typer.Option()] = 50) -> None:
    """A proposal's changes: item, dimension, from, to and the measured reason."""
    from gateway.planning import NotFoundError
    from gateway.store.planning import proposal_changes
    from gateway.store.planning_tables import ProposalRow

    with _transaction() as session:
        row = session.get(ProposalRow, proposal_id)
        if row is None:
            raise NotFoundError(f"no proposal {proposal_id}")
        changes = proposal_changes(session, proposal_id)
    out.print(f"proposal {row.id}: {row.status} ({row.changed_items} items, {row.note or '-'})")
    table = Table("item", "dimension", "from", "to", "reason")
    for c in changes[:limit]:
        table.add_row(c.item_id, c.dimension, c.from_class or "-", c.to_class, c.reason)
    out.print(table)


@proposals_app.command("approve")
def proposals_approve(
    proposal_id: int, note: Annotated[str, typer.Option(help="Why.")] = "", actor: Actor = None
) -> None:
    """Apply a pending proposal."""
    from gateway.planning import approve_proposal

    with _transaction() as session:
        result = approve_proposal(session, proposal_id, actor=actor_name(actor), note=note)
    console.print(f"proposal {result.id} approved: {result.changed_items} items reclassified")


@proposals_app.command("reject")
def proposals_reject(
    proposal_id: int,
    note: Annotated[str, typer.Option(help="Why (required).")],
    actor: Actor = None,
) -> None:
    """Close a pending proposal without applying it."""
    from gateway.planning import reject_proposal

    with _transaction() as session:
        result = reject_proposal(session, proposal_id, actor=actor_name(actor), note=note)
    console.print(f"proposal {result.id} rejected")


def alerts_command() -> None:
    """Items near a classification boundary in the latest classification run."""
    from gateway.store.planning import latest_alerts

    with _transaction() as session:
        rows = latest_alerts(session)
    table = Table("item", "near", "reason")
    for r in rows:
        table.add_row(r.item_id, r.measures, r.reason)
    out.print(table)


# --- recompute, override, publish --------------------------------------------------------------


def recompute_command(
    as_of: Annotated[str | None, typer.Option(help="Use demand up to this date.")] = None,
    horizon: Annotated[int, typer.Option(min=1, max=104, help="Weeks to forecast.")] = 26,
    actor: Actor = None,
) -> None:
    """Forecast, accuracy, consensus, buffers and scorecards for every item: a new run."""
    from gateway.planning import STEPS, recompute

    with _transaction() as session, _steps(len(STEPS)) as step:
        result = recompute(
            session, actor=actor_name(actor), as_of=_day(as_of), horizon=horizon, step=step
        )
    table = Table(f"run {result.run_id} (as of {result.as_of})", "seconds")
    for name, seconds in result.timings.items():
        table.add_row(name, f"{seconds:.2f}")
    out.print(table)
    out.print(
        f"{result.series} series, {result.forecast_cells} forecast cells, "
        f"{result.scorecards} scorecard rows"
    )


@contextmanager
def _steps(total: int) -> Iterator[Callable[[str], None]]:
    columns = (TextColumn("{task.description:<14}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting", total=total)
        seen: list[str] = []

        def step(name: str) -> None:
            bar.update(task, completed=len(seen), description=name)
            seen.append(name)

        yield step
        bar.update(task, completed=total)


def override_command(
    item: str,
    location: str,
    period: str,
    quantity: float,
    reason: Annotated[str, typer.Option(help="Why the planner overrides (required).")],
    actor: Actor = None,
) -> None:
    """Override one forecast cell (item, location, week starting PERIOD)."""
    from gateway.planning import override_forecast

    day = _day(period)
    assert day is not None
    with _transaction() as session:
        result = override_forecast(
            session,
            item_id=item,
            location_id=location,
            period_start=day,
            quantity=quantity,
            reason=reason,
            actor=actor_name(actor),
        )
    where = f"run {result.run_id}" if result.run_id else "the next recompute"
    console.print(f"override {result.override_id} stored; consensus in {where}: {result.consensus}")


def publish_command(
    supplier: str,
    sender: Annotated[str, typer.Option(help="Our ISA06/GS02 id.")] = "GATEWAY",
    actor: Actor = None,
) -> None:
    """Queue the supplier's consensus forecast as an 830 in the outbox."""
    from gateway.planning import publish_forecast

    with _transaction() as session:
        result = publish_forecast(session, supplier, actor_name(actor), sender_id=sender)
    console.print(
        f"830 {result.schedule_id} ({result.lines} lines) queued as delivery {result.delivery_id}"
    )


def prune_command(
    keep: Annotated[int, typer.Option(help="How many of the newest complete runs to keep.")] = 5,
    dry_run: Annotated[bool, typer.Option(help="Say what would go; delete nothing.")] = False,
    actor: Actor = None,
) -> None:
    """Delete forecast runs older than the newest KEEP; runs published to suppliers stay."""
    from gateway.planning import prune_runs

    with _transaction() as session:
        result = prune_runs(session, keep=keep, actor=actor_name(actor), dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    runs = ", ".join(map(str, result.deleted)) or "none"
    noun = "run" if len(result.deleted) == 1 else "runs"
    out.print(f"{verb} {len(result.deleted)} {noun} ({runs}), {result.rows:,} result rows")
    out.print(
        f"kept runs {', '.join(map(str, result.kept)) or 'none'}"
        + (f" (published: {', '.join(map(str, result.published))})" if result.published else "")
    )


def register(plan_app: typer.Typer) -> None:
    """Add the store-backed commands to ``gateway plan``."""
    plan_app.add_typer(thresholds_app, name="thresholds")
    plan_app.add_typer(proposals_app, name="proposals")
    plan_app.command("propose")(propose_command)
    plan_app.command("alerts")(alerts_command)
    plan_app.command("recompute")(recompute_command)
    plan_app.command("override")(override_command)
    plan_app.command("publish")(publish_command)
    plan_app.command("prune")(prune_command)
