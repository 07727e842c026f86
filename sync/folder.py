"""Drop-folder channels: the endpoint is a directory, a delivery is one file in it.

The pure half: which endpoints are folders, how an admin's path becomes the stored endpoint,
the one file name a delivery may have, and which file-system errors are worth retrying. The
writing itself (temp file, fsync, rename) is ``gateway.sync_folder``.

Endpoints are stored as ``file://`` URIs (RFC 8089) in the channel's URL columns, so a
breaker, the failover choice and the health view treat a directory like any other endpoint,
and a channel's kind is read from its endpoint's scheme.
"""

from __future__ import annotations

import errno
import posixpath
import re
from enum import StrEnum
from urllib.parse import quote, unquote, urlsplit

from sync.delivery import Verdict

FILE_SCHEME = "file"
MAX_ENDPOINT = 500  # the width of the channel's URL columns


class ChannelKind(StrEnum):
    HTTP = "http"  # HTTPS (or HTTP) POST
    FOLDER = "folder"  # a file in a directory: a local disk or a mounted share


class BadEndpoint(ValueError):
    """An endpoint that does not fit its channel kind (a relative path, a URL for a folder)."""


def kind_of(endpoint: str) -> ChannelKind:
    """The kind of channel a stored endpoint belongs to."""
    return ChannelKind.FOLDER if endpoint.startswith(f"{FILE_SCHEME}:") else ChannelKind.HTTP


def channel_endpoint(kind: ChannelKind | str, value: str) -> str:
    """The endpoint to store for ``value`` given by an admin, or ``BadEndpoint``.

    HTTP: an ``http(s)://`` URL, kept as given. Folder: an absolute directory path (or a
    ``file:///`` URI), normalised, without ``..`` and NUL; stored as a ``file://`` URI.
    """
    kind = ChannelKind(kind)
    if kind is ChannelKind.HTTP:
        if not re.match(r"^https?://[^/\s]", value):
            raise BadEndpoint(f"an HTTP channel needs an http(s):// URL, not {value!r}")
        if len(value) > MAX_ENDPOINT:
            raise BadEndpoint(f"a URL may be at most {MAX_ENDPOINT} characters")
        return value
    path = unquote(urlsplit(value).path) if value.startswith(f"{FILE_SCHEME}:") else value
    if value.startswith(f"{FILE_SCHEME}:") and urlsplit(value).netloc not in ("", "localhost"):
        raise BadEndpoint(f"a folder must be on this machine (a mounted share): {value!r}")
    if "\0" in path or not path.startswith("/"):
        raise BadEndpoint(f"a folder channel needs an absolute directory path, not {value!r}")
    if ".." in path.split("/"):
        raise BadEndpoint(f"a folder path may not contain '..': {value!r}")
    normal = posixpath.normpath(path)
    if normal.startswith("//"):  # POSIX keeps a leading '//' as implementation-defined
        normal = "/" + normal.lstrip("/")
    stored = f"{FILE_SCHEME}://{quote(normal)}"
    if len(stored) > MAX_ENDPOINT:
        raise BadEndpoint(f"a folder path may be at most {MAX_ENDPOINT} characters as a URI")
    return stored


def folder_path(endpoint: str) -> str:
    """The directory a stored ``file://`` endpoint names."""
    if kind_of(endpoint) is not ChannelKind.FOLDER:
        raise BadEndpoint(f"not a folder endpoint: {endpoint!r}")
    path = unquote(urlsplit(endpoint).path)
    if not path.startswith("/"):
        raise BadEndpoint(f"a folder endpoint must name an absolute directory: {endpoint!r}")
    return path


_DELIVERY_ID = re.compile(r"^[0-9a-f]{32}$")


def file_name(delivery_id: str, document_type: str, content_type: str) -> str:
    """``<delivery id>.<document type>.<extension>``, e.g. ``3f2c….850.x12``.

    Built only from the delivery id (32 hex digits, made by the outbox) and the document
    type reduced to ``[a-z0-9-]``: nothing a partner sent reaches the name, so it cannot
    leave the directory, and the same delivery always gets the same name.
    """
    if not _DELIVERY_ID.match(delivery_id):
        raise BadEndpoint(f"not a delivery id: {delivery_id!r}")
    kind = re.sub(r"[^a-z0-9]+", "-", document_type.lower()).strip("-")[:40] or "any"
    return f"{delivery_id}.{kind}.{_extension(document_type, content_type)}"


def _extension(document_type: str, content_type: str) -> str:
    media = content_type.split(";")[0].strip().lower()
    if document_type.startswith("json:") or media.endswith(("/json", "+json")):
        return "json"
    if document_type.isdigit() or "x12" in media or media == "application/edi":
        return "x12"
    if media.endswith(("/xml", "+xml")):
        return "xml"
    if media.startswith("text/"):
        return "txt"
    return "bin"


# The message is what is wrong: the same file fails on any directory, so retrying and
# failing over cannot help and the directory is not at fault (like an HTTP 4xx).
_PERMANENT = frozenset(
    code
    for code in (getattr(errno, name, None) for name in ("EFBIG", "ENAMETOOLONG"))
    if code is not None
)


def classify_os_error(code: int | None) -> Verdict:
    """Transient unless the file itself is the problem.

    A missing directory (an unmounted share), a permission denied or a read-only file system
    (a share remounted, an ACL changed), a full disk or quota, an I/O or stale-handle error:
    all are the directory being unwell, an admin's fix away, and the next attempt or the
    secondary directory may succeed, so they are retried, count against the directory's
    breaker and fail over. Only a file too big for the file system or a name it refuses is
    permanent.
    """
    return Verdict.PERMANENT if code in _PERMANENT else Verdict.TRANSIENT
