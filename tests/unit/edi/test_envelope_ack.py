"""Envelope checks (ISA/IEA, GS/GE, ST/SE), 997 and TA1 contents, duplicates."""

from __future__ import annotations

from adapters.edi import AckOptions, interchange_key, is_duplicate, process_interchanges

from .x12_text import PO_BODY, interchange, po


def one(text: str, **kw: object):  # type: ignore[no-untyped-def]
    [result] = process_interchanges(text, **kw)  # type: ignore[arg-type]
    return result


def ack_lines(text: str) -> list[str]:
    return [
        line.rstrip("~")
        for line in text.splitlines()
        if line[:3] in ("AK1", "AK2", "AK3", "AK4", "AK5", "AK9", "TA1")
    ]


def test_good_interchange_gets_997_accepting_it_and_no_ta1() -> None:
    result = one(interchange([("850", PO_BODY)]))
    assert result.accepted and len(result.documents) == 1 and result.ta1 == ""
    assert ack_lines(result.ack_997) == ["AK1*PO*1", "AK2*850*0001", "AK5*A", "AK9*A*1*1*1"]


def test_ack_swaps_sender_and_receiver_and_uses_given_control_numbers() -> None:
    result = one(interchange([("850", PO_BODY)]), ack=AckOptions(42, 7, 9))
    isa, gs, st = result.ack_997.splitlines()[:3]
    assert isa.split("*")[6].strip() == "RECEIVERID" and isa.split("*")[8].strip() == "SENDERID"
    assert isa.split("*")[13] == "000000042" and gs.split("*")[6] == "7"
    assert st == "ST*997*0009~" or st.startswith("ST*997*0009")


def test_one_bad_set_does_not_lose_the_good_ones() -> None:
    bad = po(BEG=["BEG", "00", "SA", "PO-2", "", "2026XX01"])
    result = one(interchange([("850", PO_BODY), ("850", bad), ("850", PO_BODY)]))
    assert [s.accepted for s in result.sets] == [True, False, True]
    assert len(result.documents) == 2
    lines = ack_lines(result.ack_997)
    assert "AK3*BEG*2**8" in lines and "AK4*5*373*8*2026XX01" in lines
    assert lines[-1] == "AK9*P*3*3*2"


def test_se_count_and_control_number_mismatch_reject_the_set() -> None:
    text = interchange([("850", PO_BODY)]).replace("SE*6*0001", "SE*9*0002")
    result = one(text)
    assert not result.sets[0].accepted
    assert "AK5*R*3*4" in ack_lines(result.ack_997)


def test_missing_se_is_code_2_and_the_next_set_survives() -> None:
    text = interchange([("850", PO_BODY), ("850", PO_BODY)]).replace("SE*6*0001~\n", "")
    result = one(text)
    assert [s.accepted for s in result.sets] == [False, True]
    assert "AK5*R*2" in ack_lines(result.ack_997)


def test_duplicate_st02_in_group_is_code_23() -> None:
    text = interchange([("850", PO_BODY), ("850", PO_BODY)]).replace("0002", "0001")
    result = one(text)
    assert [s.accepted for s in result.sets] == [True, False]
    assert "AK5*R*23" in ack_lines(result.ack_997)


def test_group_trailer_errors_go_to_ak9() -> None:
    text = interchange([("850", PO_BODY)]).replace("GE*1*1", "GE*3*9")
    lines = ack_lines(one(text).ack_997)
    assert lines[-1] == "AK9*E*3*1*1*4*5"


def test_interchange_trailer_errors_reject_with_ta1() -> None:
    text = interchange([("850", PO_BODY)]).replace("IEA*1*000000001", "IEA*2*000000009")
    result = one(text)
    assert not result.accepted and result.documents == [] and result.ack_997 == ""
    assert ack_lines(result.ta1) == ["TA1*000000001*260301*1015*R*001"]
    assert {e.code for e in result.errors} == {"001", "021"}


def test_ta1_when_isa14_asks_for_it() -> None:
    result = one(interchange([("850", PO_BODY)], ack="1"))
    assert ack_lines(result.ta1) == ["TA1*000000001*260301*1015*A*000"]
    assert result.ack_997


def test_missing_iea_is_ta1_023() -> None:
    text = interchange([("850", PO_BODY)]).replace("IEA*1*000000001~\n", "")
    result = one(text)
    assert not result.accepted and "023" in result.ta1


def test_bad_isa_fields_are_reported_with_ta1_codes() -> None:
    text = interchange([("850", PO_BODY)]).replace("*260301*1015*", "*261301*2515*")
    codes = {e.code for e in one(text).errors}
    assert {"014", "015"} <= codes


def test_unsupported_set_and_version() -> None:
    result = one(interchange([("810", [["BIG", "20260301", "1"]])], fic="IN"))
    assert not result.sets[0].accepted and "AK5*R*1" in ack_lines(result.ack_997)
    old = one(interchange([("850", PO_BODY)], gs08="003010"))
    assert ack_lines(old.ack_997)[-1] == "AK9*R*1*1*0*2"


