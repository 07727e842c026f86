"""Thresholds for the rules: defaults, overridden per segment, then per partner (supplier)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gateway.model import Segment
from quality.errors import ConfigError
from quality.findings import Severity

__all__ = ["DEFAULT_CADENCE_DAYS", "QualityConfig", "Thresholds"]


class Thresholds(BaseModel):
    """Every tunable threshold, with its default. Fractions are of the reference quantity."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    over_shipment_tolerance: float = Field(0.0, ge=0, description="Shipped above ordered.")
    under_shipment_tolerance: float = Field(0.05, ge=0, description="Shipped below ordered.")
    late_tolerance_days: int = Field(0, ge=0, description="Days past the requested date.")
    ack_quantity_tolerance: float = Field(0.0, ge=0, description="Acknowledged vs ordered.")
    ack_date_tolerance_days: int = Field(0, ge=0, description="Scheduled vs requested date.")
    receipt_tolerance: float = Field(0.0, ge=0, description="Received vs announced.")
    receipt_grace_days: int = Field(7, ge=0, description="Days after expected delivery.")
    rejection_tolerance: float = Field(0.0, ge=0, description="Rejected share of received.")
    inventory_tolerance: float = Field(0.10, ge=0, description="Supplier vs internal on hand.")
    inventory_min_units: float = Field(5, ge=0, description="Smaller gaps are noise.")
    forecast_variance_threshold: float = Field(0.25, ge=0, description="Commit vs schedule.")
    forecast_min_units: float = Field(10, ge=0, description="Smaller gaps are noise.")
    capacity_tolerance: float = Field(0.0, ge=0, description="Capacity below schedule.")
    volume_drop_threshold: float = Field(0.5, gt=0, le=1, description="Drop vs median batch.")
    volume_history_min: int = Field(3, ge=1, description="Earlier batches needed to judge.")
    null_spike_threshold: float = Field(0.3, gt=0, le=1, description="Null share rise.")
    out_of_range_factor: float = Field(5.0, gt=1, description="Times the item's usual max.")
    stale_grace: float = Field(0.5, ge=0, description="Share of the cadence allowed late.")
    ack_grace_hours: float = Field(0.0, ge=0, description="Hours a 997 may be past its due.")


THRESHOLD_NAMES = frozenset(Thresholds.model_fields)

DEFAULT_CADENCE_DAYS: dict[str, float] = {
    # Weekly collaboration rhythm; shipments and orders follow a two-week order cycle.
    "inventory_position": 7,
    "planning_schedule": 7,
    "forecast_commit": 7,
    "capacity_commit": 7,
    "ship_notice": 14,
    "purchase_order": 14,
    "receipt": 14,
}


class QualityConfig(BaseModel):
    """Thresholds by scope (partner beats segment beats default), severities, feed cadences.

    ``segments`` and ``partners`` map a segment id or a partner (supplier) id to threshold
    overrides by name; ``severities`` overrides a rule's default severity; ``cadence_days``
    gives each feed's expected cadence, ``partner_cadence_days`` per ``"partner/feed"``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    defaults: Thresholds = Field(default_factory=Thresholds)
    segments: dict[str, dict[str, float]] = Field(default_factory=dict)
    partners: dict[str, dict[str, float]] = Field(default_factory=dict)
    severities: dict[str, Severity] = Field(default_factory=dict)
    cadence_days: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_CADENCE_DAYS))
    partner_cadence_days: dict[str, float] = Field(default_factory=dict)
    disabled_rules: frozenset[str] = frozenset()

    @field_validator("segments", "partners")
    @classmethod
    def _known_thresholds(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for scope, overrides in value.items():
            unknown = set(overrides) - THRESHOLD_NAMES
            if unknown:
                raise ConfigError(f"unknown thresholds for {scope!r}: {sorted(unknown)}")
        return value

    @model_validator(mode="after")
    def _overrides_valid(self) -> QualityConfig:
        # Validate each merged scope once, so a negative tolerance fails at load, not mid-run.
        for overrides in (*self.segments.values(), *self.partners.values()):
            Thresholds.model_validate(self.defaults.model_dump() | overrides)
        return self

    @classmethod
    def for_segments(cls, segments: Iterable[Segment], /, **settings: object) -> QualityConfig:
        """A config taking each segment's ``forecast_variance_threshold`` from its policy."""
        base = cls.model_validate(settings)
        merged = {s: dict(o) for s, o in base.segments.items()}
        for segment in segments:
            threshold = segment.planning_policy.forecast_variance_threshold
            merged.setdefault(segment.id, {}).setdefault("forecast_variance_threshold", threshold)
        return base.model_copy(update={"segments": merged})

    def threshold(self, name: str, segment_id: str | None, partner_id: str | None) -> float:
        """One threshold for one scope."""
        self._require(name)
        value = float(getattr(self.defaults, name))
        value = self.segments.get(segment_id or "", {}).get(name, value)
        return float(self.partners.get(partner_id or "", {}).get(name, value))

    def threshold_column(self, name: str, segments: pd.Series, partners: pd.Series) -> pd.Series:
        """A threshold for each row, vectorized: default, then segment, then partner override."""
        self._require(name)
        default = float(getattr(self.defaults, name))
        result = pd.Series(default, index=segments.index, dtype="float64")
        by_segment = _lookup(self.segments, name)
        if by_segment:
            result = segments.map(by_segment).astype("float64").fillna(result)
        by_partner = _lookup(self.partners, name)
        if by_partner:
            result = partners.map(by_partner).astype("float64").fillna(result)
        return result

    def severity(self, rule: str, default: Severity) -> Severity:
        return self.severities.get(rule, default)

    def cadence(self, partner_id: str, feed: str) -> float | None:
        """Expected days between a partner's documents on a feed (None: not watched)."""
        specific = self.partner_cadence_days.get(f"{partner_id}/{feed}")
        return specific if specific is not None else self.cadence_days.get(feed)

    def _require(self, name: str) -> None:
        if name not in THRESHOLD_NAMES:
            raise ConfigError(f"unknown threshold {name!r}")


def _lookup(scopes: Mapping[str, Mapping[str, float]], name: str) -> dict[str, float]:
    return {scope: float(o[name]) for scope, o in scopes.items() if name in o}
