"""A text's length counted a network's way: X's weighted characters with its URLs shortened to 23
(twitter-text's rules, found in linear time), graphemes, or characters; and where the addresses of
a text are."""

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
from typing import Any

import regex

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


@cache
def _twitter(module: str, name: str) -> Any:
    """One name of twitter-text (a function, a pattern), imported when first needed.

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



# --- X's URL entities, in linear time ---------------------------------------------------------
#
# twitter-text finds URLs with one pattern (extract_url) that Python's backtracking engine tries
# at every position: inside one long run of label characters ("www.a-a-…-a", "a.com_b.com_b…")
# each try reads the rest of the run again, and the pattern of the ASCII domains of a URL without
# protocol tries every top-level domain at every label for every start ("a.a.…a.日本.com": 500
# labels take 7 s). Here the same matches are found with the library's own pieces (character
# classes, top-level domains, the port, path and query after a domain, its checks of a match),
# deciding from the right, once for every position, whether a domain can start there and where it
# ends: each label is read once and a top-level domain tried once after each dot.


@dataclass(frozen=True, slots=True)
class _UrlPieces:
    run: re.Pattern[str]  # where a domain can be: label characters, hyphens, underscores, dots
    preceding: re.Pattern[str]  # the character before a URL (or the start of the text)
    protocol: re.Pattern[str]
    tld: re.Pattern[str]  # a generic or country top-level domain, or punycode
    tail: re.Pattern[str]  # what follows a domain: port, path, query
    ascii_label: re.Pattern[str]  # a label of the ASCII domains counted in a URL without protocol


@cache
def _url_pieces() -> _UrlPieces:
    """The pieces of twitter-text's URL patterns, put together as extract_url.py, valid_domain.py
    and valid_ascii_domain.py do, case-insensitive as extract_url is compiled."""

    def piece(name: str) -> str:
        found = _twitter(f"regexp.{name}", name)
        return found if isinstance(found, str) else found.pattern

    tail = (
        f"(?::({piece('valid_port_number')}))?(\\/{piece('valid_url_path')}*)?"
        f"(\\?{piece('valid_url_query_chars')}*{piece('valid_url_query_ending_chars')})?"
    )
    return _UrlPieces(
        run=re.compile(f"(?:{piece('valid_domain_chars')}|[-_.])+", re.IGNORECASE),
        preceding=re.compile(piece("valid_url_preceding_chars"), re.IGNORECASE),
        protocol=re.compile(r"https?://", re.IGNORECASE),
        tld=re.compile(f"(?:{piece('valid_gtld')}|{piece('valid_cctld')}|{piece('valid_punycode')})", re.IGNORECASE),
        tail=re.compile(tail, re.IGNORECASE),
        ascii_label=re.compile(f"[\\-a-z0-9{piece('latin_accent_chars')}]+", re.IGNORECASE),
    )


# Longer than any top-level domain of the library's lists (18 characters) and the one after it.
_TLD_WINDOW = 32


def _tld_end(text: str, at: int) -> int | None:
    """Where the library's top-level domain pattern, tried at `at`, ends; None if it fails."""
    window = text[at : at + _TLD_WINDOW]
    whole = at + _TLD_WINDOW >= len(text)
    end = _tld_in(window, whole)
    if end is None:
        return None
    if end >= len(window) and not whole:  # a punycode label running on past the window
        found = _url_pieces().tld.match(text, at)
        return found.end() if found else None
    return at + end


@lru_cache(maxsize=4096)
def _tld_in(window: str, whole: bool) -> int | None:
    """The top-level domain pattern costs up to 0.1 ms a try (1,600 names in turn), so a label
    repeated in a text is tried once. A name and the character after it fit in the window: what it
    finds there holds in the text, unless it reaches the window's end (`_tld_end` reads on)."""
    found = _url_pieces().tld.match(window)
    return found.end() if found else None


