"""A post's own page: each channel's preview as the network will show it, the post's
diagnostics, its place in the plan (campaign, series, question and answer) and its history.

Post pages are many (one per post), so they are not handed to the site builder one by one: they
are filled into one shell page the builder rendered (see bulk_pages.py), and their template is kept
flat (everything worked out here, no macros imported with context): at 10,000 posts every
tenth of a millisecond is a second. The context is everything the page shows, the calendar
included only through it, so that it is also the key under which `socialcal serve` knows
whether a page changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from markupsafe import Markup

from ... import date_formats, kpis
from ...calendar_model import Calendar, Entry
from ...diagnostics import WHOLE_FILE, Diagnostic, Pos, one_line
from ...image_decoding import BadImage
from ...media_files import is_remote
from ...models import Media, Post
from ...networks import NETWORKS
from ...proposals import Found, Proposal
from ...pulls import PullRequest
from ...rules.catalogue import rule
from ...thumbnails import Thumb
from .site_data import SiteData


@dataclass(frozen=True, slots=True)
class Shown:
    """One medium of a post, as the page shows it."""

    src: str
    alt: str
    kind: str
    thumb: Thumb | None = None  # a local image's thumbnail
    remote: bool = False
    trusted: bool = False  # a remote image from a host the team trusts: shown with <img>
    problem: str = ""  # why a local image has no thumbnail
    undecodable: bool = False  # the file is there, but is no image that can be decoded (SC316)
    hint: str = ""  # what to do about it, when there is more to say than "export it again"

    @property
    def name(self) -> str:
        return self.src.rsplit("/", 1)[-1] or self.src

    @property
    def host(self) -> str:
        return _host(self.src)


@lru_cache(maxsize=4096)  # a post's link is shown on each of its channels
def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


# The pieces of a post page that are the same for every post of a channel, as post.html.j2 and
# the networks' previews showed them (Markup.format escapes each value as Jinja would).
_CHIP = Markup(
    '<span class="sc-chip sc-ch-{0}"><span class="sc-icon sc-icon-{0}" aria-hidden="true"></span>{1}</span>'
)
_HEAD = Markup(
    '<section class="sc-preview" aria-labelledby="pv-{0}">\n<h3 id="pv-{0}">{1}</h3>\n'
    '<div class="sc-pv sc-pv-{2} sc-ch-{0}">'
)
_AVATAR = Markup(
    '<span class="sc-pv-avatar sc-ch-{0}" aria-hidden="true"><span class="sc-icon sc-icon-{0}"></span></span>'
)
_WHO = Markup('<div class="sc-pv-who">{0}<span class="sc-pv-names"><strong class="sc-pv-name">{1}</strong>')
_TOOLS = Markup('<p class="sc-pv-tools">{0}</p>')
_BUTTON = Markup(
    '<button type="button" class="sc-copy-btn" data-copy="copy-{0}{1}" hidden>'
    '<span class="sc-icon sc-i-copy" aria-hidden="true"></span> Copy {2}</button>'
)
_COPY = Markup('<textarea id="copy-{0}{1}" hidden readonly>')


@lru_cache(maxsize=1024)
def chip(cid: str, name: str) -> Markup:
    """A channel's name with its icon (the post's channels, each preview's heading)."""
    return _CHIP.format(cid, name)


@dataclass(frozen=True, slots=True)
class Look:
    """What every preview on one channel shows, whatever the post: worked out once per channel
    (a calendar has a few dozen channels and thousands of posts). Plain values, and the HTML the
    page shows as it is: a page then costs a few lookups, not the dozens of expressions these
    pieces take in a template."""

    style: str  # its network's name (a class name)
    preview_template: str
    account: str  # the account as the network shows it ("CERN")
    handle: str  # "@CERN", or "" where the network shows none
    head: Markup  # the preview's section and heading (its chip), and the network's frame, opened
    avatar: Markup  # the account's round picture: the channel's icon in its colour
    who: Markup  # the account line, opened after the account's name (`who` in post.html.j2)
    tools: Markup  # the copy button
    tools_comment: Markup  # the copy buttons, the first comment's too
    copy: Markup  # the hidden text field the button copies from, opened
    copy_comment: Markup  # the first comment's, opened


