"""Mastodon: `platform: mastodon`. 500 characters on most instances, every URL counts 23 whatever its
length; the handle names the instance (@user@instance)."""

from .network import Network

NETWORK = Network(
    name="mastodon",
    label="Mastodon",
    counting="characters",
    url_length=23,
    shows_handle=True,
    images=4,
)
