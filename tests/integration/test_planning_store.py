"""Stored planning on SQLite and PostgreSQL: thresholds, proposals, recompute, overrides, 830s."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from adapters.edi import process_interchange
from gateway.demo import generate_demo, load_demo
from gateway.demo.build import _demand_rows
from gateway.model import Channel, CommitLine, ForecastCommit, PlanningSchedule, Provenance
from gateway.planning import (
    InvalidOverrideError,
    InvalidRetentionError,
    InvalidThresholdsError,
    NoDemandError,
    NoForecastRunError,
    NotFoundError,
    ProposalStateError,
    approve_proposal,
    current_classification,
    current_thresholds,
    override_forecast,
    propose,
    prune_runs,
    publish_forecast,
    recompute,
    reject_proposal,
    set_thresholds,
)
from gateway.planning.inputs import load_demand_panel
from gateway.store.master import (
    insert_demand,
    save_items,
    save_locations,
    save_segments,
    save_suppliers,
)
from gateway.store.planning import (
    latest_alerts,
    latest_buffers,
    latest_forecasts,
    latest_run_id,
    latest_scorecards,
    latest_series,
)
from gateway.store.planning_tables import (
    BufferRow,
    ClassificationRow,
    ForecastCellRow,
    ForecastRunRow,
    ForecastSeriesRow,
    PublicationRow,
)
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import AuditRow, ItemSourceRow, SegmentRow
from planning_core.segmentation import demand_cv

HORIZON = 13


@pytest.fixture
def demo(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """A small demo supply chain in the store."""
    data = generate_demo(5, as_of=dt.date(2026, 11, 20), items=48, suppliers=8, weeks=80)
    load_demo(sessions, data, lambda _name, _count: None)
    return sessions


def _audit(session: Session, action: str) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).where(AuditRow.action == action)))


def _run(sessions: sessionmaker[Session], actor: str = "planner:test") -> int:
    with sessions.begin() as session:
        return recompute(session, actor=actor, horizon=HORIZON).run_id


# --- thresholds ---------------------------------------------------------------------------------


def test_thresholds_are_seeded_versioned_and_audited(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        seeded = current_thresholds(session)
        assert (seeded.version, seeded.created_by) == ("default-1", "system")
        new = set_thresholds(
            session,
            {"xyz_x_cv": 0.6},
            actor="planner:ann",
            note="wider X",
            auto_apply_max_changes=3,
        )
    assert (new.version, new.thresholds.xyz_x_cv, new.auto_apply_max_changes) == ("v2", 0.6, 3)
    with sessions.begin() as session:
        assert current_thresholds(session).version == "v2"
        (entry,) = [e for e in _audit(session, "plan.thresholds_set") if e.actor == "planner:ann"]
        assert entry.detail["before"]["xyz_x_cv"] == 0.5
        assert entry.detail["after"]["xyz_x_cv"] == 0.6
        assert entry.detail["note"] == "wider X"
        with pytest.raises(InvalidThresholdsError, match="xyz_x_cv < xyz_y_cv"):
            set_thresholds(session, {"xyz_x_cv": 2.0}, actor="planner:ann")
        with pytest.raises(InvalidThresholdsError, match="unknown"):
            set_thresholds(session, {"colour": "red"}, actor="planner:ann")
        with pytest.raises(InvalidThresholdsError, match="already exists"):
            set_thresholds(session, {"version": "v2"}, actor="planner:ann")


# --- proposals ----------------------------------------------------------------------------------


def test_large_proposal_waits_for_approval_and_is_audited_per_item(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        first = propose(session, actor="planner:ann")
    assert first.status == "pending" and first.changed_items == 48 > 25
    with demo() as session:
        assert session.scalar(select(func.count()).select_from(ClassificationRow)) == 0
        assert len(latest_alerts(session)) == first.alerts
    with demo.begin() as session:
        approved = approve_proposal(session, first.id, actor="planner:bob", note="first run")
    assert approved.status == "approved"
    with demo.begin() as session:
        applied = current_classification(session)
        assert len(applied) == 48
        entries = _audit(session, "plan.class_changed")
        assert len(entries) == 48 and {e.actor for e in entries} == {"planner:bob"}
        detail = entries[0].detail
        assert detail["from"]["xyz"] == "" and detail["to"]["xyz"] in {"X", "Y", "Z"}
        assert "CV" in detail["reason"] and detail["proposal_id"] == first.id
        with pytest.raises(ProposalStateError):
            approve_proposal(session, first.id, actor="planner:bob")
        with pytest.raises(NotFoundError):
            reject_proposal(session, 999, actor="planner:bob", note="no")
        again = propose(session, actor="planner:ann")
    assert (again.status, again.change_count) == ("applied", 0)


def test_small_proposal_applies_itself_and_a_rejected_one_changes_nothing(
    demo: sessionmaker[Session],
) -> None:
    with demo.begin() as session:
        set_thresholds(session, {}, actor="planner:ann", auto_apply_max_changes=100)
        auto = propose(session, actor="planner:ann")
    assert auto.status == "applied"
    with demo.begin() as session:
        assert len(current_classification(session)) == 48
        assert _audit(session, "plan.proposal_applied")[0].actor == "system"
        set_thresholds(
            session, {"abc_a_share": 0.5, "hysteresis": 0.0}, actor="planner:ann",
            auto_apply_max_changes=0,
        )  # fmt: skip
        pending = propose(session, actor="planner:ann")
    assert pending.status == "pending" and pending.changed_items > 0
    with demo.begin() as session:
        before = current_classification(session)
        rejected = reject_proposal(session, pending.id, actor="planner:bob", note="too many")
        assert rejected.status == "rejected"
        assert current_classification(session).equals(before)
        (entry,) = _audit(session, "plan.proposal_rejected")
        assert (entry.actor, entry.detail["note"]) == ("planner:bob", "too many")


def test_hysteresis_keeps_an_item_near_a_moved_cut_off(demo: sessionmaker[Session]) -> None:
    with demo.begin() as session:
        set_thresholds(session, {}, actor="planner:ann", auto_apply_max_changes=100)
        propose(session, actor="planner:ann")
        applied = current_classification(session).set_index("item_id")
        item_ids, matrix = load_demand_panel(session).by_item()
    cv = dict(zip(item_ids, demand_cv(matrix), strict=True))
    x_items = [i for i in applied.index if applied.at[i, "xyz"] == "X"]
    item = max(x_items, key=lambda i: cv[i])  # the X item closest to the X/Y cut-off
    cut = cv[item] * 0.97  # now above the cut-off, but inside the 10 % band
    with demo.begin() as session:
        set_thresholds(session, {"xyz_x_cv": cut}, actor="planner:ann")
        kept = propose(session, actor="planner:ann")
        assert current_classification(session).set_index("item_id").at[item, "xyz"] == "X"
        set_thresholds(session, {"xyz_x_cv": cut, "hysteresis": 0.0}, actor="planner:ann")
        flipped = propose(session, actor="planner:ann")
        changed = current_classification(session).set_index("item_id")
    assert kept.status == "applied" and flipped.status == "applied"
    assert changed.at[item, "xyz"] == "Y"


# --- recompute ----------------------------------------------------------------------------------
def test_a_run_scores_the_lines_rest_scores(demo: sessionmaker[Session]) -> None:
    """A forecast run reads its scorecard lines with REST's reader: after a change to an order
    that drops a line, the dropped line counts in neither (it is not ordered any more, so it
    cannot be late), and every stored month agrees with the computed one on lines, OTIF,
    commit reliability (both read the suppliers' forecast commits) and score."""
    from access import Scope
    from gateway.scorecards import compute_scorecard
    from gateway.store.document_tables import PurchaseOrderLineRow, PurchaseOrderRow
    from gateway.store.documents import load_document, save_document
    from gateway.store.planning_tables import ForecastRunRow, ScorecardRow

    with demo.begin() as session:
        order_id = session.scalar(
            select(PurchaseOrderLineRow.document_id)
            .group_by(PurchaseOrderLineRow.document_id)
            .having(func.count() >= 2)
            .order_by(PurchaseOrderLineRow.document_id)
        )
        assert order_id is not None, "the demo has orders of several lines"
        order = load_document(session, "purchase_order", order_id)
        changed = order.model_copy(update={"lines": order.lines[:1]})
        save_document(session, changed)
        versions = session.scalar(
            select(func.count()).where(PurchaseOrderRow.po_number == order.po_number)
        )
        # the demo's commitments are for the forecast horizon (not due yet): one for a week
        # long past, for a line of that week
        past = session.execute(
            select(PurchaseOrderRow.supplier_id, PurchaseOrderLineRow.buyer_item,
                   PurchaseOrderLineRow.requested_date, PurchaseOrderLineRow.uom)
            .join(PurchaseOrderRow, PurchaseOrderRow.id == PurchaseOrderLineRow.document_id)
            .where(PurchaseOrderLineRow.requested_date < dt.date(2026, 8, 1))  # demo: to 2026-11-20
            .order_by(PurchaseOrderLineRow.id)
        ).first()  # fmt: skip
        assert past is not None
        week = past.requested_date - dt.timedelta(days=past.requested_date.weekday())
        line = CommitLine(buyer_item=past.buyer_item, period_start=week, quantity=10, uom=past.uom)
        commit = ForecastCommit(
            commit_id="FC-PAST", issued_date=week, supplier_id=past.supplier_id, lines=[line]
        )
        commit.provenance = Provenance(channel=Channel.API, partner_id=str(past.supplier_id))
        save_document(session, commit)
    assert versions == 2
    run_id = _run(demo)
    with demo() as session:
        stored = {
            (r.supplier_id, r.segment_id, r.period.isoformat()[:7]): r
            for r in session.scalars(select(ScorecardRow).where(ScorecardRow.run_id == run_id))
        }
        as_of = session.scalar(select(ForecastRunRow.as_of).where(ForecastRunRow.id == run_id))
        computed = {
            (p.supplier_id, p.segment_id, p.period.isoformat()[:7]): p
            for p in compute_scorecard(session, Scope(segments=None), freq="M", as_of=as_of).periods
        }
    dropped = order.lines[1]
    assert dropped.requested_date is not None
    month = (order.supplier_id, None, dropped.requested_date.isoformat()[:7])
    assert any(k[0] == month[0] and k[2] == month[2] for k in stored), "the month is scored"
    assert stored.keys() <= computed.keys()
    for key, row in stored.items():
        assert row.lines == computed[key].lines, key
        assert row.otif == pytest.approx(computed[key].otif, abs=1e-6), key  # REST rounds to 6
        mine = computed[key]
        if row.commit_reliability is None:
            assert mine.commit_reliability is None, key
        else:
            assert row.commit_reliability == pytest.approx(mine.commit_reliability, abs=1e-6), key
        assert row.score == pytest.approx(mine.score, abs=1e-6), key
        assert row.tier == mine.tier, key
    assert any(row.commit_reliability is not None for row in stored.values())  # commits count
    # commitments for months after the run's as-of are not due: not judged
    assert as_of is not None
    later = [r for r in stored.values() if r.period.replace(day=1) > as_of.replace(day=1)]
    assert later and all(r.commit_reliability is None for r in later)


def test_recompute_stores_consistent_figures(demo: sessionmaker[Session]) -> None:
    run_id = _run(demo)
    with demo() as session:
        panel = load_demand_panel(session)
        items = sorted(set(panel.item_ids))
        forecasts = latest_forecasts(session, items)
        buffers = latest_buffers(session, items)
        series = latest_series(session, items)
        suppliers = sorted({s for s in session.scalars(select(ItemSourceRow.supplier_id))})
        cards = latest_scorecards(session, suppliers)
        (audit,) = _audit(session, "plan.recomputed")
    assert latest_run_id is not None and audit.subject_id == str(run_id)
    assert sum(len(cells) for cells in forecasts.values()) == len(panel.item_ids) * HORIZON
    for cells in forecasts.values():
        for c in cells:
            assert 0 <= c.lo95 <= c.lo80 <= c.hi80 <= c.hi95 and c.stat >= 0
            assert c.source == "stat" and c.consensus == pytest.approx(c.stat)
    assert any(c.committed is not None for cells in forecasts.values() for c in cells)
    for rows in buffers.values():
        for b in rows:
            assert b["safety_stock"] >= 0 and b["order_up_to"] >= b["safety_stock"]
            assert 0.5 < b["service_level"] < 1
    assert all(r["method"] for rows in series.values() for r in rows)
    assert any(r["wape"] is not None for rows in series.values() for r in rows)
    flat = [row for rows in cards.values() for row in rows]
    assert flat and all(1 <= row["rank"] <= row["peer_count"] for row in flat)


def test_safety_stock_rises_with_the_service_level(demo: sessionmaker[Session]) -> None:
    _run(demo)
    with demo.begin() as session:
        items = sorted(set(load_demand_panel(session).item_ids))
        before = latest_buffers(session, items)
        for segment in session.scalars(select(SegmentRow)):
            segment.service_level_target = min(segment.service_level_target + 0.04, 0.999)
    _run(demo)
    with demo() as session:
        after = latest_buffers(session, items)
    pairs = [
        (b["safety_stock"], a["safety_stock"])
        for item in items
        for b, a in zip(before[item], after[item], strict=True)
    ]
    assert all(new >= old - 1e-9 for old, new in pairs)
    assert sum(new > old for old, new in pairs) > len(pairs) / 2


def test_rerunning_creates_a_new_run_with_the_same_figures(demo: sessionmaker[Session]) -> None:
    first, second = _run(demo), _run(demo)
    assert second > first
    with demo() as session:
        assert latest_run_id(session) == second

        def figures(run_id: int) -> list[tuple[str, str, dt.date, float]]:
            rows = session.execute(
                select(ForecastCellRow.item_id, ForecastCellRow.location_id,
                       ForecastCellRow.period_start, ForecastCellRow.consensus)
                .where(ForecastCellRow.run_id == run_id)
                .order_by(ForecastCellRow.item_id, ForecastCellRow.location_id,
                          ForecastCellRow.period_start)
            )  # fmt: skip
            return [tuple(r) for r in rows]  # type: ignore[misc]

        one, two = figures(first), figures(second)
    assert [r[:3] for r in one] == [r[:3] for r in two]
    assert np.allclose([r[3] for r in one], [r[3] for r in two])


# --- overrides and publication ------------------------------------------------------------------


def test_an_override_changes_the_consensus_of_its_cell(demo: sessionmaker[Session]) -> None:
    run_id = _run(demo)
    with demo.begin() as session:
        cell = session.scalars(
            select(ForecastCellRow).where(ForecastCellRow.run_id == run_id).limit(1)
        ).one()
        item, location, week = cell.item_id, cell.location_id, cell.period_start
        result = override_forecast(
            session, item_id=item, location_id=location, period_start=week, quantity=1234,
            reason="customer promotion", actor="planner:ann",
        )  # fmt: skip
    assert (result.run_id, result.consensus) == (run_id, 1234.0)
    with demo.begin() as session:
        (updated,) = [c for c in latest_forecasts(session, [item])[item]
                      if (c.location_id, c.period_start) == (location, week)]  # fmt: skip
        assert (updated.consensus, updated.override, updated.source) == (1234, 1234, "override")
        (entry,) = _audit(session, "plan.forecast_overridden")
        assert entry.actor == "planner:ann" and entry.detail["reason"] == "customer promotion"
        assert entry.detail["consensus_after"] == 1234
        later = override_forecast(
            session, item_id=item, location_id=location, period_start=week + dt.timedelta(weeks=60),
            quantity=5, reason="next year", actor="planner:ann",
        )  # fmt: skip
        assert later.run_id is None  # outside the run: applied by the next recompute
        with pytest.raises(InvalidOverrideError):
            override_forecast(session, item_id=item, location_id=location, period_start=week,
                              quantity=-1, reason="x", actor="planner:ann")  # fmt: skip
        with pytest.raises(InvalidOverrideError):
            override_forecast(session, item_id=item, location_id=location, period_start=week,
                              quantity=1, reason=" ", actor="planner:ann")  # fmt: skip
        with pytest.raises(NotFoundError):
            override_forecast(session, item_id="NOPE", location_id=location, period_start=week,
                              quantity=1, reason="x", actor="planner:ann")  # fmt: skip
    _run(demo)  # the next run keeps the override
    with demo() as session:
        (kept,) = [c for c in latest_forecasts(session, [item])[item]
                   if (c.location_id, c.period_start) == (location, week)]  # fmt: skip
        assert kept.consensus == 1234 and kept.source == "override"


def test_publish_queues_exactly_one_valid_830(demo: sessionmaker[Session]) -> None:
    with demo.begin() as session:
        supplier = session.scalars(select(ItemSourceRow.supplier_id).limit(1)).one()
        with pytest.raises(NoForecastRunError):
            publish_forecast(session, supplier, "planner:ann")
    run_id = _run(demo)
    with demo.begin() as session:
        result = publish_forecast(session, supplier, "planner:ann")
        with pytest.raises(NotFoundError):
            publish_forecast(session, "NOPE", "planner:ann")
    with demo() as session:
        (message,) = session.scalars(select(OutboxRow)).all()
        publication = session.get_one(PublicationRow, result.publication_id)
        sourced = {
            row.item_id: row.share
            for row in session.scalars(
                select(ItemSourceRow).where(ItemSourceRow.supplier_id == supplier)
            )
        }
        cells = latest_forecasts(session, sorted(sourced))
        (entry,) = _audit(session, "plan.forecast_published")
    assert (message.id, message.document_type, message.partner_id) == (
        result.delivery_id, "830", supplier,
    )  # fmt: skip
    assert publication.delivery_id == message.id and publication.run_id == run_id
    assert entry.detail["delivery_id"] == message.id
    parsed = process_interchange(message.body)
    (transaction,) = parsed.sets
    assert parsed.accepted and transaction.accepted and transaction.set_id == "830"
    schedule = transaction.document
    assert isinstance(schedule, PlanningSchedule) and len(schedule.lines) == result.lines
    line = schedule.lines[0]
    assert line.buyer_item is not None
    week = line.forecasts[0].start
    total = sum(c.consensus for c in cells[line.buyer_item] if c.period_start == week)
    expected = math.ceil(total * sourced[line.buyer_item] - 1e-9)
    assert float(line.forecasts[0].quantity) == expected
    assert len(line.forecasts) == HORIZON


def test_pruning_keeps_the_newest_runs_and_the_published_ones(
    demo: sessionmaker[Session],
) -> None:
    published = _run(demo)
    with demo.begin() as session:
        supplier = session.scalars(select(ItemSourceRow.supplier_id).limit(1)).one()
        publish_forecast(session, supplier, "planner:ann")
    middle, newest = _run(demo), _run(demo)

    def counts(session: Session, run_id: int) -> list[int]:
        return [
            session.scalar(select(func.count()).select_from(t).where(t.run_id == run_id)) or 0
            for t in (ForecastCellRow, ForecastSeriesRow, BufferRow)
        ]

    with demo.begin() as session:
        with pytest.raises(InvalidRetentionError, match="keep at least the newest run"):
            prune_runs(session, keep=0, actor="planner:ann")
        stored = counts(session, middle)
        trial = prune_runs(session, keep=1, actor="planner:ann", dry_run=True)
        assert (trial.deleted, trial.kept, trial.published) == (
            [middle],
            [published, newest],
            [published],
        )
        assert trial.rows >= sum(stored) > 0
        assert counts(session, middle) == stored and not _audit(session, "plan.runs_pruned")
    with demo.begin() as session:
        done = prune_runs(session, keep=1, actor="planner:ann")
    assert (done.deleted, done.rows) == ([middle], trial.rows)
    with demo() as session:
        assert list(session.scalars(select(ForecastRunRow.id).order_by(ForecastRunRow.id))) == [
            published,
            newest,
        ]
        assert counts(session, middle) == [0, 0, 0]  # its rows went with it
        assert all(counts(session, published)) and latest_run_id(session) == newest
        (entry,) = _audit(session, "plan.runs_pruned")
        assert entry.actor == "planner:ann" and entry.detail["deleted"] == [middle]
    with demo.begin() as session:  # nothing left to prune
        assert prune_runs(session, keep=1, actor="planner:ann").deleted == []


def test_recompute_needs_demand_but_no_documents(sessions: sessionmaker[Session]) -> None:
    data = generate_demo(2, as_of=dt.date(2026, 11, 20), items=12, suppliers=6, weeks=60)
    with sessions.begin() as session:
        with pytest.raises(NoDemandError):
            recompute(session, actor="planner:test")
        catalog = data.catalog
        save_segments(session, catalog.segments)
        save_locations(session, catalog.locations)
        save_suppliers(session, catalog.suppliers)
        save_items(session, catalog.items)
        insert_demand(session, _demand_rows(data))
    with sessions.begin() as session:
        result = recompute(session, actor="planner:test", horizon=HORIZON)
    assert result.scorecards == 0 and result.forecast_cells == result.series * HORIZON
    with sessions() as session:
        cells = latest_forecasts(session, [catalog.items[0].id])[catalog.items[0].id]
    assert cells and all(c.committed is None and c.source == "stat" for c in cells)
