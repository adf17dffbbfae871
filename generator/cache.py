"""Work already done, keyed by exactly what it was done on.

A key is a hash of the inputs (a file's bytes and path, the registries, the templates, the
settings), never a name or a time, so a cache hit gives the very result the work would give.
`socialcal build` keeps the cache in .socialcal-cache/ (git-ignored); `socialcal serve` keeps it
in memory between rebuilds.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from pathlib import Path

from . import __version__

FORMAT = 1


def _key() -> bytes:
    """A secret of this user's, outside any repository, created on first use."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "socialcal"
    path = home / "cache-key"
    try:
        return path.read_bytes()
    except OSError:
        home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        return key


def _sign(payload: bytes) -> bytes:
    return hmac.new(_key(), payload, hashlib.sha256).digest()


def _code_stamp() -> str:
    """The generator's own source: a cache made by other code is not reused (matters when
    developing socialcal itself, where the version number does not change with every edit)."""
    package = Path(__file__).parent
    return digest(sorted((p.relative_to(package).as_posix(), p.read_bytes()) for p in package.rglob("*.py")))


def digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._store: dict[str, object] = {}
        self._used: set[str] = set()
        if folder is not None:
            self._store = self._read(folder / "cache.pickle")

    @staticmethod
    def _read(path: Path) -> dict[str, object]:
        try:
            data = path.read_bytes()
        except OSError:
            return {}
        # Only a file this user's socialcal signed is unpickled: one planted in the repository
        # (say, committed in a pull request) is ignored, never executed.
        payload = memoryview(data)[32:]
        if not hmac.compare_digest(data[:32], _sign(payload)):
            return {}
        try:
            stamp, store = pickle.loads(payload)
        except (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, OverflowError):
            return {}
        return store if stamp == (FORMAT, __version__, _code_stamp()) and isinstance(store, dict) else {}

    def get(self, key: str) -> object | None:
        value = self._store.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: str, value: object) -> None:
        self._store[key] = value
        self._used.add(key)

    def new_round(self) -> None:
        """Forget what the last build did not use (in-memory caches between serve rebuilds)."""
        self._store = {k: v for k, v in self._store.items() if k in self._used}
        self._used = set()

    def save(self) -> None:
        if self.folder is None:
            return
        kept = {k: v for k, v in self._store.items() if k in self._used}
        self.folder.mkdir(parents=True, exist_ok=True)
        payload = pickle.dumps(((FORMAT, __version__, _code_stamp()), kept), protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".cache-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_sign(payload))
                fh.write(payload)
            os.replace(tmp, self.folder / "cache.pickle")
        except OSError:
            Path(tmp).unlink(missing_ok=True)


class NoCache(Cache):
    """The same interface, remembering nothing: every result is computed."""

    def get(self, key: str) -> object | None:
        return None

    def put(self, key: str, value: object) -> None:
        pass
