"""A replayed interchange gets fresh envelope control numbers and nothing else changes."""

from __future__ import annotations

from gateway.sync_x12 import renumber_interchange

ISA = (
    "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SUP1           "
    "*260101*1200*U*00401*000000042*1*P*>~\n"
)
BODY = (
    ISA + "GS*PO*BUYER*SUP1*20260101*1200*42*X*004010~\nST*850*0001~\nSE*2*0001~\n"
    "GE*1*42~\nIEA*1*000000042~\n"
)


def test_renumber_rewrites_isa13_iea02_gs06_ge02() -> None:
    out = renumber_interchange(BODY.encode(), 1234).decode()
    assert "*000001234*1*P*>~" in out and "IEA*1*000001234~" in out
    assert "GS*PO*BUYER*SUP1*20260101*1200*1234*X*004010~" in out and "GE*1*1234~" in out
    assert "ST*850*0001~" in out
    assert len(out.split("\n")[0]) == len(ISA.split("\n")[0])  # ISA stays fixed width
    assert out.replace("000001234", "000000042").replace("1234", "42") == BODY
