"""Partner overlays: rules one partner adds to a guide, without copying the guide.

An overlay requires or forbids a segment in a transaction set, optionally only with a given
qualifier value (a partner that requires REF*IA: ``SegmentRule("REF", 1, "IA")``). Broken
rules are reported with the 997 codes a guide violation would get: AK3 3 (mandatory segment
missing) and AK3 2 (unexpected segment). Overlays load from a small XML file::

    <overlay partner="ACME" transaction="850">
      <require segment="REF" element="1" value="IA"/>
      <forbid segment="PKG"/>
    </overlay>
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from adapters.edi.errors import Location, SegmentError
from adapters.edi.lexer import Segment

__all__ = ["Overlay", "SegmentRule", "apply_overlays", "load_overlay"]


@dataclass(frozen=True, slots=True)
class SegmentRule:
    segment_id: str
    element: int | None = None  # position of the qualifier element, e.g. 1 for REF01
    value: str | None = None

    def matches(self, seg: Segment) -> bool:
        if seg.fields[0] != self.segment_id:
            return False
        return self.element is None or seg.get(self.element) == self.value

    def describe(self) -> str:
        if self.element is None:
            return self.segment_id
        return f"{self.segment_id}{self.element:02d}={self.value}"


@dataclass(frozen=True, slots=True)
class Overlay:
    transaction_set: str  # ST01, e.g. "850"
    require: tuple[SegmentRule, ...] = ()
    forbid: tuple[SegmentRule, ...] = ()
    partner: str = ""


def load_overlay(source: str | bytes | Path) -> Overlay:
    """Read an overlay from its XML (a path, or the XML text)."""
    if isinstance(source, Path):
        root = etree.parse(str(source)).getroot()
    else:
        root = etree.fromstring(source.encode() if isinstance(source, str) else source)

    def rules(tag: str) -> tuple[SegmentRule, ...]:
        found = []
        for node in root.iter(tag):
            element = node.get("element")
            found.append(
                SegmentRule(
                    node.get("segment", ""), int(element) if element else None, node.get("value")
                )
            )
        return tuple(found)

    return Overlay(
        root.get("transaction", ""), rules("require"), rules("forbid"), root.get("partner", "")
    )


def apply_overlays(
    overlays: Sequence[Overlay], set_id: str, segments: Sequence[Segment], base: Location
) -> list[SegmentError]:
    """Errors of ``segments`` (ST..SE of one set) against the overlays for ``set_id``."""
    errors: list[SegmentError] = []
    for overlay in overlays:
        if overlay.transaction_set != set_id:
            continue
        for rule in overlay.forbid:
            for position, seg in enumerate(segments, 1):
                if rule.matches(seg):
                    errors.append(
                        SegmentError(
                            "2",
                            f"segment {rule.describe()} is forbidden by the partner overlay",
                            _at(base, position, seg.fields[0]),
                        )
                    )
        for rule in overlay.require:
            if not any(rule.matches(seg) for seg in segments):
                errors.append(
                    SegmentError(
                        "3",
                        f"segment {rule.describe()} is required by the partner overlay",
                        _at(base, len(segments), rule.segment_id),
                    )
                )
    return errors


def _at(base: Location, position: int, segment_id: str) -> Location:
    return Location(
        base.interchange_control_number,
        base.group_control_number,
        base.transaction_set_control_number,
        position,
        segment_id,
    )
