"""The one check every address written by a contributor goes through: a post's `link`, URLs in
its text, media and results URLs, links in a campaign plan, and URLs read by `results import`.

An address passes when a browser would go exactly where it seems to lead: a web scheme, no user
name or password (`https://evil.example\\@home.cern/` goes to evil.example), a plain ASCII host,
and that host in the registry of allowed sites (content/links.yml), unless the caller allows
external sites (a declared partnership).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from .characters import CONTROLS
from .registry import LinkPolicy

WEB = ("https", "http")
SECURE = ("https",)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\.?$")
# Spaces, backslashes, and the characters table's controls (C0, DEL, C1, bidirectional): one table.
_UNSAFE = re.compile(f"[\\s\\\\{CONTROLS}]")
_MEDIA_PATH = re.compile(rf"^(?!/)(?!.*(?:^|/)\.\.?(?:/|$))[^\\:*?\"<>|\t\n{CONTROLS}]+$")


class Refusal(Enum):
    """Why an address is refused. rules/links.py reports each as its rule (`rule_of`): this check
    sits below the rules and names no rule code itself."""

    MALFORMED = "not a plain address"  # SC108
    OUTSIDE = "a site outside the registry"  # SC308


@dataclass(frozen=True, slots=True)
class Problem:
    refusal: Refusal
    reason: str
    host: str = ""


def has_scheme(text: str) -> bool:
    return bool(_SCHEME.match(text))


def _checked(url: str, schemes: tuple[str, ...]) -> tuple[str | None, str]:
    """Why `url` is not a plain absolute web address (or None), and its host, lower case."""
    found = _UNSAFE.search(url)
    if found:
        return ("it contains a backslash" if found.group() == "\\" else "it contains spaces or control characters"), ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "it is not a URL", ""
    if parts.scheme.lower() not in schemes:
        return f"it does not start with {schemes[0]}://", ""
    if "@" in parts.netloc:
        return "it names a user (…@) before the site, which hides where it really leads", ""
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return f"it has no web address after {parts.scheme}://", ""
    if not _HOST.match(host):
        return "its site name has characters a browser could read differently (write it in ASCII)", ""
    return None, host.rstrip(".")


def form_problem(url: str, schemes: tuple[str, ...] = WEB) -> str | None:
    """Why `url` is not a plain absolute web address, or None."""
    return _checked(url, schemes)[0]


def address_problem(
    url: str, links: LinkPolicy | None, schemes: tuple[str, ...] = WEB, external_ok: bool = False
) -> Problem | None:
    """The one check: the form of the address, then its site against the registry."""
    reason, host = _checked(url, schemes)
    if reason:
        return Problem(Refusal.MALFORMED, reason)
    if links is not None and not external_ok and links.classify(host) is None:
        return Problem(Refusal.OUTSIDE, "its site is not in content/links.yml", host)
    return None


def in_text(found: str) -> str:
    """An address as found in free text (`home.cern/x`, `www.x.org`) with the scheme a browser adds."""
    return found if "://" in found else "https://" + found


def media_problem(src: str, links: LinkPolicy | None, external_ok: bool = False) -> Problem | None:
    """A media `src` is a file in the repository (media/x.jpg) or an https URL."""
    if has_scheme(src):
        return address_problem(src, links, SECURE, external_ok)
    if not _MEDIA_PATH.match(src):
        return Problem(Refusal.MALFORMED, "it is neither a path in the repository (media/…) nor an https URL")
    return None
