"""XML: hardened against XXE, entity bombs and DTDs; rows from elements, numbered by line."""

from __future__ import annotations

import pytest
from lxml import etree

from adapters.api.feeds import FileFormat, Limits, UnreadableFile, UnsafeFile, read_feed
from adapters.api.feeds.mapping import FeedMapping
from adapters.api.feeds.xml_reader import hardened_parser, read_xml

XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    b"<r><row><report_id>&x;</report_id></row></r>"
)
NETWORK = (
    b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">'
    b"<r><row><a>1</a></row></r>"
)


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]>'
        "<lolz><row><a>&lol9;</a></row></lolz>"
    ).encode()


@pytest.mark.parametrize(
    "data",
    [XXE, NETWORK, _billion_laughs(), XXE.decode().encode("utf-16")],
    ids=["xxe", "external-dtd", "billion-laughs", "utf-16-xxe"],
)
def test_any_doctype_is_refused_before_parsing(data: bytes) -> None:
    with pytest.raises(UnsafeFile, match="DOCTYPE"):
        read_xml(data, Limits())


def test_the_parser_alone_neither_expands_nor_fetches() -> None:
    # Defence in depth: even past the DOCTYPE check, entities stay unresolved.
    root = etree.fromstring(XXE, hardened_parser())
    assert b"root:" not in etree.tostring(root)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(_billion_laughs(), hardened_parser())


def test_malformed_xml_says_where() -> None:
    with pytest.raises(UnreadableFile, match="line 2"):
        read_xml(b"<r>\n<row><a>1</b></row></r>", Limits())


def test_rows_are_the_roots_children_with_attributes_and_leaves() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<stock xmlns="urn:acme">
  <!-- a comment is not a row -->
  <item report_id="R1" as_of="2026-11-20">
    <location_id>DC1</location_id><buyer_item>A</buyer_item>
    <quantity_on_hand>4.5</quantity_on_hand><uom>ea</uom>
  </item>
  <item report_id="R1" as_of="2026-11-20">
    <location_id>DC1</location_id><buyer_item>B</buyer_item>
    <quantity_on_hand>-</quantity_on_hand><uom>EA</uom>
  </item>
</stock>"""
    mapping = FeedMapping(document_type="inventory_position")
    report = read_feed(data, FileFormat.XML, mapping)
    (document,) = report.result.documents
    assert [line.buyer_item for line in document.lines] == ["A"]  # type: ignore[attr-defined]
    assert [(p.row, p.column) for p in report.result.problems] == [(8, "quantity_on_hand")]
    assert report.info["root"] == "stock"


def test_a_named_row_element_is_found_at_any_depth() -> None:
    data = b'<feed xmlns="urn:x"><lines><line><a>1</a></line><line a="2"/></lines></feed>'
    table = read_xml(data, Limits(), row_tag="line")
    assert [r.values for r in table.rows] == [{"a": "1"}, {"a": "2"}]  # any namespace
    with pytest.raises(UnreadableFile, match="no <row>"):
        read_xml(data, Limits(), row_tag="row")


def test_nested_elements_in_a_row_are_reported() -> None:
    (row,) = read_xml(b"<r><row><a><b>1</b></a></row></r>", Limits()).rows
    assert row.error == "<a> has child elements; a column holds text only"
