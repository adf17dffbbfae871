"""Validate: per-file policy checks and the rules that need every file (ids, references, cadence)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .cache import Cache, digest
from .diagnostics import Diagnostic, one_line, sort
from .load import Loaded, LoadResult, gc_paused, load
from .media import medium_problem
from .models import Campaign, Post
from .policy import PostChecker
from .registry import Registry
from .rules import rule
from .source import Pos, Source


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
        return check(load(root, registry.settings.tz, cache), registry, cache, root)


def _file_checks(f: Loaded, checker: PostChecker) -> list[Diagnostic]:
    if f.source is None:
        return []
    if f.post is not None:
        return list(checker.check_post(f.post, f.source))
    if f.partial is not None:
        return list(checker.check_post(f.partial, f.source, date_known=not f.partial_date))
    if f.campaign is not None:
        return list(checker.check_campaign(f.campaign, f.source))
    return []


def check(loaded: LoadResult, registry: Registry, cache: Cache | None = None, root: Path | None = None) -> Validation:
    diagnostics = list(loaded.diagnostics)
    checker = PostChecker(registry)
    sources: dict[str, Source] = {}
    for f in loaded.files:
        if f.source is not None:
            sources[f.path] = f.source
        if cache is None or not f.key:
            diagnostics.extend(_file_checks(f, checker))
            continue
        key = digest("policy", f.key, registry.fingerprint)
        found = cache.get(key)
        if found is None:
            found = _file_checks(f, checker)
            cache.put(key, found)
        diagnostics.extend(found)  # type: ignore[arg-type]
    posts = loaded.posts
    campaigns = loaded.campaigns
    diagnostics.extend(_cross_file(posts, campaigns, sources, registry))
    if root is not None:
        diagnostics.extend(media_files(posts, sources, root))
    return Validation(
        posts=tuple(sorted(posts, key=lambda p: (p.date, p.id))),
        campaigns=tuple(sorted(campaigns, key=lambda c: (c.start, c.id))),
        diagnostics=tuple(sort(diagnostics)),
        files=len(loaded.files),
    )


def _pos(sources: dict[str, Source], path: str, key: str, index: int | None = None) -> Pos:
    src = sources.get(path)
    return src.at(key, index) if src else Pos(1, 1)


def _duplicates(items: list, kind: str) -> Iterator[Diagnostic]:
    by_id: dict[str, list] = defaultdict(list)
    for item in items:
        by_id[item.id].append(item)
    for same in by_id.values():
        if len(same) > 1:
            paths = sorted(i.path for i in same)
            for item in same:
                others = ", ".join(p for p in paths if p != item.path)
                yield rule("SC109").at(
                    item.path,
                    0,
                    0,
                    f"{kind} id '{item.id}' is also used by {others}",
                    "rename one of the files: ids are unique across nested folders",
                )


def _cross_file(
    posts: list[Post], campaigns: list[Campaign], sources: dict[str, Source], registry: Registry
) -> Iterator[Diagnostic]:
    yield from _duplicates(posts, "post")
    yield from _duplicates(campaigns, "campaign")
    campaign_by_id = {c.id: c for c in campaigns}
    post_by_id = {p.id: p for p in posts}
    # Files that failed to load still exist: a reference to them is not "unknown".
    known_campaign_files = {Path(path).stem for path in sources if path.startswith("content/campaigns/")}
    known_post_files = {Path(path).stem for path in sources if path.startswith("content/posts/")}
    for post in posts:
        if post.campaign is not None:
            campaign = campaign_by_id.get(post.campaign)
            if campaign is None and post.campaign not in known_campaign_files:
                yield rule("SC203").at(
                    post.path,
                    *_lc(_pos(sources, post.path, "campaign")),
                    f"unknown campaign '{post.campaign}'",
                    "campaigns are the files in content/campaigns/: "
                    + (", ".join(sorted(campaign_by_id)) or "there are none yet"),
                )
            elif campaign is not None and not campaign.contains(post.day):
                yield rule("SC206").at(
                    post.path,
                    *_lc(_pos(sources, post.path, "date")),
                    f"{post.day} is outside campaign '{campaign.id}' ({campaign.start} to {campaign.end})",
                    "move the post into the campaign's window, or extend the campaign",
                )
        yield from _answer(post, post_by_id, known_post_files, sources, registry)
    yield from _cadence(posts, sources, registry)
    yield from _clashes(posts, sources, registry)


def media_files(posts: list[Post], sources: dict[str, Source], root: Path) -> Iterator[Diagnostic]:
    """SC315: every medium a post names is an https address or a usable file in the repository.
    Not part of the per-file checks: it looks at other files, which their cache key cannot see."""
    for post in posts:
        if post.status == "cancelled":
            continue
        for i, medium in enumerate(post.media):
            found = medium_problem(root, medium.src, medium.kind)
            if found:
                pos = _pos(sources, post.path, "media", i)
                yield rule("SC315").at(post.path, pos.line, pos.col, one_line(found[0]), found[1])


def _lc(pos: Pos) -> tuple[int, int]:
    return pos.line, pos.col


def _answer(
    post: Post, post_by_id: dict[str, Post], known: set[str], sources: dict[str, Source], registry: Registry
) -> Iterator[Diagnostic]:
    series = registry.series.get(post.series or "")
    if post.answer_to is None or series is None or not series.answers:
        return
    pos = _pos(sources, post.path, "answer_to")
    question = post_by_id.get(post.answer_to)
    if question is None:
        if post.answer_to not in known:
            yield rule("SC204").at(
                post.path,
                pos.line,
                pos.col,
                f"answer_to names '{post.answer_to}', which is not a post",
                "write the id (file name without .md) of the question post",
            )
        return
    if question.series != series.answers:
        yield rule("SC204").at(
            post.path,
            pos.line,
            pos.col,
            f"answer_to names '{question.id}', which is not a {series.answers} post",
            f"name a post of series '{series.answers}'",
        )
        return
    if series.answer_weekday:
        from .registry import WEEKDAYS

        target = WEEKDAYS.index(series.answer_weekday)
        days = (target - question.day.weekday()) % 7 or 7
        expected = question.day + dt.timedelta(days=days)
        if post.day != expected:
            dpos = _pos(sources, post.path, "date")
            yield rule("SC209").at(
                post.path,
                dpos.line,
                dpos.col,
                f"the answer goes out on {post.day}, but its question '{question.id}' "
                f"({question.day}) is answered on {expected}",
                f"move the answer to {expected}",
            )


def _cadence(posts: list[Post], sources: dict[str, Source], registry: Registry) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str, tuple[int, int]], list[Post]] = defaultdict(list)
    for post in posts:
        series = registry.series.get(post.series or "")
        if series is None or series.max_per_week_per_channel is None or post.status == "cancelled":
            continue
        week = post.date.isocalendar()[:2]
        for cid in post.channels:
            seen[(series.id, cid, week)].append(post)
    for (sid, cid, week), group in seen.items():
        cap = registry.series[sid].max_per_week_per_channel or 0
        if len(group) <= cap:
            continue
        group.sort(key=lambda p: (p.date, p.id))
        first = group[0]
        for post in group[cap:]:
            pos = _pos(sources, post.path, "date")
            yield rule("SC211").at(
                post.path,
                pos.line,
                pos.col,
                f"{registry.series[sid].label} already goes out on {cid} in week "
                f"{week[1]} of {week[0]} ('{first.id}', {first.day})",
                f"at most {cap} a week per account: move it to another week",
            )


def _clashes(posts: list[Post], sources: dict[str, Source], registry: Registry) -> Iterator[Diagnostic]:
    window = dt.timedelta(minutes=registry.settings.clash_minutes)
    by_channel: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.status != "cancelled":
            for cid in post.channels:
                by_channel[cid].append(post)
    for cid, group in by_channel.items():
        group.sort(key=lambda p: (p.date, p.id))
        for before, after in itertools.pairwise(group):
            if after.date - before.date < window:
                pos = _pos(sources, after.path, "date")
                yield rule("SC401").at(
                    after.path,
                    pos.line,
                    pos.col,
                    f"'{after.id}' and '{before.id}' both go out on {cid} around {after.date:%Y-%m-%d %H:%M}",
                    f"space posts on one account at least {registry.settings.clash_minutes} minutes apart",
                )
