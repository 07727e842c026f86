"""Write the starting seeds of ``corpus/<target>/``: ``python -m tests.fuzz.seeds``.

Seeds are small valid inputs for each target, so that the fuzzer starts from deep inside the
format. The X12 set bodies are cut from the golden cases and the public corpus in
``tests/unit/edi/golden/`` (``corpus/PROVENANCE.tsv`` there names each file's origin); the
whole files are read from there directly by the runner, not copied.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.fuzz.targets import CORPUS
from tests.fuzz.x12 import unwrap_sets

_TESTS = Path(__file__).resolve().parents[1]
_GOLDEN = _TESTS / "unit" / "edi" / "golden"

INVENTORY_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<inventory>
  <row report_id="INV-1"><as_of>2026-11-20</as_of><location_id>DC1</location_id>
    <buyer_item>ITM-1</buyer_item><quantity_on_hand>120</quantity_on_hand><uom>EA</uom></row>
  <row report_id="INV-1"><as_of>2026-11-20</as_of><location_id>DC1</location_id>
    <buyer_item>ITM-2</buyer_item><quantity_on_hand>1,250.5</quantity_on_hand><uom>EA</uom></row>
</inventory>
"""
ASN_XML = """<?xml version="1.0" encoding="ISO-8859-1"?>
<asn xmlns="urn:acme:asn"><line><ASN_No>A1</ASN_No><Ship_Date>20/11/2026</Ship_Date>
<Order>PO-1</Order><Part_Number>I-1</Part_Number><Qty>2,5</Qty><Unit>DZ</Unit></line>
<line><ASN_No>A1</ASN_No><Ship_Date>20/11/2026</Ship_Date><Order>PO-1</Order>
<Part_Number>I-2</Part_Number><Qty>1E999999</Qty><Unit>EA</Unit></line></asn>
""".encode("latin-1")


def _row(number: int, cells: list[str]) -> str:
    return f'<row r="{number}">' + "".join(cells) + "</row>"


def _sheet(*rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>" + "".join(rows) + "</sheetData></worksheet>"
    ).encode()


def _shared(column: str, index: int) -> str:
    return f'<c r="{column}" t="s"><v>{index}</v></c>'


INVENTORY_SHEET = _sheet(
    _row(1, [_shared(f"{c}1", i) for i, c in enumerate("ABCDEF")]),
    _row(
        2,
        [
            '<c r="A2" t="inlineStr"><is><t>INV-1</t></is></c>',
            '<c r="B2" s="0"><v>46346</v></c>',
            '<c r="C2" t="str"><v>DC1</v></c>',
            '<c r="D2"><v>12345</v></c>',
            '<c r="E2"><v>-3.5</v></c>',
            _shared("F2", 13),
        ],
    ),
    _row(3, ['<c r="A3" t="e"><v>#N/A</v></c>', '<c r="E3"><f>1+1</f><v>2</v></c>']),
)
ASN_SHEET = _sheet(
    _row(1, [_shared(f"{c}1", 6 + i) for i, c in enumerate("ABCDEF")]),
    _row(
        2,
        [
            '<c r="A2" t="inlineStr"><is><t>A1</t></is></c>',
            _shared("B2", 14),
            '<c r="C2" t="inlineStr"><is><t>PO-1</t></is></c>',
            '<c r="D2" t="b"><v>1</v></c>',
            _shared("E2", 16),
            _shared("F2", 12),
        ],
    ),
)


def write_seeds() -> None:
    """(Re)write every generated seed; files already there are kept."""
    bodies: dict[str, list[bytes]] = {}
    for folder in (_GOLDEN / "cases", _GOLDEN / "corpus"):
        for path in sorted(folder.glob("*")):
            if path.suffix in (".edi", ".txt"):
                for set_id, found in unwrap_sets(path.read_bytes()).items():
                    bodies.setdefault(set_id, []).extend(found)
    for set_id, found in bodies.items():
        for body in found:
            _save(f"x12_{set_id}", body)
    for path in sorted((_TESTS / "data" / "feeds").glob("*.csv")):
        _save("csv", path.read_bytes(), f"seed-{path.name}")
    _save("xml", INVENTORY_XML, "seed-inventory.xml")
    _save("xml", ASN_XML, "seed-asn.xml")
    _save("xlsx", INVENTORY_SHEET, "seed-inventory-sheet.xml")
    _save("xlsx", ASN_SHEET, "seed-asn-sheet.xml")
    for path in sorted((_TESTS / "data" / "canonical").glob("*.json")):
        _save("json_document", path.read_bytes(), f"seed-{path.name}")
        _save("json_api", path.read_bytes(), f"seed-{path.name}")


def _save(target: str, data: bytes, name: str | None = None) -> None:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"seed-{hashlib.sha1(data).hexdigest()[:12]}")
    if not path.exists():
        path.write_bytes(data)


if __name__ == "__main__":
    write_seeds()
