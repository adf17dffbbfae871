"""Instagram's feed: `platform: instagram`. A picture first, the caption after; links in a caption are
not clickable, hashtags go in the first comment."""

from .network import Network

NETWORK = Network(
    name="instagram",
    label="Instagram",
    counting="graphemes",
    link="none",
    hashtags="first_comment",
    images=10,  # a carousel
)
