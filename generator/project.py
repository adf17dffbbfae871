"""Where a project's files are: the repository root and what lives under it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .registry import ConfigError, Registry, SafeLoader, load_registry


class _TagBlindLoader(SafeLoader):
    """Reads mkdocs.yml for its plain values: tags (!ENV, !!python/name …) become None."""


_TagBlindLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TagBlindLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def cache(self) -> Path:
        return self.root / ".socialcal-cache"

    def registry(self) -> Registry:
        return load_registry(self.content)

    def site_config(self) -> dict[str, object]:
        """mkdocs.yml's plain settings (site_url, repo_url …); empty when it cannot be read."""
        try:
            with self.mkdocs_yml.open("rb") as fh:
                config = yaml.load(fh, Loader=_TagBlindLoader)
        except (OSError, yaml.YAMLError):
            return {}
        return config if isinstance(config, dict) else {}


def find_project(start: Path) -> Project:
    """The nearest folder at or above `start` that holds content/channels.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "content" / "channels.yml").is_file():
            return Project(folder)
    raise ConfigError(
        f"no socialcal project at or above {start}: expected content/channels.yml "
        "(run socialcal from the repository, or pass --root)"
    )
