"""Where a project's files are: the repository root and what lives under it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from .registry import Registry


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

    def registry(self) -> Registry:
        from .registry import load_registry

        return load_registry(self.content)


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
