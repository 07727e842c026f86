"""The rule registry: every rule by its stable code."""

from __future__ import annotations

from quality.rules import (
    anomalies,
    collaboration,
    documents,
    freshness,
    integrity,
    receipts,
    shipments,
)
from quality.rules.base import Rule, RuleContext

__all__ = ["RULES", "Rule", "RuleContext"]

RULES: dict[str, Rule] = {
    rule.code: rule
    for module in (
        shipments,
        receipts,
        collaboration,
        documents,
        integrity,
        freshness,
        anomalies,
    )
    for rule in module.RULES
}
"""Every rule, by code, in the order they run."""
