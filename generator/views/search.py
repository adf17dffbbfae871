"""Search entries for posts: one per post, leading to its own page, so search finds the post
itself. Produced one at a time, as the index is written. `under` is the page a result is shown
under (its month), for an engine whose results show where they are (Zensical's breadcrumb)."""

from __future__ import annotations

from collections.abc import Iterator

from markupsafe import escape

from .. import urls
from ..calendar_model import Calendar


def post_entries(cal: Calendar) -> Iterator[dict[str, str]]:
    for post in cal.posts:
        channels = ", ".join(cal.registry.channels[c].short for c in post.channels if c in cal.registry.channels)
        text = f"{post.date:%Y-%m-%d %H:%M} · {channels} · {post.status}. {post.body} {' '.join(post.hashtags)}"
        yield {
            "location": urls.post_location(post.id),
            "title": str(escape(post.title)),
            "text": str(escape(text)),
            "under": urls.page_url(urls.month_page(post.day)),
        }
