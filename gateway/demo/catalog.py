"""Master data of the demo supply chain: segments, tiered suppliers, items and locations."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from gateway.model import (
    CollaborationRole,
    Item,
    ItemSource,
    LifecycleStage,
    Location,
    LocationKind,
    PlanningPolicy,
    Segment,
    Supplier,
    SupplierSegment,
    SupplierTier,
)


@dataclass(frozen=True)
class Profile:
    """How a segment's items behave: share of the catalogue, demand shape, margin."""

    segment: Segment
    share: float  # of the catalogue
    level: tuple[float, float]  # lognormal mean and sigma of weekly units per location
    seasonality: float  # amplitude of the yearly cycle, as a fraction of the level
    occurrence: float  # probability that a week has any demand
    promotions: float  # expected promotions per year
    stage: LifecycleStage
    margin: tuple[float, float]  # price / cost range


def _segment(sid: str, name: str, text: str, service: float, **policy: object) -> Segment:
    return Segment(
        id=sid,
        name=name,
        description=text,
        service_level_target=service,
        planning_policy=PlanningPolicy.model_validate(policy),
    )


PROFILES: tuple[Profile, ...] = (
    Profile(
        _segment(
            "FAST",
            "Fast movers",
            "High volume, stable demand, replenished weekly.",
            0.98,
            forecast_methods=["ses", "holt_damped", "moving_average"],
            review_cycle_days=7,
            forecast_variance_threshold=0.15,
        ),
        0.24,
        (4.0, 0.6),
        0.08,
        1.0,
        4.0,
        LifecycleStage.MATURITY,
        (1.25, 1.6),
    ),
    Profile(
        _segment(
            "SEAS",
            "Seasonal",
            "Strong yearly pattern; pre-builds before the peak.",
            0.95,
            forecast_methods=[
                "holt_winters_additive",
                "holt_winters_multiplicative",
                "seasonal_naive",
            ],
            review_cycle_days=7,
            forecast_variance_threshold=0.25,
        ),
        0.18,
        (3.3, 0.7),
        0.6,
        0.97,
        1.0,
        LifecycleStage.MATURITY,
        (1.4, 2.0),
    ),
    Profile(
        _segment(
            "SPARE",
            "Intermittent spare parts",
            "Low, lumpy demand; long tails.",
            0.90,
            forecast_methods=["croston", "sba", "tsb", "adida"],
            review_cycle_days=28,
            service_measure="fill_rate",
            forecast_variance_threshold=0.5,
            forecast_accuracy_target=0.4,
        ),
        0.26,
        (1.2, 0.8),
        0.0,
        0.18,
        0.0,
        LifecycleStage.MATURITY,
        (2.0, 4.0),
    ),
    Profile(
        _segment(
            "NPI",
            "New launches",
            "Ramp-up with like-item forecasts and close review.",
            0.95,
            forecast_methods=["ses", "holt_damped"],
            review_cycle_days=7,
            forecast_variance_threshold=0.35,
            forecast_accuracy_target=0.55,
        ),
        0.10,
        (3.2, 0.6),
        0.1,
        0.95,
        2.0,
        LifecycleStage.INTRODUCTION,
        (1.6, 2.4),
    ),
    Profile(
        _segment(
            "EOL",
            "End-of-life",
            "Run-down of stock; avoid obsolescence.",
            0.85,
            forecast_methods=["naive", "ses", "moving_average"],
            review_cycle_days=14,
            forecast_variance_threshold=0.4,
            forecast_accuracy_target=0.5,
        ),
        0.10,
        (3.0, 0.6),
        0.05,
        0.8,
        0.0,
        LifecycleStage.END_OF_LIFE,
        (1.1, 1.4),
    ),
    Profile(
        _segment(
            "PREM",
            "Premium high-margin",
            "Key-account items with the highest service.",
            0.99,
            forecast_methods=["ses", "holt_damped", "holt_winters_additive"],
            review_cycle_days=7,
            forecast_variance_threshold=0.15,
        ),
        0.12,
        (2.6, 0.5),
        0.2,
        0.99,
        3.0,
        LifecycleStage.GROWTH,
        (2.5, 4.0),
    ),
)

LOCATIONS: tuple[Location, ...] = (
    Location(id="DC-EAST", name="East distribution center", kind=LocationKind.DISTRIBUTION_CENTER),
    Location(id="DC-WEST", name="West distribution center", kind=LocationKind.DISTRIBUTION_CENTER),
    Location(
        id="DC-CENTRAL", name="Central distribution center", kind=LocationKind.DISTRIBUTION_CENTER
    ),
)

_TIERS = (
    (SupplierTier.STRATEGIC, 0.15),
    (SupplierTier.PREFERRED, 0.35),
    (SupplierTier.APPROVED, 0.40),
    (SupplierTier.PROBATION, 0.10),
)
_COUNTRIES = ("US", "US", "US", "MX", "CA", "CN", "DE", "VN", "IN")
_FAMILIES = ("fasteners", "filters", "bearings", "cables", "valves", "pumps", "sensors", "seals")
_NAMES = (
    "Apex",
    "Borealis",
    "Cobalt",
    "Delta",
    "Everline",
    "Fulcrum",
    "Granite",
    "Helix",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Lumen",
    "Meridian",
    "Northstar",
    "Orchid",
    "Pinnacle",
    "Quarry",
    "Redwood",
    "Summit",
    "Tidewater",
)
_SUFFIXES = ("Industries", "Components", "Manufacturing", "Supply", "Works")


