"""Writing the user's files: whole or not at all, never through a symbolic link, never over an edit.

Every command that writes a file of the repository goes through `write` (results import,
editor-config, schema --all, new post and campaign, the issue form's post):

- the bytes go to a temporary file in the same folder, flushed to the disk, then `os.replace`
  puts it in place (and the folder is flushed too): a full disk or a file-size limit leaves the
  old file as it was, never a cut one, and no temporary file behind;
- the file must still hold the bytes it had when it was read (`expected`), checked just before
  the replacement: an edit saved meanwhile is kept and the file reported as not written;
- a new file (`expected=None`) is put in place only if none appeared meanwhile (a hard link,
  which never replaces);
- no symbolic link is followed inside `root` (the repository): each folder is opened relative to
  the one above with O_NOFOLLOW, so a committed link (`schemas/`, `frontmatter.json`) cannot make
  a command write outside. `root` itself is the user's choice and is followed.

`Writes` keeps what a command with several files wrote and did not write, to say so at the end.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import one_line

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
# O_NONBLOCK: a FIFO planted where a file is expected must not hang the command (no effect on files).
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
# Where a file system has no hard links, a new file is written in place (exclusively) instead.
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})


class NotWritten(Exception):
    """A file left as it was, and why. `usage`: the set-up is wrong (a link, a folder where a
    file goes): exit code 2; otherwise (changed meanwhile, disk full) exit code 1."""

    def __init__(self, path: Path, reason: str, hint: str = "", usage: bool = False) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.hint, self.usage = path, reason, hint, usage


class Exists(NotWritten):
    """A new file's name is taken (it appeared since the command looked)."""


def _inside(root: Path, path: Path) -> tuple[str, ...]:
    """The names from `root` down to `path`, which must lie inside it (no '..', no '.')."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        raise NotWritten(path, f"it is outside {root}", usage=True) from None
    if any(p in ("..", ".") for p in parts):
        raise NotWritten(path, "its path goes up a folder ('..')", usage=True)
    return parts


def linked_component(root: Path, path: Path) -> Path | None:
    """The first symbolic link among `path` and its folders below `root` (compared as written,
    not resolved), or None. `path` outside `root`: only `path` itself is looked at."""
    parts = path.parts
    start = len(root.parts) if path.is_relative_to(root) else len(parts) - 1
    for n in range(max(start, 1), len(parts)):
        prefix = Path(*parts[: n + 1])
        if prefix.is_symlink():
            return prefix
    return None


def _linked(path: Path, link: Path, root: Path) -> NotWritten:
    what = "it is" if link == path else f"{link.relative_to(root).as_posix()} is"
    return NotWritten(
        path,
        f"{what} a symbolic link (SC009); socialcal never writes through a link",
        "replace the link by a real file or folder, or remove it",
        usage=True,
    )


def _refusal(root: Path, target: Path, here: Path, name: str, dir_fd: int, exc: OSError) -> NotWritten:
    """Why `name` in the folder `here` (on the way to `target`) could not be opened: a link, not
    a folder, or the system's words."""
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        return _linked(target, here / name, root)
    if st is not None and not stat.S_ISDIR(st.st_mode) and here / name != target:
        return NotWritten(target, f"{(here / name).relative_to(root).as_posix()} is not a folder", usage=True)
    return NotWritten(target, exc.strerror or str(exc))


@contextmanager
def _folder(root: Path, target: Path, create: bool) -> Iterator[int | None]:
    """An open descriptor of `target`'s folder, reached from `root` one name at a time without
    following a link; None when it does not exist and `create` is false."""
    fd = os.open(root, _DIR_FLAGS)
    try:
        here = root
        for name in _inside(root, target.parent):
            try:
                below = os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    yield None
                    return
                try:
                    os.mkdir(name, 0o777, dir_fd=fd)
                except FileExistsError:
                    pass  # made meanwhile: opened (and checked) below like any other
                except OSError as exc:
                    raise _refusal(root, target, here, name, fd, exc) from exc
                try:
                    below = os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
                except OSError as exc:
                    raise _refusal(root, target, here, name, fd, exc) from exc
            except OSError as exc:
                raise _refusal(root, target, here, name, fd, exc) from exc
            os.close(fd)
            fd, here = below, here / name
        yield fd
    finally:
        os.close(fd)


def _read_at(root: Path, dir_fd: int, path: Path) -> bytes | None:
    """The bytes of `path` (its name in the open folder), None when absent; never through a link."""
    try:
        fd = os.open(path.name, _READ_FLAGS, dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _refusal(root, path, path.parent, path.name, dir_fd, exc) from exc
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotWritten(path, "it is not a regular file", usage=True)
        return fh.read()


def read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of an input that must be a file (a post, a registry): a FIFO, socket
    or device planted in its place is refused (OSError), never waited on; a folder is
    IsADirectoryError, as opening it would say. Follows links: the callers refuse those first."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "it is not a regular file (a pipe, a socket or a device)", str(path))
        return fh.read(limit)


def read(path: Path, root: Path) -> bytes | None:
    """The file's bytes now (None when there is none), read the way `write` writes: no link
    followed below `root`. Pass them to `write` as `expected`."""
    with _folder(root, path, create=False) as dir_fd:
        return None if dir_fd is None else _read_at(root, dir_fd, path)


def _digest(data: bytes | None) -> bytes | None:
    return None if data is None else hashlib.sha256(data).digest()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _sync_folder(dir_fd: int) -> None:
    try:
        os.fsync(dir_fd)
    except OSError as exc:  # some file systems cannot flush a folder; the file itself was flushed
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF):
            raise


