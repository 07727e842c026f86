"""Frames: canonical documents and master data as pandas tables the rules run on.

The same frames serve the streaming case (one new document plus the stored documents it
refers to) and the batch re-check over the whole store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from pydantic import BaseModel

from quality.frames.documents import KEY_FIELDS, document_key, documents_frame, lines_frames
from quality.frames.interchanges import SentInterchange, interchanges_frame
from quality.frames.master import MasterFrames, master_frames

__all__ = [
    "KEY_FIELDS",
    "DocumentFrames",
    "MasterFrames",
    "SentInterchange",
    "build_frames",
    "document_key",
    "interchanges_frame",
    "master_frames",
]


@dataclass(frozen=True)
class DocumentFrames:
    """Every frame built from one list of documents; line frames keep all versions.

    Each line frame carries ``doc_index``, ``supplier_id``, ``partner_id`` and ``in_force``
    (False for duplicates and superseded versions); rules that compare documents use
    the in-force rows so a duplicate is counted once.
    """

    documents: pd.DataFrame
    po_lines: pd.DataFrame
    ack_lines: pd.DataFrame
    asn_lines: pd.DataFrame
    receipt_lines: pd.DataFrame
    inventory_lines: pd.DataFrame
    schedule_buckets: pd.DataFrame
    commit_lines: pd.DataFrame
    # outbound X12 awaiting or answered by a 997 (not documents: the acknowledgment rules)
    interchanges: pd.DataFrame = field(default_factory=lambda: interchanges_frame(()))

    def in_force(self, name: str) -> pd.DataFrame:
        """The rows of one line frame that belong to documents in force."""
        frame: pd.DataFrame = getattr(self, name)
        return frame[frame["in_force"]]

    def feed_events(self) -> pd.DataFrame:
        """When each partner last sent something on each feed: partner_id, feed, at.

        ``at`` is the reception time when known, else the document's own date: the demo and
        file imports carry no reception time.
        """
        docs = self.documents
        at = docs["received_at"].fillna(docs["doc_date"])
        return pd.DataFrame(
            {"partner_id": docs["partner_id"], "feed": docs["doc_type"], "at": at}
        ).dropna(subset=["at"])


def build_frames(
    docs: Sequence[BaseModel], interchanges: Sequence[SentInterchange] = ()
) -> DocumentFrames:
    """Turn canonical documents (in arrival order), and interchanges we sent, into frames."""
    headers = documents_frame(docs)
    return DocumentFrames(
        documents=headers,
        interchanges=interchanges_frame(interchanges),
        **lines_frames(docs, headers),
    )
