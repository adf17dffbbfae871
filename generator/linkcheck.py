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
from urllib.parse import urlsplit

from .registry import LinkPolicy

WEB = ("https", "http")
SECURE = ("https",)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\.?$")
_UNSAFE = re.compile(r"[\s\\\x00-\x1f\x7f]")
_MEDIA_PATH = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.?(?:/|$))[^\\:*?\"<>|\x00-\x1f\x7f]+$")


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # SC108: not a plain address; SC308: a site outside the registry
    reason: str
    host: str = ""


def has_scheme(text: str) -> bool:
    return bool(_SCHEME.match(text))


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


def form_problem(url: str, schemes: tuple[str, ...] = WEB) -> str | None:
    """Why `url` is not a plain absolute web address, or None."""
    found = _UNSAFE.search(url)
    if found:
        return "it contains a backslash" if found.group() == "\\" else "it contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "it is not a URL"
    if parts.scheme.lower() not in schemes:
        return f"it does not start with {schemes[0]}://"
    if "@" in parts.netloc:
        return "it names a user (…@) before the site, which hides where it really leads"
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return f"it has no web address after {parts.scheme}://"
    if not _HOST.match(host):
        return "its site name has characters a browser could read differently (write it in ASCII)"
    return None


def address_problem(
    url: str, links: LinkPolicy | None, schemes: tuple[str, ...] = WEB, external_ok: bool = False
) -> Problem | None:
    """The one check: the form of the address, then its site against the registry."""
    reason = form_problem(url, schemes)
    if reason:
        return Problem("SC108", reason)
    host = host_of(url).lower()
    if links is not None and not external_ok and links.classify(host) is None:
        return Problem("SC308", "its site is not in content/links.yml", host)
    return None


def in_text(found: str) -> str:
    """An address as found in free text (`home.cern/x`, `www.x.org`) with the scheme a browser adds."""
    return found if "://" in found else "https://" + found


def media_problem(src: str, links: LinkPolicy | None, external_ok: bool = False) -> Problem | None:
    """A media `src` is a file in the repository (media/x.jpg) or an https URL."""
    if has_scheme(src):
        return address_problem(src, links, SECURE, external_ok)
    if not _MEDIA_PATH.match(src):
        return Problem("SC108", "it is neither a path in the repository (media/…) nor an https URL")
    return None
