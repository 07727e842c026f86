"""``gateway edi``: parse, acknowledge, render and validate X12 files from the shell.

Exit codes (the contract tooling relies on): 0 every set accepted, 1 any set or interchange
rejected, 2 a file could not be read. Bad input never ends in a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import TypeAdapter, ValidationError

from adapters.edi import (
    AckOptions,
    EdiError,
    EnvelopeParams,
    InterchangeResult,
    ReadError,
    RenderError,
    process_interchanges,
    render_documents,
)
from gateway.model import PlanningSchedule, PurchaseOrder, ShipNotice

__all__ = ["edi_app"]

edi_app = typer.Typer(
    help="X12 EDI: parse to canonical JSON, acknowledge (997/TA1), render, validate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_Files = Annotated[list[Path], typer.Argument(help="X12 files to read.", show_default=False)]
_Doc = PurchaseOrder | ShipNotice | PlanningSchedule
_DOC_ADAPTER: TypeAdapter[_Doc] = TypeAdapter(_Doc)


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _read(path: Path, ack: AckOptions | None = None) -> list[InterchangeResult] | None:
    """Process one file; None (after reporting) when it cannot be read or is not X12."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        _err(f"{path}: cannot read: {exc.strerror or exc}")
        return None
    try:
        return process_interchanges(data, ack=ack or AckOptions())
    except ReadError as exc:
        _err(f"{path}: not X12: {exc}")
        return None
    except Exception as exc:  # a bug must still not print a traceback at the partner's file
        _err(f"{path}: cannot process: {type(exc).__name__}: {exc}")
        return None


def _rejected(results: list[InterchangeResult]) -> bool:
    return any(
        (not r.accepted and not r.duplicate) or any(not s.accepted for s in r.sets) for r in results
    )


def _report(path: Path, error: EdiError) -> str:
    return f"{path}: {error}"


@edi_app.command("parse")
def parse(files: _Files) -> None:
    """Print one canonical JSON document per accepted transaction set, one per line."""
    code = 0
    for path in files:
        results = _read(path)
        if results is None:
            code = 2
            continue
        for result in results:
            for document in result.documents:
                typer.echo(document.model_dump_json(exclude_none=True))
            if result.duplicate:
                _err(
                    f"{path}: duplicate interchange {result.control_number} from "
                    f"{result.sender_id}: skipped"
                )
                continue
            for error in result.all_errors():
                _err(_report(path, error))
        if _rejected(results) and code == 0:
            code = 1
    raise typer.Exit(code)


@edi_app.command("ack")
def ack(
    file: Annotated[Path, typer.Argument(help="The X12 file to acknowledge.")],
    control_number: Annotated[int, typer.Option(help="First ISA13 for the acks.")] = 1,
    group_control_number: Annotated[int, typer.Option(help="First GS06 for the acks.")] = 1,
) -> None:
    """Print the 997 (and the TA1 where due) answering FILE."""
    results = _read(file, AckOptions(control_number, group_control_number))
    if results is None:
        raise typer.Exit(2)
    for result in results:
        if result.ta1:
            typer.echo(result.ta1, nl=False)
        if result.ack_997:
            typer.echo(result.ack_997, nl=False)
    raise typer.Exit(1 if _rejected(results) else 0)


@edi_app.command("validate")
def validate(files: _Files) -> None:
    """Print a human-readable report of every error in each file."""
    code = 0
    for path in files:
        results = _read(path)
        if results is None:
            code = 2
            continue
        for result in results:
            verdict = (
                "duplicate" if result.duplicate else ("accepted" if result.accepted else "rejected")
            )
            typer.echo(
                f"{path}: interchange {result.control_number} from "
                f"{result.sender_id or '?'} to {result.receiver_id or '?'}: {verdict}"
            )
            for error in result.errors:
                typer.echo(f"  {error}")
            for ts in result.sets:
                typer.echo(
                    f"  set {ts.set_id} {ts.control_number} (group "
                    f"{ts.group_control_number}, {ts.version}): "
                    f"{'accepted' if ts.accepted else 'rejected'}"
                )
                for note in ts.notes:
                    typer.echo(f"    note: {note}")
                for error in ts.errors:
                    typer.echo(f"    {error}")
        if _rejected(results) and code == 0:
            code = 1
    raise typer.Exit(code)


@edi_app.command("render")
def render(
    file: Annotated[Path, typer.Argument(help="Canonical JSON (one document, or one per line).")],
    version: Annotated[str, typer.Option(help="X12 version: 004010 or 005010.")] = "004010",
    sender: Annotated[str, typer.Option(help="ISA06/GS02 sender id.")] = "GATEWAY",
    receiver: Annotated[str, typer.Option(help="ISA08/GS03 receiver id.")] = "PARTNER",
    control_number: Annotated[int, typer.Option(help="ISA13 interchange number.")] = 1,
    group_control_number: Annotated[int, typer.Option(help="GS06 group number.")] = 1,
    date: Annotated[str, typer.Option(help="Envelope date/time, ISO (YYYY-MM-DDTHH:MM).")] = (
        "2000-01-01T00:00"
    ),
) -> None:
    """Print X12 for canonical JSON documents (purchase orders, ship notices, schedules)."""
    if version not in ("004010", "005010"):
        _err(f"unsupported version {version!r}: use 004010 or 005010")
        raise typer.Exit(2)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"{file}: cannot read: {exc}")
        raise typer.Exit(2) from None
    try:
        stamp = dt.datetime.fromisoformat(date)
        docs = _documents(text)
        params = EnvelopeParams(
            sender, receiver, control_number, group_control_number, version=version, timestamp=stamp
        )
        if not docs:
            raise ValueError("no document in the file")
        output = render_documents(docs, params)
    except (ValueError, ValidationError, RenderError) as exc:
        _err(f"{file}: cannot render: {_short(exc)}")
        raise typer.Exit(1) from None
    typer.echo(output, nl=False)


def _documents(text: str) -> list[_Doc]:
    stripped = text.strip()
    if stripped.startswith("["):
        return [_DOC_ADAPTER.validate_python(item) for item in json.loads(stripped)]
    lines = [line for line in stripped.splitlines() if line.strip()]
    try:
        return [_DOC_ADAPTER.validate_json(line) for line in lines]
    except ValidationError:
        return [_DOC_ADAPTER.validate_json(stripped)]


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)


def main() -> None:  # pragma: no cover - for `python -m gateway.cli_edi`
    edi_app()


if __name__ == "__main__":  # pragma: no cover
    main()
