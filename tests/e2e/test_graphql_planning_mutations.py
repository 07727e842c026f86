"""Planning mutations over HTTP: override, approve/reject a proposal, publish, recompute,
with validation, scope, typed errors and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from gateway.store.planning import latest_run
from gateway.store.planning_tables import ProposalChangeRow, ProposalRow
from gateway.store.sync_tables import OutboxRow
from gateway.store.tables import AuditRow, ItemRow, ItemSourceRow
from tests.e2e.graphql_world import World, graphql_world


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with graphql_world(plan=True) as built:
        yield built


ERRORS = """__typename
    ... on UserError { message code }
    ... on InvalidInput { field }"""


def _mutate(world: World, call: str, fields: str, as_: str) -> dict[str, Any]:
    text = f"mutation {{ r: {call} {{ {ERRORS} {fields} }} }}"
    result: dict[str, Any] = world.data(text, as_=as_)["r"]
    return result


def _audit(world: World, action: str) -> list[tuple[str, str]]:
    with world.sessions() as session:
        rows = session.execute(
            select(AuditRow.actor, AuditRow.subject_id)
            .where(AuditRow.action == action)
            .order_by(AuditRow.id)
        ).all()
    return [(actor, subject) for actor, subject in rows]


def _item_in(world: World, segment: str) -> str:
    with world.sessions() as session:
        return str(
            session.scalar(
                select(ItemRow.id).where(ItemRow.segment_id == segment).order_by(ItemRow.id)
            )
        )


def _cell(world: World, item: str) -> tuple[str, str]:
    data = world.data(
        f'{{ item(id: "{item}") {{ forecasts(weeks: 1) {{ locationId '
        f"periods {{ periodStart }} }} }} }}"
    )
    first = data["item"]["forecasts"][0]
    return first["locationId"], first["periods"][0]["periodStart"]


OVERRIDDEN = """... on ForecastOverridden { itemId quantity runId consensusBefore consensus }"""


def _override(
    world: World, item: str, location: str, week: str, qty: float, reason: str, as_: str
) -> dict[str, Any]:
    call = (
        f'overrideForecast(itemId: "{item}", locationId: "{location}", '
        f'periodStart: "{week}", quantity: {qty}, reason: "{reason}")'
    )
    return _mutate(world, call, OVERRIDDEN, as_)


def test_a_planner_overrides_a_forecast_in_its_segment(world: World) -> None:
    item = _item_in(world, world.planner_segments[0])
    location, week = _cell(world, item)
    done = _override(world, item, location, week, 321.0, "promotion", "planner")
    assert done["__typename"] == "ForecastOverridden", done
    assert done["consensus"] == 321.0 and done["runId"] is not None
    after = world.data(
        f'{{ item(id: "{item}") {{ forecasts(locationId: "{location}", weeks: 1)'
        " { periods { override consensus source } } } }"
    )
    assert after["item"]["forecasts"][0]["periods"][0]["consensus"] == 321.0
    assert ("planner:demo", f"{item}/{location}/{week}") in _audit(
        world, "plan.forecast_overridden"
    )


def test_override_validation_and_scope(world: World) -> None:
    item = _item_in(world, world.planner_segments[0])
    location, week = _cell(world, item)
    negative = _override(world, item, location, week, -1, "x", "planner")
    assert negative["__typename"] == "InvalidInput" and negative["field"] == "quantity"
    blank = _override(world, item, location, week, 1, " ", "planner")
    assert blank["__typename"] == "InvalidInput" and blank["field"] == "reason"
    nowhere = _override(world, item, "NOWHERE", week, 1, "x", "planner")
    assert nowhere["__typename"] == "NotFound" and nowhere["code"] == "plan.not_found"
    outside = next(s for s in world.segments if s not in world.planner_segments)
    other = _item_in(world, outside)
    hidden = _override(world, other, location, week, 1, "x", "planner")
    assert hidden["__typename"] == "NotFound"
    for caller in ("supplier", "integration"):
        refused = _override(world, item, location, week, 1, "x", caller)
        assert refused["__typename"] == "Forbidden", refused
    assert _audit(world, "access.denied")[-1][1] == "mutation overrideForecast"


DECIDED = "... on ProposalDecided { proposal { id status decidedBy note } }"


def _pending_in(world: World, segment: str) -> int:
    """A pending proposal whose one change is on an item of ``segment``."""
    item = _item_in(world, segment)
    with world.sessions.begin() as session:
        row = ProposalRow(
            created_by="test",
            thresholds_version="default-1",
            status="pending",
            item_count=1,
            change_count=1,
            changed_items=1,
        )
        session.add(row)
        session.flush()
        session.add(
            ProposalChangeRow(
                proposal_id=row.id,
                item_id=item,
                dimension="xyz",
                from_class="X",
                to_class="Y",
                reason="cv 0.6 > 0.5",
                volume_share=0.01,
            )
        )
        return row.id


def test_deciding_proposals(world: World) -> None:
    first = world.data('{ proposals(status: "pending") { nodes { id } } }')["proposals"]["nodes"]
    whole = first[-1]["id"]  # the first classification: every segment
    refused = _mutate(world, f'approveProposal(id: "{whole}")', DECIDED, "planner")
    assert refused["__typename"] == "Forbidden" and refused["code"] == "access.scope"
    assert (
        _mutate(world, f'approveProposal(id: "{whole}")', DECIDED, "supplier")["__typename"]
        == "Forbidden"
    )
    approved = _mutate(world, f'approveProposal(id: "{whole}", note: "S&OP")', DECIDED, "admin")
    assert approved["proposal"]["status"] == "approved", approved
    assert approved["proposal"]["decidedBy"] == "admin:demo"
    again = _mutate(world, f'approveProposal(id: "{whole}")', DECIDED, "admin")
    assert again["__typename"] == "NotAllowedInState" and again["code"] == "plan.proposal_state"
    missing = _mutate(world, 'approveProposal(id: "999999")', DECIDED, "admin")
    assert missing["__typename"] == "NotFound"
    bad = _mutate(world, 'approveProposal(id: "abc")', DECIDED, "admin")
    assert bad["__typename"] == "InvalidInput" and bad["field"] == "id"
    assert ("admin:demo", whole) in _audit(world, "plan.proposal_approved")


def test_a_planner_rejects_a_proposal_of_its_segment_with_a_note(world: World) -> None:
    proposal = _pending_in(world, world.planner_segments[0])
    blank = _mutate(world, f'rejectProposal(id: "{proposal}", note: "")', DECIDED, "planner")
    assert blank["__typename"] == "InvalidInput" and blank["field"] == "note"
    done = _mutate(world, f'rejectProposal(id: "{proposal}", note: "promo")', DECIDED, "planner")
    assert done["proposal"] == {
        "id": str(proposal),
        "status": "rejected",
        "decidedBy": "planner:demo",
        "note": "promo",
    }
    assert ("planner:demo", str(proposal)) in _audit(world, "plan.proposal_rejected")


PUBLISHED = "... on ForecastPublished { deliveryId scheduleId runId supplierId lines }"


def test_publishing_queues_an_830(world: World) -> None:
    call = f'publishForecast(supplierId: "{world.supplier_id}")'
    done = _mutate(world, call, PUBLISHED, "admin")
    assert done["__typename"] == "ForecastPublished" and done["lines"] > 0, done
    with world.sessions() as session:
        delivery = session.get(OutboxRow, done["deliveryId"])
        assert delivery is not None and delivery.partner_id == world.supplier_id
    assert ("admin:demo", world.supplier_id) in _audit(world, "plan.forecast_published")
    assert _mutate(world, call, PUBLISHED, "supplier")["__typename"] == "Forbidden"
    missing = _mutate(world, 'publishForecast(supplierId: "NOPE")', PUBLISHED, "admin")
    assert missing["__typename"] == "NotFound"


def test_a_planner_publishes_only_to_suppliers_wholly_in_its_segments(world: World) -> None:
    mine = set(world.planner_segments)
    with world.sessions() as session:
        pairs = session.execute(
            select(ItemSourceRow.supplier_id, ItemRow.segment_id)
            .join(ItemRow, ItemRow.id == ItemSourceRow.item_id)
            .distinct()
        ).all()
    reach: dict[str, set[str]] = {}
    for supplier, segment in pairs:
        reach.setdefault(supplier, set()).add(segment)
    wide = next(s for s, segs in reach.items() if segs & mine and not segs <= mine)
    refused = _mutate(world, f'publishForecast(supplierId: "{wide}")', PUBLISHED, "planner")
    assert refused["__typename"] == "Forbidden" and refused["code"] == "access.scope"
    inside = [s for s, segs in reach.items() if segs <= mine]
    if inside:
        done = _mutate(world, f'publishForecast(supplierId: "{inside[0]}")', PUBLISHED, "planner")
        assert done["__typename"] == "ForecastPublished", done


RECOMPUTED = "... on RecomputeFinished { runId asOf series forecastCells scorecards timings }"


def test_recompute_runs_inline_and_answers_the_new_run(world: World) -> None:
    with world.sessions() as session:
        before = latest_run(session)
        assert before is not None
    zero = _mutate(world, "recompute(horizon: 0)", RECOMPUTED, "planner")
    assert zero["__typename"] == "InvalidInput" and zero["field"] == "horizon"
    refused = _mutate(world, "recompute", RECOMPUTED, "integration")
    assert refused["__typename"] == "Forbidden"
    done = _mutate(world, "recompute(horizon: 8)", RECOMPUTED, "planner")
    assert done["__typename"] == "RecomputeFinished", done
    assert int(done["runId"]) > before.id and done["series"] > 0 and "total" in done["timings"]
    assert ("planner:demo", done["runId"]) in _audit(world, "plan.recomputed")
    weeks = world.data('{ item(id: "ITM00001") { forecasts { periods { periodStart } } } }')
    assert len(weeks["item"]["forecasts"][0]["periods"]) == 8
