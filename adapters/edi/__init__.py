"""ANSI X12 EDI: reading, validating, normalizing, acknowledging and rendering."""

__all__: list[str] = []
