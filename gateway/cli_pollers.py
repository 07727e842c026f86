"""`gateway pollers`: inbound pull connectors, added, listed, removed and run.

Mount in gateway/cli.py with ``app.add_typer(pollers_app, name="pollers")``.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from gateway.poller import PollerSettings, PollRunner, PollWorker
from gateway.settings import get_settings
from gateway.store.audit import record
from gateway.store.engine import make_engine, make_session_factory
from gateway.store.poller_health import poller_health
from gateway.store.pollers import PollerExists, add_poller, remove_poller
from gateway.store.tables import utcnow
from sync import Pagination, PollerConfig

pollers_app = typer.Typer(
    help="Inbound pull connectors: poll suppliers' own APIs.", no_args_is_help=True
)
console = Console(stderr=True)


@contextmanager
def _database() -> Iterator[sessionmaker[Session]]:
    engine = make_engine(get_settings().database_url, pool_size=2)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


@pollers_app.command("add")
def add(
    partner: Annotated[str, typer.Argument(help="Partner (supplier) id, e.g. SUP001.")],
    base_url: Annotated[str, typer.Option(help="The supplier API's base URL.")],
    document_type: Annotated[
        str, typer.Option(help="inventory_position, capacity_commit or ship_notice.")
    ],
    path: Annotated[str, typer.Option(help="Path of the list endpoint.")] = "/",
    name: Annotated[str | None, typer.Option(help="Unique per partner [document type].")] = None,
    interval: Annotated[float, typer.Option(help="Seconds between runs.")] = 300.0,
    auth_secret: Annotated[
        str | None, typer.Option(help="Where the secret is: env:VARIABLE (never the secret).")
    ] = None,
    auth_header: Annotated[str, typer.Option(help="Header that carries it.")] = "Authorization",
    auth_scheme: Annotated[str, typer.Option(help="Before the secret; '' for none.")] = "Bearer",
    pagination: Annotated[Pagination, typer.Option(help="How pages link.")] = Pagination.CURSOR,
    cursor_param: Annotated[str, typer.Option(help="Query parameter for the cursor.")] = "cursor",
    cursor_field: Annotated[str, typer.Option(help="Body field of the next cursor.")] = (
        "next_cursor"
    ),
    next_link_field: Annotated[str, typer.Option(help="Body field of the next link.")] = "next",
    items_field: Annotated[str, typer.Option(help="Body field of the list ('' = body).")] = (
        "items"
    ),
    conditional: Annotated[
        bool, typer.Option(help="Send If-None-Match / If-Modified-Since.")
    ] = True,
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 10.0,
    max_pages: Annotated[int, typer.Option(help="Pages per run at most.")] = 10,
    max_attempts: Annotated[int, typer.Option(help="Tries per page within a run.")] = 3,
    enabled: Annotated[bool, typer.Option(help="Run it on schedule.")] = True,
    replace: Annotated[bool, typer.Option(help="Change an existing poller.")] = False,
    actor: Annotated[str, typer.Option(help="Who adds it, for the audit log.")] = "cli",
) -> None:
    """Add (or with --replace change) a partner's poller; every field is validated."""
    try:
        config = PollerConfig(
            partner_id=partner,
            name=name or document_type.replace("_", "-"),
            base_url=base_url,
            path=path,
            document_type=document_type,  # validated here
            interval_s=interval,
            auth_header=auth_header,
            auth_scheme=auth_scheme or None,
            auth_secret=auth_secret,
            pagination=pagination,
            cursor_param=cursor_param,
            cursor_field=cursor_field,
            next_link_field=next_link_field,
            items_field=items_field,
            conditional=conditional,
            timeout_s=timeout,
            max_pages=max_pages,
            max_attempts=max_attempts,
            enabled=enabled,
        )
    except ValidationError as error:
        for problem in error.errors():
            field = ".".join(str(p) for p in problem["loc"])
            console.print(f"[red]{field}: {problem['msg']}[/red]")
        raise typer.Exit(2) from None
    try:
        with _database() as sessions, sessions.begin() as session:
            add_poller(session, config, replace=replace)
            action = "poller.changed" if replace else "poller.added"
            record(session, actor, action, "poller", config.key, config.model_dump(mode="json"))
    except PollerExists as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    console.print(f"poller {config.key}: {config.document_type} from {config.url}")


@pollers_app.command("list")
def list_() -> None:
    """Every poller with its health."""
    table = Table("poller", "type", "url", "every s", "last success", "failures", "last error")
    with _database() as sessions, sessions() as session:
        for h in poller_health(session, utcnow()):
            table.add_row(
                f"{h.partner_id}/{h.name}",
                h.document_type,
                h.url,
                f"{h.next_due_at:%H:%M:%S}" if h.enabled else "off",
                f"{h.last_success_at:%Y-%m-%d %H:%M:%S}" if h.last_success_at else "never",
                str(h.consecutive_failures),
                (h.last_error or "")[:80],
            )
    Console(width=200).print(table)


@pollers_app.command("remove")
def remove(
    partner: Annotated[str, typer.Argument(help="Partner id.")],
    name: Annotated[str, typer.Argument(help="Poller name.")],
    actor: Annotated[str, typer.Option(help="Who removes it, for the audit log.")] = "cli",
) -> None:
    """Remove a poller (its stored pages and documents stay)."""
    with _database() as sessions, sessions.begin() as session:
        if not remove_poller(session, partner, name):
            console.print(f"[red]no poller {partner}/{name}[/red]")
            raise typer.Exit(1)
        record(session, actor, "poller.removed", "poller", f"{partner}/{name}", {})
    console.print(f"removed poller {partner}/{name}")


@pollers_app.command("run")
def run(
    partner: Annotated[str | None, typer.Argument(help="Only this partner's pollers.")] = None,
    name: Annotated[str | None, typer.Option(help="Only this poller.")] = None,
    once: Annotated[
        bool, typer.Option(help="Run each poller once now, due or not, and exit.")
    ] = False,
    poll: Annotated[float, typer.Option(help="Seconds between checks when idle.")] = 1.0,
) -> None:
    """Run pollers: once (for scripts; exit 1 if any run failed), or on schedule until stopped."""
    with _database() as sessions:
        runner = PollRunner(sessions, PollerSettings(poll_s=poll))
        if not once:
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            console.print("poll worker started")
            PollWorker(runner).run(stop)
            return
        failed = ran = 0
        started = utcnow()
        while True:  # one claim takes one poller per partner: claim again for the rest
            reports = runner.run_due(
                partner_id=partner, name=name, due_only=False, not_run_since=started
            )
            if not reports:
                break
            ran += len(reports)
            failed += sum(not r.ok for r in reports)
    console.print(f"ran {ran} poller(s), {failed} failed")
    raise typer.Exit(1 if failed else 0)
