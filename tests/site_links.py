"""Every link of a built site, followed as a browser follows it on a site served under a path
(a GitHub Pages project site: `https://owner.github.io/repo/`).

A relative link that climbs one folder too many works on a site at the root of its domain (the
browser stops at `/`) and leaves the site under `/repo/`: so each href and src is resolved against
its page's address *under the prefix*, with the browser's rules (`urljoin`), and must land inside
the prefix on a file the site has.

Also a script: `python -m tests.site_links SITE [PREFIX]` prints every broken link, exit 1 if any.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HOST = "https://pages.invalid"  # any origin: only the path matters


def page_address(site: Path, page: Path, prefix: str) -> str:
    """The address a browser shows for an HTML file: `channels/x/index.html` → `/repo/channels/x/`."""
    rel = page.relative_to(site).as_posix()
    return prefix + (rel.removesuffix("index.html") if rel == "index.html" or rel.endswith("/index.html") else rel)


class _Links(HTMLParser):
    """The href and src of every tag, parsed as a browser does: text that only looks like an
    attribute (an escaped `&lt;a href="…"&gt;` shown on a page, a comment) is none."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value for name, value in attrs if name in ("href", "src") and value is not None)

    handle_startendtag = handle_starttag


def links_of(html: str) -> list[str]:
    """The href and src values of an HTML text, entities in them decoded as a browser does."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.found


def target_file(site: Path, path: str, prefix: str) -> Path | None:
    """The file of the site a resolved path serves (a folder's index.html), None outside the prefix."""
    if not path.startswith(prefix):
        return None
    rel = unquote(path.removeprefix(prefix))
    if ".." in rel.split("/"):  # unresolved dot segments cannot be a page; urljoin leaves none
        return None
    file = site / rel
    return file / "index.html" if rel == "" or rel.endswith("/") or file.is_dir() else file


def broken_links(site: Path, prefix: str = "/repo/") -> dict[str, list[str]]:
    """Every link of every HTML page that resolves, under `prefix`, outside the site or to no file:
    {"page: href → resolved path": …} grouped as {resolved path: ["page: href", …]}. Links to
    another origin (a scheme or a host), and those of only a #fragment or ?query, are not followed."""
    broken: dict[str, list[str]] = defaultdict(list)
    for page in sorted(site.rglob("*.html")):
        here = HOST + page_address(site, page, prefix)
        for href in links_of(page.read_text(encoding="utf-8", errors="replace")):
            url = href.strip().replace("\\", "/")  # a browser reads a backslash as a slash
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            path = urlsplit(urljoin(here, url)).path
            file = target_file(site, path, prefix)
            if file is None or not file.is_file():
                broken[path].append(f"{page.relative_to(site).as_posix()}: {href}")
    return dict(broken)


def main(argv: list[str]) -> int:
    site, prefix = Path(argv[0]), (argv[1] if len(argv) > 1 else "/repo/")
    broken = broken_links(site, prefix)
    for path, where in sorted(broken.items()):
        print(f"{path}  ({len(where)} links)")
        for line in where[:3]:
            print(f"    {line}")
    print(f"{sum(map(len, broken.values()))} broken links to {len(broken)} addresses")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
