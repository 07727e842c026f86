"""Data-quality rules over canonical documents and the findings they produce."""

__all__: list[str] = []