def _create_in_place(dir_fd: int, path: Path, data: bytes) -> None:
    """A new file where hard links are not available: created exclusively, removed if cut short."""
    try:
        fd = os.open(path.name, _NEW_FLAGS, 0o666, dir_fd=dir_fd)
    except FileExistsError:
        raise Exists(path, "it already exists") from None
    try:
        _write_all(fd, data)
    except BaseException:
        os.unlink(path.name, dir_fd=dir_fd)
        raise
    finally:
        os.close(fd)


def _place(root: Path, dir_fd: int, tmp: str, path: Path, data: bytes, expected: bytes | None) -> None:
    """Put the written temporary file at `path`, if `path` still is as it was read."""
    if expected is None:
        try:
            os.link(tmp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
        except FileExistsError:
            raise Exists(path, "it already exists") from None
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            _create_in_place(dir_fd, path, data)
        return
    if _digest(_read_at(root, dir_fd, path)) != _digest(expected):
        raise NotWritten(
            path,
            "it changed since socialcal read it (an editor saved it, or another command ran); it was left as it is",
            "run the command again",
        )
    os.replace(tmp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)


def _moved(path: Path, expected: bytes | None) -> NotWritten:
    """The file is not where it was when read: created meanwhile (a new file), or removed."""
    if expected is None:
        return Exists(path, "it already exists")
    return NotWritten(path, "it was removed since socialcal read it", "run the command again")


def write(path: Path, data: bytes, root: Path, expected: bytes | None) -> None:
    """Put `data` at `path`, whole or not at all, and only if the file still holds `expected`
    (the bytes `read` gave; None: there must be no file). Raises NotWritten, the file untouched."""
    try:
        with _folder(root, path, create=True) as dir_fd:
            assert dir_fd is not None
            try:
                current: os.stat_result | None = os.stat(path.name, dir_fd=dir_fd, follow_symlinks=False)
            except FileNotFoundError:
                current = None
            if current is not None and stat.S_ISLNK(current.st_mode):
                raise _linked(path, path, root)
            if (current is None) != (expected is None):
                raise _moved(path, expected)
            tmp = f".{path.name}.{secrets.token_hex(4)}.tmp"  # hidden: never taken for content
            fd = os.open(tmp, _NEW_FLAGS, 0o666, dir_fd=dir_fd)
            try:
                try:
                    if current is not None:  # the file keeps its permissions
                        os.fchmod(fd, stat.S_IMODE(current.st_mode))
                    _write_all(fd, data)
                finally:
                    os.close(fd)
                _place(root, dir_fd, tmp, path, data, expected)
                _sync_folder(dir_fd)
            finally:
                with suppress(FileNotFoundError):  # replaced: it is the file now
                    os.unlink(tmp, dir_fd=dir_fd)
    except NotWritten:
        raise
    except FileNotFoundError as exc:  # gone between the check above and the replacement
        raise _moved(path, expected) from exc
    except OSError as exc:
        raise NotWritten(path, f"{exc.strerror or exc}; it was left as it was", _hint(exc)) from exc


def _hint(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "make room on the disk (or raise the file-size limit), then run the command again"
    return "check the folder's permissions, then run the command again"


@dataclass
class Writes:
    """The files a command wrote and those it left as they were, for its closing lines."""

    root: Path
    written: list[Path] = field(default_factory=list)
    failed: list[NotWritten] = field(default_factory=list)

    def write(self, path: Path, data: bytes, expected: bytes | None) -> bool:
        try:
            write(path, data, self.root, expected)
        except NotWritten as exc:
            self.failed.append(exc)
            return False
        self.written.append(path)
        return True

    def put(self, path: Path, data: bytes) -> bool:
        """Write a generated file whatever it held: read just before, so that an edit saved in
        between is still never lost, and a link is refused."""
        try:
            current = read(path, self.root)
        except NotWritten as exc:
            self.failed.append(exc)
            return False
        return self.write(path, data, current)

    def _rel(self, path: Path) -> str:
        return one_line(path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path))

    def problems(self) -> list[str]:
        """One line (and a hint) per file not written."""
        return [problem(exc, self._rel(exc.path)) for exc in self.failed]

    def closing(self) -> str:
        """What was written and what was not, by name: the command's last line."""
        written = ", ".join(self._rel(p) for p in self.written) or "none"
        text = f"Written: {written}."
        if self.failed:
            text += f" Not written: {', '.join(self._rel(e.path) for e in self.failed)}."
        return text

    @property
    def usage(self) -> bool:
        return any(e.usage for e in self.failed)


def problem(exc: NotWritten, shown: str) -> str:
    """`path: not written: why` and the hint, like a diagnostic's two lines."""
    text = f"{one_line(shown)}: not written: {one_line(exc.reason)}"
    return text + (f"\n    hint: {one_line(exc.hint)}" if exc.hint else "")
