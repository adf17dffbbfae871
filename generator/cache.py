"""Work already done, keyed by exactly what it was done on.

One helper: `memo(kind, inputs, compute)` returns `compute(*inputs)`, or the result of an
earlier call with equal inputs. The key is a fingerprint of the input objects themselves
(pydantic models by their JSON, dataclasses by their fields, dates, tuples, dicts …), and
`compute` receives nothing but those inputs: a result cannot depend on something its key
forgot. `NO_MEMO` remembers nothing (a plain build computes everything once anyway); `socialcal
serve` keeps a `Memo` between rebuilds, in memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from . import __version__

T = TypeVar("T")
FORMAT = 1


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

    def save(self) -> None:
        """Nothing to keep: an in-memory memo ends with its process."""
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


# --- the on-disk cache of `socialcal build` (.socialcal-cache/), kept until it is retired ----


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
    """The generator's own source: a cache made by other code is not reused."""
    package = Path(__file__).parent
    return digest(sorted((p.relative_to(package).as_posix(), p.read_bytes()) for p in package.rglob("*.py")))


class Cache(Memo):
    """A memo that `socialcal build` reads from and saves to a folder (signed pickle)."""

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder
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

    def save(self) -> None:
        super().save()
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


NoCache = NoMemo
