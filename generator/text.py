"""The text of a post as it goes out on one channel, and its length counted the platform's way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex
from twitter_text import parse_tweet
from twitter_text.extract_urls import extract_urls_with_indices

from .models import Post
from .registry import Channel

TWITTER_URL_LENGTH = 23
# A URL in free text: a scheme, or a host with a dot followed by a path-ish tail.
URL_IN_TEXT = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:cern|ch|com|org|net|io|ly)(?:/\S*)?\b"
)
_GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What one channel publishes for one post."""

    text: str  # the caption or status as posted
    first_comment: str  # Instagram: the hashtags go here
    length: int
    limit: int
    unit: str

    @property
    def over(self) -> bool:
        return self.length > self.limit


@lru_cache(maxsize=65536)
def twitter_length(text: str) -> int:
    """Weighted length per twitter-text (v3 config): URLs count 23, most CJK and emoji count 2.

    For ASCII text every character weighs 1 and no emoji can occur, so only the URLs need the
    library; the full parse (an expensive emoji scan) is kept for everything else.
    """
    if text.isascii():
        urls = extract_urls_with_indices(text)
        return len(text) + sum(TWITTER_URL_LENGTH - (end - start) for start, end in (u["indices"] for u in urls))
    return parse_tweet(text).weightedLength


def count(text: str, method: str) -> int:
    if method == "twitter":
        return twitter_length(text)
    if method == "graphemes":
        return len(text) if text.isascii() else len(_GRAPHEME.findall(text))
    return len(text)


UNITS = {"twitter": "weighted characters", "graphemes": "characters", "characters": "characters"}


@lru_cache(maxsize=4096)
def _tag_pattern(tag: str) -> re.Pattern[str]:
    return re.compile(re.escape(tag.lower()) + r"(?!\w)")


def _missing_tags(text: str, tags: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return [t for t in tags if not _tag_pattern(t).search(lowered)]


def compose(post: Post, channel: Channel) -> Outgoing:
    """The body (or the channel's variant), plus the link and hashtags where the channel puts them."""
    text = post.text_for(channel.id).strip()
    limits = channel.limits
    if post.link and limits.link != "forbidden" and post.link not in text:
        text = f"{text}\n\n{post.link}" if text else post.link
    first_comment = ""
    if limits.hashtags.placement == "first_comment":
        first_comment = " ".join(post.hashtags)
    else:
        missing = _missing_tags(text, post.hashtags)
        if missing:
            text = f"{text} {' '.join(missing)}" if text else " ".join(missing)
    return Outgoing(
        text=text,
        first_comment=first_comment,
        length=count(text, limits.text.count),
        limit=limits.text.max,
        unit=UNITS[limits.text.count],
    )


def urls_in(text: str) -> list[str]:
    return URL_IN_TEXT.findall(text)


_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", re.MULTILINE)


def plain_text(markdown: str) -> str:
    """Markdown written by the team as plain text, for places that show text as it is (calendar
    event descriptions): headings lose their #, links show their address, emphasis marks go."""
    text = _MD_RULE.sub("", markdown)
    text = _MD_HEADING.sub(lambda m: m.group(1), text)
    text = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(1) else m.group(2), text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
