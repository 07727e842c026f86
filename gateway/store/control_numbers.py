"""Control numbers towards each partner: one counter, taken under a row lock."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from gateway.store.x12_tables import ControlNumberRow


def partner_counter(session: Session, partner_id: str) -> ControlNumberRow:
    """The partner's counter row, locked for this transaction (created on first use).

    FOR UPDATE: two processes writing to one partner at once (our 997s, our outbound
    interchanges) take turns, so no control number is ever used twice; SQLite serialises
    writers anyway.
    """
    locked = select(ControlNumberRow).where(ControlNumberRow.partner_id == partner_id)
    row = session.scalar(locked.with_for_update())
    if row is None:
        # Two first messages of a partner at once would both insert: the loser of that race
        # failed its whole message (an IntegrityError). Insert-if-absent, then lock the one row.
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        values = {"partner_id": partner_id, "next_interchange": 1, "next_group": 1}
        session.execute(insert(ControlNumberRow).values(values).on_conflict_do_nothing())
        row = session.scalars(locked.with_for_update()).one()
    return row
