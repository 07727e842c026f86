"""What a rule is, what it is given, and how its hits become findings."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from quality.config import QualityConfig
from quality.findings import Finding, Severity, Subject, Value, fingerprint_of
from quality.frames import DocumentFrames, MasterFrames

__all__ = [
    "HIT_COLUMNS",
    "Rule",
    "RuleContext",
    "coalesce",
    "empty_hits",
    "findings_from_hits",
]

HIT_COLUMNS = ["doc_type", "doc_key", "line", "segment_id", "supplier_id"]
"""Columns every rule's hit frame has; the rule's ``values`` columns come after them."""

Scope = Literal["document", "feed"]


@dataclass
class RuleContext:
    """What every rule sees: the document frames, master data, thresholds and the clock."""

    frames: DocumentFrames
    master: MasterFrames
    config: QualityConfig
    now: dt.datetime
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def cached(self, name: str, build: Callable[[RuleContext], pd.DataFrame]) -> pd.DataFrame:
        """A frame several rules share (e.g. ship notice lines matched to PO lines), built once."""
        if name not in self._cache:
            self._cache[name] = build(self)
        return self._cache[name]

    def segment_of(self, items: pd.Series) -> pd.Series:
        """The segment of each item id (None when the item is unknown)."""
        lookup = self.master.items.set_index("item_id")["segment_id"]
        lookup = lookup[~lookup.index.duplicated()]
        return items.map(lookup).astype("object")

    def as_supplier(self, partners: pd.Series) -> pd.Series:
        """Partner ids that are suppliers; others (the ERP, a buyer system) become None, so
        supplier-scoped access never shows a supplier a finding about an internal feed."""
        known = self.master.suppliers["supplier_id"]
        if known.empty:
            return partners
        return partners.where(partners.isin(set(known)), None)

    def threshold(self, name: str, hits: pd.DataFrame) -> pd.Series:
        """A threshold per row of a frame with segment_id and supplier_id columns."""
        return self.config.threshold_column(name, hits["segment_id"], hits["supplier_id"])

    @property
    def today(self) -> pd.Timestamp:
        return pd.Timestamp(self.now_utc.date())

    @property
    def now_utc(self) -> pd.Timestamp:
        """``now`` as a naive UTC timestamp, the way frames hold reception times."""
        now = pd.Timestamp(self.now)
        return now.tz_convert("UTC").tz_localize(None) if now.tzinfo is not None else now


@dataclass(frozen=True)
class Rule:
    """A named check: ``check`` returns a hit frame (HIT_COLUMNS plus ``values``).

    ``message`` is a format string over the hit's columns; ``scope`` says whether the rule
    judges documents (streaming and batch) or whole feeds (batch only: freshness, anomalies).
    """

    code: str
    severity: Severity
    title: str
    message: str
    check: Callable[[RuleContext], pd.DataFrame]
    values: tuple[str, ...] = ()
    thresholds: tuple[str, ...] = ()
    scope: Scope = "document"
    needs: tuple[str, ...] = ()  # frames that must have rows for the rule to find anything

    def applies_to(self, frames: DocumentFrames) -> bool:
        """False when a frame the rule needs is empty: skipping it saves the fixed cost of
        its pandas steps, which dominates when a streaming check sees a few documents."""
        return all(not getattr(frames, name).empty for name in self.needs)


def coalesce(first: pd.Series, other: pd.Series | str) -> pd.Series:
    """``first`` where it has a value, else ``other`` (fillna on object columns warns)."""
    return first.where(first.notna(), other)


def empty_hits(*values: str) -> pd.DataFrame:
    """A hit frame with no rows."""
    return pd.DataFrame(columns=[*HIT_COLUMNS, *values])


def _plain(value: object) -> Value:
    # Findings travel as JSON: numpy scalars, timestamps and NaN become plain values.
    kind = type(value)
    if kind is str or kind is int or kind is bool:  # the common cases first: this runs per value
        return value  # type: ignore[return-value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.date):
        return value.date().isoformat() if isinstance(value, pd.Timestamp) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else round(value, 6)
    if isinstance(value, str | int | bool):
        return value
    return str(value)


def _text(value: object) -> str | None:
    plain = _plain(value)
    return None if plain is None else str(plain)


def findings_from_hits(rule: Rule, hits: pd.DataFrame, config: QualityConfig) -> list[Finding]:
    """Turn a rule's hit frame into findings (one per row; rows are problems, not lines)."""
    severity = config.severity(rule.code, rule.severity)
    # One finding per subject: an ASN may carry the same PO line in several packs.
    hits = hits.drop_duplicates(subset=["doc_type", "doc_key", "line"])
    findings = []
    for row in hits.to_dict("records"):
        subject = Subject(str(row["doc_type"]), str(row["doc_key"]), _text(row["line"]))
        values = {name: _plain(row[name]) for name in rule.values}
        shown = {k: ("-" if v is None else v) for k, v in values.items()}
        message = rule.message.format(subject=subject, **shown)
        findings.append(
            Finding(
                rule=rule.code,
                severity=severity,
                subject=subject,
                message=message,
                segment_id=_text(row["segment_id"]),
                supplier_id=_text(row["supplier_id"]),
                values=values,
                fingerprint=fingerprint_of(rule.code, subject),
            )
        )
    return findings
