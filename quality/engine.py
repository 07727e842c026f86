"""Run the rules: over a whole store (batch) or over one new document and its relations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence

from pydantic import BaseModel

from quality.config import QualityConfig
from quality.errors import UnknownRuleError
from quality.findings import Finding
from quality.frames import (
    DocumentFrames,
    MasterFrames,
    SentInterchange,
    build_frames,
    document_key,
)
from quality.rules import RULES, Rule, RuleContext
from quality.rules.base import findings_from_hits

__all__ = ["check_documents", "findings_about", "run_rules", "select_rules"]


def select_rules(
    codes: Iterable[str] | None = None,
    *,
    streaming: bool = False,
    config: QualityConfig | None = None,
) -> list[Rule]:
    """The rules to run: by code (all when None), minus disabled ones; ``streaming`` keeps
    only document-scoped rules (freshness and batch anomalies judge whole feeds)."""
    wanted = list(RULES) if codes is None else list(codes)
    unknown = [code for code in wanted if code not in RULES]
    if unknown:
        raise UnknownRuleError(f"no such rule: {', '.join(unknown)}")
    disabled = config.disabled_rules if config else frozenset()
    rules = [RULES[code] for code in wanted if code not in disabled]
    return [rule for rule in rules if not streaming or rule.scope == "document"]


def run_rules(
    frames: DocumentFrames,
    master: MasterFrames,
    config: QualityConfig,
    now: dt.datetime,
    rules: Sequence[Rule] | None = None,
) -> list[Finding]:
    """Every finding the rules see in these frames, as of ``now`` (naive UTC or aware)."""
    context = RuleContext(frames, master, config, now)
    findings: list[Finding] = []
    for rule in rules if rules is not None else select_rules(config=config):
        if not rule.applies_to(frames):
            continue
        hits = rule.check(context)
        findings.extend(findings_from_hits(rule, hits, config))
    return findings


def check_documents(
    documents: Sequence[BaseModel],
    master: MasterFrames,
    config: QualityConfig,
    now: dt.datetime,
    *,
    streaming: bool = False,
    interchanges: Sequence[SentInterchange] = (),
) -> list[Finding]:
    """Build the frames for ``documents`` (in arrival order) and the ``interchanges`` we sent
    (for the acknowledgment rules), and run the rules on them."""
    frames = build_frames(documents, interchanges)
    return run_rules(frames, master, config, now, select_rules(streaming=streaming, config=config))


def findings_about(findings: Iterable[Finding], documents: Collection[BaseModel]) -> list[Finding]:
    """The findings whose subject is one of ``documents`` (the streaming case: the new ones).

    A finding about a PO line raised because of a new ship notice names the PO, so callers
    that want those too should pass the related PO as well.
    """
    keys = {(str(getattr(d, "type", "")), document_key(d)) for d in documents}
    keys |= {("commit", key) for kind, key in keys if kind.endswith("_commit")}
    return [f for f in findings if (f.subject.doc_type, f.subject.key) in keys]
