"""Quality rules over the demo: the vectorized rule set vs a naive per-document loop.

Times building the frames, the full rule set, and three rules (ASN_UNKNOWN_PO,
ASN_UNDER_SHIPMENT/ASN_OVER_SHIPMENT, RECEIPT_QTY_MISMATCH) both vectorized and as the
per-document Python loop a handler would run on each arriving document (dict lookups of the
related documents, a loop over lines, the same findings built). Prints documents per second
and the ratio; the machine's other load shows in the figures, so repeat and take the best.

Run: python bench/quality.py [--scale 1 5] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import BaseModel

from gateway.demo import DemoData, generate_demo
from gateway.model import PurchaseOrder, Receipt, ShipNotice
from quality import (
    RULES,
    Finding,
    QualityConfig,
    Subject,
    build_frames,
    check_documents,
    master_frames,
    related_keys,
    run_rules,
)
from quality.findings import Value

AS_OF = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 18)
SUBSET = ("ASN_UNKNOWN_PO", "ASN_UNDER_SHIPMENT", "ASN_OVER_SHIPMENT", "RECEIPT_QTY_MISMATCH")


def _finding(rule: str, doc_type: str, key: str, line: str | None, message: str,
             supplier: str | None, **values: Value) -> Finding:  # fmt: skip
    severity = RULES[rule].severity
    return Finding(rule, severity, Subject(doc_type, key, line), message, None, supplier, values)


def naive_rules(pos: list[PurchaseOrder], asns: list[ShipNotice], receipts: list[Receipt],
                under: float = 0.05, over: float = 0.0) -> list[Finding]:  # fmt: skip
    """The same checks, one document at a time, with dicts standing in for the store; builds
    the same findings (subject, message, values) as the vectorized rules."""
    found: list[Finding] = []
    po_by_number = {po.po_number: po for po in pos}
    asn_by_id: dict[str, ShipNotice] = {}
    shipped: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    shipped_pos: set[str] = set()
    for notice in asns:
        if notice.shipment_id in asn_by_id:
            continue  # a duplicate is counted once
        asn_by_id[notice.shipment_id] = notice
        for line in notice.lines:
            po = po_by_number.get(line.po_number or "")
            if po is None:
                found.append(_finding("ASN_UNKNOWN_PO", "ship_notice", notice.shipment_id,
                                      line.po_number, f"Ship notice {notice.shipment_id} ships "
                                      f"against PO {line.po_number}, which is not on file",
                                      notice.supplier_id, po_number=line.po_number))  # fmt: skip
                continue
            shipped_pos.add(po.po_number)
            ordered = next((p for p in po.lines if p.line_number == line.line_number), None)
            if ordered is not None and ordered.uom == line.uom:
                shipped[(po.po_number, ordered.line_number)] += line.quantity
    for number in shipped_pos:
        po = po_by_number[number]
        for line in po.lines:
            total = shipped[(number, line.line_number)]
            low, high = line.quantity * Decimal(1 - under), line.quantity * Decimal(1 + over)
            if low <= total <= high:
                continue
            rule = "ASN_UNDER_SHIPMENT" if total < low else "ASN_OVER_SHIPMENT"
            found.append(_finding(rule, "purchase_order", number, line.line_number,
                                  f"PO {number} line {line.line_number} (item {line.buyer_item}):"
                                  f" shipped {total} {line.uom} of {line.quantity} ordered",
                                  po.supplier_id, ordered=float(line.quantity),
                                  shipped=float(total)))  # fmt: skip
    for receipt in receipts:
        found.extend(_naive_receipt(receipt, asn_by_id))
    return found


def _naive_receipt(receipt: Receipt, asn_by_id: dict[str, ShipNotice]) -> list[Finding]:
    notice = asn_by_id.get(receipt.shipment_id or "")
    if notice is None:
        return []
    announced: dict[str, Decimal] = defaultdict(Decimal)
    for line in notice.lines:
        announced[f"{line.po_number}/{line.line_number}"] += line.quantity
    received: dict[str, Decimal] = defaultdict(Decimal)
    for r in receipt.lines:
        received[f"{r.po_number}/{r.line_number}"] += r.quantity_received
    return [
        _finding("RECEIPT_QTY_MISMATCH", "receipt", receipt.receipt_id, key,
                 f"Receipt {receipt.receipt_id} of shipment {notice.shipment_id}, {key}: "
                 f"received {received[key]}, announced {announced[key]}", notice.supplier_id,
                 announced=float(announced[key]), received=float(received[key]))
        for key in sorted(announced.keys() | received.keys())
        if announced[key] != received[key]
    ]  # fmt: skip


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench(data: DemoData, repeat: int) -> None:
    catalog = data.catalog
    docs = [doc for _, group in data.documents() for doc in group]
    master = master_frames(catalog.segments, catalog.suppliers, catalog.items, catalog.locations)
    config = QualityConfig.for_segments(catalog.segments)
    flows = data.flows
    subset_docs = len(flows.purchase_orders) + len(flows.ship_notices) + len(flows.receipts)
    lines = sum(len(getattr(d, "lines", [])) for d in docs)
    print(f"\n{len(docs)} documents, {lines} lines ({subset_docs} POs, ASNs and receipts)")

    frames_s, frames = best_of(repeat, lambda: build_frames(docs))
    full_s, found = best_of(repeat, lambda: run_rules(frames, master, config, NOW))
    rules = [RULES[c] for c in SUBSET]
    flow_docs = [*flows.purchase_orders, *flows.ship_notices, *flows.receipts]
    vector_s, subset = best_of(
        repeat, lambda: run_rules(build_frames(flow_docs), master, config, NOW, rules)
    )
    flow_frames = build_frames(flow_docs)
    prebuilt_s, _ = best_of(repeat, lambda: run_rules(flow_frames, master, config, NOW, rules))
    naive_s, naive = best_of(
        repeat, lambda: naive_rules(flows.purchase_orders, flows.ship_notices, flows.receipts)
    )
    counts = Counter(f.rule for f in subset)
    naive_counts = Counter(f.rule for f in naive)
    print(f"  frames                 {frames_s:7.3f} s  {len(docs) / frames_s:9.0f} docs/s")
    print(f"  all {len(RULES)} rules (frames)  {full_s:7.3f} s  {len(docs) / full_s:9.0f} docs/s"
          f"  -> {len(found)} findings")  # fmt: skip
    total = frames_s + full_s
    print(f"  frames + all rules     {total:7.3f} s  {len(docs) / total:9.0f} docs/s")
    print(f"  3 rules vectorized     {vector_s:7.3f} s  {subset_docs / vector_s:9.0f} docs/s"
          "  (frames included)")  # fmt: skip
    print(f"  3 rules vectorized     {prebuilt_s:7.3f} s  {subset_docs / prebuilt_s:9.0f} docs/s"
          "  (on frames already built)")  # fmt: skip
    print(f"  3 rules naive loop     {naive_s:7.3f} s  {subset_docs / naive_s:9.0f} docs/s")
    speed_up = naive_s / vector_s  # > 1: the vectorized rules are faster
    print(f"  speed-up vectorized    {speed_up:7.2f} x  (naive / vectorized, frames included)")
    print(f"  speed-up vectorized    {naive_s / prebuilt_s:7.2f} x  (frames already built)")
    for code in SUBSET:
        print(f"    {code:22s} vectorized {counts[code]:5d}   naive {naive_counts[code]:5d}")


def bench_streaming(data: DemoData, repeat: int) -> None:
    """One new ship notice checked with its PO, vs a micro-batch of 200 with theirs."""
    catalog = data.catalog
    master = master_frames(catalog.segments, catalog.suppliers, catalog.items, catalog.locations)
    config = QualityConfig.for_segments(catalog.segments)
    pos = {po.po_number: po for po in data.flows.purchase_orders}
    notices = data.flows.ship_notices[:200]

    def with_pos(batch: list[ShipNotice]) -> list[BaseModel]:
        keys = related_keys(batch).po_numbers
        return [*(pos[k] for k in sorted(keys) if k in pos), *batch]

    one_s, _ = best_of(repeat, lambda: [
        check_documents(with_pos([n]), master, config, NOW, streaming=True)
        for n in notices[:20]])  # fmt: skip
    batch_s, _ = best_of(
        repeat, lambda: check_documents(with_pos(notices), master, config, NOW, streaming=True)
    )
    print(f"  streaming, one notice + its PO per call   {1000 * one_s / 20:7.1f} ms per notice")
    print(f"  streaming, 200 notices + POs in one call  {1000 * batch_s / 200:7.1f} ms per notice")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for scale in args.scale:
        start = time.perf_counter()
        data = generate_demo(7, as_of=AS_OF, items=500 * scale, suppliers=40 * scale)
        print(f"scale {scale}x: demo generated in {time.perf_counter() - start:.1f} s", end="")
        bench(data, args.repeat)
        if scale == args.scale[0]:
            bench_streaming(data, args.repeat)


if __name__ == "__main__":
    main()