@lru_cache(maxsize=256)
def look(cid: str, name: str, handle: str, network_name: str) -> Look:
    """A channel's `Look`, keyed by all it is made of (a renamed channel gets another)."""
    network = NETWORKS[network_name]
    account = network.account(handle) or name
    avatar = _AVATAR.format(cid)
    button = _BUTTON.format(cid, "", "text")
    return Look(
        style=network.name,
        preview_template=network.preview_template,
        account=account,
        handle=network.handle(handle),
        head=_HEAD.format(cid, chip(cid, name), network.name),
        avatar=avatar,
        who=_WHO.format(avatar, account),
        tools=_TOOLS.format(button),
        tools_comment=_TOOLS.format(button + " " + _BUTTON.format(cid, "-comment", "first comment")),
        copy=_COPY.format(cid, ""),
        copy_comment=_COPY.format(cid, "-comment"),
    )


@dataclass(frozen=True, slots=True)
class Preview:
    """One channel's preview of the post: what the network shows, and what it counts."""

    channel: str  # id
    name: str  # the account in socialcal ("CERN on X/Twitter")
    style: str  # its network's name (a class name): twitter, instagram, instagram-stories, facebook, …
    preview_template: str  # the network's markup (templates/networks/), which post.html.j2 includes
    account: str  # the account as the network shows it ("CERN")
    handle: str  # its handle when the network shows one ("@CERN"), else ""
    language: str
    text: str  # exactly as it goes out
    first_comment: str  # Instagram: the hashtags
    length: int
    limit: int
    unit: str
    link: str  # the post's link when the network shows it as a card, else ""
    link_host: str
    look: Look  # what every preview on this channel shows
    results: tuple[tuple[str, str], ...] = ()  # (label, figure) once published
    published_url: str = ""

    @property
    def over(self) -> bool:
        return self.length > self.limit

    @property
    def figures(self) -> str:
        """The length against the limit, in words ("126 / 280 weighted characters")."""
        return f"{self.length:,} / {self.limit:,} {self.unit}"

    @property
    def share(self) -> int:
        """How much of the limit the text uses, in percent (at most 100)."""
        return min(100, self.length * 100 // self.limit) if self.limit else 0


def all_posts(site: SiteData) -> tuple[Post | Proposal, ...]:
    """Every merged post, and every new post of an open pull request (once per id)."""
    return (*site.cal.posts, *site.cal.new_posts)


def shown_media(
    site: SiteData, post: Post, proposal: Proposal | None = None
) -> tuple[tuple[Shown, ...], tuple[Diagnostic, ...]]:
    """The post's media as shown, and SC316 for each image that exists but cannot be decoded.
    A pull request's post shows the thumbnails made from its own commit's files."""
    out: list[Shown] = []
    problems: list[Diagnostic] = []
    settings = site.cal.registry.settings.site
    for i, m in enumerate(post.media):
        found = proposal.media[i] if proposal is not None and i < len(proposal.media) else None
        shown = _shown(site, m, settings.trusts_media_from, found)
        out.append(shown)
        if shown.undecodable:
            problems.append(
                rule("SC316").at(
                    post.path,
                    WHOLE_FILE if proposal is not None else _medium_pos(site, post, i),
                    f"image '{one_line(m.src)}' cannot be shown: {shown.problem}",
                    shown.hint or "export it again as a JPEG, PNG, WebP or GIF",
                )
            )
    return tuple(out), tuple(problems)


def _medium_pos(site: SiteData, post: Post, index: int) -> Pos:
    """Where the post's medium `index` is written. SC316 is found when the site is built, from
    models that carry no positions: the file is read again, only for an image that cannot be shown."""
    from ...content_file import SourceError, decode, parse
    from ...load import read_file

    if site.media is None:
        return WHOLE_FILE
    _, data, _ = read_file(site.media.root, site.media.root / post.path)
    try:
        return parse(decode(data)).at("media", index) if data is not None else WHOLE_FILE
    except SourceError:
        return WHOLE_FILE  # changed since it was validated: the post as a whole


def _shown(site: SiteData, m: Media, trusts: Callable[[str], bool], made: Found = None) -> Shown:
    if is_remote(m.src):
        trusted = m.kind == "image" and m.src.startswith("https://") and trusts(_host(m.src))
        return Shown(m.src, m.alt, m.kind, remote=True, trusted=trusted)
    if m.kind != "image" or site.media is None:
        return Shown(m.src, m.alt, m.kind)
    found = site.media.place(made) if made is not None else site.media.thumb(m.src)
    if isinstance(found, Thumb):
        return Shown(m.src, m.alt, m.kind, thumb=found)
    if isinstance(found, BadImage):
        return Shown(m.src, m.alt, m.kind, problem=str(found), undecodable=True, hint=found.hint)
    return Shown(m.src, m.alt, m.kind, problem=found)


def _num(value: float | None, digits: int = 0, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


def preview(entry: Entry, post: Post) -> Preview:
    ch, out = entry.channel, entry.outgoing
    seen = look(ch.id, ch.name, ch.handle, ch.network.name)
    card = out.card or (post.link if post.link and ch.limits.link != "forbidden" else "")
    results: tuple[tuple[str, str], ...] = ()
    url = ""
    r = post.results.get(ch.id)
    if r is not None:
        t = kpis.totals([r])
        results = (
            ("Impressions", _num(t.metric("impressions"))),
            ("Interactions", _num(t.interactions) if t.known else "—"),
            ("Engagement", _num(t.engagement_rate, 2, " %")),
        )
        if t.click_through is not None:
            results += (("Click-through", _num(t.click_through, 2, " %")),)
        url = r.url or ""
    return Preview(
        channel=ch.id,
        name=ch.name,
        style=seen.style,
        preview_template=seen.preview_template,
        account=seen.account,
        handle=seen.handle,
        language=ch.language,
        text=out.text,
        first_comment=out.first_comment,
        length=out.length,
        limit=out.limit,
        unit=out.unit,
        link=card,
        link_host=_host(card),
        look=seen,
        results=results,
        published_url=url,
    )


def stamp(site: SiteData, item: Post | Proposal) -> tuple[object, ...]:
    """Everything a post's page shows besides the registry and today, cheap to compare with the
    last round's (the loader hands back the very same models for files that did not change)."""
    cal = site.cal
    if isinstance(item, Proposal):
        return (item, cal.proposals_by_id.get(item.id, ()), cal.pull_request_by_number.get(item.number), str(cal.tz))
    post = item
    proposed = cal.proposals_by_id.get(post.id, ())
    return (
        proposed,
        tuple(cal.pull_request_by_number.get(p.number) for p in proposed),
        post,
        cal.post_by_id.get(post.answer_to) if post.answer_to else None,
        cal.answers.get(post.id, ()),
        cal.campaign_by_id.get(post.campaign) if post.campaign else None,
        cal.history(post),
        cal.diagnostics_of(post.path),
        cal.clashes.get(post.id, ()),
        shown_media(site, post),
        str(cal.tz),
    )


def _local(cal: Calendar, when: dt.datetime) -> dt.datetime:
    return when.astimezone(cal.tz) if when.tzinfo is not None else when.replace(tzinfo=cal.tz)


@dataclass(frozen=True)
class Change:
    """What a pull request changes in a post: (what, now, proposed) for each value and each
    channel's text that differ; `now` is "" for a new post."""

    proposal: Proposal
    pr: PullRequest
    edit: str  # the file in the web editor, on the pull request's branch ("": no link)
    values: tuple[tuple[str, str, str], ...]
    texts: tuple[tuple[str, str, str], ...]  # (channel name, text now, text proposed)


def _values(cal: Calendar, post: Post | None) -> dict[str, str]:
    if post is None:
        return {}
    when = _local(cal, post.date)
    return {
        "Title": post.title,
        "When": f"{date_formats.day(when)}, {date_formats.time(when)}",
        "Status": post.status,
        "Channels": ", ".join(post.channels),
        "Link": post.link or "",
        "Hashtags": " ".join(post.hashtags),
        "Media": "; ".join(f"{m.src} ({m.alt})" if m.alt else m.src for m in post.media),
        "Series": post.series or "",
        "Campaign": post.campaign or "",
    }


def change(site: SiteData, proposal: Proposal, before: Post | Proposal | None) -> Change:
    """A pull request's version of a post against `before` (the merged post, another pull
    request's version, or none)."""
    cal = site.cal
    if isinstance(before, Proposal):
        post, entries = before.post, before.entries
    else:
        post, entries = before, cal.entries_by_post.get(before.id, ()) if before else ()
    now, proposed = _values(cal, post), _values(cal, proposal.post)
    values = tuple((k, now.get(k, ""), v) for k, v in proposed.items() if now.get(k, "") != v)
    texts_now = {e.channel.id: e.outgoing.text for e in entries}
    texts = [
        (e.channel.name, texts_now.get(e.channel.id, ""), e.outgoing.text)
        for e in proposal.entries
        if texts_now.get(e.channel.id, "") != e.outgoing.text
    ]
    kept = {e.channel.id for e in proposal.entries}
    texts += [(cal.registry.channels[c].name, t, "") for c, t in texts_now.items() if c not in kept]
    pr = cal.pull_request_by_number[proposal.number].pr
    return Change(proposal, pr, site.proposal_edit_url(pr, proposal.path), values, tuple(texts))


def pending(site: SiteData, post: Post, shown: Proposal | None = None) -> tuple[Change, ...]:
    """The pull requests' changes to a post (by pull request), less the one the page shows
    (`shown`: a new post's page, against which the others are compared)."""
    before = site.cal.post_by_id.get(post.id) or shown
    return tuple(
        change(site, p, before) for p in site.cal.proposals_by_id.get(post.id, ()) if p is not shown and p.post
    )


def post(site: SiteData, item: Post | Proposal) -> dict[str, object]:
    """A post's page; or a new post of a pull request's, from its commit (`Proposal`)."""
    proposal = item if isinstance(item, Proposal) else None
    post: Post = item.post if isinstance(item, Proposal) else item  # type: ignore[assignment]
    cal = site.cal
    reg = cal.registry
    question = cal.post_by_id.get(post.answer_to) if post.answer_to else None
    answers = cal.answers.get(post.id, ())
    series = reg.series.get(post.series) if post.series else None
    answered = series is not None and any(s.answers == series.id for s in reg.series.values())
    media, media_problems = shown_media(site, post, proposal)
    when = _local(cal, post.date)
    channels = tuple((c, reg.channels[c].name if c in reg.channels else c) for c in post.channels)
    hist = cal.history(post) if proposal is None else None
    entries = proposal.entries if proposal is not None else cal.entries_by_post.get(post.id, ())
    diagnostics = proposal.diagnostics if proposal is not None else cal.diagnostics_of(post.path)
    short = ", ".join(reg.channels[c].short for c in post.channels if c in reg.channels)
    return {
        "title": post.title,
        "description": f"{date_formats.day(when)}, {date_formats.time(when)} · {short} · {post.status}",
        "post": post,
        "when": when.isoformat(),
        "when_text": f"{date_formats.day(when)}, {date_formats.time(when)}",
        "zone": f"{cal.tz}, {when.tzname()}",
        "short_date": date_formats.month_day(when),
        "long_date": date_formats.day_month(when),
        "clock": date_formats.time(when),
        "month": date_formats.month_title(when.year, when.month),
        "day_short": date_formats.short_day(when),
        "expired": cal.is_expired(post),
        "series": series,
        "campaign": cal.campaign_by_id.get(post.campaign) if post.campaign else None,
        "question": question,
        "answers": answers,
        "unanswered": answered and not answers,
        "channels": channels,
        "chips": Markup(", ").join(chip(c, name) for c, name in channels),
        "previews": tuple(preview(e, post) for e in entries),
        "media": media,
        "diagnostics": tuple(sorted((*diagnostics, *media_problems), key=Diagnostic.sort_key)),
        "clashes": cal.clashes.get(post.id, ()) if proposal is None else (),
        "proposal": change(site, proposal, None) if proposal is not None else None,
        "pending": pending(site, post, proposal),
        "audiences": tuple(reg.audiences.get(a, a) for a in post.audiences),
        "history": (
            (
                hist.proposer,
                date_formats.day(hist.proposed.astimezone(cal.tz)),
                hist.last_author,
                date_formats.day(hist.last_change.astimezone(cal.tz)),
                hist.revisions,
            )
            if hist
            else None
        ),
    }
