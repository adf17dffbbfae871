"""The rule unit: a rule's code, severity, title, description, examples and check, in one object.

There are three kinds of rule, by what their check needs:

- **registry** rules are checked while content/*.yml is read (generator/registry.py); a broken
  registry stops every command with a configuration error (exit code 2) that names the rule.
- **load** rules are checked while a file is read (bytes, YAML, keys, types, dates, file name):
  the check is part of parsing and stays in the loader (`generator/load.py`, `content_file.py`,
  `dates.py`), which reports through the unit (`SC104.at(...)`, or an error carrying the unit).
  `Rule.where` names the place.
- **file** rules look at one post or campaign with its positions (`Source`) and the registries.
  Their results are cached per file.
- **corpus** rules need every post and campaign at once (ids, references, cadence, clashes).
- **build** rules are checked when the site is built, where the work they need is done anyway
  (decoding an image to make its thumbnail): too costly for every `socialcal validate`. Their
  diagnostics are shown on the post's page and in the build's notes; `Rule.where` names the place.
- **export** rules are checked by `socialcal export`: what a scheduling tool (Buffer, Hootsuite,
  Sprout) would refuse in its bulk upload, or what depends on when the file is uploaded.

A check yields `Finding`s; the runner (`generator/validate.py`) turns each into a `Diagnostic` with
`Rule.at`, the one place a rule's code and severity are attached to a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..diagnostics import Diagnostic, Pos, Severity

if TYPE_CHECKING:
    from ..content_file import Positions, Source
    from ..models import Campaign, Post
    from ..registry import Channel, Registry

E, W = Severity.ERROR, Severity.WARNING
T = TypeVar("T")


class Scope(StrEnum):
    REGISTRY = "registry"  # checked while the registries are read: a broken one stops every command
    LOAD = "load"  # checked by the loader while it reads the file
    FILE = "file"  # one post or campaign at a time
    CORPUS = "corpus"  # all posts and campaigns together
    BUILD = "build"  # checked when the site is built (an image decoded for its thumbnail)
    EXPORT = "export"  # checked by `socialcal export`, against what the scheduling tool accepts


class Finding(NamedTuple):
    """What a check found: where, what is wrong, what to do. A corpus check names the file."""

    pos: Pos
    message: str
    hint: str
    path: str = ""


# --- examples -------------------------------------------------------------------------------


SYMLINK = "->"  # as a File's `front`: the file is a symbolic link to `body`


class File(NamedTuple):
    """One file of an example. `front` is the front-matter; None: `body` is the file's raw bytes,
    or a function of the project's root that makes them (a file generated from the registries);
    SYMLINK: the file is a symbolic link to `body`."""

    name: str  # relative to content/<kind>/
    front: str | None
    body: str | bytes | Callable[[Path], bytes]
    kind: str = "posts"  # a folder of content/ (".." for the repository root)

    def write(self, content: Path) -> Path:
        path = content / self.kind / self.name
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.front == SYMLINK:
            assert isinstance(self.body, str)
            path.symlink_to(self.body)
        elif self.front is None:
            data = self.body(content.parent) if callable(self.body) else self.body
            assert isinstance(data, bytes)
            path.write_bytes(data)
        else:
            path.write_text(f"---\n{self.front.strip()}\n---\n\n{self.body}\n", encoding="utf-8")
        return path


@dataclass(frozen=True, slots=True)
class Edit:
    """The bytes of the project's registry content/`name` with the first `old` replaced by `new`."""

    name: str
    old: str
    new: str

    def __call__(self, root: Path) -> bytes:
        text = (root / "content" / self.name).read_text(encoding="utf-8")
        if self.old not in text:
            raise ValueError(f"content/{self.name} has no {self.old!r} to replace")
        return text.replace(self.old, self.new, 1).encode("utf-8")


def edited(name: str, old: str, new: str) -> File:
    """An example file for a registry rule: a registry of the project, edited."""
    return File(name, None, Edit(name, old, new), ".")


@dataclass(frozen=True, slots=True)
class Example:
    """How a rule is shown and tested: `text` is the excerpt on the Rules page; the files of `bad`
    together break the rule, and those of `good` (the smallest change that fixes it) do not.
    The tests run both against the repository's registries (tests/test_rules.py)."""

    text: str
    bad: Sequence[File] = ()
    good: Sequence[File] = ()


# --- contexts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileContext:
    """What a file check gets besides the post (or campaign) and its Source."""

    registry: Registry
    channels: tuple[Channel, ...]  # the item's channels that are in the registry, in order
    date_known: bool = True  # False when the post's date failed to load (a placeholder stands in)
    _last: dict[str, tuple[object, object]] = field(default_factory=dict, compare=False, repr=False)

    def per_item(self, name: str, item: object, compute: Callable[[], T]) -> T:
        """`compute()` for `item`, done once for the rules that all need it (SC108 and SC308 take
        their findings from one walk over the item's addresses). Only the last item is kept."""
        last = self._last.get(name)
        if last is not None and last[0] is item:
            return last[1]  # type: ignore[return-value]
        value = compute()
        self._last[name] = (item, value)
        return value


