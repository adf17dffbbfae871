"""Where a project's files are: the repository root and what lives under it."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError

# Re-exported: the loader, the feeds and the pages ask the project what an id is (ids.py, a leaf,
# is where it is defined, below the registries that check their ids too).
from .ids import ID_PATTERN as ID_PATTERN
from .ids import RESERVED_IDS as RESERVED_IDS
from .ids import is_valid_id as is_valid_id

if TYPE_CHECKING:
    from .registry import Registry


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


# The templates socialcal ships (pages/, assets/, overrides/: the theme's, init/: `socialcal init`'s
# files). A repository's own templates/ overrides them file by file (`Project.template_dirs`).
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"

# The registries: content/<name>.yml (generator/registry.py reads them, `socialcal schema` describes them).
REGISTRY_FILES = ("channels", "series", "hashtags", "links", "audiences", "settings", "analytics", "followers")
CACHE_DIR = ".socialcal-cache"  # socialcal's own files kept between runs (thumbnails, validate_cache.py); git-ignored
KINDS = ("posts", "campaigns")  # the folders of content/ whose Markdown files are read

# What editors and systems leave beside files, never content and never reported: hidden files
# (.x.md.swp, .DS_Store, .#x.md), backups (x.md~), autosaves (#x.md#), Windows' own.
_LEFT_BY_TOOLS = re.compile(r"^(?:\..*|.*~|#.*#|thumbs\.db|desktop\.ini)$", re.IGNORECASE | re.DOTALL)
# Names a post or campaign is easily saved under instead of <id>.md: the text is there, unread.
_MARKDOWN_LIKE = re.compile(r"^(.+?)\.(?:md|markdown|mdown|mkdn|mkd|mdwn|txt|text|yml|yaml)(?:\..*)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Stray:
    """A file or folder under content/ that is not read, and what to do with it (rule SC012)."""

    path: Path
    hint: str


def _is_content(name: str) -> bool:
    """A post's or campaign's file name. Names that start with `_` (templates) or `.`, and
    READMEs, are not content."""
    return name.endswith(".md") and not name.startswith((".", "_")) and name.lower() != "readme.md"


def is_left_alone(name: str) -> bool:
    """Not content, and not worth a word: templates (`_x.md`), tools' files, READMEs."""
    return name.startswith("_") or _LEFT_BY_TOOLS.match(name) is not None or name.lower().split(".")[0] == "readme"


def _stray_hint(path: Path, kind: str) -> str:
    """What to do with a file of content/<kind>/ that is not read."""
    like = _MARKDOWN_LIKE.match(path.name)
    if like is None:
        return f"content/{kind}/ holds {kind} only (<id>.md): move it out (images go in media/)"
    wanted = path.with_name(f"{like.group(1)}.md")
    if wanted.exists() and wanted != path:
        return f"{wanted.name} is beside it: delete this copy, or merge it into {wanted.name}"
    return f"rename it to {wanted.name} (only files named <id>.md are read)"


def content_files(root: Path, kind: str, strays: list[Stray] | None = None) -> list[Path]:
    """The Markdown files of content/<kind>/ of the project at `root`, nested folders included,
    in a stable order. The other files there are added to `strays` (when given): a post saved as
    x.MD, x.markdown, x.txt or x.md.bak would silently drop out of the calendar.

    Files and folders whose name starts with `_` or `.` (templates, editor files) and READMEs
    are not content, nor backups and other files tools leave (`is_left_alone`): they are not
    reported either. Symbolic links are listed (folders too) so that they are refused (SC009),
    never followed: one could publish any file of the machine.
    """
    base = root / "content" / kind
    for top in (root / "content", base):
        if top.is_symlink():
            return [top]
    found = []

    def unlisted(exc: OSError) -> None:
        # A folder that cannot be listed (its permissions, an I/O error) would drop its posts out
        # of the calendar as silently as a misnamed file. One that is not there holds none.
        if strays is not None and exc.filename is not None and not isinstance(exc, FileNotFoundError):
            strays.append(Stray(Path(exc.filename), f"it cannot be listed ({exc.strerror}): check its permissions"))

    for folder, dirs, names in os.walk(base, onerror=unlisted):
        found.extend(Path(folder, d) for d in dirs if Path(folder, d).is_symlink())
        dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and not Path(folder, d).is_symlink()]
        for name in names:
            path = Path(folder, name)
            if _is_content(name):
                found.append(path)
            elif strays is not None and not is_left_alone(name):
                strays.append(Stray(path, _stray_hint(path, kind)))
    return sorted(found)


