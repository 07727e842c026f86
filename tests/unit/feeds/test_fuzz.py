"""Whatever the bytes, a reader answers with rows or a FeedError: never another exception."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from adapters.api.feeds import FeedError, FileFormat, default_mapping, read_feed
from gateway.drop_folder import _errors_csv
from tests.fuzz.feeds import check_csv, check_xlsx, check_xml

MAPPING = default_mapping("inventory_position")
HEADER = b"report_id,as_of,location_id,buyer_item,quantity_on_hand,uom\n"
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes, fmt: FileFormat) -> None:
    try:
        result = read_feed(data, fmt, MAPPING).result
    except FeedError:
        return
    assert result.rows_accepted <= result.rows_total


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_as_csv(data: bytes) -> None:
    _read(data, FileFormat.CSV)


@FAST
@given(st.text(alphabet=st.sampled_from(list(',;"\n\r\t|-.0123456789aEZé ')), max_size=300))
def test_any_rows_under_a_good_header(rows: str) -> None:
    _read(HEADER + rows.encode(), FileFormat.CSV)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_as_xml_or_xlsx(data: bytes) -> None:
    _read(data, FileFormat.XML)
    _read(b"PK\x03\x04" + data, FileFormat.XLSX)


# Structured inputs: well-formed files with hostile cells, so that the cases reach the cell
# conversion (dates, decimal commas, unit conversion) instead of stopping at the parser. The
# contract is the atheris targets' (tests/fuzz/feeds.py), run with both of their mappings.
CELLS = st.sampled_from(
    ["", "EA", "DZ", "dz", "2026-11-20", "20/11/2026", "31/02/2026", "1.000,5", "2,5", "-0",
     "9E999999", "1E-999999", "NaN", "Infinity", "=1+1", "@SUM(A1)", "\u00e9", "x" * 300, " "]
) | st.text(max_size=12)  # fmt: skip
ASN_HEADER = ["ASN No", "Ship Date", "Order", "Part Number", "Qty", "Unit"]
INVENTORY_HEADER = ["report_id", "as_of", "location_id", "buyer_item", "quantity_on_hand", "uom"]
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=8), min_size=0, max_size=6)


@FAST
@given(st.sampled_from([ASN_HEADER, INVENTORY_HEADER]), ROWS, st.sampled_from([",", ";", "\t"]))
def test_hostile_cells_in_a_well_formed_csv(
    header: list[str], rows: list[list[str]], sep: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep).writerows([header, *rows])
    check_csv(buffer.getvalue().encode("utf-8"))


@FAST
@given(st.sampled_from([ASN_HEADER, INVENTORY_HEADER]), ROWS)
def test_hostile_cells_in_a_well_formed_xml(header: list[str], rows: list[list[str]]) -> None:
    root = etree.Element("feed")
    for values in rows:
        row = etree.SubElement(root, "row")
        for name, value in zip(header, values, strict=False):
            text = "".join(c for c in value if c.isprintable())
            etree.SubElement(row, name.replace(" ", "_")).text = text
    check_xml(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


XLSX_CELLS = st.sampled_from(
    ["<v>46346</v>", "<v>-1E308</v>", "<v>1.5</v>", "<v>0</v>"]
) | st.builds(lambda i: f"<v>{i}</v>", st.integers(-1, 25))
XLSX_TYPES = st.sampled_from(["", ' t="s"', ' t="n"', ' t="b"', ' t="e"', ' t="str"', ' t="d"'])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(XLSX_TYPES, XLSX_CELLS), max_size=7), max_size=5))
def test_hostile_cells_in_a_well_formed_xlsx(rows: list[list[tuple[str, str]]]) -> None:
    header = "".join(f'<c r="{c}1" t="s"><v>{6 + i}</v></c>' for i, c in enumerate("ABCDEF"))
    body = [f'<row r="1">{header}</row>']
    for number, cells in enumerate(rows, start=2):
        body.append(
            f'<row r="{number}">'
            + "".join(
                f'<c r="{"ABCDEFG"[i]}{number}"{kind}>{value}</c>'
                for i, (kind, value) in enumerate(cells)
            )
            + "</row>"
        )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )
    check_xlsx(sheet.encode())


def test_the_error_report_keeps_formulas_inert() -> None:
    text = _errors_csv([{"row": 2, "column": '=HYPERLINK("http://x")', "reason": "-1 is bad"}])
    assert "'=HYPERLINK" in text and "'-1 is bad" in text
