"""The site builder behind one small interface, so another builder is one more module here.

The generator hands an engine a plain docs tree (Markdown pages, static files) and the
navigation; the engine turns it into a site and says where each page's HTML file is, so the
calendar HTML can be spliced in and the posts added to the search index.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

# The names (a leaf module: the registries check `site.engine` against them).
from ..engine_names import DEFAULT as DEFAULT
from ..engine_names import ENGINES as ENGINES

if TYPE_CHECKING:
    from ..project import Project
    from ..validate import Validation

# One navigation entry: (title, docs path); a title of None lets the engine take the page's own.
NavItem = tuple[str | None, str]


class BuildFailed(Exception):
    def __init__(self, message: str, validation: Validation | None = None) -> None:
        super().__init__(message)
        self.validation = validation


class EngineUnavailable(BuildFailed):
    """The engine asked for is unknown or not installed: a usage error (exit 2), not the content's."""


class Engine(Protocol):
    name: str
    # False: every build rewrites every page (no dirty build), so every page is spliced again
    # and the search entries added again after each one.
    incremental: bool
    # How the engine reads a relative link in a page's Markdown: True, from the folder of the
    # page's file, rewriting it for the page's address, raw HTML included (Zensical, since its fix
    # of "relative links in raw HTML", issue 258); False, as written, so that the browser reads it
    # from the page's address (MkDocs rewrites Markdown links only, never raw HTML). The pages'
    # links are made for it (`urls.href`, `Renderer`); HTML spliced in afterwards is the browser's.
    links_from_file: bool

    def check(self) -> None:
        """Raise EngineUnavailable, saying how to install it, if the builder is missing."""
        ...

    def check_settings(self, project: Project) -> None:
        """Raise BuildFailed, saying which line to change, if mkdocs.yml has a setting the site
        cannot be built with."""
        ...

    def site_url(self, project: Project) -> str:
        """The site's public address, ending in '/' (the base of feed links and UIDs)."""
        ...

    def repo_url(self, project: Project) -> str:
        """The repository's web address (https), for links to edit a file; "" when not set."""
        ...

    def build(
        self,
        project: Project,
        docs_dir: Path,
        site_dir: Path,
        nav: Sequence[NavItem],
        *,
        dirty: bool = False,
        epoch: str | None = None,
    ) -> list[str]:
        """Build `docs_dir` into `site_dir`; returns the builder's warnings, raises BuildFailed.
        `dirty` rebuilds only pages whose file changed (engines that are `incremental`); `epoch`
        (SOURCE_DATE_EPOCH) pins timestamps."""
        ...

    def page_file(self, site_dir: Path, url: str) -> Path:
        """The HTML file of the page at `url` (relative to the site root, as in `urls.page_url`)."""
        ...

    def add_search_entries(self, site_dir: Path, entries: Iterable[dict[str, str]]) -> None:
        """Add entries (location, title, text; `under`: the page a result is shown under) to the
        site's search index, if it has one."""
        ...

    def reserved(self, project: Project) -> frozenset[str]:
        """The names at the top of the site that the engine writes besides the docs tree: its
        theme's files (every top-level entry of the theme's folders, the custom_dir included),
        its search index and sitemap. A page of the team's may not take them (sitepaths.py)."""
        ...


# What an engine renders from its theme's templates instead of copying (MkDocs' rules, which
# Zensical follows): layouts, partials, Python files and the theme's own settings.
_NOT_COPIED = (".html", ".py", ".pyc")


def override_dirs(project: Project) -> list[Path]:
    """The theme overrides, first found wins: the repository's templates/overrides/, then the
    package's. Every engine layers them above its theme (and below mkdocs.yml's own custom_dir),
    so mkdocs.yml need not name a folder inside the installed package."""
    return [folder / "overrides" for folder in project.template_dirs if (folder / "overrides").is_dir()]


def theme_names(dirs: Iterable[str | Path], static_templates: Iterable[str]) -> set[str]:
    """The top-level names of what the engine publishes from its theme folders: every file it
    copies (not hidden, not a template, not the theme's settings or translations) and the
    templates it renders as pages of their own (`static_templates`: 404.html, sitemap.xml)."""
    found = {name.split("/", 1)[0] for name in static_templates}
    for folder in dirs:
        for current, subdirs, files in os.walk(folder):
            top = os.path.relpath(current, folder).split(os.sep)[0]
            subdirs[:] = [d for d in subdirs if not d.startswith(".") and not (top == "." and d == "locales")]
            for name in files:
                lower = name.lower()
                if name.startswith(".") or lower.endswith(_NOT_COPIED) or "readme" in lower:
                    continue
                if lower == "mkdocs_theme.yml":
                    continue
                found.add(name if top == "." else top)
    return found


def get(name: str = DEFAULT) -> Engine:
    """The engine called `name`, checked to be installed."""
    try:
        module = ENGINES[name]
    except KeyError:
        raise EngineUnavailable(f"unknown site engine {name!r} (known: {', '.join(sorted(ENGINES))})") from None
    engine: Engine = importlib.import_module(module).ENGINE
    engine.check()
    return engine


def engine_for(project: Project, name: str | None = None) -> Engine:
    """The engine called `name`, else the one content/settings.yml names (site.engine)."""
    return get(name or project.registry().settings.site.engine)
