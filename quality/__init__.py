"""Data-quality rules over canonical documents and the findings they produce.

Pure: frames in, findings out; the lifecycle, reconciliation and escalation are functions
of their inputs and an injected ``now``. Storage, REST and the CLI live in ``gateway``.
"""

from quality.config import DEFAULT_CADENCE_DAYS, QualityConfig, Thresholds
from quality.engine import check_documents, findings_about, run_rules, select_rules
from quality.errors import ConfigError, QualityError, TransitionError, UnknownRuleError
from quality.findings import (
    Finding,
    FindingState,
    Severity,
    Subject,
    TrackedFinding,
    fingerprint_of,
)
from quality.frames import (
    DocumentFrames,
    MasterFrames,
    SentInterchange,
    build_frames,
    master_frames,
)
from quality.lifecycle import (
    SYSTEM_ACTOR,
    AuditEvent,
    Transition,
    acknowledge,
    apply_action,
    expire_waivers,
    reopen,
    resolve,
    waive,
)
from quality.reconcile import AUTO_RESOLVE_NOTE, Reconciliation, apply_reconciliation, reconcile
from quality.records import from_record, to_record
from quality.routing import (
    Escalation,
    EscalationPath,
    OwnerRule,
    RoutingPolicy,
    due_escalations,
)
from quality.rules import ACK_RULES, RULES, Rule
from quality.streaming import Related, related_keys, streaming_scope

__all__ = [
    "ACK_RULES",
    "AUTO_RESOLVE_NOTE",
    "DEFAULT_CADENCE_DAYS",
    "RULES",
    "SYSTEM_ACTOR",
    "AuditEvent",
    "ConfigError",
    "DocumentFrames",
    "Escalation",
    "EscalationPath",
    "Finding",
    "FindingState",
    "MasterFrames",
    "OwnerRule",
    "QualityConfig",
    "QualityError",
    "Reconciliation",
    "Related",
    "RoutingPolicy",
    "Rule",
    "SentInterchange",
    "Severity",
    "Subject",
    "Thresholds",
    "TrackedFinding",
    "Transition",
    "TransitionError",
    "UnknownRuleError",
    "acknowledge",
    "apply_action",
    "apply_reconciliation",
    "build_frames",
    "check_documents",
    "due_escalations",
    "expire_waivers",
    "findings_about",
    "fingerprint_of",
    "from_record",
    "master_frames",
    "reconcile",
    "related_keys",
    "reopen",
    "resolve",
    "run_rules",
    "select_rules",
    "streaming_scope",
    "to_record",
    "waive",
]
