"""`socialcal serve`: a live preview that rebuilds when content, templates or registries change.

Errors never stop the server: they are printed in the terminal and shown on every page as a
banner, above the posts that could still be read. After the first build only what changed is
rebuilt: the docs tree is rewritten where it differs, the engine runs a dirty build, and only
calendar pages whose HTML changed are spliced again.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click

from .build import BuildFailed, Outcome, media_notes, model, render_docs, splice_fragments, write_shell_pages
from .cache import Memo
from .docs import DocsTree
from .engines import get as get_engine
from .load import gc_paused
from .media import Thumbnailer
from .project import Project
from .registry import ConfigError
from .shell import ShellState
from .views.pages import shell_pages
from .views.search import post_entries


class LiveSite:
    """The preview of `socialcal serve`: after the first build, only what changed is rebuilt."""

    def __init__(self, project: Project, work: Path) -> None:
        self.project = project
        self.work = work
        self.site = work / "site"
        self.engine = get_engine()
        self.memo = Memo()
        self.tree: DocsTree | None = None  # what the last round left in the docs tree
        self.shells: ShellState | None = None  # the post pages the last round wrote
        self.media = Thumbnailer(project.root, project.cache / "thumbs")
        self.full = True  # the next round builds everything (first round, or after a failure)

    @property
    def docs(self) -> Path:
        return self.work / "docs"

    def rebuild(self) -> Outcome:
        # The memo keeps the whole calendar alive between rebuilds; the cyclic GC would scan it
        # all again during the rebuild for nothing.
        with gc_paused():
            return self._rebuild()

    def _rebuild(self) -> Outcome:
        started = time.perf_counter()
        self.memo.new_round()
        self.media.new_round()
        cal, validation, provenance = model(self.project, allow_errors=True, cache=self.memo)
        self.work.mkdir(parents=True, exist_ok=True)
        tree = DocsTree(self.docs, self.work / "fragments", previous=self.tree)
        full = self.full
        self.full = True
        try:
            rendered = render_docs(
                self.project, cal, tree, self.engine, list(validation.errors), self.memo, self.work, self.media
            )
            warnings = self.engine.build(self.project, self.docs, self.site, rendered.nav, dirty=not full)
            splice_fragments(self.engine, self.site, tree, everything=full)
            # Only the post pages that changed are written again (a full build emptied the site).
            self.media.site = self.site
            pages = shell_pages(rendered.site, rendered.renderer, stamped=True)
            shells = write_shell_pages(self.engine, self.site, pages, None if full else self.shells)
            if full:
                self.engine.add_search_entries(self.site, post_entries(cal))
        except BaseException:
            self.tree = tree.left_behind()
            self.shells = None
            raise
        self.tree, self.shells, self.full = tree, shells, False
        return Outcome(
            self.site,
            validation,
            rendered.pages - len(shells.shells) + len(shells.pages),
            rendered.feeds,
            time.perf_counter() - started,
            [*provenance.warnings, *warnings, *media_notes(self.media.failures())],
        )


def rebuild(live: LiveSite) -> bool:
    try:
        outcome = live.rebuild()
    except ConfigError as exc:
        click.echo(f"configuration error: {exc} (the preview keeps the last good build)", err=True)
        return False
    except BuildFailed as exc:
        click.echo(f"build failed: {exc} (the preview keeps the last good build)", err=True)
        return False
    for d in outcome.validation.diagnostics:
        click.echo(d.to_text())
    click.echo(outcome.describe())
    return True


def serve(project: Project, host: str, port: int) -> None:
    from mkdocs.livereload import LiveReloadServer

    with tempfile.TemporaryDirectory(prefix="socialcal-serve-") as tmp:
        live = LiveSite(project, Path(tmp))
        rebuild(live)
        server = LiveReloadServer(builder=lambda: rebuild(live), host=host, port=port, root=str(live.site))
        for path in (project.content, project.templates, project.mkdocs_yml, project.root / "pages"):
            if path.exists():
                server.watch(str(path))
        click.echo(f"Serving the calendar on http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
