"""The networks a channel can be on, one unit each: what a channel's `platform:` (content/channels.yml)
means for how its posts are counted, composed and previewed.

Each module of this package is one network and defines `NETWORK`, a `Network`; `NETWORKS` is the
one table of them, by name, gathered from the modules here so that adding a network is its module
and its preview template (`generator/templates/networks/<name>.html.j2`), nothing else. Whatever depends on
the network reads its unit: no other module compares a platform's name.
"""

from __future__ import annotations

import importlib
import pkgutil

from .network import Counting, HashtagPlace, LinkPlace, Network

__all__ = ["NETWORKS", "Counting", "HashtagPlace", "LinkPlace", "Network", "network_named"]


def _units() -> dict[str, Network]:
    found: dict[str, Network] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "network":  # the unit's class, not a network
            continue
        unit = importlib.import_module(f"{__name__}.{info.name}").NETWORK
        if unit.name in found:
            raise RuntimeError(f"two network units are named {unit.name!r}")  # a bug in socialcal, not content
        found[unit.name] = unit
    return found


NETWORKS: dict[str, Network] = _units()


def network_named(name: str) -> Network:
    """The unit of a name the registry has already checked against `NETWORKS`."""
    return NETWORKS[name]
