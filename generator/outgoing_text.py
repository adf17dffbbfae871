"""The text of a post as it goes out on one channel, and its length counted the platform's way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .models import Post
from .registry import Channel
from .settings import UtmSettings
from .text_counting import UNITS, URL_IN_TEXT, count
from .utm_tags import tag_text, utm_values


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What one channel publishes for one post."""

    text: str  # the caption or status as posted
    first_comment: str  # Instagram: the hashtags go here
    length: int
    limit: int
    unit: str
    card: str = ""  # the link where the network shows it as a card beside the text (Bluesky), as tagged

    @property
    def over(self) -> bool:
        return self.length > self.limit


@lru_cache(maxsize=4096)
def _tag_pattern(tag: str) -> re.Pattern[str]:
    return re.compile(re.escape(tag.lower()) + r"(?!\w)")


def _missing_tags(text: str, tags: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return [t for t in tags if not _tag_pattern(t).search(lowered)]


def compose(
    post: Post, channel: Channel, utm: UtmSettings | None = None, texts: tuple[str, str] | None = None
) -> Outgoing:
    """The body (or the channel's variant), plus the link and hashtags where the channel puts them,
    its links to the team's own sites UTM-tagged (`utm`: content/settings.yml); counted as tagged.
    `texts`: what `outgoing_text` gave for the same three, when the caller has it already."""
    text, first_comment = texts if texts is not None else outgoing_text(post, channel, utm)
    limits = channel.limits
    return Outgoing(
        text=text,
        first_comment=first_comment,
        length=count(text, limits.text.count, channel.network.url_length),
        limit=limits.text.max,
        unit=UNITS[limits.text.count],
        card=card_link(post, channel, utm),
    )


def card_link(post: Post, channel: Channel, utm: UtmSettings | None = None) -> str:
    """The post's link where it goes out as a card, not in the text (Bluesky, when the post has no
    pictures: a post shows one or the other): tagged like a link in the text would be; "" on other
    networks, with pictures, or where the channel forbids links."""
    if not post.link or channel.network.link != "card" or channel.limits.link == "forbidden" or post.media:
        return ""
    return tag_text(post.link, utm_values(post, channel), utm) if utm is not None and utm.enabled else post.link


def outgoing_text(post: Post, channel: Channel, utm: UtmSettings | None = None) -> tuple[str, str]:
    """The text as it goes out on `channel`, and Instagram's first comment (else "")."""
    text = _untagged_text(post, channel)
    first_comment = " ".join(post.hashtags) if channel.limits.hashtags.placement == "first_comment" else ""
    if utm is not None and utm.enabled:
        text = tag_text(text, utm_values(post, channel), utm)
    return text, first_comment


def _untagged_text(post: Post, channel: Channel) -> str:
    text = post.text_for(channel.id).strip()
    limits = channel.limits
    # The link goes into the text where the network puts it there (not as a card, not where links
    # are not clickable) and the channel allows it.
    # Bluesky shows either the pictures or a link card: with pictures, the link goes in the text.
    placed = (channel.network.link == "text" or (channel.network.link == "card" and bool(post.media))) and (
        limits.link != "forbidden"
    )
    if post.link and placed and post.link not in text:
        text = f"{text}\n\n{post.link}" if text else post.link
    if limits.hashtags.placement != "first_comment":
        missing = _missing_tags(text, post.hashtags)
        if missing:
            text = f"{text} {' '.join(missing)}" if text else " ".join(missing)
    return text


def urls_in(text: str) -> list[str]:
    return URL_IN_TEXT.findall(text)

# Linear: no pattern can look past the next character of its kind (a `[` tried as a link stops
# at the next bracket, an emphasis at the next same mark, a heading's end is stripped after), so
# no text of brackets or marks makes them search the rest of the text again and again.
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+([^\n]*)", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([ \t]*<?([^()\[\]\s<>]*)>?(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)")
_MD_EMPHASIS = re.compile(
    r"(?<!\w)(?:\*\*(?=\S)([^*\n]+)(?<=\S)\*\*|__(?=\S)([^_\n]+)(?<=\S)__"
    r"|\*(?=\S)([^*\n]+)(?<=\S)\*|_(?=\S)([^_\n]+)(?<=\S)_|`([^`\n]+)`)(?!\w)"
)
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Markdown written by the team as plain text, for places that show text as it is (calendar
    event descriptions): headings lose their #, links show their address, emphasis marks go."""
    text = _MD_RULE.sub("", markdown)
    text = _MD_HEADING.sub(lambda m: m.group(1).rstrip(" \t#"), text)
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(1) else m.group(2), text)
    text = _MD_EMPHASIS.sub(lambda m: next(g for g in m.groups() if g is not None), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
