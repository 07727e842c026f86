"""XML feeds through a hardened lxml parser: no DTD, no entities, no network, no huge trees.

A row is an element (the root's children, or every element named by the mapping's
``xml_row``); its attributes and its leaf children are the columns, by local name. Its number
is the line it starts on.
"""

from __future__ import annotations

import re

from lxml import etree

from adapters.api.feeds.errors import UnreadableFile, UnsafeFile
from adapters.api.feeds.source import Cell, Limits, SourceRow, Table

# "<!DOCTYPE" in UTF-8/ASCII, UTF-16 LE and UTF-16 BE: refused before libxml2 parses anything.
_DOCTYPES = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_DOCTYPE = re.compile(b"|".join(re.escape(d) for d in _DOCTYPES), re.IGNORECASE)


def hardened_parser() -> etree.XMLParser:
    """A parser that loads no DTD, resolves no entity, opens no URL and caps tree depth/size."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,  # keeps libxml2's limits on depth and text node size
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def read_xml(data: bytes, limits: Limits, row_tag: str | None = None) -> Table:
    """Read an XML feed; any DOCTYPE is refused (entities are how XXE and bombs get in)."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    if _DOCTYPE.search(data):
        raise UnsafeFile("the XML declares a DOCTYPE; DTDs and entities are not accepted")
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as error:
        raise UnreadableFile(f"not well-formed XML: {error}") from None
    if root is None:
        raise UnreadableFile("the file holds no XML element")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # belt and braces after the scan
        raise UnsafeFile("the XML declares a DOCTYPE; DTDs and entities are not accepted")
    elements = [e for e in (root.iter(f"{{*}}{row_tag}") if row_tag else root) if _is_element(e)]
    if row_tag and not elements:
        raise UnreadableFile(f"no <{row_tag}> element in the file")
    if len(elements) > limits.max_rows:
        raise UnreadableFile(f"more than {limits.max_rows} rows")
    rows = [_row(element) for element in elements]
    columns = list(dict.fromkeys(name for row in rows for name in row.values))
    info = {"format": "xml", "root": etree.QName(root).localname, "encoding": docinfo.encoding}
    return Table(columns, iter(rows), info)


def _is_element(node: etree._Element) -> bool:
    return isinstance(node.tag, str)  # comments and processing instructions have no str tag


def _row(element: etree._Element) -> SourceRow:
    values: dict[str, Cell] = {}
    for name, value in element.attrib.items():
        values[etree.QName(name).localname] = str(value).strip() or None
    error = None
    for child in element:
        if not _is_element(child):
            continue
        name = etree.QName(child).localname
        if len(child):
            error = f"<{name}> has child elements; a column holds text only"
            continue
        values[name] = (child.text or "").strip() or None
    return SourceRow(element.sourceline or 0, values, error)
