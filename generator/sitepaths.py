"""The top of the built site belongs to the build: a page of the team's (pages/) may not take
a name that socialcal or the site engine writes there.

A file in pages/ is copied into the docs tree, and both engines let a docs file win over their
theme's file of the same path: `pages/assets/javascripts/bundle….min.js` would replace the
theme's script on every page. So the reservation is by top-level name, not by file: `assets`,
`posts`, `calendar`, `search`, `sitemap.xml`, `index.html` … whatever the names are today.
They are derived from what the build writes: the pages' addresses (`urls.TOP_PAGES`, which a
test checks against every row of the table of pages: the table itself sits above the rules that
check this, SC504), the assets and feeds (urls), and each installed engine's theme folders,
search index and sitemap (`Engine.reserved`), so a new theme file or engine is reserved without a
list to update.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from . import urls
from .project import Project, user_pages

SOCIALCAL = "socialcal (its pages, assets and feeds)"


def published(rel_path: str) -> str:
    """Where a file of pages/ ends up in the site: a Markdown page at its directory URL's
    index.html (README.md stands for index.md, as engines read it), anything else as it is."""
    if not rel_path.lower().endswith(".md"):
        return rel_path
    folder, _, name = rel_path.rpartition("/")
    if name.lower() in ("readme.md", "index.md"):
        rel_path = f"{folder}/index.md" if folder else "index.md"
    return urls.page_url(rel_path) + "index.html"


def _key(name: str) -> str:
    """Names compared as a case-insensitive file system (macOS, Windows checkouts) and a
    browser's extension sniffing would: `Assets`, `INDEX.htm` and `sitemap.txt` are taken too."""
    stem = name.split(".", 1)[0].casefold()
    return "index" if stem == "readme" else stem


@lru_cache(maxsize=1)
def generated_names() -> frozenset[str]:
    """The top-level names socialcal writes: every page of the table (`urls.TOP_PAGES`: the rows
    of items share their folder with their index page, `posts/` with its shell), the assets and
    the feeds."""
    names = {urls.ASSETS, urls.FEED_ALL.split("/", 1)[0]}
    names.update(published(src).split("/", 1)[0] for src in urls.TOP_PAGES)
    return frozenset(names)


def reserved(project: Project) -> dict[str, str]:
    """Reserved name (as compared: `_key`) → who writes it: socialcal, and every installed
    engine (a page must not break when the team switches engines)."""
    try:
        settings = project.mkdocs_yml.read_bytes()  # the theme and its custom_dir are named there
    except OSError:
        settings = b""
    return dict(_reserved(project.root, settings))


@lru_cache(maxsize=4)
def _reserved(root: Path, settings: bytes) -> tuple[tuple[str, str], ...]:
    # Asking MkDocs for its theme costs 0.3 s: once per mkdocs.yml (serve rebuilds often).
    from .engines import ENGINES, EngineUnavailable
    from .engines import get as get_engine

    found: dict[str, list[str]] = {_key(name): [SOCIALCAL] for name in generated_names()}
    for engine_name in ENGINES:
        try:
            engine = get_engine(engine_name)
        except EngineUnavailable:
            continue
        for key in sorted({_key(name) for name in engine.reserved(Project(root))}):
            found.setdefault(key, []).append(f"{engine_name} (its theme, search index or sitemap)")
    return tuple((key, " and ".join(who)) for key, who in sorted(found.items()))


def page_conflicts(project: Project) -> list[tuple[str, str, str]]:
    """The files of pages/ that would take a name of the generated site, each as (its path in
    the repository, the diagnostic's message, its hint)."""
    pages = user_pages(project)
    if not pages:
        return []  # no engine is asked anything when there are no pages (validate stays fast)
    taken = reserved(project)
    out = []
    for rel_path, _ in pages:
        where = published(rel_path)
        top = where.split("/", 1)[0]
        who = taken.get(_key(top))
        if who is not None:
            message = (
                f"would be published at {where}, but '{top}' at the top of the site is written by {who}: "
                "a page of your own would replace or shadow it"
            )
            hint = (
                f"rename it, or move it into a folder of your own such as pages/team/ (taken at the top: "
                f"{', '.join(sorted(taken))})"
            )
            out.append((f"pages/{rel_path}", message, hint))
    return out
