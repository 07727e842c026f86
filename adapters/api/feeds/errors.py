"""What can go wrong with a supplier file, and where.

FeedError                 the whole file is refused (nothing in it is read)
├── FileTooLarge          over the size limit (found before reading it all)
├── UnreadableFile        not CSV/XLSX/XML, an empty file, a broken archive
├── UnsafeFile            a DOCTYPE, an XML bomb, a zip bomb
└── MissingColumns        the mapping names columns the file does not have

RowProblem                one row (or one cell) refused; the other rows go on
"""

from __future__ import annotations

from dataclasses import dataclass


class FeedError(ValueError):
    """A file that cannot be read at all; ``code`` is stable, the message says why."""

    code = "feed.error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FileTooLarge(FeedError):
    code = "feed.too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"the file exceeds the {limit}-byte limit")
        self.limit = limit


class UnreadableFile(FeedError):
    code = "feed.unreadable"


class UnsafeFile(FeedError):
    code = "feed.unsafe"


class MissingColumns(FeedError):
    code = "feed.missing_columns"

    def __init__(self, missing: list[str], found: list[str]) -> None:
        shown = ", ".join(repr(name) for name in found[:30]) or "none"
        super().__init__(
            f"missing column(s) {', '.join(repr(m) for m in missing)}; the file has {shown}"
        )
        self.missing = missing


@dataclass(frozen=True)
class RowProblem:
    """One refused row: its number in the file, the source column (if one) and why."""

    row: int
    column: str | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "reason": self.reason}
