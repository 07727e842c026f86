"""The supplier REST contract and file feeds (CSV, XLSX, XML)."""

__all__: list[str] = []
