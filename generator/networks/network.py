"""What a network is to socialcal: the fields every unit of generator/networks/ declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a network counts a text: twitter-text's weights (X: most CJK and emoji 2, every URL 23),
# Unicode code points, or user-perceived characters (an emoji with its modifiers counts once).
Counting = Literal["twitter", "characters", "graphemes"]
# Where a post's `link:` goes: appended to the text, shown as a card beside it (not counted),
# or nowhere (links in the text are not clickable there).
LinkPlace = Literal["text", "card", "none"]
# Where a post's hashtags go: appended to the text, or in the first comment.
HashtagPlace = Literal["text", "first_comment"]


@dataclass(frozen=True, slots=True)
class Network:
    """One network: the defaults a channel on it starts from, and how its posts are previewed.

    A channel's own `limits` in content/channels.yml (the team's policy) take precedence where
    they say something; the unit gives what they leave unsaid and what is the network's alone.
    """

    name: str  # the value of a channel's `platform:` (or, for a variant such as stories, `preview:`)
    label: str  # how people call it ("X", "Instagram stories")
    counting: Counting  # a channel's `limits.text.count` when it gives none
    url_length: int | None = None  # every URL in the text counts this many; None: its own length
    link: LinkPlace = "text"
    hashtags: HashtagPlace = "text"  # a channel's `limits.hashtags.placement` when it gives none
    shows_handle: bool = False  # the preview shows the handle beside the account's name
    images: int = 4  # images one post can carry
    video: bool = True  # whether a post can carry a video
    utm_source: str = ""  # `utm_source` of the links it tags (default: its name)
    variant_of: str = ""  # a network chosen with `preview:` on a channel of this platform
    template: str = ""  # its preview's markup under templates/networks/ (default: <name>.html.j2)

    @property
    def preview_template(self) -> str:
        """The preview's template, as the page templates include it."""
        return f"networks/{self.template or self.name}.html.j2"

    @property
    def source(self) -> str:
        """The `utm_source` of its links."""
        return self.utm_source or self.name

    def handle(self, handle: str) -> str:
        """The handle as the preview shows it (`@CERN`, `@cern.bsky.social`, `@cern@mastodon.social`),
        or "" where the network shows none."""
        name = handle.strip().lstrip("@")
        return f"@{name}" if self.shows_handle and name else ""

    def account(self, handle: str) -> str:
        """The account's name as the preview shows it, from the handle: `@CERN` → CERN, and where
        the handle is a domain or names its instance, its first part (`cern.bsky.social`,
        `@cern@mastodon.social` → cern)."""
        return handle.strip().lstrip("@").split("@", 1)[0].split(".", 1)[0]
