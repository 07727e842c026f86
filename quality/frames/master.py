"""Master data to frames: items with their segment, sources, suppliers' segments, locations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from gateway.model import Item, Location, Segment, Supplier

__all__ = ["MasterFrames", "master_frames"]


@dataclass(frozen=True)
class MasterFrames:
    """Reference data the rules join against.

    - ``items``: item_id, segment_id, uom, family, critical
    - ``sources``: item_id, supplier_id, vendor_item, is_primary
    - ``suppliers``: supplier_id, tier
    - ``served``: supplier_id, segment_id (one row per segment a supplier serves)
    - ``locations``: location_id
    - ``segments``: segment_id, forecast_variance_threshold, forecast_accuracy_target
    """

    items: pd.DataFrame
    sources: pd.DataFrame
    suppliers: pd.DataFrame
    served: pd.DataFrame
    locations: pd.DataFrame
    segments: pd.DataFrame

    @property
    def empty(self) -> bool:
        """No master data at all: referential rules then have nothing to check against."""
        return self.items.empty and self.suppliers.empty and self.locations.empty


def master_frames(
    segments: Sequence[Segment] = (),
    suppliers: Sequence[Supplier] = (),
    items: Sequence[Item] = (),
    locations: Sequence[Location] = (),
) -> MasterFrames:
    """Flatten master data into frames (see ``MasterFrames`` for the columns)."""
    return MasterFrames(
        items=pd.DataFrame(
            [(i.id, i.segment_id, i.uom, i.family, i.critical) for i in items],
            columns=["item_id", "segment_id", "uom", "family", "critical"],
        ),
        sources=pd.DataFrame(
            [(i.id, s.supplier_id, s.vendor_item, s.is_primary) for i in items for s in i.sources],
            columns=["item_id", "supplier_id", "vendor_item", "is_primary"],
        ),
        suppliers=pd.DataFrame(
            [(s.id, s.tier.value) for s in suppliers], columns=["supplier_id", "tier"]
        ),
        served=pd.DataFrame(
            [(s.id, link.segment_id) for s in suppliers for link in s.segments],
            columns=["supplier_id", "segment_id"],
        ),
        locations=pd.DataFrame([(loc.id,) for loc in locations], columns=["location_id"]),
        segments=pd.DataFrame(
            [
                (
                    s.id,
                    s.planning_policy.forecast_variance_threshold,
                    s.planning_policy.forecast_accuracy_target,
                )
                for s in segments
            ],
            columns=["segment_id", "forecast_variance_threshold", "forecast_accuracy_target"],
        ),
    )
