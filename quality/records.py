"""Tracked findings as flat, JSON-ready records (one row of a findings table) and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from quality.findings import Finding, FindingState, Severity, Subject, TrackedFinding

__all__ = ["from_record", "to_record"]

_TIMES = ("first_seen", "last_seen", "escalated_at", "changed_at", "waiver_expires")


def to_record(tracked: TrackedFinding) -> dict[str, Any]:
    """One flat mapping per finding: the columns a store or an API response needs.

    Times are ISO 8601 strings and ``values`` a nested JSON object; the fingerprint is the
    natural key.
    """
    f = tracked.finding
    record: dict[str, Any] = {
        "fingerprint": f.fingerprint,
        "rule": f.rule,
        "severity": f.severity.value,
        "segment_id": f.segment_id,
        "supplier_id": f.supplier_id,
        "doc_type": f.subject.doc_type,
        "doc_key": f.subject.key,
        "line": f.subject.line,
        "message": f.message,
        "values": dict(f.values),
        "state": tracked.state.value,
        "seen_count": tracked.seen_count,
        "owner": tracked.owner,
        "escalation_level": tracked.escalation_level,
        "resolution_note": tracked.resolution_note,
        "waiver_reason": tracked.waiver_reason,
    }
    for name in _TIMES:
        value: dt.datetime | None = getattr(tracked, name)
        record[name] = value.isoformat() if value is not None else None
    return record


def _time(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def from_record(record: dict[str, Any]) -> TrackedFinding:
    """The tracked finding a record (from ``to_record``, or a store row) describes."""
    finding = Finding(
        rule=record["rule"],
        severity=Severity(record["severity"]),
        subject=Subject(record["doc_type"], record["doc_key"], record.get("line")),
        message=record["message"],
        segment_id=record.get("segment_id"),
        supplier_id=record.get("supplier_id"),
        values=dict(record.get("values") or {}),
        fingerprint=record["fingerprint"],
    )
    first_seen, last_seen = _time(record["first_seen"]), _time(record["last_seen"])
    if first_seen is None or last_seen is None:
        raise ValueError("a finding record needs first_seen and last_seen")
    return TrackedFinding(
        finding=finding,
        state=FindingState(record["state"]),
        first_seen=first_seen,
        last_seen=last_seen,
        seen_count=int(record.get("seen_count", 1)),
        owner=record.get("owner"),
        escalation_level=int(record.get("escalation_level", 0)),
        escalated_at=_time(record.get("escalated_at")),
        changed_at=_time(record.get("changed_at")),
        resolution_note=record.get("resolution_note"),
        waiver_reason=record.get("waiver_reason"),
        waiver_expires=_time(record.get("waiver_expires")),
    )
