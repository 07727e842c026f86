"""Adapters: pure translation between partner formats and the canonical model."""
