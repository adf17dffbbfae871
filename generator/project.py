"""Where a project's files are: the repository root and what lives under it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from .registry import Registry

# A post's or campaign's id is its file name without `.md` (rule SC111; `socialcal new --id`).
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


# The name engines give a folder's own page: a post, campaign or channel called so would get the
# address of its list's page (posts/index.md is served as posts/, a level up from its links).
RESERVED_IDS = frozenset({"index"})


def is_valid_id(text: str) -> bool:
    return ID_PATTERN.fullmatch(text) is not None and text not in RESERVED_IDS


def content_files(root: Path, kind: str) -> list[Path]:
    """The Markdown files of content/<kind>/ of the project at `root`, nested folders included,
    in a stable order.

    Files and folders whose name starts with `_` or `.` (templates, editor files) and READMEs
    are not content. Symbolic links are listed (folders too) so that they are refused (SC009),
    never followed: one could publish any file of the machine.
    """
    base = root / "content" / kind
    for top in (root / "content", base):
        if top.is_symlink():
            return [top]
    found = []
    for folder, dirs, names in os.walk(base):
        found.extend(Path(folder, d) for d in dirs if Path(folder, d).is_symlink())
        dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and not Path(folder, d).is_symlink()]
        found.extend(
            Path(folder, name)
            for name in names
            if name.endswith(".md") and not name.startswith((".", "_")) and name.lower() != "readme.md"
        )
    return sorted(found)


def content_kind(path: str) -> str | None:
    """The kind of content ("posts", "campaigns") a repository path would be a file of, by the
    rules of `content_files`, or None. For paths that are not on disk (a pull request's files,
    read from git objects)."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "content" or parts[1] not in ("posts", "campaigns"):
        return None
    name = parts[-1]
    if not name.endswith(".md") or name.lower() == "readme.md":
        return None
    if any(not part or part.startswith((".", "_")) for part in parts[2:]):
        return None
    return parts[1]


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

    @property
    def thumbs(self) -> Path:
        """Thumbnails of the repository's images, by content hash (local, git-ignored)."""
        return self.root / ".socialcal-cache" / "thumbs"


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
