"""The demo world of the load benchmark (bench/load.py) and the requests it sends.

``build_world`` loads the demo supply chain (``gateway.demo``) into an empty database, plans it
(a classification proposal and a forecast run, as ``gateway demo`` does) and points the
partner channels of the suppliers the demo planner may publish to at a loopback sink. ``Mix``
makes the requests of each load class from that world: every message is new (its own
shipment, PO or report id, ISA13 and Idempotency-Key), so none is a re-send.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from adapters.edi import EnvelopeParams, render_document
from gateway.demo import generate_demo, load_demo
from gateway.demo.access import demo_grants
from gateway.model import PurchaseOrder, ShipNotice
from gateway.planning import propose, recompute
from gateway.store.engine import make_engine, make_session_factory
from gateway.store.migrate import upgrade
from gateway.store.outbox import set_channel

AS_OF = dt.date(2026, 11, 20)
BUYER = "ACME-BUYER"
PLANNER = "planner:demo"
SEGMENT_HEALTH = """query SegmentHealth($segment: ID!) {
  segment(id: $segment) { name atRisk(weeks: 4) {
    items(first: 50) {
      totalCount
      nodes { itemId onHand onOrder demand safetyStock projected stockout supplierId }
    }
    suppliers { id name scorecard(segmentId: $segment) { period otif otifTrend rank } }
  } }
}"""
ITEM_LIST = """query Items($segment: ID!) {
  items(filter: {segmentId: $segment}, first: 50) {
    totalCount
    nodes { id description critical sources { share isPrimary supplier { id name tier } } }
  }
}"""
PUBLISH = """mutation Publish($supplier: ID!) {
  publishForecast(supplierId: $supplier) {
    __typename ... on ForecastPublished { deliveryId lines }
  }
}"""


@dataclass(frozen=True)
class OrderLine:
    po_number: str
    line_number: str
    item: str
    quantity: int
    uom: str


@dataclass(frozen=True)
class World:
    """What the load needs to know of the demo: whose keys, which orders, items and places."""

    supplier_id: str  # the demo's showcase supplier, whose key the demo hands out
    keys: dict[str, str]  # principal id -> token (the demo's keys)
    order_lines: list[OrderLine]  # the demo's PO lines of the supplier (when none is open)
    order_items: list[str]  # what the planner orders from the supplier
    supplier_items: list[str]
    locations: list[str]
    planner_segments: list[str]
    planner_items: dict[str, list[str]]  # supplier -> items in the planner's segments
    publishable: list[str]  # suppliers whose every item is in the planner's segments


def build_world(url: str, sink_url: str, *, seed: int, items: int, suppliers: int) -> World:
    """Migrate, load and plan the demo; route the publishable suppliers' 830s to the sink."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        data = generate_demo(seed, as_of=AS_OF, items=items, suppliers=suppliers, weeks=60)
        issued = load_demo(sessions, data, lambda *_: None)
        with sessions.begin() as session:
            propose(session, actor="bench")
        with sessions.begin() as session:
            recompute(session, actor="bench")
        world = _world(
            data.catalog, data.flows.purchase_orders, {k.principal_id: k.token for k in issued}
        )
        if not world.publishable:
            raise SystemExit("no supplier the demo planner may publish to: a larger demo, please")
        with sessions.begin() as session:
            for supplier in world.publishable:
                set_channel(
                    session,
                    partner_id=supplier,
                    document_type="830",
                    primary_url=f"{sink_url}/in",
                    timeout_s=10,
                )
        return world
    finally:
        engine.dispose()


def _world(catalog: Any, orders: list[PurchaseOrder], keys: dict[str, str]) -> World:
    supplier_id = next(p.split(":", 1)[1] for p in keys if p.startswith("supplier:"))
    segments = [rule[3] for rule in demo_grants(catalog) if rule[1] == PLANNER]
    planner_items: dict[str, list[str]] = {}
    outside: set[str] = set()
    for item in catalog.items:
        for source in item.sources:
            if item.segment_id in segments:
                planner_items.setdefault(source.supplier_id, []).append(item.id)
            else:
                outside.add(source.supplier_id)
    lines = [
        OrderLine(order.po_number, line.line_number, line.buyer_item, int(line.quantity), line.uom)
        for order in orders
        if order.supplier_id == supplier_id
        for line in order.lines
        if line.buyer_item and line.line_number
    ]
    supplied = sorted(
        {i.id for i in catalog.items for s in i.sources if s.supplier_id == supplier_id}
    )
    return World(
        supplier_id=supplier_id,
        keys=keys,
        order_lines=lines,
        order_items=planner_items.get(supplier_id) or supplied,
        supplier_items=supplied,
        locations=[location.id for location in catalog.locations],
        planner_segments=segments,
        planner_items=planner_items,
        publishable=sorted(set(planner_items) - outside),
    )


