"""Validate: the runner of the rules (generator/rules/). Load every file (the loader reports the
rules checked while reading), run each file rule on each post and campaign, then each corpus rule
on all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache, digest
from .diagnostics import Diagnostic, sort
from .load import Loaded, LoadResult, gc_paused, load, symlink_diagnostic, symlinks
from .models import Campaign, Post
from .registry import Registry
from .rules import CORPUS_RULES, FILE_RULES, Corpus, FileContext, Rule
from .source import Source


@dataclass(frozen=True)
class Validation:
    posts: tuple[Post, ...]
    campaigns: tuple[Campaign, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors


def validate(root: Path, registry: Registry, cache: Cache | None = None) -> Validation:
    with gc_paused():
        loaded = load(root, registry.settings.tz, cache, registry.settings.years.range)
        # Templates become pages too: a link there would publish whatever it points to (SC009).
        loaded.diagnostics.extend(symlink_diagnostic(root, p) for p in symlinks(root / "templates"))
        return check(loaded, registry, cache, root)


class _FileRules:
    """The file rules, grouped by the kind of item they apply to, ready to run on one file."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.by_kind: dict[type, tuple[Rule, ...]] = {
            kind: tuple(r for r in FILE_RULES if kind in r.applies_to) for kind in (Post, Campaign)
        }
        self._contexts: dict[tuple[tuple[str, ...], bool], FileContext] = {}

    def _context(self, channel_ids: tuple[str, ...], date_known: bool) -> FileContext:
        # Posts share a few combinations of channels: one context each.
        ctx = self._contexts.get((channel_ids, date_known))
        if ctx is None:
            channels = self.registry.channels
            found = tuple(channels[c] for c in channel_ids if c in channels)
            ctx = self._contexts[(channel_ids, date_known)] = FileContext(self.registry, found, date_known)
        return ctx

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


def _cached(
    cache: Cache | None, f: Loaded, registry: Registry, compute: Callable[[Loaded], list[Diagnostic]]
) -> list[Diagnostic]:
    """The one place validation uses the cache: a file's results, keyed by what the file was
    loaded from (its path, bytes and time zone) and by the registries."""
    if cache is None or not f.key:
        return compute(f)
    key = digest("policy", f.key, registry.fingerprint)
    found = cache.get(key)
    if found is None:
        found = compute(f)
        cache.put(key, found)
    return found  # type: ignore[return-value]


def check(loaded: LoadResult, registry: Registry, cache: Cache | None = None, root: Path | None = None) -> Validation:
    diagnostics = list(loaded.diagnostics)
    file_rules = _FileRules(registry)
    sources: dict[str, Source] = {}
    for f in loaded.files:
        if f.source is not None:
            sources[f.path] = f.source
        diagnostics.extend(_cached(cache, f, registry, file_rules.run))
    posts = loaded.posts
    campaigns = loaded.campaigns
    corpus = Corpus(posts, campaigns, sources, registry, root)
    for rule in CORPUS_RULES:
        for pos, message, hint, path in rule.check(corpus):  # type: ignore[misc]
            diagnostics.append(rule.at(path, pos, message, hint))
    return Validation(
        posts=tuple(sorted(posts, key=lambda p: (p.date, p.id))),
        campaigns=tuple(sorted(campaigns, key=lambda c: (c.start, c.id))),
        diagnostics=tuple(sort(diagnostics)),
        files=len(loaded.files),
    )
