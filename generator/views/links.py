"""Where generated pages live, and relative links between them (raw HTML is not rewritten by MkDocs)."""

from __future__ import annotations

import datetime as dt


def page_url(src: str) -> str:
    """The URL (relative to the site root) MkDocs gives a docs file, with directory URLs."""
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[: -len(".md")] + "/"


def base_for(src: str) -> str:
    """Relative prefix from a page to the site root."""
    return "../" * page_url(src).count("/")


def month_page(day: dt.date | tuple[int, int]) -> str:
    y, m = (day.year, day.month) if isinstance(day, dt.date) else day
    return f"calendar/{y:04d}-{m:02d}.md"


def week_page(monday: dt.date) -> str:
    y, w, _ = monday.isocalendar()
    return f"week/{y:04d}-w{w:02d}.md"


def day_anchor(day: dt.date) -> str:
    return f"day-{day.isoformat()}"
