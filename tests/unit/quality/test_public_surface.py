"""The package's public surface, rule codes and configuration, pinned."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import quality
from quality import RULES, ConfigError, QualityConfig, QualityError, UnknownRuleError, select_rules
from tests.unit.quality.builders import segments

PUBLIC = [
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


def test_public_names() -> None:
    assert sorted(quality.__all__) == sorted(PUBLIC)
    for name in quality.__all__:
        assert hasattr(quality, name), name


def test_rule_codes_are_stable() -> None:
    assert list(RULES) == [
        "ASN_UNKNOWN_PO", "ASN_UNKNOWN_LINE", "ASN_ITEM_NOT_ON_PO", "ASN_SUBSTITUTION",
        "ASN_UOM_MISMATCH", "ASN_OVER_SHIPMENT", "ASN_UNDER_SHIPMENT", "ASN_LATE_SHIPMENT",
        "RECEIPT_QTY_MISMATCH", "RECEIPT_REJECTED", "RECEIPT_WITHOUT_ASN", "ASN_NOT_RECEIVED",
        "INVENTORY_MISMATCH", "FORECAST_COMMIT_VARIANCE", "CAPACITY_SHORTFALL",
        "DUPLICATE_DOCUMENT", "DUPLICATE_CONTROL_NUMBER", "PO_PRICE_CHANGED", "PO_DATE_CHANGED",
        "ACK_UNKNOWN_LINE", "ACK_LINE_REJECTED", "ACK_QUANTITY_CHANGED", "ACK_PRICE_CHANGED",
        "ACK_DATE_CHANGED", "REF_UNKNOWN_ITEM", "REF_UNKNOWN_SUPPLIER", "REF_UNKNOWN_LOCATION",
        "REF_SEGMENT_NOT_SERVED", "FEED_STALE", "BATCH_VOLUME_DROP", "BATCH_NULL_SPIKE",
        "BATCH_OUT_OF_RANGE", "ACK_OVERDUE", "ACK_REJECTED", "ACK_PARTIAL",
    ]  # fmt: skip
    for rule in RULES.values():
        assert rule.title and rule.message and rule.code.isupper()


def test_select_rules_for_streaming_and_by_code() -> None:
    streaming = {r.code for r in select_rules(streaming=True)}
    assert "FEED_STALE" not in streaming and "ASN_UNKNOWN_PO" in streaming
    config = QualityConfig(disabled_rules=frozenset({"ASN_LATE_SHIPMENT"}))
    assert "ASN_LATE_SHIPMENT" not in {r.code for r in select_rules(config=config)}
    with pytest.raises(UnknownRuleError) as caught:
        select_rules(["NOPE"])
    assert caught.value.code == "QUALITY_UNKNOWN_RULE" and isinstance(caught.value, QualityError)


def test_thresholds_resolve_partner_over_segment_over_default() -> None:
    config = QualityConfig.for_segments(
        segments(),
        segments={"FAST": {"inventory_tolerance": 0.2}},
        partners={"SUP1": {"inventory_tolerance": 0.3}},
    )
    assert config.threshold("inventory_tolerance", None, None) == 0.10
    assert config.threshold("inventory_tolerance", "FAST", "SUP2") == 0.2
    assert config.threshold("inventory_tolerance", "FAST", "SUP1") == 0.3
    assert config.threshold("forecast_variance_threshold", "SPARE", None) == 0.5


def test_bad_configuration_is_refused_at_load() -> None:
    with pytest.raises(ValidationError, match="unknown thresholds"):
        QualityConfig(segments={"FAST": {"inventory_tolerence": 0.2}})
    with pytest.raises(ValidationError):
        QualityConfig(partners={"SUP1": {"inventory_tolerance": -1}})
    with pytest.raises(ConfigError) as caught:
        QualityConfig().threshold("nope", None, None)
    assert caught.value.code == "QUALITY_CONFIG"
    loaded = QualityConfig.model_validate({"severities": {"ASN_LATE_SHIPMENT": "error"}})
    assert loaded.severity("ASN_LATE_SHIPMENT", quality.Severity.WARNING) == "error"
