"""X (formerly Twitter): `platform: twitter`. Weighted characters, every URL 23, the handle shown."""

from .network import Network

NETWORK = Network(
    name="twitter",
    label="X",
    counting="twitter",  # twitter-text's weights: most CJK and emoji count 2
    url_length=23,  # t.co: whatever the address
    shows_handle=True,
    images=4,
)
