"""Functional acknowledgments (997) of what we sent: which groups they answer, and how.

An outbound interchange waits for its 997; AK1 names the group it answers (AK102 = our GS06)
and AK9 says how the group fared (AK901, X12 code list 715). Past its window with no 997 it
is overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class AckStatus(StrEnum):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    ACCEPTED_WITH_ERRORS = "accepted_with_errors"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"


# AK901: A accepted, E accepted but errors were noted, P partially accepted (some sets
# rejected), R rejected, M/W/X rejected (MAC, assurance, content decryption failures).
_AK901 = {
    "A": AckStatus.ACCEPTED,
    "E": AckStatus.ACCEPTED_WITH_ERRORS,
    "P": AckStatus.PARTIALLY_ACCEPTED,
}


@dataclass(frozen=True)
class GroupAnswer:
    group_control_number: int  # AK102
    status: AckStatus  # from AK901


def read_997(text: str) -> list[GroupAnswer]:
    """The groups a 997 interchange answers, in order; delimiters come from the fixed ISA."""
    start = text.find("ISA")
    if start < 0 or len(text) < start + 106:
        raise ValueError("not an X12 interchange: no ISA segment")
    element, terminator = text[start + 3], text[start + 105]
    answers: list[GroupAnswer] = []
    group: int | None = None
    for segment in text[start:].split(terminator):
        fields = segment.strip().split(element)
        if fields[0] == "AK1" and len(fields) > 2:
            # A 997 in the same file may be malformed (it is refused on its own): an AK102
            # that is no number names no group of ours (found by fuzzing: a ValueError here
            # failed the whole inbound message).
            number = fields[2].strip()
            group = int(number) if number.isascii() and number.isdigit() else None
        elif fields[0] == "AK9" and len(fields) > 1 and group is not None:
            answers.append(GroupAnswer(group, _AK901.get(fields[1], AckStatus.REJECTED)))
            group = None
    return answers


def is_overdue(status: str | None, due_at: dt.datetime | None, now: dt.datetime) -> bool:
    """A 997 still awaited after its window."""
    return status == AckStatus.WAITING.value and due_at is not None and now > due_at
