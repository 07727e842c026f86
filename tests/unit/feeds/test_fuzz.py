"""Whatever the bytes, a reader answers with rows or a FeedError: never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.api.feeds import FeedError, FileFormat, default_mapping, read_feed
from gateway.drop_folder import _errors_csv

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


def test_the_error_report_keeps_formulas_inert() -> None:
    text = _errors_csv([{"row": 2, "column": '=HYPERLINK("http://x")', "reason": "-1 is bad"}])
    assert "'=HYPERLINK" in text and "'-1 is bad" in text
