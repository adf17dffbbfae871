"""Threads: `platform: threads`. A network the team has no channel on yet;
previewed as a plain card (templates/networks/generic.html.j2)."""

from .network import Network

NETWORK = Network(name="threads", label="Threads", counting="characters", template="generic")
