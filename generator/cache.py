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
import weakref
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
    until `forget()`, so an id cannot be reused by another object meanwhile. Frozen models are
    remembered across rounds as long as they live (an unchanged post is the same object from one
    rebuild to the next: its JSON is not made again)."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[object, bytes]] = {}
        self._lasting: dict[int, tuple[weakref.ref[object], bytes]] = {}

    def forget(self) -> None:
        self._seen = {}
        self._lasting = {k: v for k, v in self._lasting.items() if v[0]() is not None}

    def key(self, *parts: object) -> str:
        h = hashlib.blake2b(digest_size=16)
        for part in parts:
            self._feed(h, part)
        return h.hexdigest()

    def _feed(self, h: Any, obj: object) -> None:
        t = type(obj)
        handler = _HANDLERS.get(t)
        if handler is None:
            handler = _HANDLERS[t] = _handler_for(t)
        handler(self, h, obj)

    def _compound(self, h: Any, tag: bytes, obj: object, feed: Callable[[Any], None]) -> None:
        """Hash `obj` on its own (through `feed`) once a round, and add its digest to `h`."""
        seen = self._seen.get(id(obj))
        if seen is None:
            inner = hashlib.blake2b(digest_size=16)
            inner.update(type(obj).__qualname__.encode())
            feed(inner)
            seen = self._seen[id(obj)] = (obj, tag + inner.digest())
        h.update(seen[1])

    # One handler per kind of value; chosen once per type (see _handler_for).

    def _text(self, h: Any, obj: str) -> None:
        _blob(h, b"s", obj.encode("utf-8", "surrogatepass"))

    def _number(self, h: Any, obj: object) -> None:
        _blob(h, b"n", repr(obj).encode())

    def _none(self, h: Any, obj: None) -> None:
        h.update(b"N")

    def _bytes(self, h: Any, obj: bytes) -> None:
        _blob(h, b"b", obj)

    def _sequence(self, h: Any, obj: tuple[object, ...] | list[object]) -> None:
        h.update(b"(" + len(obj).to_bytes(8, "little"))
        for item in obj:
            self._feed(h, item)

    def _mapping(self, h: Any, obj: dict[object, object]) -> None:
        h.update(b"{" + len(obj).to_bytes(8, "little"))
        for k, v in obj.items():
            self._feed(h, k)
            self._feed(h, v)

    def _set(self, h: Any, obj: set[object] | frozenset[object]) -> None:
        _blob(h, b"S", b"".join(sorted(bytes.fromhex(self.key(item)) for item in obj)))

    def _datetime(self, h: Any, obj: dt.datetime) -> None:
        _blob(h, b"T", f"{obj.isoformat()} {obj.tzinfo}".encode())

    def _date(self, h: Any, obj: object) -> None:
        _blob(h, b"D", repr(obj).encode())

    def _model(self, h: Any, obj: Any) -> None:  # a pydantic model: its content, as JSON
        lasting = self._lasting.get(id(obj))
        if lasting is not None and lasting[0]() is obj:
            h.update(lasting[1])
            return
        self._compound(h, b"M", obj, lambda inner: inner.update(obj.model_dump_json().encode()))
        if type(obj).model_config.get("frozen"):
            self._lasting[id(obj)] = (weakref.ref(obj), self._seen[id(obj)][1])

    def _made_of(self, h: Any, obj: Any) -> None:
        self._compound(h, b"F", obj, lambda inner: self._feed(inner, obj.__fingerprint__()))

    def _dataclass(self, h: Any, obj: Any) -> None:
        names = _FIELDS.get(type(obj))
        if names is None:
            names = _FIELDS[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))

        def fields(inner: Any) -> None:
            for name in names:
                self._feed(inner, getattr(obj, name))

        self._compound(h, b"C", obj, fields)

    def _enum(self, h: Any, obj: enum.Enum) -> None:
        _blob(h, b"E", repr(obj).encode())

    def _path(self, h: Any, obj: PurePath) -> None:
        _blob(h, b"P", str(obj).encode("utf-8", "surrogatepass"))

    def _zone(self, h: Any, obj: ZoneInfo) -> None:
        _blob(h, b"Z", obj.key.encode())


Handler = Callable[[Fingerprinter, Any, Any], None]
_HANDLERS: dict[type, Handler] = {
    str: Fingerprinter._text,
    int: Fingerprinter._number,
    float: Fingerprinter._number,
    bool: Fingerprinter._number,
    type(None): Fingerprinter._none,
    bytes: Fingerprinter._bytes,
    tuple: Fingerprinter._sequence,
    list: Fingerprinter._sequence,
    dict: Fingerprinter._mapping,
    dt.datetime: Fingerprinter._datetime,
    dt.date: Fingerprinter._date,
}
_FIELDS: dict[type, tuple[str, ...]] = {}


def _handler_for(t: type) -> Handler:
    if issubclass(t, (tuple, list)):
        return Fingerprinter._sequence
    if issubclass(t, dict):
        return Fingerprinter._mapping
    if issubclass(t, (set, frozenset)):
        return Fingerprinter._set
    if issubclass(t, dt.datetime):
        return Fingerprinter._datetime
    if issubclass(t, (dt.date, dt.time, dt.timedelta)):
        return Fingerprinter._date
    if hasattr(t, "model_dump_json"):
        return Fingerprinter._model
    if hasattr(t, "__fingerprint__"):
        return Fingerprinter._made_of
    if dataclasses.is_dataclass(t):
        return Fingerprinter._dataclass
    if issubclass(t, enum.Enum):
        return Fingerprinter._enum
    if issubclass(t, PurePath):
        return Fingerprinter._path
    if issubclass(t, ZoneInfo):
        return Fingerprinter._zone

    def refuse(self: Fingerprinter, h: Any, obj: object) -> None:
        raise TypeError(f"cannot fingerprint a {t.__qualname__}: give it a __fingerprint__() or pass its parts")

    return refuse


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
