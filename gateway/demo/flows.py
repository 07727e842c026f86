"""Purchase orders, ship notices and receipts, with the flaws real suppliers have.

Lateness, short shipments, substitutions, missing ship notices and receipt discrepancies
are drawn per supplier from its tier, so scorecards and quality rules have something to find.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from gateway.demo.catalog import Catalog
from gateway.demo.demand import DemandMatrix
from gateway.model import (
    Channel,
    Envelope,
    Item,
    Party,
    PartyRole,
    Provenance,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    ShipNotice,
    ShipNoticeLine,
    Supplier,
    SupplierTier,
)

BUYER = "ACME-BUYER"
CARRIERS = ("UPSN", "FDEG", "ODFL", "XPOL", "RLCA", "SAIA")
ORDER_CYCLE_WEEKS = 2
MAX_LINES = 25


@dataclass(frozen=True)
class Behaviour:
    """How reliably a supplier ships: probabilities per order line or shipment."""

    late: float
    short: float
    substitute: float
    no_asn: float


BEHAVIOUR = {
    SupplierTier.STRATEGIC: Behaviour(late=0.05, short=0.02, substitute=0.005, no_asn=0.005),
    SupplierTier.PREFERRED: Behaviour(late=0.12, short=0.05, substitute=0.01, no_asn=0.01),
    SupplierTier.APPROVED: Behaviour(late=0.20, short=0.08, substitute=0.02, no_asn=0.03),
    SupplierTier.PROBATION: Behaviour(late=0.40, short=0.15, substitute=0.04, no_asn=0.06),
}


@dataclass
class Flows:
    purchase_orders: list[PurchaseOrder] = field(default_factory=list)
    ship_notices: list[ShipNotice] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)


def simulate_flows(
    rng: np.random.Generator,
    catalog: Catalog,
    demand: DemandMatrix,
    weeks: list[dt.date],
    as_of: dt.date,
) -> Flows:
    """Order every two weeks from each supplier for the last year; ship and receive what is due."""
    weekly = _weekly_demand_by_item(demand)
    by_supplier = _sourced_items(catalog)
    stocked = _stocking(catalog)
    flows = Flows()
    counters: dict[str, int] = defaultdict(int)
    first = max(0, len(weeks) - 52)
    for number, supplier in enumerate(catalog.suppliers):
        sourced = by_supplier.get(supplier.id, [])
        for week in range(first + number % ORDER_CYCLE_WEEKS, len(weeks), ORDER_CYCLE_WEEKS):
            order_date = weeks[week] + dt.timedelta(days=int(rng.integers(0, 5)))
            lines = _order_lines(rng, sourced, weekly, week, order_date)
            for chunk in range(0, len(lines), MAX_LINES):
                ship_to = _ship_to(stocked, lines[chunk : chunk + MAX_LINES])
                po = _purchase_order(
                    supplier, order_date, lines[chunk : chunk + MAX_LINES], ship_to, counters
                )
                flows.purchase_orders.append(po)
                _fulfil(rng, catalog, supplier, po, ship_to, as_of, flows, counters)
    return flows


def _weekly_demand_by_item(demand: DemandMatrix) -> dict[str, np.ndarray]:
    totals: dict[str, np.ndarray] = {}
    for (item_id, _), row in zip(demand.series, demand.quantity, strict=True):
        totals[item_id] = totals[item_id] + row if item_id in totals else row.copy()
    return totals


def _sourced_items(catalog: Catalog) -> dict[str, list[tuple[Item, float, int, str | None]]]:
    sourced: dict[str, list[tuple[Item, float, int, str | None]]] = defaultdict(list)
    for item in catalog.items:
        for source in item.sources:
            sourced[source.supplier_id].append(
                (item, source.share, source.lead_time_days, source.vendor_item)
            )
    return sourced


def _stocking(catalog: Catalog) -> dict[str, list[str]]:
    where: dict[str, list[str]] = defaultdict(list)
    for item_id, location_id in catalog.item_locations:
        where[item_id].append(location_id)
    return where


def _order_lines(
    rng: np.random.Generator,
    sourced: list[tuple[Item, float, int, str | None]],
    weekly: dict[str, np.ndarray],
    week: int,
    order_date: dt.date,
) -> list[tuple[Item, int, int, str | None]]:
    lines = []
    for item, share, lead_time, vendor_item in sourced:
        history = weekly[item.id][max(0, week - 8) : week + 1]
        need = float(history.mean()) * ORDER_CYCLE_WEEKS * share * rng.uniform(0.85, 1.25)
        pack = 1 if need < 20 else (6 if need < 100 else 12)
        quantity = int(np.ceil(need / pack) * pack)
        if quantity > 0:
            lines.append((item, quantity, lead_time, vendor_item))
    return lines


def _ship_to(stocked: dict[str, list[str]], lines: list[tuple[Item, int, int, str | None]]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for item, *_ in lines:
        for location in stocked[item.id]:
            counts[location] += 1
    return max(sorted(counts), key=lambda loc: counts[loc]) if counts else "DC-CENTRAL"


def _purchase_order(
    supplier: Supplier,
    order_date: dt.date,
    lines: list[tuple[Item, int, int, str | None]],
    ship_to: str,
    counters: dict[str, int],
) -> PurchaseOrder:
    counters["po"] += 1
    return PurchaseOrder(
        po_number=f"PO{order_date:%y}{counters['po']:06d}",
        order_type="SA",
        order_date=order_date,
        currency="USD",
        supplier_id=supplier.id,
        parties=[
            Party(role=PartyRole.BILL_TO, name="Acme Distribution", id_qualifier="92", id=BUYER),
            Party(role=PartyRole.SHIP_TO, name=ship_to, id_qualifier="92", id=ship_to),
            Party(role=PartyRole.VENDOR, name=supplier.name, id_qualifier="92", id=supplier.id),
        ],
        lines=[
            PurchaseOrderLine(
                line_number=str(number),
                quantity=Decimal(quantity),
                uom=item.uom,
                unit_price=item.unit_cost,
                buyer_item=item.id,
                vendor_item=vendor_item,
                upc=item.upc,
                description=item.description,
                requested_date=order_date + dt.timedelta(days=lead_time),
            )
            for number, (item, quantity, lead_time, vendor_item) in enumerate(lines, start=1)
        ],
        provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
    )


def _fulfil(
    rng: np.random.Generator,
    catalog: Catalog,
    supplier: Supplier,
    po: PurchaseOrder,
    ship_to: str,
    as_of: dt.date,
    flows: Flows,
    counters: dict[str, int],
) -> None:
    behaviour = BEHAVIOUR[supplier.tier]
    requested = min(line.requested_date or po.order_date for line in po.lines)
    transit = int(rng.integers(1, 6))
    late = int(rng.geometric(0.2)) if rng.random() < behaviour.late else 0
    ship_date = requested - dt.timedelta(days=transit) + dt.timedelta(days=late)
    ship_date = max(ship_date, po.order_date + dt.timedelta(days=1))
    if ship_date > as_of:
        return  # still open
    shipped = [_ship_line(rng, catalog, behaviour, po, line) for line in po.lines]
    arrival = ship_date + dt.timedelta(days=transit + int(rng.integers(-1, 2)))
    counters["asn"] += 1
    shipment_id = f"SH{supplier.id[-3:]}{counters['asn']:06d}"
    sent_asn = rng.random() >= behaviour.no_asn
    if sent_asn:
        flows.ship_notices.append(
            _ship_notice(rng, supplier, shipment_id, ship_date, transit, shipped, counters)
        )
    if arrival <= as_of and rng.random() >= 0.01:  # 1 % of deliveries never get booked
        flows.receipts.append(
            _receipt(rng, shipment_id if sent_asn else None, arrival, ship_to, shipped, counters)
        )


def _ship_line(
    rng: np.random.Generator,
    catalog: Catalog,
    behaviour: Behaviour,
    po: PurchaseOrder,
    line: PurchaseOrderLine,
) -> ShipNoticeLine:
    quantity = line.quantity
    if rng.random() < behaviour.short:
        quantity = Decimal(int(float(quantity) * rng.uniform(0.5, 0.95)))
    buyer_item, vendor_item = line.buyer_item, line.vendor_item
    if rng.random() < behaviour.substitute:
        # A substitution ships another item of the same family under an alternate part number.
        family = _family(catalog, buyer_item)
        alternates = [i.id for i in catalog.items if i.family == family and i.id != buyer_item]
        if alternates:
            buyer_item = alternates[int(rng.integers(len(alternates)))]
            vendor_item = f"{vendor_item}-ALT"
    return ShipNoticeLine(
        po_number=po.po_number,
        line_number=line.line_number,
        buyer_item=buyer_item,
        vendor_item=vendor_item,
        upc=line.upc if buyer_item == line.buyer_item else None,
        quantity=quantity,
        uom=line.uom,
    )


def _family(catalog: Catalog, item_id: str | None) -> str:
    return next(item.family for item in catalog.items if item.id == item_id)


def _ship_notice(
    rng: np.random.Generator,
    supplier: Supplier,
    shipment_id: str,
    ship_date: dt.date,
    transit: int,
    lines: list[ShipNoticeLine],
    counters: dict[str, int],
) -> ShipNotice:
    cartons = max(1, min(len(lines), int(rng.integers(1, 4))))
    packed = []
    for index, line in enumerate(lines):
        counters["sscc"] += 1
        serial = counters["sscc"] - index % cartons  # lines share cartons
        packed.append(line.model_copy(update={"sscc": sscc(serial)}))
    channel = Channel.X12 if supplier.edi_capable else Channel.API
    envelope = None
    if channel is Channel.X12:
        counters[f"icn:{supplier.id}"] += 1
        control = counters[f"icn:{supplier.id}"]
        envelope = Envelope(
            sender_id=supplier.id,
            receiver_id=BUYER,
            interchange_control_number=f"{control:09d}",
            group_control_number=str(control),
            transaction_set_control_number=f"{control:04d}",
            version="004010",
        )
    return ShipNotice(
        shipment_id=shipment_id,
        ship_date=ship_date,
        expected_delivery=ship_date + dt.timedelta(days=transit),
        carrier=str(rng.choice(CARRIERS)),
        bill_of_lading=f"BOL{counters['asn']:08d}",
        supplier_id=supplier.id,
        envelope=envelope,
        lines=packed,
        provenance=Provenance(channel=channel, partner_id=supplier.id),
    )


def _receipt(
    rng: np.random.Generator,
    shipment_id: str | None,
    arrival: dt.date,
    location_id: str,
    shipped: list[ShipNoticeLine],
    counters: dict[str, int],
) -> Receipt:
    counters["receipt"] += 1
    lines = []
    for line in shipped:
        received = line.quantity
        if rng.random() < 0.03:  # a count discrepancy at the dock
            received = Decimal(max(0, int(float(received) * rng.uniform(0.85, 1.05))))
        rejected = (
            Decimal(int(float(received) * rng.uniform(0.02, 0.2)))
            if (rng.random() < 0.02)
            else Decimal(0)
        )
        lines.append(
            ReceiptLine(
                po_number=line.po_number,
                line_number=line.line_number,
                buyer_item=line.buyer_item or "",
                quantity_received=received,
                quantity_rejected=rejected,
                uom=line.uom,
            )
        )
    return Receipt(
        receipt_id=f"RC{counters['receipt']:07d}",
        received_date=arrival,
        location_id=location_id,
        shipment_id=shipment_id,
        lines=lines,
        provenance=Provenance(channel=Channel.ERP, partner_id="ERP"),
    )


def sscc(serial: int, company_prefix: str = "0614141") -> str:
    """An SSCC-18: extension digit, GS1 company prefix, serial, and the GS1 mod-10 check digit."""
    body = f"0{company_prefix}{serial:0{17 - 1 - len(company_prefix)}d}"
    # GS1 check digit: weights 3,1,3,... from the rightmost digit of the body.
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)
