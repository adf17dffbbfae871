"""`socialcal validate` when nothing it reads has changed since its last run: the last result,
printed again without loading the rules, the registries or a single post.

The last run leaves `.socialcal-cache/result.json`: its diagnostics (plain JSON values) under a
key made of everything the result depends on:
- the repository's inputs, by their file-system signature (`os.lstat`: type, size, modification
  and change times in nanoseconds, inode), never by reading them: every file and folder under
  content/ and templates/, the files at the top of the repository (frontmatter.json, mkdocs.yml …),
  and each path of a medium a post names (each component: a link is refused, a missing file
  warned of);
- the day (the rules about time passing), in the calendar's zone as the last run found it in
  the registries (they are in the key, so the zone is too);
- socialcal (its version and its code, `tool_digest`), the Python running it and the installed
  packages (the modification time of each folder of `sys.path`: installing or removing a
  package changes it).

A change time cannot be set back by a program, so an edit always changes the key. A file written
in the two seconds before the last run began may have been changed again within one tick of the
file system's clock; that run then writes no result (git calls this "racily clean").

Fail closed, as for the per-file cache (validate_cache.py): not used when git tracks anything in
the folder or cannot say, when the folder or the file is a link, when the file is larger than
`MAX_BYTES` or anything in it has an unexpected type. Not used with --changed-since or --summary
(they need the calendar), nor in a repository with pages/ of its own (the names they may not take
depend on the installed theme).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, Severity, format_text
from .media_files import _parts

FORMAT = 1
NAME = "result.json"
MAX_BYTES = 64 * 1024 * 1024
# Coarse file-system clocks (FAT: 2 s; most others: a kernel tick): a file changed this close to
# the start of a run may be changed again without its times moving.
RACY_NS = 2_000_000_000
_WALKED = ("content", "templates")


def write_cache_file(target: Path, data: object) -> None:
    """A cache file written whole (a temporary file beside it, renamed over it), never through a
    link, never fatal. `dumps`, not `dump`: only a whole string is made by json's C encoder (8
    times faster for 10,000 files)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if target.is_symlink():
            return
        with open(tmp, "x", encoding="utf-8") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        os.replace(tmp, target)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            tmp.unlink()


def tool_digest() -> str:
    """socialcal's code as installed (names, sizes and times of its modules): a changed rule is a
    changed tool, also in a checkout where the version number stays the same. Not the version
    number itself: installing a release writes its modules anew (new times), and no rule reads
    the number (looking it up scans every installed distribution: a third of a replay)."""
    said: list[str] = []
    stack = [os.path.dirname(os.path.realpath(__file__))]
    while stack:
        folder = stack.pop()
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name.endswith(".py"):
                st = entry.stat()
                said.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
            elif entry.is_dir() and entry.name != "__pycache__":
                stack.append(entry.path)
    return hashlib.sha256("\n".join(said).encode()).hexdigest()


