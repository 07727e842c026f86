"""Assemble a map directory in which pyx12's validator runs our guides (oracle and bench).

pyx12 needs, in one folder: the transaction maps (ours), ``maps.xml`` keyed by its exact
ISA12/GS08/GS01 lookup, ``dataele.xml`` (ours plus its envelope elements), its control maps
for ISA/GS and its ``codes.xml``. The last two are taken from the installed pyx12 package at
run time, never copied into this repository.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from lxml import etree

from adapters.edi.guides.authoring import GUIDE_DIR, GUIDES, guide_filename

__all__ = ["build_pyx12_map_dir"]

_ISA12 = ("00400", "00401", "00402", "00403", "00404", "00405", "00406", "00501")
_GS08_SUFFIXES = ("", "VICS", "X357", "X230")


def build_pyx12_map_dir(directory: Path) -> Path:
    """Fill ``directory`` with a pyx12 map folder for our guides; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    package = Path(str(files("pyx12") / "map"))
    for name in ("x12.control.00401.xml", "x12.control.00501.xml", "codes.xml"):
        shutil.copy(package / name, directory / name)
    ours = etree.parse(str(GUIDE_DIR / "dataele.xml")).getroot()
    have = {node.get("ele_num") for node in ours}
    for node in etree.parse(str(package / "dataele.xml")).getroot():
        if node.get("ele_num") not in have:
            ours.append(node)
    (directory / "dataele.xml").write_bytes(etree.tostring(ours))
    index = etree.Element("maps")
    for icvn in _ISA12:
        version = etree.SubElement(index, "version", icvn=icvn)
        for spec in GUIDES:
            if (spec.version == "005010") != (icvn == "00501"):
                continue
            shutil.copy(GUIDE_DIR / guide_filename(spec), directory / guide_filename(spec))
            fics = [spec.functional_id] + (["SC"] if spec.set_id == "850" else [])
            for suffix in _GS08_SUFFIXES:
                for fic in fics:
                    entry = etree.SubElement(
                        version, "map", vriic=spec.version + suffix, fic=fic, abbr=spec.set_id
                    )
                    entry.text = guide_filename(spec)
    (directory / "maps.xml").write_bytes(etree.tostring(index))
    return directory
