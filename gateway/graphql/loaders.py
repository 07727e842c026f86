"""DataLoaders for every relation of the graph, made per request (so per caller and scope).

A loader is named by its relation and the arguments that shape it (a filter, "open only"),
so ``items(filter: {critical: true})`` under two segments is one statement, and the same
relation with other arguments is another loader rather than a wrong cache hit.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from gateway.graphql import fetch, planning_fetch, remembered

if TYPE_CHECKING:
    from gateway.graphql.context import Context

Batch = Callable[[Session, Sequence[Any]], list[Any]]
Known = Callable[[Sequence[Any]], list[Any] | None]


class Loaders:
    """The request's loaders, created on first use."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self._made: dict[Hashable, DataLoader[Any, Any]] = {}

    def get(self, name: Hashable, batch: Batch, known: Known | None = None) -> DataLoader[Any, Any]:
        """The loader called ``name``; ``batch(session, keys)`` runs in the request's thread,
        unless ``known(keys)`` has every answer already (without the database)."""
        loader = self._made.get(name)
        if loader is None:
            context = self._context

            async def load(keys: list[Any]) -> list[Any]:
                if known is not None and (answers := known(keys)) is not None:
                    return answers
                return await context.run(lambda session: batch(session, keys))

            loader = self._made[name] = DataLoader(load_fn=load)
        return loader

    # --- the relations, each with the scope it reads under -----------------------------------

    def segment(self) -> DataLoader[str, Any]:
        scope = self._context.scope("segment")
        return self.get("segment", lambda s, keys: fetch.segments(s, scope, keys))

    def item(self) -> DataLoader[str, Any]:
        scope = self._context.scope("segment")
        return self.get("item", lambda s, keys: fetch.items(s, scope, keys))

    def supplier(self) -> DataLoader[str, Any]:
        scope = self._context.scope("segment")
        return self.get("supplier", lambda s, keys: fetch.suppliers(s, scope, keys))

    def location(self) -> DataLoader[str, Any]:
        return self.get("location", fetch.locations)

    def order(self) -> DataLoader[int, Any]:
        scope = self._context.scope("purchase_order")
        return self.get("order", lambda s, keys: fetch.orders(s, scope, keys))

    def order_lines(self) -> DataLoader[int, list[Any]]:
        scope = self._context.scope("purchase_order")
        return self.get("order_lines", lambda s, keys: fetch.po_lines_of_orders(s, scope, keys))

    def item_order_lines(self, open_only: bool) -> DataLoader[str, list[Any]]:
        scope = self._context.scope("purchase_order")
        return self.get(
            ("item_order_lines", open_only),
            lambda s, keys: fetch.po_lines_of_items(s, scope, keys, open_only),
        )

    def notice_lines(self) -> DataLoader[int, list[Any]]:
        scope = self._context.scope("ship_notice")
        return self.get("notice_lines", lambda s, keys: fetch.notice_lines(s, scope, keys))

    def notices_of_order(self) -> DataLoader[str, list[Any]]:
        scope = self._context.scope("ship_notice")
        return self.get("notices_of_order", lambda s, keys: fetch.notices_shipping(s, scope, keys))

    def schedule_lines(self) -> DataLoader[int, list[Any]]:
        scope = self._context.scope("planning_schedule")
        return self.get("schedule_lines", lambda s, keys: fetch.schedule_lines(s, scope, keys))

    def buckets(self) -> DataLoader[int, list[Any]]:
        return self.get("buckets", fetch.buckets)

    def segment_items(self, shape: Hashable, where: Any) -> DataLoader[str, list[Any]]:
        scope = self._context.scope("segment")
        return self.get(
            ("segment_items", shape),
            lambda s, keys: fetch.items_of_segments(s, scope, keys, where),
        )

    def segment_item_count(self) -> DataLoader[str, int]:
        scope = self._context.scope("segment")
        return self.get("segment_item_count", lambda s, keys: fetch.item_counts(s, scope, keys))

    def segment_suppliers(self) -> DataLoader[str, list[Any]]:
        scope = self._context.scope("segment")
        return self.get(
            "segment_suppliers", lambda s, keys: fetch.suppliers_of_segments(s, scope, keys)
        )

    def supplier_items(self) -> DataLoader[str, list[Any]]:
        scope = self._context.scope("segment")
        return self.get("supplier_items", lambda s, keys: fetch.items_of_suppliers(s, scope, keys))

    def findings_by(self, column: Any, shape: Hashable, where: Any) -> DataLoader[Any, list[Any]]:
        scope = self._context.scope("finding")
        return self.get(
            ("findings_by", column.key, shape),
            lambda s, keys: fetch.findings_by(s, scope, column, keys, where),
        )

    def open_findings(self, column: Any) -> DataLoader[str, int]:
        scope = self._context.scope("finding")
        return self.get(
            ("open_findings", column.key),
            lambda s, keys: fetch.open_finding_counts(s, scope, column, keys),
        )

    def notice_findings(self) -> DataLoader[str, list[Any]]:
        scope = self._context.scope("finding")
        return self.get("notice_findings", lambda s, keys: fetch.notice_findings(s, scope, keys))

    # --- stored planning results (the newest complete run, read once per request) -----------

    def _run_id(self, session: Session) -> int | None:
        run = self._context.plan_run(session)
        return None if run is None else run.id

    def forecasts(self, scope: Any) -> DataLoader[str, Any]:
        return self.get(
            "forecasts",
            lambda s, keys: planning_fetch.forecasts(s, scope, keys, self._run_id(s)),
        )

    def buffers(self) -> DataLoader[str, list[Any]]:
        scope = self._context.scope("buffer")
        return self.get(
            "buffers", lambda s, keys: planning_fetch.buffers(s, scope, keys, self._run_id(s))
        )

    def scorecards(self, segment: str | None, months: int) -> DataLoader[str, list[Any]]:
        scope, context = self._context.scope("scorecard"), self._context

        def known(keys: Sequence[str]) -> list[Any] | None:
            run = context.known_run
            if run is None:
                return None
            return remembered.scorecards_known(context.engine, scope, keys, run, segment, months)

        return self.get(
            ("scorecards", segment, months),
            lambda s, keys: remembered.scorecards(
                s, scope, keys, context.plan_run(s), segment, months
            ),
            known,
        )

    def proposal_changes(self) -> DataLoader[int, list[Any]]:
        scope = self._context.scope("segmentation")
        return self.get(
            "proposal_changes", lambda s, keys: planning_fetch.proposal_changes(s, scope, keys)
        )

    def at_risk(self, weeks: int) -> DataLoader[str, list[Any]]:
        scope, context = self._context.scope("buffer"), self._context
        return self.get(
            ("at_risk", weeks),
            lambda s, keys: remembered.at_risk_cached(
                s, scope, keys, weeks, context.plan_run(s), context.inputs_version(s)
            ),
        )
