"""Acknowledgments: every interchange we send expects a 997 in time, and a clean one.

AK901 (X12 code list 715) says how a group fared: A accepted, E accepted with errors noted,
P partially accepted (some sets rejected), R (and M, W, X) rejected. Integration platforms
track each outbound interchange as waiting, accepted, accepted with errors, rejected or
overdue (IBM B2B Integrator, MuleSoft; OpenText alerts on overdue acks after a window).
"""

from __future__ import annotations

import pandas as pd

from quality.findings import Severity, Subject
from quality.rules.base import Rule, RuleContext, coalesce

__all__ = ["ACK_RULES", "RULES", "interchange_subject"]

_WAITING, _REJECTED = "waiting", "rejected"
_PARTIAL = {"partially_accepted": "P", "accepted_with_errors": "E"}
_VALUES = ("partner_id", "document_type", "control_number", "delivery_id", "delivered_at")


def interchange_subject(partner_id: str, control_number: str) -> Subject:
    """What an acknowledgment finding is about: the partner and our ISA13 (as ``_hits``)."""
    return Subject("interchange", f"{partner_id}/{control_number}")


def _hits(ctx: RuleContext, sent: pd.DataFrame, **extra: pd.Series | str) -> pd.DataFrame:
    """The hit frame for interchanges: the subject is partner/ISA13, one finding each."""
    number = coalesce(sent["control_number"], sent["delivery_id"])
    return pd.DataFrame({
        "doc_type": "interchange", "doc_key": sent["partner_id"] + "/" + number, "line": None,
        "segment_id": None, "supplier_id": ctx.as_supplier(sent["partner_id"]),
        "partner_id": sent["partner_id"], "document_type": sent["document_type"],
        "control_number": number, "delivery_id": sent["delivery_id"],
        "delivered_at": coalesce(sent["delivered_at"].dt.strftime("%Y-%m-%d %H:%M"), "-"),
        **extra,
    })  # fmt: skip


def overdue(ctx: RuleContext) -> pd.DataFrame:
    sent = ctx.frames.interchanges
    waiting = sent[(sent["ack_status"] == _WAITING) & sent["ack_due_at"].notna()]
    grace_h = ctx.config.threshold_column(
        "ack_grace_hours", pd.Series(None, index=waiting.index, dtype="object"),
        ctx.as_supplier(waiting["partner_id"]),
    )  # fmt: skip
    late_h = (ctx.now_utc - waiting["ack_due_at"]).dt.total_seconds() / 3600
    bad = waiting[late_h > grace_h]
    return _hits(
        ctx, bad,
        due_at=bad["ack_due_at"].dt.strftime("%Y-%m-%d %H:%M"),
        hours_overdue=late_h[bad.index].round(1),
    )  # fmt: skip


def rejected(ctx: RuleContext) -> pd.DataFrame:
    sent = ctx.frames.interchanges
    return _hits(ctx, sent[sent["ack_status"] == _REJECTED])


def partial(ctx: RuleContext) -> pd.DataFrame:
    sent = ctx.frames.interchanges
    bad = sent[sent["ack_status"].isin(_PARTIAL)]
    return _hits(ctx, bad, ack_status=bad["ack_status"], ak901=bad["ack_status"].map(_PARTIAL))


RULES = (
    Rule("ACK_OVERDUE", Severity.ERROR, "An interchange we sent has no 997 within its window.",
         "No 997 from {partner_id} for interchange {control_number} ({document_type}) "
         "delivered {delivered_at}: due {due_at}, {hours_overdue} h overdue", overdue,
         (*_VALUES, "due_at", "hours_overdue"), ("ack_grace_hours",), scope="feed"),
    Rule("ACK_REJECTED", Severity.ERROR, "A partner's 997 rejected an interchange we sent.",
         "{partner_id} rejected interchange {control_number} ({document_type}) delivered "
         "{delivered_at} (997 AK9 R): fix and send it again", rejected, _VALUES, scope="feed"),
    Rule("ACK_PARTIAL", Severity.WARNING,
         "A partner's 997 accepted an interchange we sent only in part, or noted errors.",
         "{partner_id} answered interchange {control_number} ({document_type}) delivered "
         "{delivered_at} with AK9 {ak901} ({ack_status})", partial,
         (*_VALUES, "ack_status", "ak901"), scope="feed"),
)  # fmt: skip

ACK_RULES = tuple(rule.code for rule in RULES)
"""The codes of the acknowledgment rules (the worker's scheduled check runs only these)."""
