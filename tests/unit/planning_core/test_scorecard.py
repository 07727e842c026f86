"""Scorecards from a small hand-checked set of PO lines, ASNs, receipts and commits."""

import datetime as dt

import pandas as pd
import pytest

from planning_core.errors import InputValueError, MissingColumnsError
from planning_core.scorecard import ScorecardConfig, build_scorecards, lead_time_stats

PO = pd.DataFrame(
    {
        "po_number": ["P1", "P1", "P2"],
        "line_number": [1, 2, 1],
        "supplier_id": ["S1", "S1", "S2"],
        "segment_id": ["A", "A", "A"],
        "item_id": ["i1", "i2", "i1"],
        "quantity": [10.0, 20.0, 5.0],
        "requested_date": ["2026-01-10", "2026-01-20", "2026-01-15"],
        "order_date": ["2026-01-01", "2026-01-06", "2026-01-05"],
    }
)
ASN = pd.DataFrame(
    {
        "shipment_id": ["SH1", "SH2", "SH3"],
        "po_number": ["P1", "P1", "P2"],
        "item_id": ["i1", "i2", "i1"],
        "quantity": [10.0, 20.0, 5.0],
        "ship_date": ["2026-01-07", "2026-01-22", "2026-01-12"],
        "expected_delivery": ["2026-01-09", "2026-01-24", "2026-01-14"],
    }
)
RECEIPTS = pd.DataFrame(
    {
        "receipt_id": ["R1", "R2", "R3"],
        "shipment_id": ["SH1", "SH2", "SH3"],
        "po_number": ["P1", "P1", "P2"],
        "item_id": ["i1", "i2", "i1"],
        "quantity_received": [10.0, 16.0, 5.0],
        "quantity_rejected": [0.0, 1.0, 0.0],
        "received_date": ["2026-01-09", "2026-01-25", "2026-01-15"],
    }
)
COMMITS = pd.DataFrame(
    {
        "supplier_id": ["S1", "S1"],
        "item_id": ["i1", "i2"],
        "period": ["2026-01-01", "2026-01-01"],
        "committed_quantity": [10.0, 20.0],
    }
)


def test_scorecard_metrics_by_hand() -> None:
    config = ScorecardConfig(targets={"A": {"otif": 0.9}}, sla_per_point={"A": (100.0, 50.0)})
    card = build_scorecards(PO, ASN, RECEIPTS, COMMITS, config).set_index("supplier_id")
    s1, s2 = card.loc["S1"], card.loc["S2"]
    # S1: line 1 on time and in full; line 2 five days late and 15 of 20 accepted
    assert (s1["on_time"], s1["in_full"], s1["otif"]) == (0.5, 0.5, 0.5)
    assert s1["fill_rate"] == pytest.approx(25 / 30)
    assert s1["quality"] == pytest.approx(1 - 1 / 26)
    assert s1["asn_accuracy"] == pytest.approx(0.5)  # 16 received against 20 advised
    assert s1["commit_reliability"] == pytest.approx(25 / 30)
    assert s1["delay_mean_days"] == pytest.approx(2.0)  # (-1 + 5) / 2
    assert s1["lead_time_mean_days"] == pytest.approx(13.5)  # 8 and 19 days
    assert (s2["otif"], s2["rank"], s1["rank"]) == (1.0, 1.0, 2.0)
    assert s2["tier"] == "strategic" and s1["tier"] == "probation"
    assert not s1["meets_targets"] and s2["meets_targets"]
    assert s1["sla_amount"] == pytest.approx(-4000.0) and s2["sla_amount"] == pytest.approx(500.0)


def test_commitments_not_yet_due_are_not_judged() -> None:
    """A commitment for a period that has not begun is not a broken one: with ``as_of``
    before it, the period has no commit reliability (and its score leaves it out)."""
    before = build_scorecards(
        PO, ASN, RECEIPTS, COMMITS, ScorecardConfig(as_of=dt.date(2025, 12, 31))
    )
    s1 = before.set_index("supplier_id").loc["S1"]
    assert pd.isna(s1["commit_reliability"])
    due = build_scorecards(PO, ASN, RECEIPTS, COMMITS, ScorecardConfig(as_of=dt.date(2026, 1, 1)))
    assert due.set_index("supplier_id").loc["S1", "commit_reliability"] == pytest.approx(25 / 30)
    assert s1["score"] != due.set_index("supplier_id").loc["S1", "score"]


def test_lead_time_statistics_per_supplier() -> None:
    stats = lead_time_stats(PO, RECEIPTS).set_index("supplier_id")
    assert stats.loc["S1", "lead_time_mean_days"] == pytest.approx(13.5)
    assert sorted(stats.loc["S1", "sample"]) == [8, 19]


def test_bad_frames_are_reported_clearly() -> None:
    with pytest.raises(MissingColumnsError, match="po_lines is missing required column"):
        build_scorecards(PO.drop(columns=["quantity"]), ASN, RECEIPTS)
    bad = RECEIPTS.assign(received_date=["2026-01-09", "soon", "2026-01-15"])
    with pytest.raises(InputValueError, match="unparseable dates"):
        build_scorecards(PO, ASN, bad)


def test_trend_is_the_change_from_the_previous_period() -> None:
    feb_po = pd.DataFrame(
        {"po_number": ["P3"], "line_number": [1], "supplier_id": ["S1"], "segment_id": ["A"],
         "item_id": ["i1"], "quantity": [10.0], "requested_date": ["2026-02-10"],
         "order_date": ["2026-02-01"]}
    )  # fmt: skip
    feb_asn = pd.DataFrame(
        {"shipment_id": ["SH4"], "po_number": ["P3"], "item_id": ["i1"], "quantity": [10.0],
         "ship_date": ["2026-02-08"], "expected_delivery": ["2026-02-10"]}
    )  # fmt: skip
    feb_rec = pd.DataFrame(
        {"receipt_id": ["R4"], "shipment_id": ["SH4"], "po_number": ["P3"], "item_id": ["i1"],
         "quantity_received": [10.0], "quantity_rejected": [0.0], "received_date": ["2026-02-10"]}
    )  # fmt: skip
    card = build_scorecards(
        pd.concat([PO, feb_po]), pd.concat([ASN, feb_asn]), pd.concat([RECEIPTS, feb_rec])
    )
    s1 = card[card["supplier_id"] == "S1"].sort_values("period")
    assert s1["otif"].tolist() == [0.5, 1.0]
    assert pd.isna(s1["otif_trend"].iloc[0]) and s1["otif_trend"].iloc[1] == pytest.approx(0.5)
