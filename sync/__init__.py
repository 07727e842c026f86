"""Outbound delivery to partners: outbox, retries, failover, dead letters and health."""

__all__: list[str] = []
