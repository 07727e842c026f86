"""The supplier collaboration gateway.

Kept free of imports so that the pure cores can use ``gateway.model`` without pulling in the
web framework or the database layer.
"""

__version__ = "0.1.0"
