"""The `gateway edi` contract: output streams and exit codes (0 / 1 / 2), no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from gateway.cli_edi import edi_app

from .golden_tools import GOLDEN
from .x12_text import PO_BODY, interchange, po

runner = CliRunner()
CASES = GOLDEN / "cases"
CORPUS = GOLDEN / "corpus"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(edi_app, list(args))


def test_parse_prints_one_json_document_per_accepted_set() -> None:
    result = run("parse", str(CASES / "mixed_850_856_830.edi"))
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["type"] for d in docs] == ["purchase_order", "ship_notice", "planning_schedule"]
    assert docs[0]["envelope"]["interchange_control_number"] == "000000021"
    assert result.stderr == ""


def test_parse_exit_1_with_located_errors_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.edi"
    bad.write_text(interchange([("850", PO_BODY), ("850", po(BEG=["BEG", "00", "SA"]))]))
    result = run("parse", str(bad))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert "segment BEG #2" in result.stderr and "ST02=0002" in result.stderr


def test_parse_exit_2_for_unreadable_or_not_x12(tmp_path: Path) -> None:
    junk = tmp_path / "junk.edi"
    junk.write_bytes(b"\x00\xffnot x12 at all")
    missing = tmp_path / "missing.edi"
    for path in (junk, missing):
        result = run("parse", str(path))
        assert result.exit_code == 2
        assert "Traceback" not in result.output and str(path) in result.stderr
    both = run("parse", str(missing), str(CASES / "856_soi.edi"))
    assert both.exit_code == 2 and '"ship_notice"' in both.stdout


def test_ack_prints_997_and_ta1() -> None:
    result = run("ack", str(CASES / "850_ack_requested.edi"), "--control-number", "77")
    assert result.exit_code == 0
    assert "TA1*000000001*260301*1015*A*000~" in result.stdout
    assert "AK9*A*1*1*1~" in result.stdout and "*000000077*" in result.stdout


def test_validate_reports_every_error() -> None:
    result = run("validate", str(CORPUS / "olmelabs__850.SyntaxNotes.ERR.edi"))
    assert result.exit_code == 1
    assert result.stdout.count("element 2: conditional required") == 2
    assert "rejected" in result.stdout


def test_render_round_trips_through_parse(tmp_path: Path) -> None:
    parsed = run("parse", str(CASES / "830_firm_planning.edi"))
    source = tmp_path / "doc.json"
    source.write_text(parsed.stdout)
    for version in ("004010", "005010"):
        rendered = run("render", str(source), "--version", version, "--control-number", "5")
        assert rendered.exit_code == 0, rendered.output
        assert f"*{version}~" in rendered.stdout
        again = tmp_path / f"again-{version}.edi"
        again.write_text(rendered.stdout)
        reparsed = run("parse", str(again))
        assert reparsed.exit_code == 0
        first, second = json.loads(parsed.stdout), json.loads(reparsed.stdout)
        assert first["lines"] == second["lines"]


def test_render_rejects_bad_json_and_versions(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "purchase_order"}')
    assert run("render", str(bad)).exit_code == 1
    assert run("render", str(bad), "--version", "003010").exit_code == 2
    assert run("render", str(tmp_path / "nope.json")).exit_code == 2