def _domain_ends(text: str, pieces: _UrlPieces) -> dict[int, int]:
    """Every position where the library's domain pattern (subdomains, a domain name, a top-level
    domain) matches, and where it ends. A label runs to the next dot, begins and ends with a letter
    or digit; the pattern prefers more subdomains, so a domain starting in a label ends where the
    domain starting after its dot ends, else at the top-level domain after the dot (if the label
    has no underscore from there: a domain name)."""
    ends: dict[int, int] = {}
    for run in pieces.run.finditer(text):
        first = run.start()
        dots = [first + i for i, char in enumerate(run.group()) if char == "."]
        after: int | None = None  # where the domain starting after the current label's dot ends
        for k in range(len(dots) - 1, -1, -1):
            dot, start = dots[k], (dots[k - 1] + 1 if k else first)
            tld = _tld_end(text, dot + 1) if after is None else None
            if start < dot and text[dot - 1] not in "_-" and (after is not None or tld is not None):
                underscore = text.rfind("_", start, dot)
                for x in range(start, dot):
                    if text[x] not in "_-" and (after is not None or x > underscore):
                        ends[x] = after if after is not None else tld  # type: ignore[assignment]
            after = ends.get(start)
    return ends


def _url_tries(text: str, ends: dict[int, int], pieces: _UrlPieces) -> list[tuple[int, int, int, int]]:
    """Each way extract_url can match: (where the match starts, the order in which the pattern
    tries it there, where the URL starts, where its domain starts), in the order finditer meets
    them. A match begins with the character before the URL, or at the start of the text (`^`,
    tried last), then a protocol if there is one (tried first), then the domain."""
    tries = []
    for domain in ends:
        for url in (domain - 8, domain - 7):  # after "https://" or "http://"
            if url >= 0 and pieces.protocol.fullmatch(text, url, domain):
                if url and _precedes(text, url - 1, pieces):
                    tries.append((url - 1, 0, url, domain))
                elif not url:
                    tries.append((0, 2, url, domain))
        if domain and _precedes(text, domain - 1, pieces):
            tries.append((domain - 1, 1, domain, domain))
        elif not domain:
            tries.append((0, 3, domain, domain))
    return sorted(tries)


def _precedes(text: str, at: int, pieces: _UrlPieces) -> bool:
    """Whether the character at `at` may come before a URL (the pattern's class, not its `^`)."""
    found = pieces.preceding.match(text, at)
    return found is not None and found.end() == at + 1


def _twitter_urls(text: str) -> list[tuple[int, int]]:
    """twitter-text's URL entities of `text` (normalized as parse_tweet does), as (start, end) of
    the characters each counts as: what extract_urls_with_indices finds, in time linear in the text."""
    if "." not in text:  # as the library: no dot, no URL
        return []
    pieces = _url_pieces()
    ends = _domain_ends(text, pieces)
    spans: list[tuple[int, int]] = []
    searched = 0
    for at, order, url_start, domain in _url_tries(text, ends, pieces):
        if at < searched:  # inside a match already taken: finditer goes on after it
            continue
        tail = pieces.tail.match(text, ends[domain])
        assert tail is not None  # every part of it is optional
        searched = tail.end()
        url, protocol, name = text[url_start : tail.end()], text[url_start:domain], text[domain : ends[domain]]
        spans += _url_entities(url, url_start, protocol, name, text[at] if order < 2 else "", tail.group(2))
    return spans


def _url_entities(
    url: str, start: int, protocol: str, domain: str, before: str, path: str | None
) -> list[tuple[int, int]]:
    """What extract_urls_with_indices makes of one match of its pattern (`url` at `start`, `before`
    the character before it): nothing, the URL, or for a URL without protocol the ASCII domains in
    it, the last with the path. As parse_tweet, a URL covers as many characters as its text."""
    if not _valid_url(url, protocol or "https://", domain):
        return []
    if protocol:
        tco = _twitter("regexp.valid_tco_url", "valid_tco_url").search(url)
        if tco:  # a t.co link takes no path
            if len(tco.group(1)) > _TCO_MAX_SLUG:
                return []
            url = tco.group(0)
        return [(start, start + len(url))]
    if _twitter(
        "regexp.invalid_url_without_protocol_preceding_chars", "invalid_url_without_protocol_preceding_chars"
    ).match(before):  # "-example.com", "_example.com", "./example.com": not a URL
        return []
    found = [(start + a, start + b) for a, b in _ascii_domains(domain)]
    if found and path:
        a, b = found[-1]
        found[-1] = (a, a + len(url.replace(domain, domain[a - start : b - start])))
    return found


# twitter-text's extract_urls.py (max_url_length, max_tco_slug_length). Its check is repeated here
# rather than imported: importing that module compiles its whole URL pattern (0.13 s), unused here.
_URL_MAX = 4096
_TCO_MAX_SLUG = 40


