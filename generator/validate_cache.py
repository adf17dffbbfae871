"""What `socialcal validate` keeps between runs: each content file's parsed front-matter and what
the file rules said of it, so an unchanged file is neither parsed nor checked again.

Plain data only: one JSON file, `.socialcal-cache/checked.json`, of strings, numbers, lists and
mappings, never pickle or code. An entry is found by the hash of the file's path, kind and bytes;
the whole file is used only under the same format, the same socialcal (its
code) and the same registries (content/*.yml). Everything read back is checked for its types and
rebuilt through the project's own constructors (a diagnostic by its rule: the severity is the
rule's; the models by the loader, as from a parsed file); anything unexpected, and the cache is
not used. The cross-file rules run every time.

Fail closed: the cache is neither read nor written when git tracks anything in the folder (a
pull request put it there), when git cannot say (`media._cache_distrusted`), when the folder or
the file is a link, or when it is larger than `MAX_BYTES`. CI starts without one (a fresh checkout).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .content_file import Source
from .diagnostics import Diagnostic, Pos
from .validate_replay import tool_digest, write_cache_file

FORMAT = 1
NAME = "checked.json"
MAX_BYTES = 512 * 1024 * 1024  # 30,000 posts take about 45 MB; a larger file is not read
_MAX_DEPTH = 64  # nesting of a front-matter value read back (a YAML file nests far less)

Entry = dict[str, object]
HIT = "hit"  # in place of an entry: the last run's was used (a string: it crosses from a forked child)


def cache_folder(root: Path) -> Path:
    from .project import CACHE_DIR

    return root / CACHE_DIR


def _registries_digest(content: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(content.glob("*.yml")):
        digest.update(file.name.encode() + b"\0")
        with file.open("rb") as fh:
            digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()


def file_key(path: str, kind: str, data: bytes) -> str:
    return hashlib.sha256(f"{path}\0{kind}\0".encode() + data).hexdigest()


class ValidateCache:
    """Entries of the last run, and those of this run (only they are written back)."""

    def __init__(self, folder: Path, stamp: dict[str, object], entries: dict[str, object]) -> None:
        self.folder, self.stamp, self.old = folder, stamp, entries
        self.new: dict[str, Entry] = {}

    @classmethod
    def open(cls, root: Path, content: Path) -> ValidateCache | None:
        """The cache of this repository, or None when it may not be used (see the module)."""
        from .thumbnails import _cache_distrusted, _plain_folder

        folder = cache_folder(root)
        if not _plain_folder(folder) or _cache_distrusted(root, folder) is not None:
            return None
        stamp = {"format": FORMAT, "tool": tool_digest(), "registries": _registries_digest(content)}
        return cls(folder, stamp, _read(folder / NAME, stamp))

    def get(self, key: str, path: str) -> tuple[Source | None, list[Diagnostic], list[Diagnostic]] | None:
        """The file's parsed source (None: it could not be parsed), what reading it said and what
        the file rules said; None when there is no usable entry. (It may run in a forked child:
        what this run used is told to `keep`, in the parent.)"""
        entry = self.old.get(key)
        if entry is None:
            return None
        try:
            return _entry(entry, path)
        except (TypeError, ValueError, KeyError, RecursionError):
            return None

    def keep(self, used: Iterable[tuple[str, Entry | str | None] | None]) -> None:
        """What this run used, to write back: a new entry, or `HIT` for the last run's."""
        for item in used:
            if item is None:
                continue
            key, entry = item
            if entry == HIT:
                self.new[key] = self.old[key]  # type: ignore[assignment]
            elif isinstance(entry, dict):
                self.new[key] = entry

    def save(self) -> None:
        """Written whole (a temporary file renamed over it); only what this run saw. Never fatal.
        Written by a forked child (`parallel.fork`) while the process goes on with the cross-file
        rules and its output: a cold run (CI) does not wait for it."""
        if self.new.keys() == self.old.keys():
            return  # nothing changed since the last run
        from .parallel import fork

        pid = fork()
        if pid:
            _reap(pid)
            return
        try:
            if pid == 0:  # pragma: no cover - the child; tests write in the process (SOCIALCAL_JOBS=1)
                _detach()
            self._write()
        finally:
            if pid == 0:  # pragma: no cover
                os._exit(0)

    def _write(self) -> None:
        write_cache_file(self.folder / NAME, {**self.stamp, "files": self.new})


