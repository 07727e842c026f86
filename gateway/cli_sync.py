"""`gateway worker` and `gateway sync`: delivery workers, partner channels and dead letters.

Mount in gateway/cli.py with ``app.command("worker")(worker)`` and
``app.add_typer(sync_app, name="sync")``; ``python -m gateway.cli_sync`` runs both alone.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from gateway.logs import configure_logging
from gateway.poller import start_pollers
from gateway.settings import get_settings
from gateway.store import dead_letters
from gateway.store.audit import record
from gateway.store.engine import make_engine, make_session_factory
from gateway.store.outbox import list_channels, set_channel
from gateway.store.sync_tables import OutboxRow
from gateway.sync_worker import DeliveryWorker, WorkerConfig
from gateway.sync_x12 import renumber_for_replay
from sync import BreakerPolicy, ChannelKind, RetryPolicy, kind_of

sync_app = typer.Typer(help="Outbound delivery: channels and dead letters.", no_args_is_help=True)
channels_app = typer.Typer(help="Partner channels: where deliveries go.", no_args_is_help=True)
dead_app = typer.Typer(help="Dead letters: list, show, replay.", no_args_is_help=True)
sync_app.add_typer(channels_app, name="channels")
sync_app.add_typer(dead_app, name="dead")
console = Console(stderr=True)
log = logging.getLogger("gateway.sync")


def _sessions() -> sessionmaker[Session]:
    settings = get_settings()
    return make_session_factory(make_engine(settings.database_url, pool_size=2))


def worker(
    batch: Annotated[int, typer.Option(help="Deliveries claimed at a time.")] = 20,
    poll: Annotated[float, typer.Option(help="Seconds between polls when idle.")] = 1.0,
    lease: Annotated[
        float, typer.Option(help="Seconds a claim holds before others may take it.")
    ] = 120.0,
    retry_initial: Annotated[float, typer.Option(help="First retry delay, seconds.")] = 1.0,
    retry_max: Annotated[float, typer.Option(help="Longest retry delay, seconds.")] = 300.0,
    jitter: Annotated[float, typer.Option(help="Random extra delay up to, seconds.")] = 1.0,
    failures: Annotated[int, typer.Option(help="Failures in a row that open a breaker.")] = 3,
    cooldown: Annotated[float, typer.Option(help="Seconds a breaker stays open.")] = 30.0,
    until_idle: Annotated[
        bool,
        typer.Option(
            help="Exit when no delivery is due now or within --idle-wait seconds (those "
            "waiting on a longer backoff, an open breaker or another worker's lease are left)."
        ),
    ] = False,
    idle_wait: Annotated[
        float, typer.Option(help="With --until-idle: longest wait for the next due delivery.")
    ] = 5.0,
    ack_check: Annotated[
        float,
        typer.Option(help="Seconds between acknowledgment checks (overdue/rejected 997s); 0: off."),
    ] = 300.0,
    pollers: Annotated[
        bool, typer.Option(help="Also run due inbound pollers (`gateway pollers`).")
    ] = True,
) -> None:
    """Deliver the outbox and run due pollers until stopped (SIGINT/SIGTERM end it after the
    current delivery)."""
    settings = get_settings()
    configure_logging(settings.log_format, settings.log_level)
    config = WorkerConfig(
        batch=batch,
        poll_s=poll,
        idle_wait_s=idle_wait,
        ack_check_s=ack_check or None,
        quality_policy=settings.quality_policy,
        lease_s=lease,
        retry=RetryPolicy(retry_initial, retry_max, jitter),
        breaker=BreakerPolicy(failures, cooldown),
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    sessions = _sessions()
    polling = start_pollers(sessions) if pollers else None
    log.info(
        "delivery worker started",
        extra={"until_idle": until_idle, "batch": batch, "pollers": polling is not None},
    )
    try:
        with DeliveryWorker(sessions, config) as running:
            running.run(stop, until_idle=until_idle)
    finally:
        if polling is not None:
            polling.stop()
    log.info("delivery worker stopped")


@channels_app.command("set")
def channels_set(
    partner: Annotated[str, typer.Argument(help="Partner id, e.g. SUP001.")],
    document_type: Annotated[str, typer.Argument(help="850, 856, 830, 997, json:... or *.")],
    primary: Annotated[
        str, typer.Option(help="Primary endpoint: a URL, or a directory for --kind folder.")
    ],
    secondary: Annotated[str | None, typer.Option(help="Secondary endpoint (same kind).")] = None,
    kind: Annotated[
        ChannelKind, typer.Option(help="http (POST) or folder (a file in a directory).")
    ] = ChannelKind.HTTP,
    timeout: Annotated[float, typer.Option(help="Seconds per attempt.")] = 10.0,
    max_attempts: Annotated[int, typer.Option(help="Attempts before a dead letter.")] = 8,
    enabled: Annotated[bool, typer.Option(help="Deliver on this channel.")] = True,
) -> None:
    """Create or change a partner's channel for a document type."""
    try:
        with _sessions().begin() as session:
            row = set_channel(
                session,
                kind=kind,
                partner_id=partner,
                document_type=document_type,
                primary_url=primary,
                secondary_url=secondary,
                timeout_s=timeout,
                max_attempts=max_attempts,
                enabled=enabled,
            )
            record(
                session,
                "cli",
                "channel.set",
                "channel",
                f"{partner}/{document_type}",
                {
                    "kind": kind.value,
                    "primary_url": row.primary_url,
                    "secondary_url": row.secondary_url,
                },
            )
            primary = row.primary_url
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    console.print(f"channel {partner}/{document_type} → {primary}")


