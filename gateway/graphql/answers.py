"""Whole answers remembered for planners' repeated questions (segment health and the like).

A planner's dashboard asks the same question again and again; between two asks, nothing it
reads may have changed. An operation is answered from memory when it is a query and every
field it selects is in ``READS``: fields that read only

- master data (segments, suppliers, their links), changed by audited actions or a demo load,
- the newest complete forecast run's results (buffers, scorecards), fixed once complete,
- segment health's inputs: inventory reports, orders, receipts, overrides, audited changes.

``remembered.inputs_version`` and the run's key cover all three, so an answer is kept with
them and served while both are the same, for the same database, document, operation,
variables and caller scopes; a newer version computes and replaces it (one answer per
question, as for the at-risk rows). An answer with errors is never kept. Anything else (a
finding count, orders, partner health, a mutation) is executed every time.

On a hit the request costs one statement over primary keys instead of resolving every field:
a page of 50 items at risk with their suppliers' scorecards resolves about 560 fields.
``GATEWAY_GRAPHQL_REMEMBER_ANSWERS=false`` turns it off.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    visit,
)
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from access import Scope
from gateway.graphql import remembered
from gateway.graphql.context import Context

ALL = "*"

# type -> the fields of it an answer may read from memory (ALL: every field of the type)
READS: dict[str, frozenset[str] | str] = {
    "Query": frozenset({"segment"}),
    "Segment": frozenset({"id", "name", "description", "serviceLevelTarget", "policy", "atRisk"}),
    "PlanningPolicy": ALL,
    "SegmentHealth": frozenset({"weeks", "items", "suppliers"}),
    "AtRiskItemConnection": ALL,
    "AtRiskItemEdge": ALL,
    "PageInfo": ALL,
    "AtRiskItem": frozenset(
        {
            "itemId",
            "description",
            "locations",
            "onHand",
            "onOrder",
            "demand",
            "safetyStock",
            "reorderPoint",
            "projected",
            "shortfall",
            "stockout",
            "supplierId",
            "supplier",
        }
    ),
    "Supplier": frozenset({"id", "name", "tier", "country", "ediCapable", "segments", "scorecard"}),
    "SupplierSegment": ALL,
    "ScorecardMonth": ALL,
}

# the objects whose read scopes shape what those fields return
SCOPED = ("segment", "buffer", "scorecard")

_answers = remembered.Answers(128)
# per process, for /metrics: questions answered from memory, and computed (then remembered)
OUTCOMES = {"remembered": 0, "computed": 0}


class RememberedAnswers(SchemaExtension):
    """Serve a read-only planning query from memory while its inputs are unchanged."""

    async def on_execute(self) -> AsyncIterator[None]:
        run = self.execution_context
        context = run.context
        if not (
            isinstance(context, Context)
            and run.query is not None
            and run.graphql_document is not None
            and run.operation_type is OperationType.QUERY
            and answerable(run.schema, run.query, run.graphql_document)
        ):
            yield
            return
        question = (
            remembered.database_key(context.engine),
            run.query,
            run.operation_name,
            json.dumps(run.variables or {}, sort_keys=True, default=str),
            tuple(_scope(context, obj) for obj in SCOPED),
        )
        version = await context.run(lambda s: (context.plan_run(s), context.inputs_version(s)))
        found = _answers.get(question)
        if found is not remembered.MISSING and found[0] == version:
            OUTCOMES["remembered"] += 1
            run.result = found[1]
            yield
            return
        OUTCOMES["computed"] += 1
        yield
        result = run.result
        if isinstance(result, ExecutionResult) and not result.errors and result.data is not None:
            _answers.put(question, (version, result))


def _scope(context: Context, obj: str) -> Scope | str:
    decided = context.decide(obj, "read")
    return decided if isinstance(decided, Scope) else "forbidden"


_verdicts = remembered.Answers(256)


def answerable(schema: Any, query: str, document: DocumentNode) -> bool:
    """The document reads data, and every field it selects is in ``READS`` (fragments
    included); decided once per query text."""
    verdict = _verdicts.get((id(schema), query))
    if verdict is remembered.MISSING:
        type_info = TypeInfo(schema._schema)  # the graphql-core schema strawberry built
        fields = _Fields(type_info)
        visit(document, TypeInfoVisitor(type_info, fields))
        verdict = fields.all_known and fields.reads_data
        _verdicts.put((id(schema), query), verdict)
    return bool(verdict)


class _Fields(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.all_known = True
        self.reads_data = False  # only __typename: nothing to remember, nothing to check

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        name = node.name.value
        if name == "__typename":
            return
        self.reads_data = True
        parent = self.type_info.get_parent_type()
        allowed = READS.get(get_named_type(parent).name) if parent is not None else None
        if allowed is None or (allowed != ALL and name not in allowed):
            self.all_known = False
