"""The public surface of adapters.edi is deliberate; the guides match their authoring."""

from __future__ import annotations

import adapters.edi as edi
from adapters.edi.guides.authoring import GUIDE_DIR, render_all


def test_public_surface_is_pinned() -> None:
    assert sorted(edi.__all__) == sorted(
        [
            "DEFAULT_DELIMITERS",
            "AckOptions",
            "CanonicalDocument",
            "Delimiters",
            "EdiError",
            "ElementError",
            "EnvelopeParams",
            "GroupAck",
            "GroupError",
            "Guide",
            "GuideSet",
            "InterchangeError",
            "InterchangeResult",
            "Location",
            "MappingError",
            "Overlay",
            "ReadError",
            "RenderError",
            "Segment",
            "SegmentError",
            "SegmentRule",
            "SetAck",
            "SetResult",
            "TransactionSetError",
            "build_997",
            "default_guides",
            "interchange_key",
            "is_duplicate",
            "iter_envelope",
            "iter_results",
            "iter_segments",
            "load_guide",
            "load_guides",
            "load_overlay",
            "parse_830",
            "parse_850",
            "parse_856",
            "process_interchange",
            "process_interchanges",
            "render_830",
            "render_850",
            "render_856",
            "render_997",
            "render_document",
            "render_documents",
            "render_ta1",
            "validate_set",
        ]
    )
    for name in edi.__all__:
        assert hasattr(edi, name), name


def test_committed_guides_equal_their_authoring() -> None:
    for name, data in render_all().items():
        assert (GUIDE_DIR / name).read_bytes() == data, f"regenerate {name}"


def test_every_guide_loads() -> None:
    guides = edi.default_guides()
    assert sorted(guides.guides) == sorted(
        (s, v) for s in ("830", "850", "856", "997") for v in ("004010", "005010")
    )
