"""UTM tags on the links to the team's own sites, as they go out: which values, and the text with
every such link tagged. Never written into the files."""

from __future__ import annotations

import re

from .models import Post
from .registry import Channel
from .settings import UtmSettings
from .text_counting import url_spans

# The parameters socialcal sets; any other utm_ parameter (utm_content, utm_term) written by hand is kept.
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")
UTM_MEDIUM = "social"


def utm_slug(value: str) -> str:
    """A UTM value as analytics group it best: lowercase, words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")


def utm_values(post: Post, channel: Channel) -> dict[str, str]:
    """The tags of a link in `post` on `channel`: the network, social, the campaign (else the series)."""
    values = {"utm_source": utm_slug(channel.network.source), "utm_medium": UTM_MEDIUM}
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
