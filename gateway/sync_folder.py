"""Write one delivery into a drop folder, atomically; errors become results, not raises.

Order, so that a partner's pickup never sees a partial file:

1. open a temp file ``.<final name>.<random>.tmp`` in the target directory itself
   (``O_CREAT | O_EXCL | O_NOFOLLOW``: never an existing file, never through a link);
2. write every byte, ``fsync`` the file;
3. ``os.replace`` it onto the final name (atomic within one file system; a name already
   there, from an earlier attempt of the same delivery, is replaced: one file per delivery);
4. ``fsync`` the directory, so the rename itself survives a crash.

Any failure removes the temp file. The directory is never created: a missing directory is
usually an unmounted share, and writing into the bare mount point would hide the outage.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import time
from pathlib import Path

from sync import AttemptResult, Verdict, classify_os_error

_FILE_MODE = 0o644  # the partner's pickup account reads it (the umask still applies)


def write_delivery(directory: str | Path, name: str, body: bytes) -> AttemptResult:
    """Write ``body`` as ``directory/name``; the result says delivered, transient or permanent."""
    started = time.perf_counter()
    folder = Path(directory)
    try:
        _write_atomically(folder, name, body)
    except OSError as error:
        verdict = classify_os_error(error.errno)
        return AttemptResult(None, _describe(error, folder), _ms(started), verdict)
    return AttemptResult(None, None, _ms(started), Verdict.DELIVERED)


def _write_atomically(folder: Path, name: str, body: bytes) -> None:
    # stat follows links (an admin may point at a linked share) and raises ENOENT or EACCES
    if not stat.S_ISDIR(os.stat(folder).st_mode):
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temp, flags, _FILE_MODE)
    try:
        try:
            view = memoryview(body)
            while view:  # os.write may write less than asked (signals, pipes, quotas)
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temp, folder / name)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_directory(folder)


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(descriptor)
    except OSError as error:
        # Some shares (SMB/CIFS, some FUSE) refuse fsync on a directory; the rename is done.
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(descriptor)


def _describe(error: OSError, folder: Path) -> str:
    """``EACCES: Permission denied: /mnt/share/in`` (the directory, never the temp name)."""
    if not error.errno:
        return f"{type(error).__name__}: {error}: {folder}"
    return f"{errno.errorcode.get(error.errno, 'OSError')}: {os.strerror(error.errno)}: {folder}"


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
