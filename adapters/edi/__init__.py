"""ANSI X12 EDI: reading, validating, normalizing, acknowledging and rendering.

Pure functions over bytes and values: no web framework, database or clock. The gateway calls
``process_interchange`` (or ``iter_results`` for large files) per inbound message, stores
the documents, and sends ``ack_997`` / ``ta1`` back; ``render_document`` writes outbound X12.
"""

from adapters.edi.ack import GroupAck, SetAck, build_997, render_997, render_ta1
from adapters.edi.envelope import iter_envelope
from adapters.edi.errors import (
    EdiError,
    ElementError,
    GroupError,
    InterchangeError,
    Location,
    MappingError,
    ReadError,
    RenderError,
    SegmentError,
    TransactionSetError,
)
from adapters.edi.guide import Guide, GuideSet, default_guides, load_guide, load_guides
from adapters.edi.lexer import Delimiters, Segment, iter_segments
from adapters.edi.overlay import Overlay, SegmentRule, load_overlay
from adapters.edi.planning_schedule import parse_830, render_830
from adapters.edi.process import (
    AckOptions,
    CanonicalDocument,
    InterchangeResult,
    SetResult,
    interchange_key,
    is_duplicate,
    iter_results,
    process_interchange,
    process_interchanges,
)
from adapters.edi.purchase_order import parse_850, render_850
from adapters.edi.render import DEFAULT_DELIMITERS, render_document, render_documents
from adapters.edi.ship_notice import parse_856, render_856
from adapters.edi.validator import validate_set
from adapters.edi.writer import EnvelopeParams

__all__ = [
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
