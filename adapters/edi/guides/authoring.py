"""Write the implementation guides as pyx12 map XML: ``python -m adapters.edi.guides.authoring``.

The guides are data (the XML files beside this module, read at runtime by
``adapters/edi/guide.py``); this script is how they were authored, from the dictionaries in
``dictionary.py`` (segments) and ``element_dictionary.py`` (data elements, code lists) and the
transaction set structures in ``structures.py``. A unit test checks that the committed XML
equals what this script writes, so the two cannot drift.

The XML follows pyx12's map format (``map.xsd``): ISA_LOOP > GS_LOOP > ST_LOOP, loops with
usage/pos/repeat, segments with usage/pos/max_use/syntax, elements with data_ele/usage/seq and
valid_codes, composites with their component elements. ``dataele.xml`` gives types/lengths.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

from adapters.edi.guides.dictionary import SEGMENTS, Comp, Elem, SegDef
from adapters.edi.guides.element_dictionary import CODE_LISTS, DATA_ELEMENTS
from adapters.edi.guides.structures import ADDED_IN_5010, GUIDES, GuideSpec, L, S

__all__ = ["GUIDES", "GUIDE_DIR", "render_all", "write_all"]

GUIDE_DIR = Path(__file__).resolve().parent

_ENVELOPE_ELEMENTS: dict[str, tuple[str, int, int, str]] = {
    "I01": ("ID", 2, 2, "Authorization Information Qualifier"),
    "I02": ("AN", 10, 10, "Authorization Information"),
    "I03": ("ID", 2, 2, "Security Information Qualifier"),
    "I04": ("AN", 10, 10, "Security Information"),
    "I05": ("ID", 2, 2, "Interchange ID Qualifier"),
    "I06": ("AN", 15, 15, "Interchange Sender ID"),
    "I07": ("AN", 15, 15, "Interchange Receiver ID"),
    "I08": ("DT", 6, 6, "Interchange Date"),
    "I09": ("TM", 4, 4, "Interchange Time"),
    "I10": ("ID", 1, 1, "Interchange Control Standards Identifier"),
    "I11": ("ID", 5, 5, "Interchange Control Version Number"),
    "I12": ("N0", 9, 9, "Interchange Control Number"),
    "I13": ("ID", 1, 1, "Acknowledgment Requested"),
    "I14": ("ID", 1, 1, "Usage Indicator"),
    "I15": ("AN", 1, 1, "Component Element Separator"),
    "I16": ("N0", 1, 5, "Number of Included Functional Groups"),
    "I65": ("AN", 1, 1, "Repetition Separator"),
    "124": ("AN", 2, 15, "Application Receiver's Code"),
    "142": ("AN", 2, 15, "Application Sender's Code"),
    "455": ("ID", 1, 2, "Responsible Agency Code"),
}


def _sub(parent: etree._Element, tag: str, text: str) -> etree._Element:
    node = etree.SubElement(parent, tag)
    node.text = text
    return node


def _segment_defs(version: str, seg_id: str) -> SegDef:
    base = SEGMENTS[seg_id]
    if version >= "005010" and seg_id in ADDED_IN_5010:
        return base._replace(elements=base.elements + ADDED_IN_5010[seg_id])
    return base


def _element(
    parent: etree._Element, xid: str, elem: Elem, seq: int, usage: str, codes: tuple[str, ...]
) -> None:
    node = etree.SubElement(parent, "element", xid=xid)
    _sub(node, "data_ele", elem.ref)
    _sub(node, "name", (DATA_ELEMENTS.get(elem.ref) or _ENVELOPE_ELEMENTS[elem.ref])[3])
    _sub(node, "usage", usage)
    _sub(node, "seq", f"{seq:02d}")
    if codes:
        valid = etree.SubElement(node, "valid_codes")
        for code in codes:
            _sub(valid, "code", code)


def _segment(parent: etree._Element, spec: S, pos: int, version: str) -> None:
    seg = _segment_defs(version, spec.id)
    node = etree.SubElement(parent, "segment", xid=spec.id)
    _sub(node, "name", seg.name)
    _sub(node, "usage", spec.usage)
    _sub(node, "pos", f"{pos:03d}")
    _sub(node, "max_use", spec.max_use)
    for note in seg.syntax:
        _sub(node, "syntax", note)
    overrides = dict(spec.codes)
    for seq, item in enumerate(seg.elements, 1):
        xid = f"{spec.id}{seq:02d}"
        usage = "R" if seq in spec.required else item.usage
        if isinstance(item, Comp):
            comp = etree.SubElement(node, "composite")
            _sub(comp, "data_ele", item.ref)
            _sub(comp, "name", f"Composite {item.ref}")
            _sub(comp, "usage", usage)
            _sub(comp, "seq", f"{seq:02d}")
            for sub_seq, sub in enumerate(item.elements, 1):
                _element(comp, f"{xid}-{sub_seq:02d}", sub, sub_seq, sub.usage, ())
        else:
            codes = overrides.get(seq) or CODE_LISTS.get(item.ref, ())
            if spec.id == "ST" and seq == 1:
                codes = ()  # filled per guide below
            _element(node, xid, item, seq, usage, codes)


def _body(parent: etree._Element, nodes: tuple[S | L, ...], version: str, start: int) -> int:
    pos = start
    for node in nodes:
        pos += 10
        if isinstance(node, S):
            _segment(parent, node, pos, version)
        else:
            loop = etree.SubElement(
                parent, "loop", xid=f"{node.id}_LOOP" if node.id in ("ISA", "GS", "ST") else node.id
            )
            _sub(loop, "name", f"{node.id} loop")
            _sub(loop, "usage", node.usage)
            _sub(loop, "pos", f"{pos:03d}")
            _sub(loop, "repeat", node.repeat)
            _body(loop, node.children, version, pos - 10)
    return pos


def _envelope_segment(
    parent: etree._Element, seg_id: str, pos: int, elements: list[tuple[str, str]]
) -> None:
    node = etree.SubElement(parent, "segment", xid=seg_id)
    _sub(node, "name", seg_id)
    _sub(node, "usage", "R")
    _sub(node, "pos", f"{pos:03d}")
    _sub(node, "max_use", "1")
    for seq, (ref, usage) in enumerate(elements, 1):
        _element(node, f"{seg_id}{seq:02d}", Elem(ref), seq, usage, ())


def render_guide(spec: GuideSpec) -> bytes:
    """One guide as pyx12 map XML, with its interchange and group wrappers."""
    root = etree.Element("transaction", xid=spec.set_id)
    _sub(root, "name", f"{spec.name} {spec.set_id} ({spec.version})")
    isa_loop = etree.SubElement(root, "loop", xid="ISA_LOOP", type="explicit")
    for tag, text in (
        ("name", "Interchange Control Header"),
        ("usage", "R"),
        ("pos", "001"),
        ("repeat", ">1"),
    ):
        _sub(isa_loop, tag, text)
    isa11 = "I65" if spec.version >= "005010" else "I10"
    isa = [
        "I01",
        "I02",
        "I03",
        "I04",
        "I05",
        "I06",
        "I05",
        "I07",
        "I08",
        "I09",
        isa11,
        "I11",
        "I12",
        "I13",
        "I14",
        "I15",
    ]
    _envelope_segment(isa_loop, "ISA", 10, [(ref, "R") for ref in isa])
    gs_loop = etree.SubElement(isa_loop, "loop", xid="GS_LOOP", type="explicit")
    for tag, text in (
        ("name", "Functional Group Header"),
        ("usage", "R"),
        ("pos", "020"),
        ("repeat", ">1"),
    ):
        _sub(gs_loop, tag, text)
    gs = ["479", "142", "124", "373", "337", "28", "455", "480"]
    _envelope_segment(gs_loop, "GS", 10, [(ref, "R") for ref in gs])
    st_loop = etree.SubElement(gs_loop, "loop", xid="ST_LOOP", type="explicit")
    for tag, text in (
        ("name", "Transaction Set Header"),
        ("usage", "R"),
        ("pos", "030"),
        ("repeat", ">1"),
    ):
        _sub(st_loop, tag, text)
    _segment(st_loop, S("ST", "R", "1", (), ((1, (spec.set_id,)),)), 10, spec.version)
    end = _body(st_loop, spec.body, spec.version, 10)
    _segment(st_loop, S("SE", "R", "1"), end + 10, spec.version)
    _envelope_segment(gs_loop, "GE", 40, [("97", "R"), ("28", "R")])
    _envelope_segment(isa_loop, "IEA", 30, [("I16", "R"), ("I12", "R")])
    return _xml(root)


def _xml(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def guide_filename(spec: GuideSpec) -> str:
    return f"{spec.set_id}.{spec.version[2:6]}.xml"


def render_dataele() -> bytes:
    root = etree.Element("data_elements")
    for ref, (dtype, low, high, name) in sorted({**DATA_ELEMENTS, **_ENVELOPE_ELEMENTS}.items()):
        etree.SubElement(
            root,
            "data_ele",
            ele_num=ref,
            data_type=dtype,
            min_len=str(low),
            max_len=str(high),
            name=name,
        )
    return _xml(root)


def render_maps() -> bytes:
    """The guide index in pyx12's maps.xml format (ISA12 version, GS08 and GS01 to a file)."""
    root = etree.Element("maps")
    for icvn, vriic in (("00401", "004010"), ("00501", "005010")):
        version = etree.SubElement(root, "version", icvn=icvn)
        for spec in GUIDES:
            if spec.version == vriic:
                node = etree.SubElement(
                    version, "map", vriic=vriic, fic=spec.functional_id, abbr=spec.set_id
                )
                node.text = guide_filename(spec)
    return _xml(root)


def render_all() -> dict[str, bytes]:
    files = {guide_filename(spec): render_guide(spec) for spec in GUIDES}
    files["dataele.xml"] = render_dataele()
    files["maps.xml"] = render_maps()
    files["codes.xml"] = b"<?xml version='1.0' encoding='UTF-8'?>\n<codesets/>\n"
    return files


def write_all(directory: Path = GUIDE_DIR) -> list[Path]:
    written = []
    for name, data in render_all().items():
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else GUIDE_DIR):
        print(path)
