"""Images pasted into the "Propose a post" issue form, downloaded into `media/` for the post
(`socialcal new post --from-issue FILE --fetch-images`, run by .github/workflows/propose-post.yml).

GitHub stores a pasted image at `https://github.com/user-attachments/assets/<uuid>`, which
answers with a redirect to a signed address on `*.githubusercontent.com`. Only such an address is
fetched, only that one redirect is followed, and only to that host family (https, no user name,
no other port): anything else is refused before a byte is read. No token is sent, so this works
for public repositories' attachments only. The body is read no further than `media_files.MAX_BYTES`,
then treated as hostile like any image (`published_images.reencoded`: JPEG, PNG, WebP or GIF only, the pixel
and decoding limits, re-encoded from its pixels so no EXIF or GPS position reaches the
repository). The fetcher is a parameter, so the tests run offline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .diagnostics import one_line
from .image_decoding import BadImage
from .media_files import MAX_BYTES
from .published_images import reencoded

# What the form holds for a pasted image (in a Markdown image or an <img> tag).
ATTACHMENT = re.compile(
    r"https://github\.com/user-attachments/assets/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
SIGNED_HOST = ".githubusercontent.com"  # private-user-images.githubusercontent.com, and GitHub's other image hosts
REDIRECTS = frozenset({301, 302, 303, 307, 308})
TIMEOUT = 30  # seconds per request


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: its status, its Location (a redirect) and at most `limit + 1` bytes of body."""

    status: int
    location: str = ""
    body: bytes = b""


Fetch = Callable[[str, int], Reply]  # (address, limit) → one request's reply; never follows a redirect


class AttachmentError(ValueError):
    pass


def is_attachment(src: str) -> bool:
    return ATTACHMENT.fullmatch(src) is not None


def signed_host(url: str) -> bool:
    """A redirect we follow: https to GitHub's image hosts, nothing in the address but the path."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return (
        parts.scheme == "https"
        and host.endswith(SIGNED_HOST)
        and not parts.username
        and not parts.password
        and port in (None, 443)
        and "\\" not in url
    )


def download(url: str, fetch: Fetch) -> tuple[bytes, str]:
    """(image, 'jpg' or 'png') of a pasted image, re-encoded; AttachmentError saying why not."""
    if not is_attachment(url):
        raise AttachmentError(f"'{one_line(url)[:200]}' is not an image pasted into the form")
    reply = fetch(url, MAX_BYTES)
    if reply.status in REDIRECTS:
        if not signed_host(reply.location):
            raise AttachmentError(f"it redirects to '{one_line(reply.location)[:200]}', not to GitHub's image host")
        reply = fetch(reply.location, MAX_BYTES)
    if reply.status in REDIRECTS:
        raise AttachmentError("it redirects more than once")
    if reply.status != 200:
        raise AttachmentError(f"GitHub answered {reply.status} (is the repository private, or the image deleted?)")
    if len(reply.body) > MAX_BYTES:
        raise AttachmentError(f"the image is larger than {MAX_BYTES // (1024 * 1024)} MB")
    made = reencoded(reply.body)
    if isinstance(made, BadImage):
        raise AttachmentError(str(made))
    if isinstance(made, str):
        raise AttachmentError(made)
    return made


def http_fetch(url: str, limit: int) -> Reply:
    """One GET without following redirects, no credentials, the body read no further than `limit + 1`."""
    import urllib.error
    import urllib.request

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None  # answered as it is: download() decides whether to follow

    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": "socialcal", "Accept": "image/*"})
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return Reply(response.status, "", response.read(limit + 1))
    except urllib.error.HTTPError as exc:
        return Reply(exc.code, exc.headers.get("Location", "") or "")
    except (urllib.error.URLError, OSError) as exc:
        raise AttachmentError(f"it could not be downloaded ({one_line(str(exc))[:200]})") from None
