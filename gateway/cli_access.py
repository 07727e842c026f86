"""`gateway keys` and `gateway policy`: API keys and Casbin rules from the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from access import PrincipalKind
from gateway.settings import get_settings
from gateway.store import access as store
from gateway.store.engine import make_engine, make_session_factory

keys_app = typer.Typer(help="API keys: create, list, revoke, rotate.", no_args_is_help=True)
policy_app = typer.Typer(help="Casbin access rules: list, add, remove.", no_args_is_help=True)
console = Console(stderr=True)
ACTOR = "cli"


def _sessions() -> sessionmaker[Session]:
    settings = get_settings()
    return make_session_factory(make_engine(settings.database_url))


@keys_app.command("create")
def create(
    principal: Annotated[str, typer.Argument(help="e.g. supplier:SUP001, planner:ann")],
    kind: Annotated[PrincipalKind, typer.Option(help="Kind, when the principal is new.")] = (
        PrincipalKind.PLANNER
    ),
    supplier: Annotated[str | None, typer.Option(help="Supplier id (supplier principals).")] = None,
    name: Annotated[str, typer.Option(help="What the key is for.")] = "cli",
    owner: Annotated[str, typer.Option(help="Who holds it.")] = "",
    read_only: Annotated[bool, typer.Option(help="Only read.")] = False,
    expires_days: Annotated[float | None, typer.Option(help="Expire after N days.")] = None,
) -> None:
    """Create a key (and the principal if new); prints the token once."""
    sessions = _sessions()
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_days) if expires_days else None
    if principal.startswith("supplier:") and supplier is None:
        supplier, kind = principal.split(":", 1)[1], PrincipalKind.SUPPLIER
    try:
        with sessions.begin() as session:
            store.ensure_principal(session, principal, kind, supplier_id=supplier, actor=ACTOR)
            issued = store.create_key(
                session,
                principal,
                name=name,
                owner=owner,
                actor=ACTOR,
                scopes=("read",) if read_only else ("read", "write"),
                expires_at=expires,
            )
    except (LookupError, ValueError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    console.print(f"key [bold]{issued.key_id}[/bold] for {principal}; the token is shown once:")
    typer.echo(issued.token)


@keys_app.command("list")
def list_(principal: Annotated[str | None, typer.Argument()] = None) -> None:
    """List keys (never their secrets)."""
    with _sessions()() as session:
        rows = store.list_keys(session, principal)
    table = Table("key id", "principal", "name", "scopes", "expires", "last used", "state")
    for row in rows:
        state = "revoked" if row.revoked_at else ("replaced" if row.replaced_by else "active")
        table.add_row(
            row.id,
            row.principal_id,
            row.name,
            ",".join(row.scopes),
            _when(row.expires_at),
            _when(row.last_used_at),
            state,
        )
    Console().print(table)


@keys_app.command("revoke")
def revoke(key_id: str) -> None:
    """Revoke a key at once."""
    try:
        with _sessions().begin() as session:
            store.revoke_key(session, key_id, actor=ACTOR)
    except LookupError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    console.print(f"key {key_id} revoked")


@keys_app.command("rotate")
def rotate(
    key_id: str,
    overlap_hours: Annotated[float, typer.Option(help="How long the old key keeps working.")] = 24,
) -> None:
    """Issue a successor key; the old one works for the overlap, then expires."""
    try:
        with _sessions().begin() as session:
            issued = store.rotate_key(
                session, key_id, actor=ACTOR, overlap=dt.timedelta(hours=overlap_hours)
            )
    except (LookupError, ValueError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    console.print(f"key [bold]{issued.key_id}[/bold] replaces {key_id}; the token is shown once:")
    typer.echo(issued.token)


@policy_app.command("list")
def policy_list() -> None:
    """Print every rule, one per line, as Casbin writes them."""
    with _sessions()() as session:
        rules, version = store.load_rules(session)
    console.print(f"policy version {version}, {len(rules)} rules")
    for rule in rules:
        typer.echo(", ".join(rule))


@policy_app.command("add")
def policy_add(
    rule: Annotated[
        list[str], typer.Argument(help="p ROLE DOMAIN OBJ ACT | g SUBJECT ROLE DOMAIN")
    ],
) -> None:
    """Add one rule; every running gateway applies it on its next request."""
    _change(store.add_rules, rule, "added")


@policy_app.command("remove")
def policy_remove(rule: Annotated[list[str], typer.Argument()]) -> None:
    """Remove one rule."""
    _change(store.remove_rules, rule, "removed")


def _change(action: Callable[..., int], rule: list[str], verb: str) -> None:
    try:
        with _sessions().begin() as session:
            count = action(session, [rule], actor=ACTOR)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{count} rule {verb}")


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "-"
