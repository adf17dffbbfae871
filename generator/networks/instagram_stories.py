"""Instagram stories: a channel with `platform: instagram` and `preview: instagram-stories`. One
picture or video, 9:16, the text over it; the link goes out as a link sticker."""

from .network import Network

NETWORK = Network(
    name="instagram-stories",
    label="Instagram stories",
    counting="graphemes",
    images=1,
    utm_source="instagram",  # the same network in analytics as the feed
    variant_of="instagram",
)
