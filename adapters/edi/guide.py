"""Implementation guides: pyx12 map XML loaded with lxml and compiled for fast validation.

A compiled guide is a tree of ``LoopSpec`` and ``SegmentSpec``; every loop keeps an index
from segment id to the children it may start, so the validator finds where a segment goes
with dictionary lookups instead of pyx12's walk over the map. pyx12's ``wrapper`` loops
(HEADER/DETAIL/FOOTER) carry no trigger segment and are flattened into their parent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from adapters.edi.walk import Machine

__all__ = [
    "GUIDE_DIR",
    "ElementSpec",
    "Guide",
    "GuideSet",
    "LoopSpec",
    "SegmentSpec",
    "SyntaxRule",
    "base_version",
    "default_guides",
    "load_guide",
    "load_guides",
]

GUIDE_DIR = Path(__file__).resolve().parent / "guides"
UNBOUNDED = 10**9


@dataclass(frozen=True, slots=True)
class ElementSpec:
    ref: str  # data element number, e.g. "324", or composite id "C001"
    usage: str  # R required, S situational, N not used
    dtype: str  # AN ID N0..N9 R DT TM, or "" for a composite
    min_len: int
    max_len: int
    codes: frozenset[str] | None = None
    components: tuple[ElementSpec, ...] = ()
    repeat: int = 1


@dataclass(frozen=True, slots=True)
class SyntaxRule:
    """An X12 syntax note: P paired, R required, E exclusion, C conditional, L list."""

    kind: str
    positions: tuple[int, ...]
    low: int = 0  # the smallest position: a note whose elements are all absent is cheap

    @classmethod
    def parse(cls, note: str) -> SyntaxRule:
        digits = note[1:]
        positions = tuple(int(digits[i : i + 2]) for i in range(0, len(digits), 2))
        return cls(note[0], positions, min(positions))


@dataclass(frozen=True, slots=True)
class SegmentSpec:
    id: str
    usage: str
    max_use: int
    elements: tuple[ElementSpec, ...]
    syntax: tuple[SyntaxRule, ...]
    pos: int = 0
    last_required: int = 0  # position of the last required element (0: none)
    # the validator's compiled fast check of this segment (made on first use; not copied by
    # dataclasses.replace, so a changed spec never keeps the check of the original)
    fast_check: Callable[[list[str], str | None, str], bool] | None = field(
        default=None, init=False, compare=False, repr=False
    )
    # and the checks it picks from, by the segment's length (fast_check.py)
    fast_checks: list[Callable[[list[str], str | None, str], bool]] | None = field(
        default=None, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        last = max((i for i, e in enumerate(self.elements, 1) if e.usage == "R"), default=0)
        object.__setattr__(self, "last_required", last)


@dataclass(slots=True)
class LoopSpec:
    id: str
    usage: str
    repeat: int
    children: list[SegmentSpec | LoopSpec]
    # segment id -> indexes of the children that this segment id can start (a segment child
    # with that id, or a loop child whose first segment has that id)
    starts: dict[str, list[int]] = field(default_factory=dict)
    required: tuple[int, ...] = ()  # indexes of the required children
    # for each index k (and len(children)), the first required child at or after k, or
    # len(children): whether a stretch of skipped children holds a required one is one lookup
    next_required: tuple[int, ...] = ()

    @property
    def trigger(self) -> str:
        first = self.children[0]
        return first.id if isinstance(first, SegmentSpec) else first.trigger

    def index(self) -> None:
        self.required = tuple(i for i, c in enumerate(self.children) if c.usage == "R")
        size = len(self.children)
        self.next_required = tuple(
            min((r for r in self.required if r >= k), default=size) for k in range(size + 1)
        )
        self.starts = {}
        for i, child in enumerate(self.children):
            key = child.id if isinstance(child, SegmentSpec) else child.trigger
            self.starts.setdefault(key, []).append(i)
            if isinstance(child, LoopSpec):
                child.index()


@dataclass(slots=True)
class Guide:
    """One transaction set's guide for one version: the ST loop and every segment id in it."""

    set_id: str
    version: str
    functional_id: str
    root: LoopSpec
    segment_ids: frozenset[str]
    source: str = ""
    # the validator's state machine for this guide (made on first use, see walk.py)
    machine: Machine | None = field(default=None, init=False, compare=False, repr=False)


def base_version(gs08: str) -> str:
    """The X12 version of a GS08 value: its first six characters (004010VICS -> 004010)."""
    return gs08[:6]


