"""Tracked findings survive the trip to a flat record (a table row, a JSON body) and back."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from quality import (
    Finding,
    FindingState,
    Severity,
    Subject,
    TrackedFinding,
    from_record,
    to_record,
)

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
times = st.one_of(st.none(), st.integers(0, 10_000).map(lambda h: T0 + dt.timedelta(hours=h)))
values = st.dictionaries(
    st.sampled_from(["ordered", "shipped", "po_number", "late"]),
    st.one_of(st.none(), st.integers(-5, 5), st.text(max_size=5), st.booleans()),
)


@settings(max_examples=40, deadline=None)
@given(
    state=st.sampled_from(list(FindingState)),
    severity=st.sampled_from(list(Severity)),
    line=st.one_of(st.none(), st.text(min_size=1, max_size=6)),
    values=values,
    escalated=times,
    expires=times,
    count=st.integers(1, 50),
)
def test_round_trip_through_json(
    state: FindingState,
    severity: Severity,
    line: str | None,
    values: dict[str, str | int | bool | None],
    escalated: dt.datetime | None,
    expires: dt.datetime | None,
    count: int,
) -> None:
    finding = Finding("ASN_LATE_SHIPMENT", severity, Subject("ship_notice", "SH1", line), "late",
                      "FAST", "SUP1", dict(values))  # fmt: skip
    tracked = TrackedFinding(finding, state, T0, T0 + dt.timedelta(hours=1), count, "team",
                             1, escalated, T0, "note", "reason", expires)  # fmt: skip
    record = json.loads(json.dumps(to_record(tracked)))
    assert from_record(record) == tracked
    assert record["fingerprint"] == finding.fingerprint and record["state"] == state.value
