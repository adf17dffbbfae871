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


# What a changed file outside content/ affects, by the folder it is in (the PR summary; SECURITY.md
# and .github/CODEOWNERS say who reviews each). Anything else (templates/, mkdocs.yml, workflows,
# generator/, pyproject.toml, requirements/ …) is code or set-up: a maintainer reviews it.
PAGES, MEDIA, CODE = "pages", "media", "code"
AREAS = {"pages/": PAGES, "media/": MEDIA}


def is_content(path: str) -> bool:
    """Posts, campaigns and registries: what validate checks (repository-relative, posix)."""
    return path.startswith("content/")


def area_of(path: str) -> str:
    """PAGES (published as written), MEDIA (shown by the posts that name it) or CODE."""
    return next((area for prefix, area in AREAS.items() if path.startswith(prefix)), CODE)


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


def user_pages(project: Project) -> list[tuple[str, Path]]:
    """The team's own pages: every file under pages/ (Markdown pages and what they show), by
    their path in the docs tree. (A symbolic link there stops the build: see build.site_inputs.)"""
    folder = project.root / "pages"
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(current) / d).is_symlink())
        for name in files:
            path = Path(current) / name
            if name.startswith(".") or path.is_symlink():
                continue
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


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
