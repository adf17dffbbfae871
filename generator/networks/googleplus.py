"""Google+: `platform: googleplus`. A network the team has left: its channels stay so old posts still render;
previewed as a plain card (templates/networks/generic.html.j2)."""

from .network import Network

NETWORK = Network(name="googleplus", label="Google+", counting="characters", template="generic")
