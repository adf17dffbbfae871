"""When two posts compete for attention on one account. One definition for the validator (SC401)
and the pull-request summary."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from .dates import elapsed, instant
from .models import Post


def competes(post: Post, other: Post, window: dt.timedelta) -> bool:
    """`other` competes with `post`: it goes out (it is not cancelled) less than `window` before
    or after it, in real time (a night the clocks change counts its true length). Whether they
    share an account is the caller's question."""
    return not other.status.cancelled and abs(elapsed(post.date, other.date)) < window


def consecutive_clashes(posts: Iterable[Post], minutes: int) -> Iterator[tuple[str, Post, Post]]:
    """(account, before, after) for each post that goes out within `minutes` of the one before it
    on the same account; cancelled posts take no part."""
    window = dt.timedelta(minutes=minutes)
    by_channel: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if not post.status.cancelled:
            for cid in post.accounts:
                by_channel[cid].append(post)
    for cid, group in by_channel.items():
        group.sort(key=lambda p: (instant(p.date), p.id))  # consecutive in time, not on the wall clock
        for before, after in itertools.pairwise(group):
            if competes(after, before, window):
                yield cid, before, after


def clashes(post: Post, others: Sequence[Post], minutes: int) -> list[tuple[str, Post]]:
    """(account, other) for each of `others` that competes with `post` on an account they share.
    An other with the post's id is the post itself (as it was on the base branch)."""
    window = dt.timedelta(minutes=minutes)
    found = []
    for other in others:
        if other.id != post.id and competes(post, other, window):
            found.extend((cid, other) for cid in post.accounts if cid in other.channels)
    return found
