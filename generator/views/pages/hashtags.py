"""The hashtags page: the active list and the Instagram set with their use, and the others used;
each count links to the tag's posts (the next ones, then the latest), listed below."""

from __future__ import annotations

from ...models import Post
from .site_data import RECENT, SiteData


def anchor(tag: str) -> str:
    """The list of a tag's posts on the page (a tag is letters, digits and underscores after #)."""
    return "tag-" + "".join(c if c.isalnum() or c == "_" else "-" for c in tag.lower().lstrip("#"))


def hashtags(site: SiteData) -> dict[str, object]:
    cal = site.cal
    reg = cal.registry
    use = cal.hashtag_use
    active = [(t, use.get(t.lower(), 0)) for t in reg.hashtags.active]
    instagram = [(t, use.get(t.lower(), 0)) for t in reg.hashtags.instagram]
    known = reg.hashtags.known
    other = sorted(((t, n) for t, n in use.items() if t not in known), key=lambda x: (-x[1], x[0]))
    listed: dict[str, tuple[str, list[Post], int]] = {}
    for tag, n in (*active, *instagram, *other):
        if n and anchor(tag) not in listed:
            posts = cal.posts_by_hashtag.get(tag.lower(), ())
            ahead = [p for p in posts if p.day >= cal.today]
            shown = (ahead + [p for p in reversed(posts) if p.day < cal.today])[:RECENT]
            listed[anchor(tag)] = (tag, shown, len(posts) - len(shown))
    return {"active": active, "instagram": instagram, "other": other, "anchor": anchor, "listed": listed}