def _valid_url(url: str, protocol: str, domain: str) -> bool:
    """extract_urls.is_valid_url: the domain is an IDNA name (no label of 64 characters or more,
    none empty) and the URL, its domain in punycode, with its protocol, is at most 4,096 characters."""
    try:
        punycode = domain.encode("idna").decode("ascii")
    except Exception:  # as the library: whatever fails to encode is no URL
        return False
    return bool(punycode) and len(protocol) + len(url) + len(punycode) - len(domain) <= _URL_MAX


def _ascii_domains(domain: str) -> list[tuple[int, int]]:
    """The matches of the library's valid_ascii_domain in `domain` (labels of ASCII letters, digits,
    hyphens or Latin accents, each with its dot, then a top-level domain) as finditer finds them:
    from the right, where the labels from each label's dot on end, preferring more labels."""
    labels = [m.span() for m in _url_pieces().ascii_label.finditer(domain) if domain.startswith(".", m.end())]
    ends: list[int | None] = [None] * len(labels)  # where the match ends from each label's dot on
    for i in range(len(labels) - 1, -1, -1):
        after = labels[i][1] + 1
        following = ends[i + 1] if i + 1 < len(labels) and labels[i + 1][0] == after else None
        ends[i] = following if following is not None else _tld_end(domain, after)
    found, searched = [], 0
    for (first, dot), end in zip(labels, ends, strict=True):
        if end is not None and dot > searched:
            found.append((max(first, searched), end))
            searched = end
    return found


def _char_weight(char: str) -> int:
    code = ord(char)
    return 100 if any(lo <= code <= hi for lo, hi in _TW_RANGES) else 200


# Counted exactly up to here; past it, character by character (an upper bound: a URL there is not
# shortened to 23). Far beyond any X limit, and it keeps the count of any text under a second.
TWITTER_EXACT_CHARS = 10_000


@lru_cache(maxsize=65536)
def twitter_length(text: str) -> int:
    """Weighted length per twitter-text (v3 config): URLs count 23, most CJK and emoji count 2.

    The same count as twitter-text's parse_tweet, in time linear in the text: URLs are found as
    its pattern finds them (`_twitter_urls`), and the emoji with the library's (linear) pattern.
    """
    head, tail = text[:TWITTER_EXACT_CHARS], text[TWITTER_EXACT_CHARS:]
    rest = len(tail) if tail.isascii() else sum(_char_weight(c) for c in tail) // 100
    if head.isascii():  # NFC changes no ASCII text; line breaks count one, as parse_tweet makes them
        head = re.sub(r"\r\n|\r", "\n", head)
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


def _graphemes(text: str) -> int:
    return len(text) if text.isascii() else len(_GRAPHEME.findall(text))


# The ways a network counts (`networks.Counting`, a channel's `limits.text.count`).
_COUNTERS: dict[str, Callable[[str], int]] = {"twitter": twitter_length, "graphemes": _graphemes, "characters": len}


def count(text: str, method: str, url_length: int | None = None) -> int:
    """`text`'s length counted by `method`; with `url_length`, every address written with its
    scheme counts that many whatever its length (Mastodon: 23). twitter-text shortens its own."""
    counter = _COUNTERS[method]
    if url_length is None or counter is twitter_length:
        return counter(text)
    total, last = 0, 0
    for start, end in url_spans(text):
        if text.startswith(("http://", "https://"), start, end):
            total += counter(text[last:start]) + url_length
            last = end
    return total + counter(text[last:])


UNITS = {"twitter": "weighted characters", "graphemes": "characters", "characters": "characters"}

# Punctuation that ends a sentence rather than an address ("see https://home.cern/x.").
_TRAILING = ".,;:!?)]}'\""


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where the addresses of a text are, without the punctuation that ends a sentence after them."""
    spans = []
    for found in URL_IN_TEXT.finditer(text):
        end = found.end()
        while end > found.start() and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((found.start(), end))
    return spans


def fits(text: str, method: str, limit: int, url_length: int | None = None) -> bool:
    """Whether `text` counts at most `limit`, without counting it when a bound settles it: in an
    ASCII text every character weighs 1 on X and each URL (a dot at least) counts 23 at most."""
    x_bound = _COUNTERS[method] is twitter_length and text.isascii()
    if x_bound and len(text) + TWITTER_URL_LENGTH * text.count(".") <= limit:
        return True
    return count(text, method, url_length) <= limit
