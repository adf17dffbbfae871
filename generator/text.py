"""The text of a post as it goes out on one channel, and its length counted the platform's way."""

from __future__ import annotations

import importlib.util
import re
import sys
import types
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from .models import Post
from .registry import Channel, UtmSettings

TWITTER_URL_LENGTH = 23
# A URL in free text: a scheme, or a host with a dot followed by a path-ish tail. Labels and
# their number are bounded, so that no text makes the search backtrack for long.
URL_IN_TEXT = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.(?:cern|ch|com|org|net|io|ly)(?:/\S*)?\b"
)
_GRAPHEME = regex.compile(r"\X")

# twitter-text (v3 configuration): weights per code point range, in hundredths.
_TW_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
# twitter-text's white space: a URL never spans it, so URLs are looked for word by word.
_TW_WORD = re.compile("[^\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# The library's URL pattern backtracks cubically over runs of dotted labels ("a.a.a.a…"): a word
# with a run of more dots than any real address has is counted character by character.
_TW_DOTTED_RUN = re.compile("[^\\s/?#@:!'\"%&()*+,;<=>\\[\\]^{|}~$\\\\]+")
MAX_DOTS_IN_RUN = 6
_TW_DOT_LETTER = re.compile(r"\.[^\W_]")


@cache
def _twitter(module: str, name: str) -> Callable[..., list[dict]]:
    """One function of twitter-text, imported when first needed.

    The package's __init__ imports all of it, and its emoji pattern alone (with pkg_resources,
    to read the emoji list) costs 0.15 s at start-up, which an ASCII text never needs. So the
    submodule is imported under a bare stand-in for the package, removed at once: a later
    `import twitter_text` runs the real __init__, which reuses the submodules already loaded.
    Its `import pkg_resources` warns (setuptools 81: deprecated) on every command's output; the
    warning is about twitter-text's code, not the user's, so it is silenced here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        return getattr(_import_twitter_text(module), name)


def _import_twitter_text(module: str) -> types.ModuleType:
    if "twitter_text" not in sys.modules:
        spec = importlib.util.find_spec("twitter_text")
        assert spec is not None and spec.submodule_search_locations is not None
        bare = types.ModuleType("twitter_text")
        bare.__path__ = list(spec.submodule_search_locations)
        sys.modules["twitter_text"] = bare
        try:
            found = importlib.import_module(f"twitter_text.{module}")
        finally:
            del sys.modules["twitter_text"]
    else:
        found = importlib.import_module(f"twitter_text.{module}")
    return found


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


def _twitter_urls(text: str) -> list[tuple[int, int]]:
    """twitter-text's URL entities, found word by word so its pattern only sees bounded words."""
    spans = []
    for word in _TW_WORD.finditer(text):
        token = word.group()
        if "." not in token or not _TW_DOT_LETTER.search(token):  # no "x.y": no URL (a full stop is not one)
            continue
        if any(run.group().count(".") > MAX_DOTS_IN_RUN for run in _TW_DOTTED_RUN.finditer(token)):
            continue
        # With the white space before it, as the library would see the word in the whole text.
        start = max(word.start() - 1, 0)
        found = _twitter("extract_urls", "extract_urls_with_indices")(text[start : word.end()])
        # As parse_tweet does, a URL covers as many characters as its text (which, for an address
        # without scheme, can differ from its span).
        spans.extend((start + u["indices"][0], start + u["indices"][0] + len(u["url"])) for u in found)
    return spans


def _char_weight(char: str) -> int:
    code = ord(char)
    return 100 if any(lo <= code <= hi for lo, hi in _TW_RANGES) else 200


# Counted exactly up to here; past it, character by character (an upper bound: a URL there is not
# shortened to 23). Far beyond any X limit, and it keeps the count of any text under a second.
TWITTER_EXACT_CHARS = 10_000


@lru_cache(maxsize=65536)
def twitter_length(text: str) -> int:
    """Weighted length per twitter-text (v3 config): URLs count 23, most CJK and emoji count 2.

    The same count as twitter-text's parse_tweet, in time linear in the text: URLs are found word
    by word, and the emoji with the library's (linear) pattern.
    """
    head, tail = text[:TWITTER_EXACT_CHARS], text[TWITTER_EXACT_CHARS:]
    rest = len(tail) if tail.isascii() else sum(_char_weight(c) for c in tail) // 100
    if head.isascii():
        urls = _twitter_urls(head)
        return len(head) + sum(TWITTER_URL_LENGTH - (end - start) for start, end in urls) + rest
    normal = re.sub(r"\r\n|\r", "\n", unicodedata.normalize("NFC", head))
    skip: dict[int, tuple[int, int]] = {}  # entity start → (end, weight)
    for start, end in _twitter_urls(normal):
        skip[start] = (end, TWITTER_URL_LENGTH * 100)
    for e in _twitter("extract_emojis", "extract_emojis_with_indices")(normal):
        skip.setdefault(e["indices"][0], (e["indices"][1], 200))
    weight = 0
    i = 0
    while i < len(normal):
        entity = skip.get(i)
        if entity:
            i, w = entity
            weight += w
            continue
        weight += 100 if normal[i] < "\u1100" else _char_weight(normal[i])
        i += 1
    return weight // 100 + rest


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


def fits(text: str, method: str, limit: int) -> bool:
    """Whether `text` counts at most `limit`, without counting it when a bound settles it: in an
    ASCII text every character weighs 1 on X and each URL (a dot at least) counts 23 at most."""
    if method == "twitter" and text.isascii() and len(text) + TWITTER_URL_LENGTH * text.count(".") <= limit:
        return True
    return count(text, method) <= limit


def compose(post: Post, channel: Channel, utm: UtmSettings | None = None) -> Outgoing:
    """The body (or the channel's variant), plus the link and hashtags where the channel puts them,
    its links to the team's own sites UTM-tagged (`utm`: content/settings.yml); counted as tagged."""
    text, first_comment = outgoing_text(post, channel, utm)
    limits = channel.limits
    return Outgoing(
        text=text,
        first_comment=first_comment,
        length=count(text, limits.text.count),
        limit=limits.text.max,
        unit=UNITS[limits.text.count],
    )


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
    if post.link and limits.link != "forbidden" and post.link not in text:
        text = f"{text}\n\n{post.link}" if text else post.link
    if limits.hashtags.placement != "first_comment":
        missing = _missing_tags(text, post.hashtags)
        if missing:
            text = f"{text} {' '.join(missing)}" if text else " ".join(missing)
    return text


def urls_in(text: str) -> list[str]:
    return URL_IN_TEXT.findall(text)


# --- UTM tags ---------------------------------------------------------------------------------

# The parameters socialcal sets; any other utm_ parameter (utm_content, utm_term) written by hand is kept.
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")
UTM_MEDIUM = "social"
# Punctuation that ends a sentence rather than an address ("see https://home.cern/x.").
_TRAILING = ".,;:!?)]}'\""


def utm_slug(value: str) -> str:
    """A UTM value as analytics group it best: lowercase, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def utm_values(post: Post, channel: Channel) -> dict[str, str]:
    """The tags of a link in `post` on `channel`: the network, social, the campaign (else the series)."""
    values = {"utm_source": utm_slug(channel.platform), "utm_medium": UTM_MEDIUM}
    campaign = utm_slug(post.campaign or post.series or "")
    if campaign:
        values["utm_campaign"] = campaign
    return values


def tag_url(url: str, values: dict[str, str]) -> str:
    """`url` with the UTM `values` as its last query parameters, replacing the same keys written by
    hand (any case); everything else of the address (other parameters, the fragment) as written.
    A pure function: the same link, network and campaign always give the same address."""
    from urllib.parse import quote

    head, hash_, fragment = url.partition("#")
    base, _, query = head.partition("?")
    kept = [p for p in query.split("&") if p and p.split("=", 1)[0].lower() not in values]
    kept += [f"{key}={quote(value, safe='')}" for key, value in values.items()]
    return f"{base}?{'&'.join(kept)}{hash_}{fragment}"


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where the addresses of a text are, without the punctuation that ends a sentence after them."""
    spans = []
    for found in URL_IN_TEXT.finditer(text):
        end = found.end()
        while end > found.start() and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((found.start(), end))
    return spans


def host_of(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url if "://" in url else "https://" + url).hostname or ""
    except ValueError:  # an address the link check refuses (SC108): never tagged
        return ""


def tag_text(text: str, values: dict[str, str], utm: UtmSettings) -> str:
    """`text` with every address on the team's own sites tagged (`tag_url`); others as written."""
    out, last = [], 0
    for start, end in url_spans(text):
        url = text[start:end]
        if utm.own(host_of(url)):
            out += [text[last:start], tag_url(url, values)]
            last = end
    return "".join(out) + text[last:] if out else text


def utm_disagreements(url: str, values: dict[str, str]) -> list[tuple[str, str, str]]:
    """(key, written, governed) of each utm_ parameter of `url` that differs from the governed value."""
    from urllib.parse import unquote_plus

    _, _, query = url.partition("#")[0].partition("?")
    found = []
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        governed = values.get(key.lower())
        if governed is not None and unquote_plus(value) != governed:
            found.append((key, unquote_plus(value), governed))
    return found


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
