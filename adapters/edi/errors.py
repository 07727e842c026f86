"""Errors of the X12 adapter: one tree, each with a stable code and a location.

::

    EdiError                    base: code, message, location
    ├── ReadError               the bytes are not X12 (no ISA, broken ISA header); raised
    ├── InterchangeError        ISA/IEA problems; code = TA1 note code (X12 element I18)
    ├── GroupError              GS/GE problems; code = AK9 syntax error code (X12 element 716)
    ├── TransactionSetError     ST/SE problems and set-level verdicts; code = AK5 code (718)
    ├── SegmentError            a segment breaks the guide; code = AK3 code (X12 element 720)
    ├── ElementError            an element breaks the guide; code = AK4 code (X12 element 723)
    ├── MappingError            a valid set that cannot become a canonical document
    └── RenderError             a canonical document that cannot be written as X12; raised

Validation never raises: errors are values collected in results, because one bad transaction
set must not lose the good ones beside it. Only ``ReadError`` (nothing to acknowledge) and
``RenderError`` (a caller bug or unrepresentable data) are raised.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EdiError",
    "ElementError",
    "GroupError",
    "InterchangeError",
    "Location",
    "MappingError",
    "ReadError",
    "RenderError",
    "SegmentError",
    "TransactionSetError",
]


@dataclass(frozen=True, slots=True)
class Location:
    """Where an error is: envelope ids, segment position and id, element position and value.

    ``segment_position`` counts from ST = 1 inside a transaction set (the AK3 convention) and
    from the start of the file otherwise.
    """

    interchange_control_number: str | None = None
    group_control_number: str | None = None
    transaction_set_control_number: str | None = None
    segment_position: int | None = None
    segment_id: str | None = None
    element_position: int | None = None
    component_position: int | None = None
    value: str | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.interchange_control_number is not None:
            parts.append(f"ISA13={self.interchange_control_number}")
        if self.group_control_number is not None:
            parts.append(f"GS06={self.group_control_number}")
        if self.transaction_set_control_number is not None:
            parts.append(f"ST02={self.transaction_set_control_number}")
        if self.segment_id is not None or self.segment_position is not None:
            parts.append(f"segment {self.segment_id or '?'} #{self.segment_position}")
        if self.element_position is not None:
            element = f"element {self.element_position:02d}"
            if self.component_position is not None:
                element += f"-{self.component_position}"
            parts.append(element)
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        return ", ".join(parts)


class EdiError(Exception):
    """Base of every adapter error: a stable ``code``, a message and a ``location``."""

    kind = "edi"

    def __init__(self, code: str, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location or Location()

    def __str__(self) -> str:
        where = self.location.describe()
        return f"{self.kind} {self.code}: {self.message}" + (f" ({where})" if where else "")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r}, {self.location!r})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, EdiError)
            and (other.code, other.message, other.location)
            == (self.code, self.message, self.location)
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.code, self.message, self.location))


class ReadError(EdiError):
    """The input is not X12 that can be tokenized (no ISA, a broken ISA header)."""

    kind = "read"


class InterchangeError(EdiError):
    """An ISA/IEA error; ``code`` is the TA1 interchange note code (I18), e.g. ``001``."""

    kind = "interchange"


class GroupError(EdiError):
    """A GS/GE error; ``code`` is the AK9 functional group syntax error code (716)."""

    kind = "group"


class TransactionSetError(EdiError):
    """An ST/SE error; ``code`` is the AK5 transaction set syntax error code (718)."""

    kind = "set"


class SegmentError(EdiError):
    """A segment that breaks the guide; ``code`` is the AK3 segment syntax error code (720)."""

    kind = "segment"

    def __init__(
        self,
        code: str,
        message: str,
        location: Location | None = None,
        loop_id: str | None = None,
    ) -> None:
        super().__init__(code, message, location)
        self.loop_id = loop_id


class ElementError(EdiError):
    """An element that breaks the guide; ``code`` is the AK4 element syntax error code (723)."""

    kind = "element"

    def __init__(
        self,
        code: str,
        message: str,
        location: Location | None = None,
        data_element: str | None = None,
    ) -> None:
        super().__init__(code, message, location)
        self.data_element = data_element


class MappingError(EdiError):
    """A set that passed the guide but cannot become a canonical document."""

    kind = "mapping"


class RenderError(EdiError):
    """A canonical document that cannot be written as X12 (e.g. a value holds a delimiter)."""

    kind = "render"