@dataclass
class Corpus:
    """What a corpus check gets: every post and campaign that loaded, every readable content file,
    the registries and (when validating a project) its root."""

    posts: Sequence[Post]
    campaigns: Sequence[Campaign]
    sources: Mapping[str, Source | Positions]  # path → where its keys are, also for files whose model failed
    registry: Registry
    root: Path | None = None  # the project, for rules about its other files (SC501)
    # Why the file a medium names cannot be used (src, kind) → (message, hint) or None: where the
    # files are looked up (SC315). None: in the project at `root`, on disk.
    media: Callable[[str, str], tuple[str, str] | None] | None = None
    # The paths whose findings are wanted (None: every file's). Checks that cost per file (SC315
    # looks each medium up) skip the others; the runner keeps these paths' findings only.
    focus: frozenset[str] | None = None
    today: dt.date | None = None  # the plan's clock, for rules about time passing (SC318); None: not checked
    _file_ids: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def pos(self, path: str, key: str, index: int | None = None) -> Pos:
        src = self.sources.get(path)
        return src.at(key, index) if src else Pos(1, 1)

    @cached_property
    def post_by_id(self) -> dict[str, Post]:
        return {p.id: p for p in self.posts}

    @cached_property
    def campaign_by_id(self) -> dict[str, Campaign]:
        return {c.id: c for c in self.campaigns}

    def file_ids(self, kind: str) -> set[str]:
        """Ids of the readable files of content/<kind>/, including those that failed to load:
        a reference to a broken file is not 'unknown'."""
        found = self._file_ids.get(kind)
        if found is None:
            prefix = f"content/{kind}/"
            found = self._file_ids[kind] = {Path(path).stem for path in self.sources if path.startswith(prefix)}
        return found


FileCheck = Callable[[Any, "Source", FileContext], Iterable[Finding]]
CorpusCheck = Callable[[Corpus], Iterable[Finding]]


# --- the unit -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Rule:
    code: str  # stable: contributors search for it
    severity: Severity
    title: str
    description: str
    examples: Example
    scope: Scope
    check: Callable[..., Iterable[Finding]] | None = field(default=None, repr=False)
    applies_to: tuple[type, ...] = ()  # file rules: Post and/or Campaign
    where: str = ""  # load rules: where the loader checks it

    @property
    def example(self) -> str:
        """The excerpt that breaks the rule, as the Rules page shows it."""
        return self.examples.text

    def at(self, path: str, pos: Pos, message: str, hint: str = "") -> Diagnostic:
        """The diagnostic of this rule at `pos` of `path`: every diagnostic is made here."""
        return Diagnostic(path, pos.line, pos.col, self.severity, self.code, message, hint)


def load_rule(code: str, severity: Severity, title: str, description: str, example: Example, *, where: str) -> Rule:
    """A rule checked while reading a file; `where` names the function that checks it."""
    return Rule(code, severity, title, description, example, Scope.LOAD, where=where)


def registry_rule(code: str, severity: Severity, title: str, description: str, example: Example, *, where: str) -> Rule:
    """A rule checked while reading the registries (content/*.yml): a broken registry is a
    configuration error (exit code 2) told like a diagnostic, not one diagnostic among others."""
    return Rule(code, severity, title, description, example, Scope.REGISTRY, where=where)


def build_rule(code: str, severity: Severity, title: str, description: str, example: Example, *, where: str) -> Rule:
    """A rule checked when the site is built; `where` names the function that checks it."""
    return Rule(code, severity, title, description, example, Scope.BUILD, where=where)


def export_rule(code: str, severity: Severity, title: str, description: str, example: Example, *, where: str) -> Rule:
    """A rule checked by `socialcal export` (what a scheduling tool would refuse); `where` names
    the function that checks it."""
    return Rule(code, severity, title, description, example, Scope.EXPORT, where=where)


def file_rule(
    *applies_to: type, code: str, severity: Severity, title: str, description: str, example: Example
) -> Callable[[FileCheck], Rule]:
    """Decorator: the function is the check of one post (or campaign) and becomes a Rule.

    The check is called as `check(item, src, ctx)` and yields `Finding(pos, message, hint)`."""

    def define(check: FileCheck) -> Rule:
        return Rule(code, severity, title, description, example, Scope.FILE, check, applies_to)

    return define


def corpus_rule(
    *, code: str, severity: Severity, title: str, description: str, example: Example
) -> Callable[[CorpusCheck], Rule]:
    """Decorator: the function is a check over every post and campaign and becomes a Rule.

    The check is called as `check(corpus)` and yields `Finding(pos, message, hint, path)`."""

    def define(check: CorpusCheck) -> Rule:
        return Rule(code, severity, title, description, example, Scope.CORPUS, check)

    return define
