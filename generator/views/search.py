"""Search entries for posts: one per post, pointing at its anchor, so search finds the post
itself rather than the month page it sits on."""

from __future__ import annotations

from markupsafe import escape

from ..calendar import Calendar
from .links import month_page, page_url


def post_entries(cal: Calendar) -> list[dict[str, str]]:
    entries = []
    for post in cal.posts:
        channels = ", ".join(cal.registry.channels[c].short for c in post.channels if c in cal.registry.channels)
        text = f"{post.date:%Y-%m-%d %H:%M} · {channels} · {post.status}. {post.body} {' '.join(post.hashtags)}"
        entries.append(
            {
                "location": f"{page_url(month_page(post.day))}#{post.id}",
                "title": str(escape(post.title)),
                "text": str(escape(text)),
            }
        )
    return entries
