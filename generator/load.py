"""Load: content files → Post and Campaign models, plus a diagnostic for each file that cannot be.

Each file is read on its own, so one broken file never stops the others from being checked.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from .content_file import MAX_FILE_BYTES, Positions, Source, SourceError, decode, parse
from .dates import YEARS, DateError, parse_datetime, parse_day
from .diagnostics import WHOLE_FILE, Diagnostic, Pos, one_line, unknown
from .models import CAMPAIGN_KEYS, POST_KEYS, POST_STATUSES, Campaign, ChannelResults, Post
from .new import slugify
from .project import RESERVED_IDS, Stray, is_valid_id
from .rules.core import Rule
from .rules.declared import SC101, SC102, SC103, SC104, SC111, SC112, SC114
from .rules.file import SC001, SC009, SC012
from .safe_write import read_regular

if TYPE_CHECKING:
    from .outgoing_text import Outgoing

NO_CHANNEL = "(none)"  # the placeholder of a post whose `channel` failed to load (SC201 passes it)
# Front-matter key → model field, where they differ.
_POST_FIELDS = {"channel": "channels"}
_FIELD_KEYS = {v: k for k, v in _POST_FIELDS.items()}


@dataclass(frozen=True, slots=True)
class Loaded:
    """One content file's result: the model when it could be built, and where its keys are."""

    path: str
    source: Source | Positions | None  # Positions once reduced to what cross-file rules read
    post: Post | None = None
    campaign: Campaign | None = None
    # A post with errors, rebuilt from the keys that were fine so that its other problems are
    # reported in the same run. It takes no part in cross-file rules or the calendar.
    partial: Post | None = None
    partial_date: bool = False  # the partial post's date is a placeholder
    # What the post publishes on each of its channels the registries know, in its order, when
    # asked for (validate(compose=True)): composed where the file is checked, on either core.
    outgoing: tuple[Outgoing, ...] | None = None

    def for_corpus(self, outgoing: tuple[Outgoing, ...] | None = None) -> Loaded:
        """What the cross-file rules need of this file, and no more (it may cross processes):
        its models and the positions of its keys (`source` becomes a source.Positions)."""
        positions = self.source.positions() if self.source else None
        return Loaded(self.path, positions, self.post, self.campaign, outgoing=outgoing)


def symlinks(folder: Path) -> list[Path]:
    """Every symbolic link at or under `folder` (not followed)."""
    if folder.is_symlink():
        return [folder]
    found = []
    for parent, dirs, names in os.walk(folder):
        found.extend(Path(parent, n) for n in (*dirs, *names) if Path(parent, n).is_symlink())
    return sorted(found)


def symlink_diagnostic(root: Path, path: Path) -> Diagnostic:
    return SC009.at(
        rel(root, path),
        WHOLE_FILE,
        f"'{one_line(rel(root, path))}' is a symbolic link, which is never followed",
        "commit the file itself instead of a link to it",
    )


def stray_diagnostic(root: Path, stray: Stray) -> Diagnostic:
    """A file or folder under content/ that is not read (SC012): said, never skipped in silence."""
    path = rel(root, stray.path)
    what = "folder" if stray.path.is_dir() and not stray.path.is_symlink() else "file"
    return SC012.at(path, WHOLE_FILE, f"the {what} '{one_line(path)}' is not read", stray.hint)


def rel(root: Path, path: Path) -> str:
    """`path` relative to the project, with forward slashes (as diagnostics and URLs show it)."""
    # Strings, not Path.relative_to: this runs once per file, and pathlib costs 10 µs a call.
    prefix, full = str(root) + os.sep, str(path)
    if full.startswith(prefix):
        full = full[len(prefix) :]
    else:
        with suppress(ValueError):
            full = str(path.relative_to(root))
    return full.replace(os.sep, "/")


