"""Golden cases: the public corpus (copied into golden/corpus with its PROVENANCE) and our
own cases (golden/cases) for each hierarchy, delimiter set, encoding and version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.edi import process_interchanges

from .golden_tools import GOLDEN, check_golden, mask_ack, summarize

INPUTS = sorted(
    p
    for folder in ("corpus", "cases")
    for p in (GOLDEN / folder).iterdir()
    if p.suffix in (".edi", ".txt") and ".expected" not in p.name
)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden(path: Path) -> None:
    results = process_interchanges(path.read_bytes())
    summary = json.dumps(summarize(results), indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    check_golden(path.with_name(path.name + ".expected.json"), summary)
    acks = "".join(mask_ack(r.ta1) + mask_ack(r.ack_997) for r in results)
    check_golden(path.with_name(path.name + ".expected.ack"), acks)


# What the source projects say about each corpus file (PROVENANCE.tsv "note" column):
# valid files must have every set accepted, invalid-by-design ones at least one rejection.
CORPUS_VERDICTS = {
    "aaronhuggins__850_fat.edi": True,
    "olmelabs__850.OK.edi": True,
    "olmelabs__850.SyntaxNotes.ERR.edi": False,
    "kputnam__1.edi": True,
    "kputnam__basic-po.edi": True,
    "kputnam__spec_fixtures_003010_PO850_fail_1.edi": False,
    "aaronhuggins__856.edi": True,
    "olmelabs__856.Crossdock.OK.edi": True,
    "Silvenga__old.edi": True,
    "kputnam__2.edi": False,
    "kputnam__spec_fixtures_004010_PS830_pass_1.edi": True,
    "kputnam__spec_fixtures_002001_PO830_fail_1.edi": False,
    "xlate__simple997.edi": True,
    "xlate__invalid997.edi": False,
    "xlate__invalid997_min.edi": False,
    "xlate__simple997-multiple-interchanges.edi": True,
    "kputnam__spec_fixtures_004010_FA997_pass_1.edi": True,
}


@pytest.mark.parametrize("name", sorted(CORPUS_VERDICTS))
def test_corpus_verdict_matches_source_project(name: str) -> None:
    results = process_interchanges((GOLDEN / "corpus" / name).read_bytes())
    accepted = all(
        r.accepted and all(s.accepted for s in r.sets) for r in results if not r.duplicate
    )
    assert accepted is CORPUS_VERDICTS[name]


def test_corpus_key_values() -> None:
    [po] = process_interchanges((GOLDEN / "corpus" / "olmelabs__850.OK.edi").read_bytes())
    order = po.documents[0]
    assert order.po_number == "08292233294" and len(order.lines) == 6
    assert order.lines[5].quantity == 696 and order.lines[5].vendor_item == "DX1875"
    [asn] = process_interchanges(
        (GOLDEN / "corpus" / "olmelabs__856.Crossdock.OK.edi").read_bytes()
    )
    notice = asn.documents[0]
    assert len(notice.lines) == 5 and notice.carrier == "OVNT"
    assert [line.po_number for line in notice.lines].count("POREF00") == 4
    [ps] = process_interchanges(
        (GOLDEN / "corpus" / "kputnam__spec_fixtures_004010_PS830_pass_1.edi").read_bytes()
    )
    schedule = ps.documents[0]
    assert schedule.schedule_id == "0259083902" and len(schedule.lines) == 2
    assert [b.kind.value for b in schedule.lines[0].forecasts].count("firm") == 1
    assert schedule.lines[0].cumulative_received == 24


def test_golden_copies_match_shared_corpus() -> None:
    shared = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "x12"
    if not shared.is_dir():
        pytest.skip("the shared corpus is not beside the repository")
    for original in shared.glob("*/*"):
        copy = GOLDEN / "corpus" / original.name
        assert copy.read_bytes() == original.read_bytes(), original.name