@dataclass(slots=True)
class GuideSet:
    """The guides available to a validation run, by (transaction set id, version)."""

    guides: dict[tuple[str, str], Guide]

    def find(self, set_id: str, gs08: str) -> tuple[Guide | None, str | None]:
        """The guide for a set and GS08, and a note when a neighbouring version is used.

        004xxx releases later than 004010 are read with the 004010 guide and 005xxx and later
        with 005010 (the segments these sets use did not change in ways the guides check);
        releases before 004010 are not supported (AK5 1 / AK9 2).
        """
        version = base_version(gs08)
        exact = self.guides.get((set_id, version))
        if exact is not None:
            return exact, None
        if "004010" < version < "005000":
            near = "004010"
        elif version >= "005000":
            near = "005010"
        else:
            return None, None
        guide = self.guides.get((set_id, near))
        return guide, (f"version {version} validated with the {near} guide" if guide else None)


def _text(node: etree._Element, tag: str, default: str = "") -> str:
    found = node.find(tag)
    return (found.text or default).strip() if found is not None and found.text else default


def _max(value: str) -> int:
    return UNBOUNDED if value.startswith(">") or not value.isdigit() else int(value)


def _element(node: etree._Element, dataele: Mapping[str, tuple[str, int, int]]) -> ElementSpec:
    ref = _text(node, "data_ele")
    usage = _text(node, "usage", "S")
    repeat = int(_text(node, "repeat", "1") or 1)
    if node.tag == "composite":
        subs = tuple(_element(sub, dataele) for sub in node.findall("element"))
        return ElementSpec(ref, usage, "", 0, 0, None, subs, repeat)
    dtype, low, high = dataele.get(ref, ("AN", 1, 80))
    codes_node = node.find("valid_codes")
    codes = None
    if codes_node is not None:
        values = [c.text.strip() for c in codes_node.findall("code") if c.text]
        codes = frozenset(values) if values else None
    return ElementSpec(ref, usage, dtype, low, high, codes, (), repeat)


def _segment(node: etree._Element, dataele: Mapping[str, tuple[str, int, int]]) -> SegmentSpec:
    elements = tuple(
        _element(child, dataele) for child in node if child.tag in ("element", "composite")
    )
    syntax = tuple(SyntaxRule.parse(s.text.strip()) for s in node.findall("syntax") if s.text)
    return SegmentSpec(
        node.get("xid", ""),
        _text(node, "usage", "S"),
        _max(_text(node, "max_use", "1")),
        elements,
        syntax,
        int(_text(node, "pos", "0") or 0),
    )


def _children(
    node: etree._Element, dataele: Mapping[str, tuple[str, int, int]], ids: set[str]
) -> list[SegmentSpec | LoopSpec]:
    out: list[SegmentSpec | LoopSpec] = []
    for child in node:
        if child.tag == "segment":
            spec = _segment(child, dataele)
            ids.add(spec.id)
            out.append(spec)
        elif child.tag == "loop":
            inner = _children(child, dataele, ids)
            if child.get("type") == "wrapper":
                out.extend(inner)  # pyx12 wrapper loops group without a trigger
            else:
                out.append(
                    LoopSpec(
                        child.get("xid", ""),
                        _text(child, "usage", "S"),
                        _max(_text(child, "repeat", "1")),
                        inner,
                    )
                )
    return out


@cache
def _dataele(path: Path) -> dict[str, tuple[str, int, int]]:
    tree = etree.parse(str(path))
    return {
        node.get("ele_num", ""): (
            node.get("data_type", "AN"),
            int(node.get("min_len", "1")),
            int(node.get("max_len", "80")),
        )
        for node in tree.getroot().iter("data_ele")
    }


def load_guide(path: Path, functional_id: str = "", version: str = "") -> Guide:
    """Load one pyx12 map file; element types and lengths come from dataele.xml beside it."""
    dataele = _dataele(path.parent / "dataele.xml")
    tree = etree.parse(str(path))
    root = tree.getroot()
    st_loop = next((n for n in root.iter("loop") if n.get("xid") == "ST_LOOP"), None)
    if st_loop is None:
        raise ValueError(f"{path}: no ST_LOOP in the map")
    ids: set[str] = set()
    loop = LoopSpec("ST_LOOP", "R", 1, _children(st_loop, dataele, ids))
    loop.index()
    return Guide(root.get("xid", ""), version, functional_id, loop, frozenset(ids), str(path))


def load_guides(directory: Path = GUIDE_DIR) -> GuideSet:
    """Load every guide listed in ``maps.xml`` of ``directory``."""
    index = etree.parse(str(directory / "maps.xml")).getroot()
    guides: dict[tuple[str, str], Guide] = {}
    for version in index.iter("version"):
        for entry in version.iter("map"):
            vriic = entry.get("vriic", "")
            guide = load_guide(directory / (entry.text or "").strip(), entry.get("fic", ""), vriic)
            guides[(guide.set_id, base_version(vriic))] = guide
    return GuideSet(guides)


@cache
def default_guides() -> GuideSet:
    """The guides shipped with the adapter (850, 856, 830, 997 for 004010 and 005010)."""
    return load_guides(GUIDE_DIR)
