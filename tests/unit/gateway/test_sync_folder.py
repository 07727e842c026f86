"""Writing a delivery into a directory: complete files only, one per name, errors as results."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from gateway import sync_folder
from gateway.sync_folder import write_delivery
from sync import Verdict


def test_writes_one_complete_file_and_no_temp_file(tmp_path: Path) -> None:
    result = write_delivery(tmp_path, "a.850.x12", b"ISA*00~")
    assert result.verdict is Verdict.DELIVERED
    assert [p.name for p in tmp_path.iterdir()] == ["a.850.x12"]
    assert (tmp_path / "a.850.x12").read_bytes() == b"ISA*00~"


def test_the_same_name_again_replaces_the_file(tmp_path: Path) -> None:
    write_delivery(tmp_path, "a.850.x12", b"first, longer content")
    assert write_delivery(tmp_path, "a.850.x12", b"second").verdict is Verdict.DELIVERED
    assert [p.name for p in tmp_path.iterdir()] == ["a.850.x12"]
    assert (tmp_path / "a.850.x12").read_bytes() == b"second"


def test_a_missing_directory_is_transient_and_not_created(tmp_path: Path) -> None:
    result = write_delivery(tmp_path / "gone", "a.850.x12", b"x")
    assert result.verdict is Verdict.TRANSIENT
    assert result.error == f"ENOENT: No such file or directory: {tmp_path / 'gone'}"
    assert not (tmp_path / "gone").exists()


def test_a_failed_write_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int, _data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sync_folder.os, "write", full)
    result = write_delivery(tmp_path, "a.850.x12", b"x" * 100)
    assert result.verdict is Verdict.TRANSIENT
    assert result.error is not None and result.error.startswith("ENOSPC: ")
    assert list(tmp_path.iterdir()) == []


def test_a_short_write_is_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def dribble(fd: int, data: memoryview) -> int:
        return real_write(fd, bytes(data[:3]))

    monkeypatch.setattr(sync_folder.os, "write", dribble)
    assert write_delivery(tmp_path, "a.json", b"0123456789").verdict is Verdict.DELIVERED
    assert (tmp_path / "a.json").read_bytes() == b"0123456789"


def test_a_file_too_large_is_permanent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def too_big(_fd: int, _data: object) -> int:
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(sync_folder.os, "write", too_big)
    assert write_delivery(tmp_path, "a.json", b"x").verdict is Verdict.PERMANENT
    assert list(tmp_path.iterdir()) == []


def test_a_link_at_the_final_name_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_bytes(b"keep")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "a.json").symlink_to(outside)
    assert write_delivery(drop, "a.json", b"new").verdict is Verdict.DELIVERED
    assert outside.read_bytes() == b"keep"
    assert not (drop / "a.json").is_symlink()
    assert (drop / "a.json").read_bytes() == b"new"


def test_a_file_where_the_directory_should_be_is_transient(tmp_path: Path) -> None:
    (tmp_path / "in").write_bytes(b"")
    result = write_delivery(tmp_path / "in", "a.json", b"x")
    assert result.verdict is Verdict.TRANSIENT
    assert result.error == f"ENOTDIR: Not a directory: {tmp_path / 'in'}"
