"""LinkedIn: `platform: linkedin`. Characters; the link in the text and as a card under it."""

from .network import Network

NETWORK = Network(name="linkedin", label="LinkedIn", counting="characters", images=9)
