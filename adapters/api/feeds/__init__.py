"""Supplier file feeds: CSV, XLSX and XML rows, through a partner's column mapping, into
canonical documents with a row-by-row report."""

from adapters.api.feeds.convert import FeedResult
from adapters.api.feeds.errors import (
    FeedError,
    FileTooLarge,
    MissingColumns,
    RowProblem,
    UnreadableFile,
    UnsafeFile,
)
from adapters.api.feeds.feed import FeedReport, detect_format, read_feed, read_table
from adapters.api.feeds.mapping import (
    DOCUMENT_MODELS,
    FeedMapping,
    UnitConversion,
    default_mapping,
    fields_of,
)
from adapters.api.feeds.source import FileFormat, Limits, SourceRow, Table, read_limited

__all__ = [
    "DOCUMENT_MODELS",
    "FeedError",
    "FeedMapping",
    "FeedReport",
    "FeedResult",
    "FileFormat",
    "FileTooLarge",
    "Limits",
    "MissingColumns",
    "RowProblem",
    "SourceRow",
    "Table",
    "UnitConversion",
    "UnreadableFile",
    "UnsafeFile",
    "default_mapping",
    "detect_format",
    "fields_of",
    "read_feed",
    "read_limited",
    "read_table",
]
