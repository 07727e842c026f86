"""Golden files for the X12 adapter: expected results as JSON and acks with volatile fields
masked. Regenerate on purpose with ``EDI_REGENERATE_GOLDEN=1 pytest tests/unit/edi``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from adapters.edi import InterchangeResult, iter_segments

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("EDI_REGENERATE_GOLDEN") == "1"

# (segment id, element positions) that change with the clock or the control number allocator
_MASKED = {
    "ISA": (9, 10, 13),
    "GS": (4, 5, 6),
    "GE": (2,),
    "IEA": (2,),
    "ST": (2,),
    "SE": (2,),
    "TA1": (),
}


def mask_ack(text: str) -> str:
    """An acknowledgment with dates, times and our control numbers masked, one segment a line."""
    if not text:
        return ""
    lines = []
    for seg in iter_segments(text):
        fields = list(seg.fields)
        for pos in _MASKED.get(fields[0], ()):
            if pos < len(fields):
                fields[pos] = "#" * len(fields[pos])
        lines.append("*".join(fields))
    return "\n".join(lines) + "\n"


def summarize(results: list[InterchangeResult]) -> list[dict[str, Any]]:
    """What a golden case pins: verdicts, error codes with locations, canonical documents."""
    out = []
    for r in results:
        out.append(
            {
                "interchange": r.control_number,
                "sender": r.sender_id,
                "accepted": r.accepted,
                "duplicate": r.duplicate,
                "errors": [_error(e) for e in r.errors],
                "sets": [
                    {
                        "set": s.set_id,
                        "control_number": s.control_number,
                        "accepted": s.accepted,
                        "errors": [_error(e) for e in s.errors],
                        "document": json.loads(s.document.model_dump_json(exclude_none=True))
                        if s.document is not None
                        else None,
                        "unmapped": [u.id for u in s.unmapped],
                        "details": s.details,
                    }
                    for s in r.sets
                ],
            }
        )
    return out


def _error(error: Any) -> str:
    loc = error.location
    where = ""
    if loc.segment_id is not None:
        where = f" {loc.segment_id}#{loc.segment_position}"
        if loc.element_position is not None:
            where += f".{loc.element_position}"
            if loc.component_position is not None:
                where += f"-{loc.component_position}"
    return f"{error.kind} {error.code}{where}"


def check_golden(path: Path, content: str) -> None:
    """Compare with the golden file, or write it when regenerating on purpose."""
    if REGENERATE or not path.exists():
        if not REGENERATE:
            raise AssertionError(f"missing golden file {path}; run with EDI_REGENERATE_GOLDEN=1")
        path.write_text(content, encoding="utf-8")
        return
    assert path.read_text(encoding="utf-8") == content, f"golden mismatch: {path.name}"
