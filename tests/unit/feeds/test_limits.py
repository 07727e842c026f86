"""Size limits: a 200 MB file is refused without being read into memory."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from adapters.api.feeds import FileFormat, FileTooLarge, Limits, default_mapping, read_limited
from adapters.api.feeds.feed import read_table
from adapters.api.feeds.source import CHUNK
from gateway.drop_folder import _read_no_follow

MB = 1024 * 1024


class Endless(io.RawIOBase):
    """A 200 MB CSV stream made up on demand, counting what was taken from it."""

    def __init__(self, size: int = 200 * MB) -> None:
        self.left, self.taken = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left)
        buffer[:count] = b"x" * count
        self.left -= count
        self.taken += count
        return count


def test_a_200_mb_stream_is_refused_after_the_limit() -> None:
    stream = Endless()
    with pytest.raises(FileTooLarge, match="the 10485760-byte limit"):
        read_limited(io.BufferedReader(stream), 10 * MB)
    assert stream.taken <= 10 * MB + 2 * CHUNK  # never the whole 200 MB


def test_a_200_mb_file_in_the_drop_folder_is_refused_from_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(200 * MB)  # sparse: takes no disk space
    with pytest.raises(FileTooLarge):
        _read_no_follow(big, 10 * MB)


def test_the_symlink_swapped_in_after_a_scan_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("secret")
    (tmp_path / "link.csv").symlink_to(tmp_path / "secret")
    with pytest.raises(OSError):
        _read_no_follow(tmp_path / "link.csv", MB)


def test_bytes_over_the_limit_are_refused_by_every_reader() -> None:
    with pytest.raises(FileTooLarge):
        read_table(b"a,b\n" * 1001, FileFormat.CSV, default_mapping("receipt"), Limits(4000))