def _top_hint(entry: Path, registries: set[str]) -> str:
    """What to do with a file or folder directly in content/ that is not read."""
    from .diagnostics import did_you_mean

    name = entry.name
    if entry.is_dir() and not entry.is_symlink():
        kind = did_you_mean(name.lower(), KINDS) or "posts"
        return f"nothing in content/{name}/ is read: move its files to content/{kind}/"
    like = _MARKDOWN_LIKE.match(name)
    stem = like.group(1) if like else name
    if f"{stem.lower()}.yml" in registries:
        return f"rename it to {stem.lower()}.yml (a registry is read by that name only)"
    if name.lower().endswith((".yml", ".yaml")):
        return f"it is not a registry ({', '.join(sorted(registries))}): remove it or move it out of content/"
    if like is not None:
        return (
            f"posts are read from content/posts/, campaigns from content/campaigns/: move it to content/posts/{stem}.md"
        )
    return "content/ holds the registries (<name>.yml), posts/ and campaigns/ only: move it out"


def content_strays(root: Path) -> list[Stray]:
    """What lies directly in content/ and is not read: anything but the registries (<name>.yml),
    posts/ and campaigns/ (a post saved in content/, settings.yaml, a folder called post/)."""
    base = root / "content"
    if base.is_symlink() or not base.is_dir():
        return []
    known = {f"{name}.yml" for name in REGISTRY_FILES}
    out = []
    for entry in sorted(base.iterdir()):
        name = entry.name
        if name in known or name in KINDS or is_left_alone(name):
            continue
        out.append(Stray(entry, _top_hint(entry, known)))
    return out


def content_kind(path: str) -> str | None:
    """The kind of content ("posts", "campaigns") a repository path would be a file of, by the
    rules of `content_files`, or None. For paths that are not on disk (a pull request's files,
    read from git objects)."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "content" or parts[1] not in KINDS:
        return None
    if not _is_content(parts[-1]) or any(not part or part.startswith((".", "_")) for part in parts[2:]):
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
        """The repository's own templates: each file overrides the package's of the same path."""
        return self.root / "templates"

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked up, first found wins: the repository's, then the package's."""
        return (self.templates, PACKAGE_TEMPLATES)

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def inputs(self) -> tuple[Path, ...]:
        """What socialcal reads, where nothing it writes may go (the site, a summary): the content,
        the templates, the team's pages, mkdocs.yml and git's own folder."""
        return (self.content, self.templates, self.root / "pages", self.mkdocs_yml, self.root / ".git")

    def input_holding(self, path: Path) -> Path | None:
        """The input (resolved) that `path` is or lies in, or None."""
        path = path.resolve()
        for kept in self.inputs:
            kept = kept.resolve()
            if path == kept or kept in path.parents:
                return kept
        return None

    def registry(self) -> Registry:
        from .registry import load_registry

        return load_registry(self.content)

    @property
    def thumbs(self) -> Path:
        """Thumbnails of the repository's images, by content hash (local, git-ignored)."""
        return self.root / CACHE_DIR / "thumbs"


def layered_files(dirs: Sequence[Path], sub: str) -> dict[str, Path]:
    """Every file under `sub` of the layered template folders, by its path there (posix), taken
    from the first folder that has it: a repository's file overrides the package's, file by file.
    Links are not followed here (validate and build refuse them in templates/: SC009)."""
    found: dict[str, Path] = {}
    for top in dirs:
        folder = top / sub
        if not folder.is_dir():
            continue
        for current, subdirs, files in os.walk(folder):
            subdirs.sort()
            for name in sorted(files):
                path = Path(current) / name
                found.setdefault(path.relative_to(folder).as_posix(), path)
    return dict(sorted(found.items()))


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
