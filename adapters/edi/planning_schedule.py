"""830 Planning Schedule with Release Capability <-> canonical ``PlanningSchedule``.

FST02 gives the commitment (C firm, D planning; A immediate counts as firm, it authorizes
shipment now) and FST03 the timing (D daily, W weekly, M monthly, F flexible). FST buckets
with other codes, ATH resource authorizations and SHP shipped/received quantities have no
canonical field: they are kept in ``Mapped.details`` ("unmapped_forecasts",
"authorizations", "shipments") with the line they belong to.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.edi import build as builder  # builder.fast_values: patchable in tests
from adapters.edi.build import build
from adapters.edi.codes import (
    PURPOSE_CODES,
    Mapped,
    PartyReader,
    ProductIds,
    Unmapped,
    decimal_or_none,
    format_date,
    format_decimal,
    party_segments,
    product_ids,
    product_pairs,
    purpose_of,
    to_date,
)
from adapters.edi.lexer import Segment
from gateway.model import (
    Envelope,
    ForecastBucket,
    ForecastKind,
    ForecastPeriod,
    PlanningSchedule,
    Reference,
)

__all__ = ["parse_830", "render_830"]

KINDS = {"C": ForecastKind.FIRM, "D": ForecastKind.PLANNING, "A": ForecastKind.FIRM}
_KIND_CODES = {ForecastKind.FIRM: "C", ForecastKind.PLANNING: "D"}
PERIODS = {
    "D": ForecastPeriod.DAILY,
    "W": ForecastPeriod.WEEKLY,
    "M": ForecastPeriod.MONTHLY,
    "F": ForecastPeriod.FLEXIBLE,
}
_PERIOD_CODES = {period: code for code, period in PERIODS.items()}
_RECORDED = frozenset({"SHP", "ATH", "FST"})  # kept in details with their line's number


def parse_830(
    segments: Sequence[Segment], envelope: Envelope | None = None, component: str = ">"
) -> Mapped:
    """Map a validated 830 (ST..SE) to a ``PlanningSchedule``."""
    head: dict[str, object] = {}
    references: list[Reference] = []
    parties = PartyReader()
    lines: list[dict[str, object]] = []
    unmapped: list[Unmapped] = []
    details: dict[str, list[dict[str, str]]] = {
        "authorizations": [],
        "shipments": [],
        "unmapped_forecasts": [],
    }
    line: dict[str, object] | None = None  # the current LIN line
    forecasts: list[object] = []  # its FST buckets: models, or dicts for the line's build
    for position, seg in enumerate(segments, 1):
        fields = seg.fields
        sid = fields[0]
        if sid == "FST" and line is not None:  # most of a schedule: read it first
            padded = fields if len(fields) > 5 else fields + [""] * (6 - len(fields))
            kind = KINDS.get(padded[2])
            period = PERIODS.get(padded[3])
            if kind is not None and period is not None:
                quantity = decimal_or_none(padded[1])
                start = to_date(padded[4])
                end = to_date(padded[5])
                bucket = builder.fast_values(ForecastBucket, quantity, kind, period, start, end)
                if bucket is not None:
                    forecasts.append(bucket)
                else:  # the line's build validates it, reporting where it is
                    forecasts.append(
                        {
                            "quantity": quantity,
                            "kind": kind,
                            "period": period,
                            "start": start,
                            "end": end,
                        }
                    )
                continue
        item = str(len(lines)) if sid in _RECORDED else ""
        if sid == "BFR":
            head.update(
                purpose=purpose_of(seg.get(1)),
                schedule_id=seg.get(2) or seg.get(3),
                schedule_type=seg.get(4) or None,
                quantity_type=seg.get(5) or None,
                horizon_start=to_date(seg.get(6)),
                horizon_end=to_date(seg.get(7)),
                issue_date=to_date(seg.get(8)),
            )
        elif sid == "REF" and line is None:
            references.append(
                build(Reference, {"qualifier": seg.get(1), "value": seg.get(2) or seg.get(3)})
            )
        elif sid in ("N1", "N3", "N4") and line is None and parties.feed(seg):
            pass
        elif sid == "LIN":
            ids = product_ids(seg, 2)
            forecasts = []
            line = {"buyer_item": ids.buyer_item, "vendor_item": ids.vendor_item}
            line["forecasts"] = forecasts
            lines.append(line)
        elif sid == "UIT" and line is not None:
            line["uom"] = seg.get(1).split(component)[0]  # UIT01 is composite C001
        elif sid == "SHP" and line is not None:
            if seg.get(1) == "02" and seg.get(2):
                line["cumulative_received"] = decimal_or_none(seg.get(2))
            details["shipments"].append(
                _record(item, seg, "qualifier", "quantity", "date_qualifier", "date")
            )
        elif sid == "ATH" and line is not None:
            details["authorizations"].append(
                _record(
                    item,
                    seg,
                    "type",
                    "through_date",
                    "quantity",
                    "cumulative_quantity",
                    "start_date",
                )
            )
        elif sid not in ("ST", "SE"):
            if sid == "FST":
                details["unmapped_forecasts"].append(
                    _record(item, seg, "quantity", "qualifier", "timing", "start", "end")
                )
            unmapped.append(Unmapped(position, tuple(seg.fields)))
    schedule = build(
        PlanningSchedule,
        {
            **head,
            "envelope": envelope,
            "references": references,
            "parties": parties.build(),
            "lines": lines,
        },
    )
    return Mapped(schedule, unmapped, {k: v for k, v in details.items() if v})


def _record(item: str, seg: Segment, *names: str) -> dict[str, str]:
    record = {"line": item}
    fields = seg.fields
    for i, name in enumerate(names[: len(fields) - 1], 1):
        if fields[i]:
            record[name] = fields[i]
    return record


def render_830(schedule: PlanningSchedule) -> list[list[str]]:
    """The body of an 830 (BFR..CTT) for ``schedule``."""
    out: list[list[str]] = [
        [
            "BFR",
            PURPOSE_CODES[schedule.purpose],
            schedule.schedule_id,
            "",
            schedule.schedule_type or "DL",
            schedule.quantity_type or "A",
            format_date(schedule.horizon_start),
            format_date(schedule.horizon_end),
            format_date(schedule.issue_date or schedule.horizon_start),
        ]
    ]
    out += [["REF", ref.qualifier, ref.value] for ref in schedule.references]
    out += list(party_segments(schedule.parties))
    for line in schedule.lines:
        out.append(["LIN", "", *product_pairs(ProductIds(line.buyer_item, line.vendor_item))])
        out.append(["UIT", line.uom])
        for bucket in line.forecasts:
            fst = [
                "FST",
                format_decimal(bucket.quantity),
                _KIND_CODES[bucket.kind],
                _PERIOD_CODES[bucket.period],
                format_date(bucket.start),
            ]
            if bucket.end:
                fst.append(format_date(bucket.end))
            out.append(fst)
        if line.cumulative_received is not None:
            out.append(["SHP", "02", format_decimal(line.cumulative_received)])
    out.append(["CTT", str(len(schedule.lines))])
    return out
