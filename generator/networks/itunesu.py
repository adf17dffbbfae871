"""iTunes U: `platform: itunesu`. A network the team has left: its channels stay so old posts still render;
previewed as a plain card (templates/networks/generic.html.j2)."""

from .network import Network

NETWORK = Network(name="itunesu", label="iTunes U", counting="characters", template="generic")
