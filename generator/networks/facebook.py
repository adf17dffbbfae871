"""Facebook: `platform: facebook`. Characters; the link in the text and as a card under it."""

from .network import Network

NETWORK = Network(name="facebook", label="Facebook", counting="characters", images=10)
