"""`gateway edi ingest`: X12 files and folders through the same path as POST /api/v1/x12."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from gateway.settings import get_settings
from gateway.store.engine import make_engine, make_session_factory
from gateway.x12_inbound import Receipt, acknowledgments, interchange_sender, receive_x12

console = Console(stderr=True)
SUFFIXES = {".edi", ".x12", ".txt", ".dat"}


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, or folders of *.edi/*.x12/*.txt.")],
    partner: Annotated[
        str | None, typer.Option(help="Sending partner id (default: each file's ISA06).")
    ] = None,
    acks: Annotated[
        Path | None, typer.Option(help="Write each file's 997/TA1 into this folder.")
    ] = None,
) -> None:
    """Store, validate, normalise and acknowledge X12 files; exit 1 if any set was rejected."""
    files = _files(paths)
    settings = get_settings()
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    if acks is not None:
        acks.mkdir(parents=True, exist_ok=True)
    table = Table("file", "message", "result", "sets accepted", "documents")
    all_accepted = True
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bar:
            task = bar.add_task("ingesting", total=len(files))
            for path in files:
                bar.update(task, description=path.name)
                body = path.read_bytes()
                receipt = receive_x12(sessions, body, partner_id=partner or _sender(body, path))
                all_accepted &= receipt.accepted
                table.add_row(
                    path.name,
                    receipt.stored.message_id,
                    _verdict(receipt),
                    _sets(receipt),
                    str(receipt.outcome.documents if receipt.outcome else "-"),
                )
                if acks is not None:
                    _write_acks(sessions, receipt, acks / f"{path.name}.ack")
                bar.advance(task)
    finally:
        engine.dispose()
    Console().print(table)
    if not all_accepted:
        raise typer.Exit(1)


def _files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            console.print(f"[red]cannot read {path}: no such file or folder[/red]")
            raise typer.Exit(2)
    return files


def _sender(body: bytes, path: Path) -> str:
    """The file's ISA06, read as the X12 path reads it; a file without an ISA is its name."""
    sender = interchange_sender(body)
    return sender[1] if sender and sender[1] else path.stem


def _verdict(receipt: Receipt) -> str:
    if receipt.stored.duplicate:
        return "duplicate"
    if receipt.outcome is not None and receipt.outcome.error is not None:
        return f"failed: {receipt.outcome.error}"
    return "accepted" if receipt.accepted else "rejected"


def _sets(receipt: Receipt) -> str:
    total = sum(i["sets"] for i in receipt.interchanges)
    return f"{sum(i['accepted_sets'] for i in receipt.interchanges)}/{total}"


def _write_acks(sessions: sessionmaker[Session], receipt: Receipt, target: Path) -> None:
    with sessions() as session:
        text = "".join(ack.body for ack in acknowledgments(session, receipt.stored.message_id))
    if text:
        target.write_text(text, encoding="latin-1")