def test_acknowledgments_are_not_acknowledged() -> None:
    body = [["AK1", "PO", "1"], ["AK9", "A", "1", "1", "1"]]
    result = one(interchange([("997", body)], fic="FA"))
    assert result.sets[0].accepted and result.ack_997 == ""


def test_duplicates_by_sender_and_isa13() -> None:
    text = interchange([("850", PO_BODY)])
    first = one(text)
    assert is_duplicate(first.key, {first.key})
    again = one(text, seen={first.key})
    assert again.duplicate and again.documents == [] and "025" in again.ta1
    other = one(text.replace("SENDERID       ", "OTHERSENDER    "), seen={first.key})
    assert not other.duplicate
    assert interchange_key("ZZ", "SENDERID ", "000000001") == first.key


def test_repeated_interchange_in_one_file_is_processed_once() -> None:
    text = interchange([("850", PO_BODY)])
    results = process_interchanges(text + text)
    assert [r.duplicate for r in results] == [False, True]
    assert sum(len(r.documents) for r in results) == 1


def test_compact_997_lists_only_sets_with_errors_but_counts_all() -> None:
    bad = po(BEG=["BEG", "00", "SA", "PO-2", "", "2026XX01"])
    text = interchange([("850", PO_BODY), ("850", bad), ("850", PO_BODY)])
    result = one(text, ack=AckOptions(list_accepted_sets=False))
    lines = ack_lines(result.ack_997)
    assert [line for line in lines if line.startswith("AK2")] == ["AK2*850*0002"]
    assert lines[-1] == "AK9*P*3*3*2"


def test_ack_control_numbers_advance_per_ack_interchange() -> None:
    text = interchange([("850", PO_BODY)], ack="1") + interchange([("850", PO_BODY)], icn=2)
    first, second = process_interchanges(text, ack=AckOptions(100, 100))
    assert first.ack_control_numbers == [100, 101] and second.ack_control_numbers == [102]
    assert "*000000102*" in second.ack_997


def test_ak3_fits_the_997_whatever_segment_id_was_received() -> None:
    # found by the x12 fuzz targets: AK301 echoed ids of any length, and AK303 named the
    # guide's structural ST_LOOP; our own 997 guide refused such a 997
    from adapters.edi import GroupAck, SegmentError, SetAck, build_997
    from adapters.edi.errors import Location

    errors = [
        SegmentError("2", "unexpected", Location(segment_id="L", segment_position=4), "ST_LOOP"),
        SegmentError("2", "unexpected", Location(segment_id="TOOLONG", segment_position=5), "N1"),
    ]
    group = GroupAck("PO", "1", "004010")
    group.add(SetAck("850", "0001", False, ("5",), errors))
    ak3s = [segment for segment in build_997(group, "004010", ">") if segment[0] == "AK3"]
    assert ak3s == [["AK3", "L ", "4", "", "2"], ["AK3", "TOO", "5", "N1", "2"]]


def test_ak402_names_elements_not_composites() -> None:
    # found by the x12_830 fuzz target: AK402 (N0, 1-4 digits) carried the composite id C001
    from adapters.edi import ElementError, GroupAck, SegmentError, SetAck, build_997
    from adapters.edi.errors import Location

    errors = [
        SegmentError("8", "has element errors", Location(segment_id="UIT", segment_position=4)),
        ElementError("1", "missing", Location(element_position=1, component_position=2), "C001"),
        ElementError("1", "missing", Location(element_position=2), "355"),
    ]
    group = GroupAck("PS", "1", "004010")
    group.add(SetAck("830", "0001", False, ("5",), errors))
    ak4s = [segment for segment in build_997(group, "004010", ">") if segment[0] == "AK4"]
    assert ak4s == [["AK4", "1>2", "", "1", ""], ["AK4", "2", "355", "1", ""]]


def test_non_ascii_digits_in_envelope_numbers_are_errors_not_crashes() -> None:
    # found by the x12_interchange fuzz target: "10¹5" passed str.isdigit(), then int() raised
    text = interchange([("850", PO_BODY)])
    for old, new in (
        ("*20260301*1015*", "*20260301*10\u00b95*"),  # GS05
        ("*20260301*1015*", "*2026030\u00b2*1015*"),  # GS04
        ("GE*1*", "GE*\u00b9*"),
        ("IEA*1*", "IEA*\u00b9*"),
    ):
        assert old in text
        result = one(text.replace(old, new, 1))
        assert result.all_errors(), new


def test_ak902_falls_back_to_the_sets_received_when_ge01_cannot_fit() -> None:
    # found by the x12_interchange fuzz target: a GE01 of 20111205 went into AK902 (N0 1-6)
    text = interchange([("850", PO_BODY)]).replace("GE*1*", "GE*20111205*", 1)
    assert "AK9*E*1*1*1*5" in ack_lines(one(text).ack_997)
