"""Work already done, keyed by exactly what it was done on.

One helper: `memo(kind, inputs, compute)` returns `compute(*inputs)`, or the result of an
earlier call with equal inputs. The key is a fingerprint of the input objects themselves
(pydantic models by their JSON, dataclasses by their fields, dates, tuples, dicts …), and
`compute` receives nothing but those inputs: a result cannot depend on something its key
forgot. `NO_MEMO` remembers nothing (a plain build computes everything once anyway); `socialcal
serve` keeps a `Memo` between rebuilds. Nothing is ever written to or read from disk: a cache
file could be planted in a pull request, and a cold build is fast enough without one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")


def digest(*parts: object) -> str:
    """A digest of plain values by their repr (the loader's and the checks' hand-made keys)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _blob(h: Any, tag: bytes, data: bytes) -> None:
    h.update(tag)
    h.update(len(data).to_bytes(8, "little"))
    h.update(data)


class Fingerprinter:
    """Hashes object graphs by value. Models and dataclasses met again in the same round (the
    same post on a month page and in four feeds) are hashed once: they are pinned by identity
    until `forget()`, so an id cannot be reused by another object meanwhile."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[object, bytes]] = {}

    def forget(self) -> None:
        self._seen = {}

    def key(self, *parts: object) -> str:
        h = hashlib.blake2b(digest_size=16)
        for part in parts:
            self._feed(h, part)
        return h.hexdigest()

    def _compound(self, h: Any, tag: bytes, obj: object, feed: Callable[[Any], None]) -> None:
        """Hash `obj` on its own (through `feed`), remember the digest, and add it to `h`."""
        inner = hashlib.blake2b(digest_size=16)
        feed(inner)
        blob = tag + inner.digest()
        self._seen[id(obj)] = (obj, blob)
        h.update(blob)

    def _feed(self, h: Any, obj: object) -> None:
        t = type(obj)
        plain = _PLAIN.get(t)
        if plain is not None:
            _blob(h, plain, obj.encode("utf-8", "surrogatepass") if t is str else repr(obj).encode())  # type: ignore[attr-defined]
        elif obj is None:
            h.update(b"N")
        elif t is bytes:
            _blob(h, b"b", obj)  # type: ignore[arg-type]
        elif t is tuple or t is list or isinstance(obj, (tuple, list)):
            h.update(b"(" + len(obj).to_bytes(8, "little"))  # type: ignore[arg-type]
            for item in obj:  # type: ignore[attr-defined]
                self._feed(h, item)
        elif (seen := self._seen.get(id(obj))) is not None:
            h.update(seen[1])
        else:
            self._other(h, obj, t)

    def _other(self, h: Any, obj: Any, t: type) -> None:
        if isinstance(obj, dict):
            h.update(b"{" + len(obj).to_bytes(8, "little"))
            for k, v in obj.items():
                self._feed(h, k)
                self._feed(h, v)
        elif isinstance(obj, (set, frozenset)):
            _blob(h, b"S", b"".join(sorted(bytes.fromhex(self.key(item)) for item in obj)))
        elif isinstance(obj, dt.datetime):
            _blob(h, b"T", f"{obj.isoformat()} {obj.tzinfo}".encode())
        elif isinstance(obj, (dt.date, dt.time, dt.timedelta)):
            _blob(h, b"D", repr(obj).encode())
        elif hasattr(obj, "model_dump_json"):  # a pydantic model: its content, as JSON

            def model(inner: Any) -> None:
                _blob(inner, t.__qualname__.encode(), obj.model_dump_json().encode())

            self._compound(h, b"M", obj, model)
        elif hasattr(obj, "__fingerprint__"):

            def made_of(inner: Any) -> None:
                inner.update(t.__qualname__.encode())
                self._feed(inner, obj.__fingerprint__())

            self._compound(h, b"F", obj, made_of)
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):

            def fields(inner: Any) -> None:
                inner.update(t.__qualname__.encode())
                for f in dataclasses.fields(obj):
                    self._feed(inner, getattr(obj, f.name))

            self._compound(h, b"C", obj, fields)
        elif isinstance(obj, enum.Enum):
            _blob(h, b"E", repr(obj).encode())
        elif isinstance(obj, PurePath):
            _blob(h, b"P", str(obj).encode("utf-8", "surrogatepass"))
        elif isinstance(obj, ZoneInfo):
            _blob(h, b"Z", obj.key.encode())
        else:
            raise TypeError(f"cannot fingerprint a {t.__qualname__}: give it a __fingerprint__() or pass its parts")


_PLAIN = {str: b"s", int: b"n", float: b"n", bool: b"n", dt.date: b"D"}


def fingerprint(*parts: object) -> str:
    """The key of `parts` by value (what `Memo` uses)."""
    return Fingerprinter().key(*parts)


class Memo:
    """Results by (kind, inputs), kept in memory between the rounds (rebuilds) that use them."""

    def __init__(self) -> None:
        self._store: dict[str, object] = {}
        self._used: set[str] = set()
        self._fp = Fingerprinter()

    def __call__(self, kind: str, inputs: tuple[Any, ...], compute: Callable[..., T]) -> T:
        key = self._fp.key(kind, inputs)
        if key in self._store:
            self._used.add(key)
            return self._store[key]  # type: ignore[return-value]
        value = compute(*inputs)
        self.put(key, value)
        return value

    # Raw keys, for the callers that make their own (the loader and the checks: file bytes).
    def get(self, key: str) -> object | None:
        value = self._store.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: str, value: object) -> None:
        self._store[key] = value
        self._used.add(key)

    def new_round(self) -> None:
        """Forget what the last round did not use, and the identities pinned while hashing."""
        self._store = {k: v for k, v in self._store.items() if k in self._used}
        self._used = set()
        self._fp.forget()


class NoMemo(Memo):
    """The same interface, remembering nothing: every result is computed, nothing is hashed."""

    def __call__(self, kind: str, inputs: tuple[Any, ...], compute: Callable[..., T]) -> T:
        return compute(*inputs)

    def get(self, key: str) -> object | None:
        return None

    def put(self, key: str, value: object) -> None:
        pass


NO_MEMO = NoMemo()


# The names the loader and the checks use for it.
Cache = Memo
NoCache = NoMemo
