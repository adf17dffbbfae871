"""Facebook: `platform: facebook`. Characters; the link in the text and as a card under it."""

from .base import Network

NETWORK = Network(name="facebook", label="Facebook", counting="characters", images=10)
