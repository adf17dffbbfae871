"""Bluesky: `platform: bluesky`. 300 graphemes; the link goes out as a card (an external embed),
not in the text, so it is not counted; the handle is a domain (@name.bsky.social)."""

from .network import Network

NETWORK = Network(
    name="bluesky",
    label="Bluesky",
    counting="graphemes",
    link="card",
    shows_handle=True,
    images=4,
)
