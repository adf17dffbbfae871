"""Errors that end a command with a message rather than a diagnostic. Kept free of imports beyond
the standard library so the command line can catch them without loading the models."""

from __future__ import annotations

import errno
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path


class ConfigError(Exception):
    """A registry or setting cannot be used; the message names the file and what to fix."""


# Failures that only writing meets, and what the user is told (exit code 74, EX_IOERR).
CANNOT_WRITE = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system or the process's limit",
    errno.EROFS: "read-only file system",
}


class WriteError(OSError):
    """An output could not be written (disk full, read-only, no permission): the command stops
    with exit code 74 naming the file, never as a usage error (2) or a bug (70)."""


@contextmanager
def writing(path: Path | str, only: Collection[int] | None = None) -> Iterator[None]:
    """An OSError in the block is a WriteError naming the file being written: the one the error
    names as its destination (a copy's or a rename's second file, else its file), else `path`.
    `only`: convert only those errnos (a block that also reads: a file it cannot read is not a
    failure to write)."""
    try:
        yield
    except WriteError:
        raise
    except OSError as exc:
        if only is not None and exc.errno not in only:
            raise
        where = exc.filename2 or exc.filename or path
        raise WriteError(exc.errno, exc.strerror or str(exc), str(where)) from exc


def write_failure(exc: OSError) -> str | None:
    """What to say when an output could not be written (disk full, read-only, no permission to
    write), naming the file; None when `exc` is another failure."""
    if not isinstance(exc, WriteError) and exc.errno not in CANNOT_WRITE:
        return None
    where = exc.filename2 or exc.filename  # a copy's or a rename's destination, else its file
    reason = CANNOT_WRITE.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    detail = f" ({exc.strerror})" if exc.strerror and exc.strerror.lower() != reason else ""
    return f"cannot write {where if where else 'its output'}: {reason}{detail}"
