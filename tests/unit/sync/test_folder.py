"""Drop-folder rules: endpoints, file names, and which file-system errors are retried."""

from __future__ import annotations

import datetime as dt
import errno

import pytest

from sync import (
    AttemptResult,
    BadEndpoint,
    ChannelKind,
    RetryPolicy,
    Status,
    Verdict,
    channel_endpoint,
    classify_os_error,
    decide,
    file_name,
    folder_path,
    kind_of,
)

ID = "0123456789abcdef0123456789abcdef"


def test_a_folder_endpoint_is_stored_as_a_file_uri_and_read_back() -> None:
    stored = channel_endpoint("folder", "/mnt/share/partner in/")
    assert stored == "file:///mnt/share/partner%20in"
    assert kind_of(stored) is ChannelKind.FOLDER
    assert folder_path(stored) == "/mnt/share/partner in"
    assert channel_endpoint(ChannelKind.FOLDER, stored) == stored  # idempotent
    assert channel_endpoint("folder", "file://localhost/srv/drop") == "file:///srv/drop"
    assert channel_endpoint("folder", "//srv//drop/./x") == "file:///srv/drop/x"


@pytest.mark.parametrize(
    "value",
    ["relative/dir", "./drop", "/srv/../etc", "/srv/drop/..", "file://host/srv", "/a\0b", ""],
)
def test_a_folder_must_be_an_absolute_local_path_without_dot_dot(value: str) -> None:
    with pytest.raises(BadEndpoint):
        channel_endpoint("folder", value)


def test_http_channels_keep_their_url_and_refuse_paths() -> None:
    assert channel_endpoint("http", "https://edi.example/in") == "https://edi.example/in"
    assert kind_of("https://edi.example/in") is ChannelKind.HTTP
    for value in ("/srv/drop", "file:///srv/drop", "ftp://x/y"):
        with pytest.raises(BadEndpoint):
            channel_endpoint("http", value)
    with pytest.raises(BadEndpoint):
        folder_path("https://edi.example/in")
    with pytest.raises(ValueError):
        channel_endpoint("sftp", "/srv")


@pytest.mark.parametrize(
    ("document_type", "content_type", "name"),
    [
        ("850", "application/edi-x12", f"{ID}.850.x12"),
        ("997", "text/plain", f"{ID}.997.x12"),
        ("json:forecast", "application/json", f"{ID}.json-forecast.json"),
        ("webhook", "application/vnd.x+json; charset=utf-8", f"{ID}.webhook.json"),
        ("*", "application/xml", f"{ID}.any.xml"),
        ("../../etc/passwd", "application/octet-stream", f"{ID}.etc-passwd.bin"),
    ],
)
def test_the_file_name_is_the_delivery_id_and_the_type(
    document_type: str, content_type: str, name: str
) -> None:
    assert file_name(ID, document_type, content_type) == name


@pytest.mark.parametrize("bad", ["../x", "ABC", ID + "0", ID[:-1] + "/"])
def test_only_a_delivery_id_names_a_file(bad: str) -> None:
    with pytest.raises(BadEndpoint):
        file_name(bad, "850", "application/edi-x12")


@pytest.mark.parametrize(
    "code",
    [errno.ENOENT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EIO,
     errno.ESTALE, errno.ENOTDIR, None],
)  # fmt: skip
def test_directory_trouble_is_transient(code: int | None) -> None:
    assert classify_os_error(code) is Verdict.TRANSIENT


@pytest.mark.parametrize("code", [errno.EFBIG, errno.ENAMETOOLONG])
def test_a_file_the_file_system_refuses_is_permanent(code: int) -> None:
    assert classify_os_error(code) is Verdict.PERMANENT


def test_folder_results_drive_the_same_state_machine() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    policy = RetryPolicy(initial_s=1, max_s=10, jitter_s=0)
    written = AttemptResult(None, None, 1.0, Verdict.DELIVERED)
    denied = AttemptResult(None, "EACCES: Permission denied: /srv", 1.0, Verdict.TRANSIENT)
    too_big = AttemptResult(None, "EFBIG: File too large: /srv", 1.0, Verdict.PERMANENT)
    assert decide(written, 1, 3, now, policy).status is Status.DELIVERED
    assert decide(denied, 1, 3, now, policy).status is Status.PENDING
    assert decide(denied, 3, 3, now, policy).reason == (
        "gave up after 3 attempts: EACCES: Permission denied: /srv"
    )
    assert decide(too_big, 1, 3, now, policy).reason == (
        "permanent error: EFBIG: File too large: /srv"
    )


def test_an_endpoint_must_fit_its_column() -> None:
    assert channel_endpoint("folder", "/" + "a" * 490) == "file:///" + "a" * 490
    with pytest.raises(BadEndpoint):
        channel_endpoint("folder", "/" + " " * 200)  # %20 each: too long once quoted
    with pytest.raises(BadEndpoint):
        channel_endpoint("http", "https://x/" + "a" * 500)
    with pytest.raises(ValueError):  # not encodable: refused rather than stored
        channel_endpoint("folder", "/srv/\udc80")