def _detach() -> None:
    """The writing child lets go of the terminal or pipe it was given: whoever reads the command's
    output (CI, a test, the benchmark) sees its end when the command ends, not when the cache is written."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)


def _reap(pid: int) -> None:
    """Collect the writing child when it ends (a long-lived caller keeps no zombie); a command
    that ends first leaves it to the system."""
    import threading

    def wait() -> None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)

    threading.Thread(target=wait, daemon=True, name="validate-cache-writer").start()


def _read(file: Path, stamp: dict[str, object]) -> dict[str, object]:
    """The entries of a cache file written under the same stamp; {} for anything else."""
    try:
        if file.is_symlink() or not file.is_file() or file.stat().st_size > MAX_BYTES:
            return {}
        with file.open("rb") as fh:
            data = json.loads(fh.read(MAX_BYTES + 1))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or any(data.get(k) != v for k, v in stamp.items()):
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


# Writing an entry ------------------------------------------------------------------------------


def entry_of(source: Source | None, read: list[Diagnostic], checked: list[Diagnostic]) -> Entry | None:
    """A file's entry in plain data; None when its values would not come back the same (a YAML
    date or a number as a mapping key: JSON has neither), and the file is checked every time."""
    if source is not None and not _faithful(source.meta, 0):
        return None
    return {
        "source": None if source is None else _source_data(source),
        "read": [_diagnostic_data(d) for d in read],
        "checked": [_diagnostic_data(d) for d in checked],
    }


def _faithful(value: object, depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if type(value) is list:
        return all(_faithful(v, depth + 1) for v in value)
    if type(value) is dict:
        return all(isinstance(k, str) and _faithful(v, depth + 1) for k, v in value.items())
    return False


def _source_data(source: Source) -> dict[str, object]:
    return {
        "meta": source.meta,
        "body": source.body,
        "body_line": source.body_line,
        "keys": {k: list(p) for k, p in source.keys.items()},
        "values": {k: list(p) for k, p in source.values.items()},
        "items": {k: [list(p) for p in ps] for k, ps in source.items.items()},
        "raw": source.raw,
    }


def _diagnostic_data(d: Diagnostic) -> list[object]:
    return [d.code, d.line, d.col, d.message, d.hint]


# Reading an entry back: every value checked; any surprise raises (then the file is checked) ----


def _entry(entry: object, path: str) -> tuple[Source | None, list[Diagnostic], list[Diagnostic]]:
    entry = _dict(entry)
    raw_source = entry["source"]
    source = None if raw_source is None else _source(_dict(raw_source))
    return source, _diagnostics(entry["read"], path), _diagnostics(entry["checked"], path)


def _source(data: dict[str, object]) -> Source:
    meta = _dict(data["meta"])
    for key, value in meta.items():
        if type(key) is not str or (type(value) is not str and not _plain(value, 0)):
            raise TypeError("a front-matter value was expected")
    return Source(
        meta=meta,
        body=_str(data["body"]),
        body_line=_int(data["body_line"]),
        keys=_positions(data["keys"]),
        values=_positions(data["values"]),
        items={_str(k): [_pos(p) for p in _list(ps)] for k, ps in _dict(data["items"]).items()},
        raw={_str(k): _str(v) for k, v in _dict(data["raw"]).items()},
    )


def _positions(data: object) -> dict[str, Pos]:
    # The hot loop of an unchanged run (ten positions a file): checked inline.
    out = {}
    for key, pos in _dict(data).items():
        if type(key) is not str or type(pos) is not list or len(pos) != 2:
            raise TypeError("a position was expected")
        line, col = pos
        if type(line) is not int or type(col) is not int or line < 0 or col < 0:
            raise TypeError("a position was expected")
        out[key] = Pos(line, col)
    return out


def _diagnostics(items: object, path: str) -> list[Diagnostic]:
    from .rules.catalogue import RULES
    from .rules.core import Scope

    out = []
    for item in _list(items):
        code, line, col, message, hint = _list(item)
        rule = RULES[_str(code)]
        if rule.scope is Scope.CORPUS:  # those are never kept: they depend on the other files
            raise ValueError(code)
        out.append(rule.at(path, Pos(_int(line), _int(col)), _str(message), _str(hint)))
    return out


def _plain(value: object, depth: int) -> bool:
    """A value YAML could have given and JSON keeps: True, else TypeError."""
    if depth > _MAX_DEPTH:
        raise ValueError("too deep")
    if type(value) is list:
        for v in value:
            _plain(v, depth + 1)
    elif type(value) is dict:
        for k, v in value.items():
            _str(k)
            _plain(v, depth + 1)
    elif not (value is None or type(value) in (str, bool, int, float)):
        raise TypeError(type(value).__name__)
    return True


def _pos(value: object) -> Pos:
    line, col = _list(value)
    return Pos(_int(line), _int(col))


def _dict(value: object) -> dict[str, object]:
    if type(value) is not dict:
        raise TypeError("a mapping was expected")
    return value


def _list(value: object) -> list[object]:
    if type(value) is not list:
        raise TypeError("a list was expected")
    return value


def _str(value: object) -> str:
    if type(value) is not str:
        raise TypeError("a string was expected")
    return value


def _int(value: object) -> int:
    if type(value) is not int or not 0 <= value < 1 << 31:
        raise TypeError("a line or column number was expected")
    return value
