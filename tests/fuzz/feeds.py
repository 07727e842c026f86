"""Feed targets: CSV, XLSX and XML files through two mappings into canonical documents.

The contract (adapters/api/feeds/errors.py): a file as a whole is refused with a
``FeedError``; otherwise every row is a document line or a ``RowProblem``, and every document
survives the store's JSON round trip. Two mappings run per input: the default inventory
mapping (ISO dates, plain decimals) and a partner's ship notice mapping with a date format,
decimal commas and a unit conversion, the paths where a cell's text becomes a value.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from adapters.api.feeds import FeedError, FeedMapping, FileFormat, default_mapping, read_feed
from gateway.model import Document

_DOCUMENT: TypeAdapter[Any] = TypeAdapter(Document)
_DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
MAPPINGS = (
    default_mapping("inventory_position"),
    FeedMapping.model_validate_json((_DATA / "acme-asn-mapping.json").read_bytes()),
)


def _check(data: bytes, fmt: FileFormat) -> None:
    for mapping in MAPPINGS:
        try:
            report = read_feed(data, fmt, mapping)
        except FeedError as error:
            assert error.code and error.message
            continue
        result = report.result
        assert 0 <= result.rows_accepted <= result.rows_total
        if result.rows_accepted < result.rows_total:
            assert result.problems, "rows were left out without a problem saying why"
        for problem in result.problems:
            assert problem.reason and problem.row >= 0
        for document in result.documents:
            again = _DOCUMENT.validate_json(document.model_dump_json())
            assert again == document, "the document changed in a JSON round trip"


def check_csv(data: bytes) -> None:
    """Any bytes as a CSV file."""
    _check(data, FileFormat.CSV)


def check_xml(data: bytes) -> None:
    """Any bytes as an XML file."""
    _check(data, FileFormat.XML)


def check_xlsx(data: bytes) -> None:
    """Any bytes as the first worksheet of an otherwise valid workbook (see ``workbook``).

    Raw bytes would nearly always fail the zip's CRC checks before openpyxl saw a cell; inside
    a valid archive the mutations reach the worksheet parser and the cell conversion.
    """
    _check(workbook(data), FileFormat.XLSX)


_STRINGS = ["report_id", "as_of", "location_id", "buyer_item", "quantity_on_hand", "uom"]
_STRINGS += ["ASN No", "Ship Date", "Order", "Part Number", "Qty", "Unit", "DZ", "EA"]
_STRINGS += ["20/11/2026", "2026-11-20", "2,5", "=1+1", "#N/A", ""]
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Feed" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/sharedStrings.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{s}</t></si>" for s in _STRINGS)
        + "</sst>"
    ),
}


def workbook(sheet_xml: bytes) -> bytes:
    """A stored (uncompressed) XLSX archive whose only worksheet is ``sheet_xml``; shared
    strings 0-5 are the inventory columns, 6-11 the ship notice columns (see ``_STRINGS``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()