@channels_app.command("list")
def channels_list() -> None:
    """Every partner channel."""
    table = Table("partner", "type", "kind", "primary", "secondary", "timeout s", "attempts", "on")
    with _sessions()() as session:
        for c in list_channels(session):
            table.add_row(
                c.partner_id,
                c.document_type,
                kind_of(c.primary_url).value,
                c.primary_url,
                c.secondary_url or "",
                f"{c.timeout_s:g}",
                str(c.max_attempts),
                "yes" if c.enabled else "no",
            )
    Console().print(table)


@dead_app.command("list")
def dead_list(
    partner: Annotated[str | None, typer.Option(help="Only this partner.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
) -> None:
    """Dead letters, newest first."""
    table = Table("delivery id", "partner", "type", "attempts", "reason")
    with _sessions()() as session:
        rows = dead_letters.list_deliveries(session, status="dead", partner_id=partner, limit=limit)
        for r in rows:
            table.add_row(r.id, r.partner_id, r.document_type, str(r.attempts), r.dead_reason or "")
    Console().print(table)


@dead_app.command("show")
def dead_show(delivery_id: str) -> None:
    """One delivery as JSON: its state, attempts and body."""
    with _sessions()() as session:
        row = session.get(OutboxRow, delivery_id)
        if row is None:
            console.print(f"[red]no delivery {delivery_id}[/red]")
            raise typer.Exit(1)
        out: dict[str, Any] = {
            "delivery_id": row.id,
            "partner_id": row.partner_id,
            "document_type": row.document_type,
            "status": row.status,
            "attempts": row.attempts,
            "dead_reason": row.dead_reason,
            "control_number": row.control_number,
            "replay_of": row.replay_of,
            "attempt_log": [
                {"at": a.at.isoformat(), "endpoint": a.endpoint, "error": a.error}
                for a in dead_letters.attempts_of(session, row.id)
            ],
            "body": row.body.decode("utf-8", errors="replace"),
        }
    typer.echo(json.dumps(out, indent=2))


@dead_app.command("replay")
def dead_replay(
    delivery_ids: Annotated[
        list[str] | None, typer.Argument(help="Dead letters to replay.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every dead letter (with filters).")] = False,
    partner: Annotated[str | None, typer.Option(help="With --all: only this partner.")] = None,
    actor: Annotated[str, typer.Option(help="Who replays, for the audit log.")] = "cli",
) -> None:
    """Queue dead letters again (X12 gets fresh control numbers); each replay is audited."""
    if not delivery_ids and not all_:
        console.print("[red]name delivery ids or pass --all[/red]")
        raise typer.Exit(2)
    try:
        with _sessions().begin() as session:
            if all_:
                done = dead_letters.replay_many(
                    session, actor=actor, partner_id=partner, renumber=renumber_for_replay
                )
            else:
                done = [
                    dead_letters.replay(session, i, actor=actor, renumber=renumber_for_replay)
                    for i in delivery_ids or []
                ]
    except (LookupError, ValueError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    for d in done:
        typer.echo(f"{d.original} -> {d.replay}")
    console.print(f"replayed {len(done)}")


cli = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False)
cli.command("worker")(worker)
cli.add_typer(sync_app, name="sync")

if __name__ == "__main__":
    cli()
