"""The site engines by name: what content/settings.yml's `site.engine` and `--engine` may say.

A leaf, so that the registries can check the setting without the engines package (which imports
the engine a build asks for, and with it the registries).
"""

from __future__ import annotations

# Name → the module that implements it (generator/engines/), imported only when it is used.
ENGINES = {"mkdocs": "generator.engines.mkdocs", "zensical": "generator.engines.zensical"}
DEFAULT = "mkdocs"
