"""Reading 997s we receive: which of our groups each answers, and how (AK1, AK9)."""

from __future__ import annotations

import datetime as dt

from sync import AckStatus, GroupAnswer, is_overdue, read_997

ISA = (
    "ISA*00*          *00*          *ZZ*SUP1           *ZZ*BUYER          "
    "*260101*1200*U*00401*000000007*0*P*>~"
)


def ack_997(groups: list[tuple[int, str]]) -> str:
    body = "".join(f"AK1*PO*{n}~AK9*{code}*1*1*1~" for n, code in groups)
    group = "GS*FA*SUP1*BUYER*20260101*1200*7*X*004010~ST*997*0001~"
    return f"{ISA}{group}{body}SE*9*0001~GE*1*7~IEA*1*000000007~"


def test_read_997_maps_ak901() -> None:
    answers = read_997(ack_997([(1, "A"), (2, "E"), (3, "P"), (4, "R"), (5, "X")]))
    assert answers == [
        GroupAnswer(1, AckStatus.ACCEPTED),
        GroupAnswer(2, AckStatus.ACCEPTED_WITH_ERRORS),
        GroupAnswer(3, AckStatus.PARTIALLY_ACCEPTED),
        GroupAnswer(4, AckStatus.REJECTED),
        GroupAnswer(5, AckStatus.REJECTED),
    ]


def test_an_ak1_without_a_number_is_skipped_not_a_crash() -> None:
    # found by the x12_interchange fuzz target: int("000K2") failed the whole inbound message
    text = ack_997([(1, "A")]).replace("AK1*PO*1~", "AK1*PO*000K2~AK9*A~AK1*PO*1~")
    assert read_997(text) == [GroupAnswer(1, AckStatus.ACCEPTED)]


def test_overdue_only_while_waiting_past_the_window() -> None:
    now = dt.datetime(2026, 1, 3, tzinfo=dt.UTC)
    due = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    assert is_overdue("waiting", due, now)
    assert not is_overdue("waiting", due, due)
    assert not is_overdue("accepted", due, now)
    assert not is_overdue("waiting", None, now)
