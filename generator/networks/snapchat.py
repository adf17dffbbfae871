"""Snapchat: `platform: snapchat`. A network the team has left: its channels stay so old posts still render;
previewed as a plain card (templates/networks/generic.html.j2)."""

from .network import Network

NETWORK = Network(name="snapchat", label="Snapchat", counting="graphemes", template="generic")
