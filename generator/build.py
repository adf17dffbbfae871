"""`socialcal build`: plan → render into a docs tree → engine → splice → search → swap.

The new site is built beside the old one and swapped in only when everything succeeded, so a
failed build leaves the previous site exactly as it was. Pages and feeds go to the docs tree as
they are rendered (docs.py); everything builder-specific is behind the engine (engines/).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import urls
from .ahead import Ahead
from .cache import NO_MEMO, Memo
from .calendar import Calendar
from .diagnostics import Diagnostic
from .docs import DocsTree, splice
from .engines import BuildFailed, Engine, NavItem
from .engines import get as get_engine
from .media import Thumbnailer
from .plan import make_plan
from .project import Project
from .provenance import Provenance
from .repo import repo_links
from .shell import ShellPage, ShellState, write_pages
from .validate import Validation
from .views.assets import static_assets
from .views.feeds import write_feeds
from .views.pages import PAGES, Renderer, SiteData, nav, render_pages, shell_pages
from .views.pages.render import raised_in_template, template_error
from .views.search import post_entries

__all__ = [
    "BuildFailed",
    "Outcome",
    "Rendered",
    "build",
    "model",
    "render_docs",
    "splice_fragments",
    "swap_in",
    "write_shell_pages",
]


@dataclass
class Outcome:
    site: Path
    validation: Validation
    pages: int
    feeds: int
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        notes = "".join(f"\nnote: {w}" for w in self.warnings)
        return (
            f"Built {self.pages} pages and {self.feeds} feeds from {len(self.validation.posts)} posts "
            f"and {len(self.validation.campaigns)} campaigns into {self.site} in {self.seconds:.1f} s.{notes}"
        )


@dataclass
class Rendered:
    """What rendering left besides the files it wrote: the navigation, the counts, and what the
    pages written from shells after the engine ran are rendered with."""

    nav: list[NavItem]
    pages: int
    feeds: int
    site: SiteData
    renderer: Renderer


def model(
    project: Project, allow_errors: bool = False, cache: Memo | None = None
) -> tuple[Calendar, Validation, Provenance]:
    plan = make_plan(project, cache=cache)
    if not plan.validation.ok and not allow_errors:
        n = len(plan.validation.errors)
        raise BuildFailed(f"{n} content error{'s' * (n != 1)}", plan.validation)
    return plan.calendar, plan.validation, plan.provenance


def source_date_epoch(today: dt.date) -> str:
    """Timestamps the engine writes (sitemap) come from here, so rebuilds give the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    return str(int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp()))


def user_pages(project: Project) -> list[tuple[str, Path]]:
    """The team's own pages: every file under pages/ (Markdown pages and what they show), by
    their path in the docs tree. Symbolic links are not followed out of the folder."""
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


def render_docs(
    project: Project,
    cal: Calendar,
    tree: DocsTree,
    engine: Engine,
    banner: Sequence[Diagnostic] = (),
    memo: Memo = NO_MEMO,
    scratch: Path | None = None,
    media: Thumbnailer | None = None,
) -> Rendered:
    """Write the docs tree: assets, pages (a shell for the post pages), feeds and the team's own
    pages."""
    import jinja2

    site_url = engine.site_url(project)
    lines = [d.to_text().splitlines()[0] for d in banner]
    for rel_path, text in static_assets(project.templates, cal.registry).items():
        tree.write(rel_path, text)
    site = SiteData(cal, site_url, media if media is not None else Thumbnailer(project.root, project.cache / "thumbs"))
    renderer = Renderer(project.templates, lines, repo_links(project, cal.registry.settings))
    try:
        render_pages(site, renderer, tree, memo)
    except jinja2.TemplateNotFound as exc:
        raise BuildFailed(f"template {exc.name} is missing from {project.templates / 'pages'}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise BuildFailed(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from exc
    feeds = write_feeds(cal, site_url, tree.write, scratch, memo)
    pages: list[NavItem] = list(nav())
    for rel_path, path in user_pages(project):
        if rel_path in tree.files:
            raise BuildFailed(f"pages/{rel_path}: the site already has {rel_path}; give the page another name")
        tree.write(rel_path, path.read_bytes())
        if rel_path.endswith(".md"):
            pages.append((None, rel_path))
    tree.finish()
    return Rendered(pages, tree.pages, feeds, site, renderer)


def render_all(project: Project, cal: Calendar, folder: Path, memo: Memo = NO_MEMO) -> Rendered:
    """The docs tree of the calendar in `folder`, and the bodies of the post pages (benchmarks,
    tests): no engine run, so nothing is written from the shell."""
    tree = DocsTree(folder / "docs", folder / "fragments")
    rendered = render_docs(project, cal, tree, get_engine(), memo=memo, scratch=folder)
    for page in shell_pages(rendered.site, rendered.renderer):
        page.make()
    return rendered


def splice_fragments(engine: Engine, site_dir: Path, tree: DocsTree, everything: bool) -> None:
    for src in tree.stale_fragments(everything):
        splice(engine.page_file(site_dir, urls.page_url(src)), src, tree.read_fragment(src))


def write_shell_pages(
    engine: Engine, site_dir: Path, pages: Iterable[ShellPage], previous: ShellState | None = None
) -> ShellState:
    """The post pages, written one by one from the shell the engine rendered (shell.py)."""
    shells = [page.shell for page in PAGES if page.shell]
    try:
        return write_pages(engine, site_dir, pages, previous, shells)
    except Exception as exc:
        if raised_in_template(exc):
            raise BuildFailed(template_error(exc)) from exc
        raise


def swap_in(new_site: Path, site: Path) -> None:
    old = site.with_name(site.name + ".old-" + str(os.getpid()))
    if site.exists():
        site.rename(old)
    try:
        new_site.rename(site)
    except OSError:
        if old.exists():
            old.rename(site)
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def build(
    project: Project, site_dir: Path | None = None, allow_errors: bool = False, cache: Memo | None = None
) -> Outcome:
    started = time.perf_counter()
    memo = cache if cache is not None else NO_MEMO
    site = site_dir or project.site
    engine = get_engine()
    cal, validation, provenance = model(project, allow_errors, cache)
    site.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".site-build-", dir=site.parent) as work:
        tree = DocsTree(Path(work) / "docs", Path(work) / "fragments")
        out = Path(work) / "site"
        rendered = render_docs(
            project, cal, tree, engine, list(validation.errors) if allow_errors else (), memo, Path(work)
        )
        # The post pages' bodies are rendered on the other core while the engine builds the site
        # (no cache: a post page is not worth keeping).
        ahead = Ahead(partial(shell_pages, rendered.site, rendered.renderer), Path(work), rendered.site.media)
        ahead.start()
        try:
            warnings = engine.build(project, tree.docs, out, rendered.nav, epoch=source_date_epoch(cal.today))
            splice_fragments(engine, out, tree, everything=True)
            shells = write_shell_pages(engine, out, ahead.pages(out))
        finally:
            ahead.cancel()
        engine.add_search_entries(out, post_entries(cal))
        swap_in(out, site)
    memo.save()
    return Outcome(
        site,
        validation,
        rendered.pages - len(shells.shells) + len(shells.pages),
        rendered.feeds,
        time.perf_counter() - started,
        [*provenance.warnings, *warnings, *media_notes(ahead.failures)],
    )


def media_notes(failures: Iterable[tuple[str, str]]) -> list[str]:
    return [f"{src}: image cannot be shown: {problem}" for src, problem in failures]