class _FileChecker:
    """Turns one Source into a model, collecting diagnostics with positions."""

    def __init__(self, path: str, source: Source, known_keys: tuple[str, ...], years: tuple[int, int] = YEARS) -> None:
        self.years = years
        self.path = path
        self.source = source
        self.known_keys = known_keys
        self.diagnostics: list[Diagnostic] = []

    def report(self, rule: Rule, pos: Pos, message: str, hint: str = "") -> None:
        self.diagnostics.append(rule.at(self.path, pos, message, hint))

    def unknown_keys(self) -> None:
        for key in self.source.meta:
            if key not in self.known_keys:
                message, guess = unknown("key", key, self.known_keys)
                self.report(
                    SC101,
                    self.source.keys.get(key, Pos(1, 1)),
                    message,
                    f"rename it to '{guess}'" if guess else "known keys: " + ", ".join(self.known_keys),
                )

    def date(self, key: str, tz: ZoneInfo | None) -> object:
        """Parse a date key from its raw text; returns None (reported) when it cannot."""
        if key not in self.source.meta:
            return None
        raw = self.source.raw.get(key)
        if raw is None:
            self.report(SC104, self.source.at(key), f"'{key}' must be a date written as text", "e.g. 2027-03-26 10:00")
            return None
        try:
            return parse_datetime(raw, tz, self.years) if tz is not None else parse_day(raw, self.years)
        except DateError as exc:
            self.report(exc.rule, self.source.at(key), exc.message, exc.hint)
            return None

    def validation_errors(self, errors: list) -> None:
        for err in errors:
            loc = err["loc"]
            field_name = str(loc[0]) if loc else ""
            key = _FIELD_KEYS.get(field_name, field_name)
            index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
            pos = self.source.at(key, index) if key in self.source.meta else self.source.keys.get(key, Pos(1, 1))
            where = key + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[1:])
            kind = err["type"]
            if kind == "missing":
                if len(loc) == 1:
                    self.report(
                        SC102,
                        Pos(1, 1),
                        f"required key '{key}' is missing",
                        f"add a line `{key}: …` to the front-matter",
                    )
                else:
                    self.report(SC102, pos, f"'{where}' is missing", f"add `{loc[-1]}:` to this entry")
            elif kind == "literal_error":
                expected = err.get("ctx", {}).get("expected", "")
                self.report(
                    SC103,
                    pos,
                    f"'{where}' has the value {one_line(repr(err.get('input')))[:60]}, which is not allowed",
                    f"use one of {expected}",
                )
            elif kind == "too_short" and len(loc) == 1:
                self.report(SC102, pos, f"'{key}' is empty", f"give at least one value for '{key}'")
            elif kind == "string_too_long":
                limit = err.get("ctx", {}).get("max_length", 0)
                self.report(
                    SC114,
                    pos,
                    f"'{where}' is {len(str(err.get('input', '')))} characters long; at most {limit} are allowed",
                    "a title is a short headline; put the rest in the text of the post"
                    if where == "title"
                    else "shorten it",
                )
            elif kind == "string_too_short":
                self.report(SC102, pos, f"'{where}' is empty", f"write a value for '{where}'")
            elif kind == "extra_forbidden":
                self.report(SC101, pos, f"unknown key '{where}'", "remove it")
            else:
                self.report(
                    SC103,
                    pos,
                    f"'{where}': {err['msg'].lower()}",
                    "text values may need quotes; lists are written [a, b] or as '- a' lines",
                )


_RESULT_FIELDS = frozenset(ChannelResults.model_fields)


def _flat_results(data: dict[str, object]) -> dict | None:
    """`results:` written as one channel's numbers (impressions, likes… directly under it)."""
    results = data.get("results")
    if not isinstance(results, dict) or not results:
        return None
    if all(isinstance(k, str) and k in _RESULT_FIELDS for k in results):
        return results
    return None


_PLACEHOLDERS: dict[str, object] = {
    "title": "(no title)",
    "date": dt.datetime(2000, 1, 3, tzinfo=dt.UTC),
    "channels": (NO_CHANNEL,),
}


def _partial_post(data: dict[str, object], errors: list) -> tuple[Post | None, bool]:
    bad = {str(e["loc"][0]) for e in errors if e["loc"]}
    kept = {k: v for k, v in data.items() if k not in bad}
    placeholder_date = "date" not in kept
    for key, value in _PLACEHOLDERS.items():
        kept.setdefault(key, value)
    try:
        return Post.model_validate(kept), placeholder_date
    except ValidationError:
        return None, placeholder_date


def _post_from(
    path: str, post_id: str, source: Source, tz: ZoneInfo, years: tuple[int, int]
) -> tuple[Loaded, list[Diagnostic]]:
    check = _FileChecker(path, source, POST_KEYS, years)
    check.unknown_keys()
    date = check.date("date", tz)
    data: dict[str, object] = {_POST_FIELDS.get(k, k): v for k, v in source.meta.items() if k in POST_KEYS}
    data.update(id=post_id, path=path, body=source.body)
    flat = _flat_results(data)
    if flat is not None:
        raw = data.get("channels")
        channels = [str(c) for c in ([raw] if isinstance(raw, str) else raw if isinstance(raw, list) else [])]
        if len(channels) == 1:
            # One channel: numbers written straight under `results:` can only be its own.
            data["results"] = {channels[0]: flat}
        else:
            data.pop("results")
            name = channels[0] if channels else "twitter-cern"
            numbers = ", ".join(f"{k}: {one_line(str(v))[:20]}" for k, v in list(flat.items())[:2])
            check.report(
                SC112,
                source.keys.get("results", Pos(1, 1)),
                f"the numbers under `results:` do not say which of the post's {len(channels)} channels they are from",
                f"put them under their channel, indented below `results:`, e.g. `results: {{{name}: {{{numbers}}}}}`",
            )
    failed_date = "date" in source.meta and date is None
    if date is not None:
        data["date"] = date
    elif failed_date:
        data.pop("date", None)
    post = partial = None
    placeholder_date = False
    try:
        post = Post.model_validate(data)
    except ValidationError as exc:
        check.validation_errors(_reported(exc, ["date"] if failed_date else []))
        partial, placeholder_date = _partial_post(data, exc.errors())
    if failed_date:
        partial, placeholder_date, post = post or partial, True, None
    return Loaded(path, source, post=post, partial=partial, partial_date=placeholder_date), check.diagnostics


