"""Work already done, keyed by exactly what it was done on, kept in memory.

A key is a hash of the inputs (a file's bytes and path, the registries, the templates, the
settings), never a name or a time, so a cache hit gives the very result the work would give.
`socialcal serve` keeps one between rebuilds. Nothing is ever written to or read from disk: a
cache file could be planted in a pull request, and a cold build is fast enough without one.
"""

from __future__ import annotations

import hashlib


def digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Cache:
    """Results by key, in this process only."""

    def __init__(self) -> None:
        self._store: dict[str, object] = {}
        self._used: set[str] = set()

    def get(self, key: str) -> object | None:
        value = self._store.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: str, value: object) -> None:
        self._store[key] = value
        self._used.add(key)

    def new_round(self) -> None:
        """Forget what the last build did not use (between serve rebuilds)."""
        self._store = {k: v for k, v in self._store.items() if k in self._used}
        self._used = set()


class NoCache(Cache):
    """The same interface, remembering nothing: every result is computed."""

    def get(self, key: str) -> object | None:
        return None

    def put(self, key: str, value: object) -> None:
        pass
