"""The review queue as the reviewer's desk: every post waiting for review (draft or proposed) as a
card, grouped by day, soonest first. A card shows what a reviewer decides on: the text as it goes
out, the channels and their counts against the limits, the post's own diagnostics, the days left
before its slot, and links to the post, to its file on GitHub and to its pull request. The home
page's "Waiting for review" shows the same cards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from ...calendar_model import Entry
from ...diagnostics import Diagnostic
from ...models import Post
from ...proposals import OpenPullRequest, Proposal
from ...pulls import PullRequest
from .calendar_pages import filters
from .posts import Shown, shown_media
from .site_data import SiteData

MAX_EXPIRED = 50  # posts past their slot listed as cards; older ones are counted
MAX_UPCOMING = 100  # cards listed ahead (whole days); later ones are counted and found in the calendar
ON_HOME = 5  # cards in the home page's "Waiting for review"


@dataclass(frozen=True)
class Card:
    post: Post
    days_left: int  # days from today to the post's slot; negative once the slot has passed
    entries: tuple[Entry, ...]  # the post on each of its channels: text, count, limit
    diagnostics: tuple[Diagnostic, ...]  # what validation says about the post's file
    proposer: str  # "" when the history is unknown
    edit: str  # the file's edit page ("" without repo_url)
    history: str  # the file's history ("" without repo_url)
    pull_request: str  # its pull request, where the workflow knows it ("")
    media: tuple[Shown, ...] = ()  # the post's media as its page shows them (thumbnails)
    proposal: Proposal | None = None  # what an open pull request proposes (None: a merged post)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def number(self) -> int:
        """The pull request that proposes the post (0: merged)."""
        return self.proposal.number if self.proposal is not None else 0

    @property
    def picture(self) -> Shown | None:
        """The medium the card shows: the first that has a picture."""
        return next((m for m in self.media if m.thumb or m.trusted), None)

    @property
    def texts(self) -> tuple[tuple[tuple[Entry, ...], str, str], ...]:
        """Every channel's text as it goes out, channels with the same text (and first comment)
        together: (entries, text, first comment)."""
        grouped: dict[tuple[str, str], list[Entry]] = {}
        for e in self.entries:
            grouped.setdefault((e.outgoing.text, e.outgoing.first_comment), []).append(e)
        return tuple((tuple(entries), text, comment) for (text, comment), entries in grouped.items())

    @property
    def problems(self) -> bool:
        """What the "with problems" filter shows: a diagnostic, or a text over its limit."""
        return bool(self.diagnostics) or self.over

    @property
    def first(self) -> Entry | None:
        """The text as it goes out on the post's first channel: the card's preview."""
        return self.entries[0] if self.entries else None

    @property
    def when(self) -> str:
        """Days left, in words."""
        n = self.days_left
        if n < 0:
            return f"slot passed {-n} day{'s' if n != -1 else ''} ago"
        if n == 0:
            return "today"
        if n == 1:
            return "tomorrow"
        return f"in {n} days"

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def over(self) -> bool:
        return any(e.outgoing.over for e in self.entries)


@dataclass(frozen=True)
class Day:
    day: dt.date
    cards: tuple[Card, ...]

    @property
    def overdue(self) -> bool:
        return bool(self.cards) and self.cards[0].overdue


def card(site: SiteData, post: Post) -> Card:
    cal = site.cal
    hist = cal.history(post)
    return Card(
        post=post,
        days_left=(post.day - cal.today).days,
        entries=cal.entries_by_post.get(post.id, ()),
        diagnostics=cal.diagnostics_of(post),
        proposer=hist.proposer if hist else "",
        edit=site.edit_url(post.path),
        history=site.history_url(post.path),
        pull_request=site.pull_requests.get(post.path, ""),
        media=shown_media(site, post)[0],
    )


def proposal_card(site: SiteData, opened: OpenPullRequest, p: Proposal) -> Card:
    """A pull request's post as a card: its own checks, its edit link on the pull request's
    branch (in the fork, for one), the pull request as its link."""
    post = p.post
    assert post is not None
    media, problems = shown_media(site, post, p)
    return Card(
        post=post,
        days_left=(post.day - site.cal.today).days,
        entries=p.entries,
        diagnostics=tuple(sorted((*p.diagnostics, *problems), key=Diagnostic.sort_key)),
        proposer=opened.pr.author,
        edit=site.proposal_edit_url(opened.pr, p.path),
        history="",
        pull_request=opened.pr.url,
        media=media,
        proposal=p,
    )


@dataclass(frozen=True)
class Group:
    """An open pull request on the desk: its posts as cards, and the files with nothing to show
    but their errors."""

    opened: OpenPullRequest
    cards: tuple[Card, ...]
    unreadable: tuple[Proposal, ...]

    @property
    def pr(self) -> PullRequest:
        return self.opened.pr


def groups(site: SiteData) -> tuple[Group, ...]:
    """The open pull requests that propose posts (or whose files could not be read)."""
    out = []
    for opened in site.cal.pull_requests or ():
        if not opened.proposals and not opened.problem:
            continue
        cards = tuple(proposal_card(site, opened, p) for p in opened.proposals if p.shown)
        out.append(Group(opened, cards, tuple(p for p in opened.proposals if not p.shown)))
    return tuple(out)


def by_day(cards: list[Card]) -> list[Day]:
    return [Day(day, tuple(group)) for day, group in groupby(cards, key=lambda c: c.post.day)]


def _whole_days(posts: list[Post], most: int) -> list[Post]:
    """The first `most` posts, and the rest of the last one's day (a day is never cut in two)."""
    if len(posts) <= most:
        return posts
    last_day = posts[most - 1].day
    end = most
    while end < len(posts) and posts[end].day == last_day:
        end += 1
    return posts[:end]


def review(site: SiteData) -> dict[str, object]:
    cal = site.cal
    queue = list(cal.review_queue)  # in calendar order: date, then id
    expired = [p for p in queue if p.day < cal.today]
    ahead = queue[len(expired) :]
    older = expired[:-MAX_EXPIRED] if len(expired) > MAX_EXPIRED else []
    listed_expired = expired[len(older) :]
    listed_ahead = _whole_days(ahead, MAX_UPCOMING)
    later = ahead[len(listed_ahead) :]
    listed = listed_expired + listed_ahead
    found = groups(site)
    with_proposals = cal.pull_requests is not None
    cards = [card(site, p) for p in listed]
    every = cards + [c for g in found for c in g.cards]
    return {
        # How many cards each of the desk's filters shows.
        "shown": {
            "upcoming": sum(not c.overdue for c in every),
            "overdue": sum(c.overdue for c in every),
            "problems": sum(c.problems for c in every),
            "all": len(every),
        },
        "groups": found,
        "with_proposals": with_proposals,
        "quiet": len(cal.pull_requests or ()) - len(found),  # open pull requests that propose no post
        "total": len(queue),
        "expired": len(expired),
        "older": len(older),
        "older_before": listed_expired[0].day if older else None,
        "days": by_day(cards),
        "later": len(later),
        "later_from": later[0].day if later else None,
        "filters": filters(cal, listed, [p for g in found for p in g.opened.proposals if p.shown]),
    }


def waiting(site: SiteData) -> dict[str, object]:
    """The home page's "Waiting for review": the next few cards, and how many are waiting."""
    cal = site.cal
    queue = cal.review_queue
    ahead = [p for p in queue if p.day >= cal.today]
    return {
        "total": len(queue),
        "expired": len(queue) - len(ahead),
        "cards": [card(site, p) for p in ahead[:ON_HOME]],
    }