def _reported(exc: ValidationError, malformed: list[str]) -> list:
    """The model's errors, less 'missing' for dates already reported as malformed."""
    return [e for e in exc.errors() if not (e["type"] == "missing" and len(e["loc"]) == 1 and e["loc"][0] in malformed)]


def _campaign_from(
    path: str, campaign_id: str, source: Source, years: tuple[int, int]
) -> tuple[Campaign | None, list[Diagnostic]]:
    check = _FileChecker(path, source, CAMPAIGN_KEYS, years)
    check.unknown_keys()
    failed = False
    data: dict[str, object] = {k: v for k, v in source.meta.items() if k in CAMPAIGN_KEYS}
    for key in ("start", "end"):
        value = check.date(key, None)
        if value is not None:
            data[key] = value
        elif key in source.meta:
            failed = True
            data.pop(key, None)
    data.update(id=campaign_id, path=path, body=source.body)
    campaign = None
    try:
        campaign = Campaign.model_validate(data)
    except ValidationError as exc:
        check.validation_errors(_reported(exc, [k for k in ("start", "end") if k in source.meta]))
    if failed:
        campaign = None
    return campaign, check.diagnostics


def _read(path: str, data: bytes) -> tuple[Source | None, list[Diagnostic]]:
    try:
        return parse(decode(data)), []
    except SourceError as exc:
        return None, [exc.rule.at(path, exc.pos, exc.message, exc.hint)]


def _id_diagnostic(path: str, file_id: str) -> list[Diagnostic]:
    if is_valid_id(file_id):
        return []
    slug = slugify(file_id) or "post"
    if slug in RESERVED_IDS:
        slug += "-post"
    why = f" ('{file_id}' is the name of a folder's own page)" if file_id in RESERVED_IDS else ""
    message = f"'{one_line(file_id)}.md' is not a valid file name{why}"
    return [SC111.at(path, WHOLE_FILE, message, f"rename the file to '{slug}.md'")]


def _read_bytes(file: Path) -> bytes:
    """At most one byte more than a content file may hold: a huge file is refused, not read (nor
    a pipe waited on)."""
    return read_regular(file, MAX_FILE_BYTES + 1)


def read_file(root: Path, file: Path) -> tuple[str, bytes | None, list[Diagnostic]]:
    """A content file's path in the project and its bytes, or why they cannot be had."""
    path = rel(root, file)
    if file.is_symlink():
        return path, None, [symlink_diagnostic(root, file)]
    try:
        return path, _read_bytes(file), []
    except OSError as exc:
        hint = "check its permissions" if exc.errno in (errno.EACCES, errno.EPERM) else "put the file itself here"
        return (path, None, [SC001.at(path, WHOLE_FILE, f"the file cannot be read: {exc.strerror}", hint)])


def load_file(
    root: Path, file: Path, kind: str, tz: ZoneInfo, years: tuple[int, int] = YEARS
) -> tuple[Loaded, list[Diagnostic]]:
    path, data, diags = read_file(root, file)
    if data is None:
        return Loaded(path, None), diags
    return load_bytes(path, file.stem, data, kind, tz, years)


def load_bytes(
    path: str, file_id: str, data: bytes, kind: str, tz: ZoneInfo, years: tuple[int, int]
) -> tuple[Loaded, list[Diagnostic]]:
    source, diags = read_source(path, data)
    return load_source(path, file_id, source, diags, kind, tz, years)


def read_source(path: str, data: bytes) -> tuple[Source | None, list[Diagnostic]]:
    """A file's bytes parsed; None and why when they cannot be."""
    return _read(path, data)


def load_source(
    path: str,
    file_id: str,
    source: Source | None,
    read: list[Diagnostic],
    kind: str,
    tz: ZoneInfo,
    years: tuple[int, int],
) -> tuple[Loaded, list[Diagnostic]]:
    """A file's models from its parsed source (None: it could not be parsed, `read` says why);
    also from a source kept by the validation cache (validate_cache.py)."""
    diags = read + _id_diagnostic(path, file_id)
    if source is None:
        return Loaded(path, None), diags
    if kind == "posts":
        loaded, more = _post_from(path, file_id, source, tz, years)
        return loaded, diags + more
    campaign, more = _campaign_from(path, file_id, source, years)
    return Loaded(path, source, campaign=campaign), diags + more


@contextmanager
def gc_paused() -> Iterator[None]:
    """Loading allocates many small objects that all stay alive: the cyclic garbage collector
    would rescan them again and again (a third of the time at 10,000 files) for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = [
    "POST_STATUSES",
    "Loaded",
    "load_bytes",
    "load_file",
    "load_source",
    "read_file",
    "read_source",
    "rel",
]
