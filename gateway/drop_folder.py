"""The drop folder: partner files picked up when complete, stored, processed, then moved.

Layout (``gateway watch DIR``)::

    DIR/
      SUP001/                    one folder per partner, named by its id
        asn-20261120.csv         a file to read with the partner's (only) mapping
        inventory_position/      optional: a document type, to pick among its mappings
          stock.xlsx
        done/                    read: the file, NAME.report.json (and NAME.errors.csv)
        failed/                  refused: the same, with the reason

Order of steps, so that a crash anywhere loses nothing: the raw bytes are committed to the
inbox, then processed, then the report is written, then the file is moved. A file still in
place after a crash is read again next time; the inbox recognises its bytes (one message per
partner and content) and only finishes what was not done.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import time
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from adapters.api.feeds import FileTooLarge, Limits, read_limited
from adapters.api.feeds.mapping import FeedDocumentType
from gateway.feeds import FileOptions, receive_file
from gateway.store.inbox import PROCESSED

DONE, FAILED = "done", "failed"
DOCUMENT_FOLDERS = frozenset(typing.get_args(FeedDocumentType))
RESERVED = frozenset({DONE, FAILED})
PARTNER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,79}$")
# Names of files still being written by the usual tools (write, then rename to the real name).
INCOMPLETE = re.compile(r"^(\.|~\$)|\.(tmp|part|partial|crdownload|filepart|swp)$", re.I)


@dataclass(frozen=True)
class Candidate:
    """A file in a partner's folder, as seen by one scan."""

    path: Path
    partner_id: str
    document_type: str | None
    size: int
    mtime_ns: int

    @property
    def signature(self) -> tuple[int, int]:
        return self.size, self.mtime_ns


@dataclass
class Outcome:
    """What became of one file."""

    candidate: Candidate
    destination: Path
    status: str  # done or failed
    message_id: str | None
    summary: str


@dataclass
class DropFolder:
    """One drop folder and how to read it; ``scan`` and ``handle`` are the whole job."""

    root: Path
    sessions: sessionmaker[Session]
    limits: Limits = field(default_factory=Limits)
    warn: Callable[[str], None] = lambda _text: None

    def __post_init__(self) -> None:
        self.root = self.root.resolve(strict=True)

    def scan(self) -> list[Candidate]:
        """Every file waiting in a partner folder (not what is in done/ or failed/)."""
        found: list[Candidate] = []
        for partner_dir in self._folders(self.root):
            if not PARTNER_NAME.match(partner_dir.name):
                self.warn(f"{partner_dir.name}: not a partner id; ignored")
                continue
            found += self._files(partner_dir, partner_dir.name, None)
            for sub in self._folders(partner_dir):
                if sub.name in DOCUMENT_FOLDERS:
                    found += self._files(sub, partner_dir.name, sub.name)
                elif sub.name not in RESERVED:
                    self.warn(f"{partner_dir.name}/{sub.name}: not a document type; ignored")
        return sorted(found, key=lambda c: (c.partner_id, c.path.name))

    def handle(self, candidate: Candidate) -> Outcome:
        """Store, process, report, move; a file that cannot be read goes to failed/."""
        if candidate.path.is_symlink():
            return self._finish(candidate, FAILED, None, {"error": "symbolic links are refused"})
        try:
            body = _read_no_follow(candidate.path, self.limits.max_bytes)
        except FileTooLarge as error:
            return self._finish(candidate, FAILED, None, {"error": str(error)})
        except OSError as error:  # e.g. swapped for a symlink since the scan (ELOOP)
            return self._finish(candidate, FAILED, None, {"error": f"cannot read: {error}"})
        options = FileOptions(
            file_name=candidate.path.name,
            document_type=candidate.document_type,
            limits=self.limits,
        )
        receipt = receive_file(
            self.sessions, body, partner_id=candidate.partner_id, options=options, resume=True
        )
        status = DONE if receipt.status == PROCESSED else FAILED
        report = {
            "message_id": receipt.stored.message_id,
            "status": receipt.status,
            "duplicate": receipt.stored.duplicate,
            **(receipt.report or {}),
        }
        if receipt.outcome is not None and receipt.outcome.error is not None:
            report["error"] = str(receipt.outcome.error)
        return self._finish(candidate, status, receipt.stored.message_id, report)

    def _finish(
        self, candidate: Candidate, status: str, message_id: str | None, report: dict[str, object]
    ) -> Outcome:
        folder = candidate.path.parent / status
        folder.mkdir(exist_ok=True)
        name = _free_name(folder, candidate.path.name, message_id)
        report = {"file": candidate.path.name, "partner_id": candidate.partner_id, **report}
        _write_atomic(folder / f"{name}.report.json", json.dumps(report, indent=2, default=str))
        problems = report.get("problems")
        if isinstance(problems, list) and problems:
            _write_atomic(folder / f"{name}.errors.csv", _errors_csv(problems))
        destination = folder / name
        os.replace(candidate.path, destination)  # the same file system: atomic
        return Outcome(candidate, destination, status, message_id, _summary(report))

    def _folders(self, parent: Path) -> Iterator[Path]:
        with os.scandir(parent) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    self.warn(f"{_relative(self.root, Path(entry.path))}: a symbolic link; ignored")
                elif entry.is_dir(follow_symlinks=False):
                    yield Path(entry.path)

    def _files(self, folder: Path, partner_id: str, document_type: str | None) -> list[Candidate]:
        found: list[Candidate] = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if INCOMPLETE.search(entry.name):
                    continue
                info = entry.stat(follow_symlinks=False)
                if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                    continue  # folders are scanned apart; FIFOs and devices never read
                path = Path(entry.path)
                if not path.parent.resolve().is_relative_to(self.root):
                    self.warn(f"{entry.path}: outside {self.root}; ignored")
                    continue
                found.append(
                    Candidate(path, partner_id, document_type, info.st_size, info.st_mtime_ns)
                )
        return found


