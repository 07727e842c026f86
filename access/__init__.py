"""Principals and segment-scoped authorization (Casbin)."""

__all__: list[str] = []
