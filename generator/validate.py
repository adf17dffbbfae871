"""Validate: the runner of the rules (generator/rules/). Load every file (the loader reports the
rules checked while reading), run each file rule on each post and campaign, then each corpus rule
on all of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from .cache import NO_MEMO, Memo
from .dates import calendar_order
from .diagnostics import Diagnostic, sort
from .load import (
    Loaded,
    gc_paused,
    load_bytes,
    load_source,
    read_file,
    read_source,
    stray_diagnostic,
    symlink_diagnostic,
    symlinks,
)
from .models import Campaign, Post
from .outgoing_text import Outgoing
from .outgoing_text import compose as compose_text
from .parallel import split_map
from .project import content_files, content_strays
from .registry import Registry
from .rules.catalogue import CORPUS_RULES, FILE_RULES
from .rules.channel_fit import outgoing_texts
from .rules.core import Corpus, FileContext, Rule

if TYPE_CHECKING:
    from .validate_cache import Entry, ValidateCache

    _Used = tuple[str, Entry | str | None] | None  # what a file took from (HIT), or gave, the cache


@dataclass(frozen=True)
class Validation:
    posts: tuple[Post, ...]
    campaigns: tuple[Campaign, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int
    # What the cross-file rules read of every file, kept when asked (`keep_files`): a pull
    # request's files are checked against them (`check_proposed`).
    loaded: tuple[Loaded, ...] = field(default=(), compare=False, repr=False)
    # Post id → the post and its outgoing texts, composed as it was checked (validate(compose=True)).
    outgoing: Mapping[str, tuple[Post, tuple[Outgoing, ...]]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(
    root: Path,
    registry: Registry,
    memo: Memo = NO_MEMO,
    keep_files: bool = False,
    today: dt.date | None = None,
    file_cache: bool = False,
    compose: bool = False,
) -> Validation:
    """Every content file loaded and checked on its own (`memo` keeps a file's results while its
    bytes, the time zone, the years and the registries stay the same: `socialcal serve`), then
    the corpus rules on all of them. `keep_files`: the result keeps what the corpus rules read
    (`Validation.loaded`), to check pull requests' files against. `today` (the plan's clock) lets
    the rules about time passing speak; they are the corpus's, so no file's kept results depend on the day.
    `file_cache`: an unchanged file's parse and file rules are taken from the last run's
    (validate_cache.py: `socialcal validate`), when the cache may be used. `compose`: each post's
    outgoing texts are composed with its checks (`Validation.outgoing`), on the core that checks it
    (a build shows them all; the calendar takes them over)."""
    tz, years = registry.settings.tz, registry.settings.years.range
    cache = None
    if file_cache and memo is NO_MEMO:
        from .validate_cache import ValidateCache

        cache = ValidateCache.open(root, root / "content")

    def one_by_one(files: Sequence[tuple[Path, str]]) -> list[tuple[Loaded, list[Diagnostic], _Used]]:
        out: list[tuple[Loaded, list[Diagnostic], _Used]] = []
        for file, kind in files:
            path, data, diags = read_file(root, file)
            if data is None:
                out.append((Loaded(path, None), diags, None))
            elif cache is not None:
                out.append(_check_cached(cache, path, file.stem, data, kind, tz, years, registry))
            else:
                key = (path, file.stem, data, kind, tz, years, registry, compose)
                out.append((*memo("file", key, check_file), None))
        return out

    with gc_paused():
        strays = content_strays(root)  # and, from the same walk, those of posts/ and campaigns/
        files = [(file, kind) for kind in ("campaigns", "posts") for file in content_files(root, kind, strays)]
        # On two cores, a forked child takes part of the files. Not when results are kept
        # (serve): the child's would be lost with it.
        checked = split_map(files, one_by_one) if memo is NO_MEMO else one_by_one(files)
        if cache is not None:
            cache.keep(used for _, _, used in checked)
            cache.save()
        diagnostics = [d for _, diags, _ in checked for d in diags]
        diagnostics.extend(stray_diagnostic(root, stray) for stray in strays)
        # Templates become pages too: a link there would publish whatever it points to (SC009).
        diagnostics.extend(symlink_diagnostic(root, p) for p in symlinks(root / "templates"))
        result = _corpus([loaded for loaded, _, _ in checked], diagnostics, registry, root, today)
        if keep_files:
            result = replace(result, loaded=tuple(loaded for loaded, _, _ in checked))
        return result


def _check_cached(
    cache: ValidateCache,
    path: str,
    file_id: str,
    data: bytes,
    kind: str,
    tz: ZoneInfo,
    years: tuple[int, int],
    registry: Registry,
) -> tuple[Loaded, list[Diagnostic], _Used]:
    """`check_file`, with the parse and the file rules taken from the cache when it has the file."""
    from .validate_cache import HIT, entry_of, file_key

    key = file_key(path, kind, data)
    hit = cache.get(key, path)
    if hit is not None:
        source, read, found = hit
        loaded, diags = load_source(path, file_id, source, read, kind, tz, years)
        return loaded.for_corpus(), diags + found, (key, HIT)
    source, read = read_source(path, data)
    entry_read = list(read)
    loaded, diags = load_source(path, file_id, source, read, kind, tz, years)
    found = _FileRules.of(registry).run(loaded)
    return loaded.for_corpus(), diags + found, (key, entry_of(source, entry_read, found))


def check_file(
    path: str,
    file_id: str,
    data: bytes,
    kind: str,
    tz: ZoneInfo,
    years: tuple[int, int],
    registry: Registry,
    compose: bool = False,
) -> tuple[Loaded, list[Diagnostic]]:
    """One file: loaded, then each file rule on it. Returns what the cross-file rules need of it
    (with `compose`, and the file a post, also its outgoing texts)."""
    loaded, diags = load_bytes(path, file_id, data, kind, tz, years)
    rules = _FileRules.of(registry)
    found = rules.run(loaded)
    return loaded.for_corpus(rules.outgoing(loaded) if compose else None), diags + found


class _FileRules:
    """The file rules, grouped by the kind of item they apply to, ready to run on one file."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.by_kind: dict[type, tuple[Rule, ...]] = {
            kind: tuple(r for r in FILE_RULES if kind in r.applies_to) for kind in (Post, Campaign)
        }
        self._contexts: dict[tuple[tuple[str, ...], bool], FileContext] = {}

    _last: ClassVar[_FileRules | None] = None

    @classmethod
    def of(cls, registry: Registry) -> _FileRules:
        """The rules for these registries; made again only when the registries change."""
        if cls._last is None or cls._last.registry is not registry:
            cls._last = cls(registry)
        return cls._last

    def _context(self, channel_ids: tuple[str, ...], date_known: bool) -> FileContext:
        # Posts share a few combinations of channels: one context each.
        ctx = self._contexts.get((channel_ids, date_known))
        if ctx is None:
            channels = self.registry.channels
            # Each channel once: one listed twice is SC212's, not every channel rule's twice.
            found = tuple(channels[c] for c in dict.fromkeys(channel_ids) if c in channels)
            ctx = self._contexts[(channel_ids, date_known)] = FileContext(self.registry, found, date_known)
        return ctx

    def outgoing(self, f: Loaded) -> tuple[Outgoing, ...] | None:
        """What a post that loaded publishes on each of its channels the registries know."""
        if f.post is None:
            return None
        post, utm = f.post, self.registry.settings.utm
        ctx = self._context(post.channels, True)  # the one the file rules ran with: SC301's texts are in it
        return tuple(compose_text(post, channel, utm, outgoing_texts(ctx, post, channel)) for channel in ctx.channels)

    def run(self, f: Loaded) -> list[Diagnostic]:
        if f.source is None:
            return []
        date_known = True
        item: Post | Campaign
        if f.post is not None:
            item = f.post
        elif f.partial is not None:
            item, date_known = f.partial, not f.partial_date
        elif f.campaign is not None:
            item = f.campaign
        else:
            return []
        ctx = self._context(item.channels, date_known)
        src = f.source
        out = []
        for rule in self.by_kind[type(item)]:
            for pos, message, hint, _ in rule.check(item, src, ctx):  # type: ignore[misc]
                out.append(rule.at(f.path, pos, message, hint))
        return out