def settled(
    before: list[Candidate], after: list[Candidate]
) -> tuple[list[Candidate], list[Candidate]]:
    """Files seen unchanged (size and modification time) by two scans, and the others."""
    earlier = {c.path: c.signature for c in before}
    ready = [c for c in after if earlier.get(c.path) == c.signature]
    return ready, [c for c in after if earlier.get(c.path) != c.signature]


def wait_for_settled(folder: DropFolder, settle_s: float) -> list[Candidate]:
    """One scan, a pause, another scan: what did not change is complete."""
    first = folder.scan()
    if not first or settle_s <= 0:
        return first
    time.sleep(settle_s)
    ready, _ = settled(first, folder.scan())
    return ready


def _read_no_follow(path: Path, limit: int) -> bytes:
    # O_NOFOLLOW: a file swapped for a symlink after the scan is not followed out of DIR.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as stream:
        if os.fstat(stream.fileno()).st_size > limit:
            raise FileTooLarge(limit)  # refused from its size alone: nothing is read
        return read_limited(stream, limit)


def _free_name(folder: Path, name: str, message_id: str | None) -> str:
    if not (folder / name).exists():
        return name
    stem, dot, suffix = name.rpartition(".")
    tag = (message_id or str(time.time_ns()))[:12]
    return f"{stem}.{tag}{dot}{suffix}" if stem else f"{name}.{tag}"


def _write_atomic(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _errors_csv(problems: list[object]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["row", "column", "reason"], extrasaction="ignore")
    writer.writeheader()
    for problem in problems:
        if isinstance(problem, dict):
            writer.writerow({key: _inert(value) for key, value in problem.items()})
    return out.getvalue()


def _inert(value: object) -> object:
    # The report is opened in a spreadsheet; a column name like =HYPERLINK(...) taken from the
    # partner's file must stay text there (OWASP "CSV injection").
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _summary(report: dict[str, object]) -> str:
    if "rows_total" in report and not report.get("error"):
        return (
            f"{report['rows_accepted']}/{report['rows_total']} rows, "
            f"{report['documents']} document(s)" + (" (seen before)" if report["duplicate"] else "")
        )
    return str(report.get("error") or report.get("status"))


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
