"""Where a post leads: its link, the URLs in its text, its media and results addresses, and the
links of a campaign's plan. Every address goes through the one check of generator/linkcheck.py:
SC108 reports an address that is not a plain web address (or media path), SC308 one whose site is
outside content/links.yml."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..diagnostics import Pos, one_line
from ..linkcheck import Problem, Refusal, address_problem, in_text, media_problem
from ..models import Campaign, Post
from ..outgoing_text import urls_in
from ..text_counting import url_spans
from ..utm_tags import utm_disagreements, utm_values
from .core import E, Example, File, FileContext, Finding, Rule, W, file_rule
from .examples import INSTAGRAM_MEDIA, VALID_POST

if TYPE_CHECKING:
    from ..content_file import Source

_LINK_HINT = "write the full address, e.g. https://home.cern/news"
_EXTERNAL_HINT = (
    "link to home.cern or a CERN site; if there is a partnership agreed with the Press Office, say so in `partnership:`"
)
_RESULTS_HINT = "write the published post's full address, e.g. https://twitter.com/CERN/status/…"
_MEDIA_HINT = "name a file in the repository, e.g. media/gwti/rings.jpg, or an https URL on a site of content/links.yml"
# Media from elsewhere are not shown (the site makes no third-party request): the picture belongs in media/.
_EXTERNAL_MEDIA_HINT = (
    "commit the picture under media/ and name that file, e.g. media/2027/03/rings.jpg (a picture pasted into the "
    "'Propose a post' form is downloaded there for you); an address is shown only on a site of content/links.yml"
)


@lru_cache(maxsize=256)  # most channels of a post publish the same body
def urls_of(text: str) -> tuple[str, ...]:
    return tuple(urls_in(text))


def text_pos(post: Post, src: Source, channel_id: str) -> Pos:
    """Where the text a channel publishes is written: its variant, or the body."""
    return src.at("variants") if channel_id in post.variants else Pos(src.body_line, 1)


def _partner(post: Post) -> bool:
    return bool(post.partnership and post.partnership.strip())


def _said(what: str, url: str, found: Problem) -> tuple[str, str]:
    """The message and hint for an address the contributor wrote as a link."""
    if rule_of(found) is SC308:
        return f"'{one_line(found.host)}' is external media, which CERN does not usually share", _EXTERNAL_HINT
    return f"{what} '{one_line(url)}' is malformed: {found.reason}", _LINK_HINT


def addresses(item: Post | Campaign, src: Source, ctx: FileContext) -> list[tuple[Rule, Finding]]:
    """(rule, finding) for every address of the post or campaign that the address check refuses:
    the one walk over addresses that SC108 and SC308 each take their own findings from."""
    return ctx.per_item("addresses", item, lambda: list(_walk(item, src, ctx)))


def _walk(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[tuple[Rule, Finding]]:
    links = ctx.registry.links
    if isinstance(item, Campaign):
        yield from _plan_links(item, src, links)
        return
    post, partner = item, _partner(item)
    if post.link is not None:
        found = address_problem(post.link, links, external_ok=partner)
        if found:
            yield rule_of(found), Finding(src.at("link"), *_said("link", post.link, found))
    for channel in ctx.channels:
        if channel.limits.link != "forbidden":
            urls = urls_of(post.text_for(channel.id))
            if urls:
                pos = text_pos(post, src, channel.id)
                for url in urls:
                    found = address_problem(in_text(url), links, external_ok=partner)
                    if found:
                        yield rule_of(found), Finding(pos, *_said("the address in the text", url, found))
    for key, r in post.results.items():
        found = address_problem(r.url, links) if r.url else None
        if found:
            message = f"results url of {one_line(key)} '{one_line(r.url or '')}' is refused: {found.reason}"
            yield rule_of(found), Finding(src.at("results"), message, _RESULTS_HINT)
    for i, media in enumerate(post.media):
        found = media_problem(media.src, links, partner)
        if found:
            message = f"media '{one_line(media.src)}' is refused: {found.reason}"
            yield (
                rule_of(found),
                Finding(src.at("media", i), message, _MEDIA_HINT if rule_of(found) is SC108 else _EXTERNAL_MEDIA_HINT),
            )


def _plan_links(campaign: Campaign, src: Source, links) -> Iterator[tuple[Rule, Finding]]:
    """Every link and image of the plan, as the parsed Markdown has them (generator/markup.py)."""
    from ..markup import safe_target, targets

    for target in targets(campaign.body):
        if target.image:
            found = media_problem(target.url, links)
        elif target.url.startswith("mailto:") and safe_target(target.url):
            continue
        else:
            found = address_problem(target.url, links)
        if found:
            at = campaign.body.find(target.url)
            pos = Pos(src.body_line + (campaign.body.count("\n", 0, at) if at >= 0 else 0), 1)
            yield rule_of(found), Finding(pos, *_said("the image" if target.image else "the link", target.url, found))


@file_rule(
    Post,
    Campaign,
    code="SC108",
    severity=E,
    title="Malformed link",
    description="Every address (the `link`, URLs in the text, results and media URLs, links in a campaign "
    "plan) is an absolute https:// (or http://) URL without a user name or password "
    "(`https://evil.example\\@home.cern/` leads to evil.example). Media files are paths in "
    "the repository, such as media/x.jpg, or https URLs.",
    example=Example(
        "link: home.cern/news",
        bad=[File("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", "home.cern/news"), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
)
def SC108(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    return (finding for rule, finding in addresses(item, src, ctx) if rule is SC108)


@file_rule(
    Post,
    code="SC302",
    severity=E,
    title="Post does not lead to a web page",
    description="Most channels require a link (strategy 3.1: posts start a journey to find out more). "
    "`link` may be left out only when every channel of the post forbids links.",
    example=Example(
        "channel: twitter-cern  # and no link:",
        bad=[File("a.md", VALID_POST.replace("link: https://home.cern/news/lhc-restarts", ""), "x")],
        good=[
            File(
                "a.md",
                VALID_POST.replace("link: https://home.cern/news/lhc-restarts", "").replace(
                    "channel: twitter-cern", "channel: instagram-cern"
                )
                + INSTAGRAM_MEDIA,
                "x",
            )
        ],
    ),
)
def SC302(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    series = ctx.registry.series.get(post.series) if post.series is not None else None
    if series is not None and series.requires_link and not post.link:
        yield Finding(
            src.at("series"),
            f"a {series.label} post links to where to find out more",
            "add `link: https://home.cern/…`",
        )
    if post.link is None:
        requiring = [c.id for c in ctx.channels if c.limits.link == "required"]
        if requiring:
            yield Finding(
                src.keys.get("title", Pos(1, 1)),
                f"the post has no link, but {', '.join(requiring)} require{'s' if len(requiring) == 1 else ''} one",
                "add `link: https://home.cern/…` (the strategy: every post starts a journey)",
            )


@file_rule(
    Post,
    code="SC303",
    severity=E,
    title="Link in the text where the channel forbids it",
    description="Instagram feed captions carry no link (it is not clickable there). Keep the `link` "
    "in front-matter for the record and remove URLs from the text.",
    example=Example(
        "channel: instagram-cern\n---\nRead more at https://home.cern/news",
        bad=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern") + INSTAGRAM_MEDIA,
                "More at https://home.cern/news",
            )
        ],
        good=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern") + INSTAGRAM_MEDIA,
                "More: link in bio",
            )
        ],
    ),
)
def SC303(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    for channel in ctx.channels:
        if channel.limits.link == "forbidden":
            found = urls_of(post.text_for(channel.id))
            if found:
                yield Finding(
                    text_pos(post, src, channel.id),
                    f"{channel.id} forbids links in the text, but it contains '{one_line(found[0])}'",
                    "remove the URL from the text; keep it in `link:` for the record",
                )


@file_rule(
    Post,
    Campaign,
    code="SC308",
    severity=E,
    title="Link to external media",
    description="CERN does not usually share content from external media, to avoid endorsement and bias. "
    "home.cern, CERN sites and the related publications (CERN Courier, Symmetry magazine) "
    "are allowed; another site needs a declared `partnership:` agreed with the Press Office.",
    example=Example(
        "link: https://news.example.com/cern-story",
        bad=[
            File("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", "https://news.example.com/x"), "x")
        ],
        good=[
            File(
                "a.md",
                VALID_POST.replace("https://home.cern/news/lhc-restarts", "https://news.example.com/x")
                + "partnership: Joint series agreed with the Press Office",
                "x",
            )
        ],
    ),
)
def SC308(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    return (finding for rule, finding in addresses(item, src, ctx) if rule is SC308)


def _written_addresses(post: Post, src: Source, channel_id: str) -> Iterator[tuple[Pos, str]]:
    """The addresses of a post as written for a channel: its `link`, then those of its text."""
    if post.link:
        yield src.at("link"), post.link
    text = post.text_for(channel_id)
    for start, end in url_spans(text):
        yield text_pos(post, src, channel_id), text[start:end]


@file_rule(
    Post,
    code="SC317",
    severity=W,
    title="Hand-written UTM tag disagrees",
    description="With `utm: enabled` in content/settings.yml, links to the team's own sites (home.cern and "
    "`utm.hosts`) go out tagged: `utm_source` the network (the channel's platform), `utm_medium=social`, "
    "`utm_campaign` the post's campaign id, else its series id. The tags are added to the text as it goes out, "
    "never to the file, and replace the same parameters written by hand; one that says something else (another "
    "network, another campaign) is a sign of a copied link, and what analytics will see is the governed value.",
    example=Example(
        "campaign: open-days\nlink: https://home.cern/news?utm_campaign=summer",
        bad=[File("a.md", VALID_POST.replace("lhc-restarts", "lhc-restarts?utm_source=facebook"), "x")],
        good=[File("a.md", VALID_POST.replace("lhc-restarts", "lhc-restarts?utm_content=banner"), "x")],
    ),
)
def SC317(post: Post, src: Source, ctx: FileContext) -> Iterator[Finding]:
    utm = ctx.registry.settings.utm
    if not utm.enabled:
        return
    from ..utm_tags import host_of

    seen: set[tuple[str, str, str, str]] = set()
    for channel in ctx.channels:
        if channel.limits.link == "forbidden":
            continue
        values = utm_values(post, channel)
        for pos, url in _written_addresses(post, src, channel.id):
            if not utm.own(host_of(url)):
                continue
            for key, written, governed in utm_disagreements(url, values):
                if (url, key, written, governed) in seen:
                    continue
                seen.add((url, key, written, governed))
                yield Finding(
                    pos,
                    f"'{one_line(url)}' says {key}={one_line(written)!r}, but on {channel.id} it goes out as "
                    f"{key}={governed}",
                    f"remove {key} from the address: socialcal tags links to the team's sites as they go out",
                )


def rule_of(found: Problem) -> Rule:
    """The rule that reports a refusal of the address check."""
    return SC108 if found.refusal is Refusal.MALFORMED else SC308