MediaCheck = Callable[[str, str], "tuple[str, str] | None"]


def check_proposed(
    base: Validation,
    files: Sequence[tuple[str, bytes | None, Sequence[Diagnostic]]],
    deleted: Collection[str],
    registry: Registry,
    root: Path | None,
    media: MediaCheck,
) -> tuple[dict[str, Loaded], tuple[Diagnostic, ...]]:
    """A pull request's post files (path, bytes or None when unreadable, what reading them said),
    checked as if merged into `base` (validated with `keep_files`): each loaded and checked by
    the file rules, like a committed file, then the corpus rules over the base's files with
    these in their place, less the ones the pull request deletes. `media` looks up the files
    the posts name (in the pull request's commit). Returns each file's load result (with the
    partial post of a broken file, for showing it) and the diagnostics about these files only."""
    tz, years = registry.settings.tz, registry.settings.years.range
    results: dict[str, Loaded] = {}
    diagnostics: list[Diagnostic] = []
    for path, data, said in files:
        diagnostics.extend(said)
        if data is None:
            results[path] = Loaded(path, None)
            continue
        loaded, found = load_bytes(path, Path(path).stem, data, "posts", tz, years)
        diagnostics.extend(found + _FileRules.of(registry).run(loaded))
        results[path] = loaded
    replaced = set(results) | set(deleted)
    merged = [f for f in base.loaded if f.path not in replaced] + [f.for_corpus() for f in results.values()]
    focus = frozenset(results)
    diagnostics.extend(d for d in _corpus_findings(merged, registry, root, media, focus) if d.path in focus)
    return results, tuple(sort(diagnostics))


def _corpus_findings(
    files: Sequence[Loaded],
    registry: Registry,
    root: Path | None,
    media: MediaCheck | None = None,
    focus: frozenset[str] | None = None,
    today: dt.date | None = None,
) -> list[Diagnostic]:
    sources = {f.path: f.source for f in files if f.source is not None}
    posts = [f.post for f in files if f.post is not None]
    campaigns = [f.campaign for f in files if f.campaign is not None]
    corpus = Corpus(posts, campaigns, sources, registry, root, media=media, focus=focus, today=today)
    return [
        rule.at(path, pos, message, hint)
        for rule in CORPUS_RULES
        for pos, message, hint, path in rule.check(corpus)  # type: ignore[misc]
    ]


def _corpus(
    files: Sequence[Loaded],
    diagnostics: list[Diagnostic],
    registry: Registry,
    root: Path | None,
    today: dt.date | None = None,
) -> Validation:
    diagnostics.extend(_corpus_findings(files, registry, root, today=today))
    posts = [f.post for f in files if f.post is not None]
    campaigns = [f.campaign for f in files if f.campaign is not None]
    return Validation(
        posts=tuple(sorted(posts, key=lambda p: (calendar_order(p.date), p.id))),
        campaigns=tuple(sorted(campaigns, key=lambda c: (c.start, c.id))),
        diagnostics=tuple(sort(diagnostics)),
        files=len(files),
        outgoing={f.post.id: (f.post, f.outgoing) for f in files if f.post is not None and f.outgoing is not None},
    )
