"""Control numbers towards each partner: one counter, taken under a row lock."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.store.x12_tables import ControlNumberRow


def partner_counter(session: Session, partner_id: str) -> ControlNumberRow:
    """The partner's counter row, locked for this transaction (created on first use).

    FOR UPDATE: two processes writing to one partner at once (our 997s, our outbound
    interchanges) take turns, so no control number is ever used twice; SQLite serialises
    writers anyway.
    """
    row = session.scalar(
        select(ControlNumberRow).where(ControlNumberRow.partner_id == partner_id).with_for_update()
    )
    if row is None:
        row = ControlNumberRow(partner_id=partner_id, next_interchange=1, next_group=1)
        session.add(row)
    return row
