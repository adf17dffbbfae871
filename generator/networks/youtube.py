"""YouTube: `platform: youtube`. A video and its description (characters); the picture is its thumbnail."""

from .network import Network

NETWORK = Network(name="youtube", label="YouTube", counting="characters", images=1)
