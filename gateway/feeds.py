"""Receiving supplier files: store raw first, then read with the partner's mapping, keep the
good rows' documents and the row report in one transaction.

Shared by ``POST /api/v1/files`` and ``gateway watch``. The readers and the mapping
(``adapters.api.feeds``) are pure; this module gives them the partner's stored mapping and
keeps what they return.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from adapters.api.feeds import (
    FeedError,
    FeedMapping,
    FeedReport,
    FileFormat,
    Limits,
    default_mapping,
    detect_format,
    read_feed,
)
from gateway.model import Channel, Provenance
from gateway.store.feed_tables import FeedReportRow
from gateway.store.feeds import get_mappings, report_of, save_report
from gateway.store.inbox import FAILED, RECEIVED, Outcome, Stored, process_message, store_message
from gateway.store.tables import InboxRow, SupplierRow

log = logging.getLogger("gateway.feeds")
Authorize = Callable[[Sequence[BaseModel]], None]
"""Raises if the sender may not send these documents (see gateway.app.inbound)."""

MEDIA_TYPES = {
    FileFormat.CSV: "text/csv",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.XML: "application/xml",
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class NoGoodRows(ValueError):
    """A file read, but not one row of it was good: the message fails, with its report."""

    def __init__(self, report: FeedReport) -> None:
        self.problems = [p.as_dict() for p in report.result.problems]
        total = report.result.rows_total
        super().__init__(
            f"none of the file's {total} row(s) could be used; see the row report"
            if total
            else "the file holds a header but no rows"
        )


class MappingMissing(FeedError):
    code = "feed.no_mapping"


@dataclass(frozen=True)
class FileOptions:
    """What the sender said about a file besides its bytes."""

    file_name: str | None = None
    media_type: str | None = None
    document_type: str | None = None  # picks among the partner's mappings
    dedupe_key: str | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass
class FileReceipt:
    """What receiving one file did: the stored message, processing, and the row report."""

    stored: Stored
    outcome: Outcome | None = None
    report: dict[str, Any] | None = None

    @property
    def status(self) -> str:
        return self.outcome.status if self.outcome else self.stored.status


def receive_file(
    sessions: sessionmaker[Session],
    body: bytes,
    *,
    partner_id: str,
    options: FileOptions,
    authorize: Authorize | None = None,
    resume: bool = False,
) -> FileReceipt:
    """Store a file raw, then process it once.

    A re-send (same Idempotency-Key, else the same bytes) answers with the first message. With
    ``resume`` a stored message still waiting (a crash between storing and processing) is
    processed now: the drop folder relies on it, since it stores before it moves the file.
    """
    fmt = detect_format(body, options.media_type, options.file_name)
    stored = store_message(
        sessions,
        partner_id=partner_id,
        channel=Channel(fmt.value).value,
        content_type=(options.media_type or MEDIA_TYPES[fmt])[:100],
        body=body,
        dedupe_key=options.dedupe_key,
    )
    receipt = FileReceipt(stored)
    if not stored.same_body or (stored.duplicate and not (resume and stored.status == RECEIVED)):
        receipt.report = _report(sessions, stored.message_id)
        return receipt
    handler = FileHandler(fmt, options, authorize)
    receipt.outcome = process_message(sessions, stored.message_id, handler)
    if receipt.outcome.status == FAILED and handler.report is not None:
        try:
            with sessions.begin() as session:  # the documents rolled back; the report stays
                save_report(session, handler.report)
        except SQLAlchemyError:  # the message keeps its error; the report is a convenience
            log.exception("could not keep the report of message %s", stored.message_id)
    receipt.report = _report(sessions, stored.message_id)
    return receipt


class FileHandler:
    """The inbox handler for a file: mapping, reader, provenance, authorization, report."""

    def __init__(self, fmt: FileFormat, options: FileOptions, authorize: Authorize | None):
        self.fmt, self.options, self.authorize = fmt, options, authorize
        self.report: FeedReportRow | None = None

    def __call__(self, session: Session, row: InboxRow) -> Sequence[BaseModel]:
        self.report = FeedReportRow(
            message_id=row.id,
            file_name=_CONTROL.sub("", self.options.file_name or "")[:255] or None,
            format=self.fmt.value,
            document_type=None,  # the mapping's, once one is found
            details={},
            problems=[],
        )
        try:
            mapping = mapping_for(session, row.partner_id, self.options.document_type)
            self.report.document_type = mapping.document_type
            read = read_feed(row.body, self.fmt, mapping, self.options.limits)
        except FeedError as error:
            self.report.error = str(error)[:2000]
            raise
        documents = self._documents(session, row, read)
        save_report(session, self.report)
        return documents

    def _documents(self, session: Session, row: InboxRow, read: FeedReport) -> list[BaseModel]:
        assert self.report is not None
        result = read.result
        self.report.details = read.info | {"problems_total": str(len(result.problems))}
        self.report.rows_total = result.rows_total
        self.report.rows_accepted = result.rows_accepted
        self.report.rows_rejected = result.rows_total - result.rows_accepted
        self.report.documents = len(result.documents)
        self.report.problems = [p.as_dict() for p in result.problems]
        if not result.documents:
            error = NoGoodRows(read)
            self.report.error = str(error)
            raise error
        provenance = Provenance(
            channel=Channel(self.fmt.value),
            partner_id=row.partner_id,
            message_id=row.id,
            received_at=row.received_at,
        )
        for document in result.documents:
            setattr(document, "provenance", provenance)  # noqa: B010
        if self.authorize is not None:
            self.authorize(result.documents)
        elif session.get(SupplierRow, row.partner_id) is not None:
            for document in result.documents:  # a drop folder named after a supplier
                setattr(document, "supplier_id", row.partner_id)  # noqa: B010
        return result.documents


def mapping_for(session: Session, partner_id: str, document_type: str | None) -> FeedMapping:
    """The partner's mapping for a document type; its only one if none is named; else the
    default mapping of the named type."""
    rows = get_mappings(session, partner_id)
    if document_type is not None:
        rows = [r for r in rows if r.document_type == document_type]
        if not rows:
            try:
                return default_mapping(document_type)
            except ValidationError:
                raise MappingMissing(f"{document_type!r} is not a feed document type") from None
    if not rows:
        raise MappingMissing(
            f"no feed mapping for partner {partner_id}: name the document type (columns named "
            "like the canonical fields are read then), or have one set with "
            "`gateway feeds mapping set`"
        )
    if len(rows) > 1:
        types = ", ".join(r.document_type for r in rows)
        raise MappingMissing(f"partner {partner_id} has mappings for {types}: name the type")
    try:
        return FeedMapping.model_validate(rows[0].mapping)
    except ValidationError as error:
        raise MappingMissing(f"the stored mapping is no longer valid: {error}") from None


def _report(sessions: sessionmaker[Session], message_id: str) -> dict[str, Any] | None:
    with sessions() as session:
        return report_of(session, message_id)