@dataclass(frozen=True)
class Catalog:
    segments: list[Segment]
    suppliers: list[Supplier]
    items: list[Item]
    locations: list[Location]
    profiles: dict[str, Profile]
    item_locations: list[tuple[str, str]]  # (item id, location id): where each item is stocked


def build_catalog(rng: np.random.Generator, n_items: int, n_suppliers: int) -> Catalog:
    """Draw suppliers serving segments, items sourced from them, and where items are stocked."""
    profiles = {p.segment.id: p for p in PROFILES}
    suppliers = _suppliers(rng, n_suppliers)
    items = _items(rng, n_items, suppliers)
    stocked: list[tuple[str, str]] = []
    for item in items:
        count = int(rng.choice([1, 2, 3], p=[0.45, 0.35, 0.2]))
        for index in sorted(rng.choice(len(LOCATIONS), size=count, replace=False)):
            stocked.append((item.id, LOCATIONS[index].id))
    return Catalog(
        segments=[p.segment for p in PROFILES],
        suppliers=suppliers,
        items=items,
        locations=list(LOCATIONS),
        profiles=profiles,
        item_locations=stocked,
    )


def _suppliers(rng: np.random.Generator, count: int) -> list[Supplier]:
    segment_ids = [p.segment.id for p in PROFILES]
    tiers = rng.choice(len(_TIERS), size=count, p=[share for _, share in _TIERS])
    suppliers = []
    for number in range(count):
        tier = _TIERS[int(tiers[number])][0]
        # Every segment gets at least two suppliers; the rest serve one to three at random.
        first = segment_ids[number % len(segment_ids)]
        others = rng.choice(segment_ids, size=int(rng.integers(0, 3)), replace=False)
        served = sorted({first, *[str(s) for s in others]})
        role = {
            SupplierTier.STRATEGIC: CollaborationRole.CO_CREATION,
            SupplierTier.PREFERRED: CollaborationRole.ADVISORY,
        }.get(tier, CollaborationRole.EXECUTION_ONLY)
        name = f"{_NAMES[number % len(_NAMES)]} {_SUFFIXES[(number // len(_NAMES)) % 5]}"
        suppliers.append(
            Supplier(
                id=f"SUP{number + 1:03d}",
                name=name,
                tier=tier,
                country=str(rng.choice(_COUNTRIES)),
                segments=[SupplierSegment(segment_id=s, role=role) for s in served],
                edi_capable=bool(
                    tier in (SupplierTier.STRATEGIC, SupplierTier.PREFERRED) or rng.random() < 0.3
                ),
            )
        )
    return suppliers


def _items(rng: np.random.Generator, count: int, suppliers: list[Supplier]) -> list[Item]:
    shares = np.array([p.share for p in PROFILES])
    per_segment = np.floor(shares / shares.sum() * count).astype(int)
    per_segment[0] += count - int(per_segment.sum())
    items: list[Item] = []
    for profile, n in zip(PROFILES, per_segment, strict=True):
        serving = [
            s
            for s in suppliers
            if any(link.segment_id == profile.segment.id for link in s.segments)
        ]
        for _ in range(int(n)):
            items.append(_item(rng, len(items) + 1, profile, serving))
    return items


def _item(rng: np.random.Generator, number: int, profile: Profile, serving: list[Supplier]) -> Item:
    cost = Decimal(str(round(float(rng.lognormal(2.5, 0.9)), 2))) + Decimal("0.50")
    markup = Decimal(str(round(float(rng.uniform(*profile.margin)), 3)))
    lead_time = int(rng.choice([7, 14, 21, 28, 42, 56], p=[0.15, 0.3, 0.2, 0.15, 0.12, 0.08]))
    critical = bool(rng.random() < (0.35 if profile.segment.id in ("PREM", "SPARE") else 0.1))
    dual = len(serving) > 1 and rng.random() < (0.3 if critical else 0.45)
    picked = rng.choice(len(serving), size=2 if dual else 1, replace=False)
    primary_share = round(float(rng.uniform(0.6, 0.8)), 2) if dual else 1.0
    sources = [
        ItemSource(
            supplier_id=serving[int(index)].id,
            vendor_item=f"{serving[int(index)].id[-3:]}-{number:05d}",
            share=primary_share if rank == 0 else round(1 - primary_share, 2),
            lead_time_days=lead_time + int(rng.integers(-3, 8)) if rank else lead_time,
            is_primary=rank == 0,
        )
        for rank, index in enumerate(picked)
    ]
    family = _FAMILIES[int(rng.integers(len(_FAMILIES)))]
    return Item(
        id=f"ITM{number:05d}",
        description=f"{profile.segment.name} {family[:-1]} {number}",
        family=family,
        segment_id=profile.segment.id,
        lifecycle_stage=profile.stage,
        uom="EA",
        lead_time_days=lead_time,
        unit_cost=cost,
        unit_price=(cost * markup).quantize(Decimal("0.01")),
        upc=_upc(number),
        critical=critical,
        sources=sources,
    )


def _upc(number: int) -> str:
    body = f"07{number:09d}"
    # UPC-A check digit: 3 x odd positions + even positions, to the next multiple of ten.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)
