"""The hashtags page: the active list and the Instagram set with their use, and the others used."""

from __future__ import annotations

from .base import SiteData


def hashtags(site: SiteData) -> dict[str, object]:
    reg = site.cal.registry
    use = site.cal.hashtag_use
    active = [(t, use.get(t.lower(), 0)) for t in reg.hashtags.active]
    instagram = [(t, use.get(t.lower(), 0)) for t in reg.hashtags.instagram]
    known = reg.hashtags.known
    other = sorted(((t, n) for t, n in use.items() if t not in known), key=lambda x: (-x[1], x[0]))
    return {"active": active, "instagram": instagram, "other": other}