def _environment() -> str:
    digest = hashlib.sha256(f"{sys.version}\0{sys.executable}\0{tool_digest()}\0".encode())
    # Installing or removing a package changes its folder's time (not the script's folder or
    # the working directory, which sys.path may also hold: their times say nothing of packages).
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            with contextlib.suppress(OSError):
                digest.update(f"{entry}:{os.stat(entry).st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass
class Snapshot:
    """The signature of the inputs, and the latest change time seen (for the racy check)."""

    files: str  # content/, templates/ and the files at the top
    media: str  # the media the posts name
    newest_ns: int
    pages: bool  # the repository has pages/ of its own


class _Signatures:
    """Entries as names (`f` a file or folder with its five numbers, `e` an error, `d` the end of
    a folder's entries) and the numbers of the `f` entries (mode, size, modification and change
    times, inode), in order: hashed as two byte strings, without a line of text per file."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.numbers = array("q")

    def stat(self, name: str, st: os.stat_result) -> None:
        self.names.append("f" + name)
        self.numbers.extend((st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))

    def path(self, name: str, path: str) -> None:
        try:
            self.stat(name, os.lstat(path))
        except OSError as exc:
            self.names.append(f"e{name}\0{exc.errno}")

    def digest(self) -> str:
        h = hashlib.sha256("\0".join(self.names).encode("utf-8", "surrogatepass"))
        h.update(self.numbers.tobytes())
        return h.hexdigest()

    def newest(self) -> int:
        return max(max(self.numbers[2::5], default=0), max(self.numbers[3::5], default=0))


def snapshot(root: Path, media: Iterable[str] = ()) -> Snapshot:
    """Every input's signature, hashed. `media`: the paths of media the posts name."""
    files = _Signatures()
    top = str(root)
    with contextlib.suppress(OSError):
        for entry in sorted(os.scandir(top), key=lambda e: e.name):
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISDIR(st.st_mode):
                files.stat(entry.name, st)
    for name in _WALKED:
        files.path(name, os.path.join(top, name))
        # Links are listed, never followed (the loader refuses them: SC009). A stack, not
        # recursion: a hostile tree may nest deeper than Python's recursion limit.
        stack = [(name, os.path.join(top, name))]
        while stack:
            rel, path = stack.pop()
            try:
                entries = sorted(os.scandir(path), key=lambda e: e.name)
            except NotADirectoryError:
                continue
            except OSError as exc:
                files.names.append(f"e{rel}\0{exc.errno}")
                continue
            for entry in entries:
                st = entry.stat(follow_symlinks=False)
                files.stat(entry.name, st)
                if stat.S_ISDIR(st.st_mode):
                    stack.append((f"{rel}/{entry.name}", entry.path))
            files.names.append("d" + rel)
    named = _Signatures()
    for src in sorted(set(media)):
        parts, problem = _parts(src)
        for i in range(len(parts) if problem is None else 0):
            named.path("/".join(parts[: i + 1]), os.path.join(top, *parts[: i + 1]))
    newest = max(files.newest(), named.newest())
    return Snapshot(files.digest(), named.digest(), newest, os.path.lexists(os.path.join(top, "pages")))


def key(inputs: Snapshot, today: dt.date, tz: str) -> str:
    said = f"{FORMAT}\0{_environment()}\0{inputs.files}\0{inputs.media}\0{today}\0{tz}"
    return hashlib.sha256(said.encode()).hexdigest()


@dataclass(frozen=True)
class Replayed:
    """What `socialcal validate` prints and reports of a result: its diagnostics, the number of
    files checked and the paths it knows (for PATHS); or, when only the whole result in text is
    asked for, that text as the run printed it and whether it had errors."""

    diagnostics: tuple[Diagnostic, ...]
    files: int
    known: frozenset[str]
    text: str | None = None
    failed: bool = False


def _trusted_folder(root: Path) -> Path | None:
    from .project import CACHE_DIR
    from .thumbnails import _cache_distrusted, _plain_folder

    folder = root / CACHE_DIR
    if not _plain_folder(folder) or _cache_distrusted(root, folder) is not None:
        return None
    return folder


def replay(root: Path, whole_text: bool = False) -> Replayed | None:
    """The last run's result, when nothing it depended on changed; else None. `whole_text`: the
    text of every diagnostic is what is wanted (no diagnostic is rebuilt: the text is kept)."""
    if os.environ.get("SOCIALCAL_NO_REPLAY"):
        return None
    folder = _trusted_folder(root)
    if folder is None:
        return None
    file = folder / NAME
    try:
        if file.is_symlink() or not file.is_file() or file.stat().st_size > MAX_BYTES:
            return None
        with file.open("rb") as fh:
            data = json.loads(fh.read(MAX_BYTES + 1))
        if type(data) is not dict or data.get("format") != FORMAT:
            return None
        tz, media = data["tz"], data["media"]
        if type(tz) is not str or type(media) is not list or any(type(m) is not str for m in media):
            return None
        inputs = snapshot(root, media)
        if inputs.pages or data.get("key") != key(inputs, _today(tz), tz):
            return None
        return _replayed(data, whole_text)
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None


def _today(tz: str) -> dt.date:
    """The day as the plan's clock gives it (SOCIALCAL_TODAY pins it), in the zone `tz`."""
    pinned = os.environ.get("SOCIALCAL_TODAY")
    if pinned:
        return dt.date.fromisoformat(pinned)  # a bad value: ValueError, and the full run says why
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(tz)).date()


_SEVERITIES = frozenset(str(s) for s in Severity)


def _replayed(data: dict[str, object], whole_text: bool) -> Replayed:
    """The result read back, every value of an expected type and range (else TypeError): the
    diagnostics are rebuilt only when they are printed one by one."""
    files, known, items, text, failed = data["files"], data["known"], data["diagnostics"], data["text"], data["failed"]
    if type(files) is not int or files < 0 or type(known) is not list or type(items) is not list:
        raise TypeError("unexpected result")
    if type(text) is not str or type(failed) is not bool or not all(type(k) is str for k in known):
        raise TypeError("unexpected result")
    for item in items:
        if type(item) is not list or len(item) != 7:
            raise TypeError("a diagnostic was expected")
        path, line, col, severity, code, message, hint = item
        if not all(type(v) is str for v in (path, severity, code, message, hint)) or severity not in _SEVERITIES:
            raise TypeError("a diagnostic was expected")
        if not all(type(v) is int and 0 <= v < 1 << 31 for v in (line, col)):
            raise TypeError("a diagnostic was expected")
    if whole_text:
        return Replayed((), files, frozenset(), text, failed)
    diagnostics = tuple(Diagnostic(p, ln, c, Severity(sv), cd, m, h) for p, ln, c, sv, cd, m, h in items)  # type: ignore[misc]
    return Replayed(diagnostics, files, frozenset(known))  # type: ignore[arg-type]


class Recorder:
    """A full run's inputs, taken before it reads anything, and its result written after."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.started_ns = time.time_ns()
        self.folder = _trusted_folder(root)
        # Media are known only after the run; their signatures are taken then (a medium changed
        # during the run gives a key that the next run does not find: it runs in full).
        self.inputs = snapshot(root) if self.folder is not None else None

    def save(self, result: Replayed, media: Iterable[str], today: dt.date, tz: str) -> None:
        """Written whole (a temporary file renamed over it); never fatal."""
        if self.folder is None or self.inputs is None or self.inputs.pages:
            return
        media = sorted(set(media))
        inputs = snapshot(self.root, media)
        if inputs.newest_ns >= self.started_ns - RACY_NS:
            return  # something changed too recently to be told apart from a change to come
        if inputs.files != self.inputs.files:
            return  # a file changed while the run read it
        data = {
            "format": FORMAT,
            "key": key(inputs, today, tz),
            "tz": tz,
            "media": media,
            "files": result.files,
            "known": sorted(result.known),
            "text": format_text(result.diagnostics, result.files),
            "failed": any(d.is_error for d in result.diagnostics),
            "diagnostics": [
                [d.path, d.line, d.col, str(d.severity), d.code, d.message, d.hint] for d in result.diagnostics
            ],
        }
        write_cache_file(self.folder / NAME, data)