Check = Callable[[int, bytes], str | None]
"""Given the status and body of an answer, what is wrong with it (None: nothing)."""


@dataclass(frozen=True)
class Request:
    load_class: str
    principal: str
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    check: Check
    follow: Callable[[bytes], Request | None] | None = None  # a request the answer leads to


def expect(wanted: int, **fields: Any) -> Check:
    """An answer with this status whose JSON has these values."""

    def check(code: int, body: bytes) -> str | None:
        if code != wanted:
            return f"HTTP {code}: {body[:200]!r}"
        if not fields:
            return None
        answer = json.loads(body)
        wrong = {k: answer.get(k) for k, v in fields.items() if answer.get(k) != v}
        return f"unexpected {wrong}" if wrong else None

    return check


def graphql_check(typename: str | None = None) -> Check:
    def check(code: int, body: bytes) -> str | None:
        if code != 200:
            return f"HTTP {code}: {body[:200]!r}"
        answer = json.loads(body)
        if answer.get("errors"):
            return f"GraphQL errors: {answer['errors'][:1]}"
        if typename is not None:
            result = answer["data"]["publishForecast"]
            if result["__typename"] != typename:
                return f"{result['__typename']}: {result}"
        return None

    return check


@dataclass
class Mix:
    """Makes the next request of a load class; thread-unsafe, used from one event loop."""

    world: World
    run: str  # distinguishes this run's ids
    rng: random.Random
    published: list[str] = field(default_factory=list)  # delivery ids answered by publishing
    open_orders: deque[list[OrderLine]] = field(default_factory=deque)  # ordered, not shipped
    unshipped_fallbacks: int = 0  # ship notices against the demo's orders (none was open)
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(100_000))

    def make(self, load_class: str) -> Request:
        return getattr(self, "_" + load_class.replace(" ", "_"))()  # type: ignore[no-any-return]

    def _x12_856(self) -> Request:
        n = next(self._counter)
        notice = ShipNotice.model_validate(self._ship_notice(f"L{self.run}X{n}"))
        body = render_document(notice, self._envelope(self.world.supplier_id, n)).encode()
        return self._x12("x12 856", f"supplier:{self.world.supplier_id}", body)

    def _ship_notice(self, shipment_id: str) -> dict[str, Any]:
        """A ship notice of the oldest order the planner placed and nobody shipped yet (as a
        supplier ships each order once), or of a demo order line if none is open."""
        if self.open_orders:
            lines = self.open_orders.popleft()
        else:
            self.unshipped_fallbacks += 1
            lines = [self.rng.choice(self.world.order_lines)]
        return {
            "type": "ship_notice",
            "supplier_id": self.world.supplier_id,
            "shipment_id": shipment_id,
            "ship_date": AS_OF.isoformat(),
            "lines": [
                {"po_number": line.po_number, "line_number": line.line_number,
                 "buyer_item": line.item, "quantity": line.quantity, "uom": line.uom}
                for line in lines
            ],
        }  # fmt: skip

    def _x12_850(self) -> Request:
        """The planner orders 1 to 3 items from the supplier; once stored, the order is open
        for the supplier to ship."""
        n = next(self._counter)
        supplier, po_number = self.world.supplier_id, f"L{self.run}P{n}"
        items = self.rng.sample(self.world.order_items, k=min(3, len(self.world.order_items)))
        lines = [OrderLine(po_number, str(i + 1), item, 10 * (i + 1), "EA")
                 for i, item in enumerate(items)]  # fmt: skip
        ship_to = self.rng.choice(self.world.locations)
        order = PurchaseOrder.model_validate(
            {
                "supplier_id": supplier,
                "po_number": po_number,
                "order_date": AS_OF.isoformat(),
                "parties": [
                    {"role": "bill_to", "id_qualifier": "92", "id": BUYER},
                    {"role": "ship_to", "id_qualifier": "92", "id": ship_to},
                    {"role": "vendor", "id_qualifier": "92", "id": supplier},
                ],
                "lines": [
                    {"line_number": line.line_number, "quantity": line.quantity, "uom": "EA",
                     "unit_price": 4.5, "buyer_item": line.item,
                     "requested_date": (AS_OF + dt.timedelta(days=14)).isoformat()}
                    for line in lines
                ],
            }
        )  # fmt: skip
        body = render_document(order, self._envelope(BUYER, n)).encode()
        request = self._x12("x12 850", PLANNER, body)
        stored = request.check

        def check(code: int, answer: bytes) -> str | None:
            problem = stored(code, answer)
            if problem is None:
                self.open_orders.append(lines)
            return problem

        return replace(request, check=check)

    def _envelope(self, sender: str, n: int) -> EnvelopeParams:
        return EnvelopeParams(
            sender_id=sender,
            receiver_id=BUYER if sender != BUYER else self.world.supplier_id,
            interchange_control_number=n,
            group_control_number=n,
        )

    def _x12(self, load_class: str, principal: str, body: bytes) -> Request:
        def follow(answer: bytes) -> Request:
            ack_url = json.loads(answer)["ack_url"]
            return Request("x12 997 GET", principal, "GET", ack_url, None, {}, _is_997)

        headers = {"Content-Type": "application/edi-x12"}
        check = expect(202, accepted=True, documents=1)
        return Request(load_class, principal, "POST", "/api/v1/x12", body, headers, check, follow)

    def _json_document(self) -> Request:
        n = next(self._counter)
        document: dict[str, Any]
        if n % 2:
            document = self._ship_notice(f"L{self.run}J{n}")
        else:
            items = self.rng.sample(
                self.world.supplier_items, k=min(5, len(self.world.supplier_items))
            )
            document = {
                "type": "inventory_position",
                "report_id": f"L{self.run}I{n}",
                "as_of": _snapshot_day(n),
                "location_id": self.rng.choice(self.world.locations),
                "reported_by": "supplier",
                "lines": [{"buyer_item": i, "quantity_on_hand": self.rng.randint(0, 500),
                           "uom": "EA"} for i in items],
            }  # fmt: skip
        return self._post_supplier("json document", "/api/v1/documents", "application/json",
                                   json.dumps(document).encode(), n)  # fmt: skip

    def _csv_file(self) -> Request:
        n = next(self._counter)
        location = self.rng.choice(self.world.locations)
        rows = [
            f"L{self.run}C{n},{_snapshot_day(n)},{location},{item},{self.rng.randint(0, 500)},EA"
            for item in self.rng.sample(
                self.world.supplier_items, k=min(20, len(self.world.supplier_items))
            )
        ]
        csv = "report_id,as_of,location_id,buyer_item,quantity_on_hand,uom\n" + "\n".join(rows)
        path = "/api/v1/files?type=inventory_position"
        return self._post_supplier("csv file", path, "text/csv", csv.encode(), n)

    def _post_supplier(
        self, load_class: str, path: str, media: str, body: bytes, n: int
    ) -> Request:
        headers = {"Content-Type": media, "Idempotency-Key": f"L{self.run}-{n}"}
        principal = f"supplier:{self.world.supplier_id}"
        check = expect(202, status="processed", duplicate=False)
        return Request(load_class, principal, "POST", path, body, headers, check)

    def _graphql(
        self, load_class: str, query: str, variables: dict[str, Any], check: Check
    ) -> Request:
        body = json.dumps({"query": query, "variables": variables}).encode()
        headers = {"Content-Type": "application/json"}
        return Request(load_class, PLANNER, "POST", "/graphql", body, headers, check)

    def _graphql_health(self) -> Request:
        segment = self.rng.choice(self.world.planner_segments)
        return self._graphql(
            "graphql health", SEGMENT_HEALTH, {"segment": segment}, graphql_check()
        )

    def _graphql_items(self) -> Request:
        segment = self.rng.choice(self.world.planner_segments)
        return self._graphql("graphql items", ITEM_LIST, {"segment": segment}, graphql_check())

    def _graphql_publish(self) -> Request:
        supplier = self.rng.choice(self.world.publishable)
        published = graphql_check("ForecastPublished")

        def check(code: int, body: bytes) -> str | None:
            problem = published(code, body)
            if problem is None:
                self.published.append(json.loads(body)["data"]["publishForecast"]["deliveryId"])
            return problem

        return self._graphql("graphql publish", PUBLISH, {"supplier": supplier}, check)

    def _rest_orders(self) -> Request:
        principal = f"supplier:{self.world.supplier_id}"
        path = "/api/v1/purchase-orders?limit=20"
        return Request("rest orders", principal, "GET", path, None, {}, expect(200))


def _snapshot_day(n: int) -> str:
    """A day of the last year for an inventory report: a supplier reports a location once a
    day or so, and the streaming check of a report loads every report of its location within
    31 days (``gateway.store.quality_stream.INVENTORY_WINDOW``), so thousands on one day
    would make each check load them all (see docs/reliability.md)."""
    return (AS_OF - dt.timedelta(days=n % 365)).isoformat()


def _is_997(code: int, body: bytes) -> str | None:
    if code != 200:
        return f"HTTP {code}: {body[:200]!r}"
    return None if body.startswith(b"ISA") and b"ST*997*" in body else f"not a 997: {body[:80]!r}"
