"""`socialcal build`: plan → render into a docs tree → engine → splice → search → swap.

The new site is built beside the old one and swapped in only when everything succeeded, so a
failed build leaves the previous site exactly as it was. Pages and feeds go to the docs tree as
they are rendered (docs_tree.py); everything builder-specific is behind the engine (engines/).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import urls
from .bulk_pages import ShellPage, ShellState, write_pages
from .cache import NO_MEMO, Memo
from .calendar_model import Calendar
from .diagnostics import Diagnostic, one_line
from .docs_tree import DocsTree, page_of, splice
from .engines import BuildFailed, Engine, EngineUnavailable, NavItem, engine_for
from .engines import get as get_engine
from .errors import CANNOT_WRITE, writing
from .exports import publish_media
from .github_links import repo_links
from .pipeline import make_plan
from .prerender import Ahead
from .project import Project, user_pages
from .provenance import Provenance
from .safe_write import linked_component
from .sitepaths import page_conflicts
from .thumbnails import Thumbnailer
from .validate import Validation
from .views.assets import static_assets
from .views.feeds import write_feeds
from .views.pages import PAGES, Renderer, SiteData, nav, render_pages, shell_pages
from .views.pages.render import raised_in_template, template_error
from .views.search import post_entries

if TYPE_CHECKING:
    from .pulls import PullRequest

__all__ = [
    "BuildFailed",
    "EngineUnavailable",
    "Outcome",
    "Rendered",
    "Tree",
    "UnsafeSiteDir",
    "build",
    "check_site_dir",
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
    project: Project, allow_errors: bool = False, cache: Memo | None = None, keep_files: bool = False
) -> tuple[Calendar, Validation, Provenance]:
    plan = make_plan(project, memo=cache if cache is not None else NO_MEMO, keep_files=keep_files, compose=True)
    if not plan.validation.ok and not allow_errors:
        n = len(plan.validation.errors)
        raise BuildFailed(f"{n} content error{'s' * (n != 1)}", plan.validation)
    return plan.calendar, plan.validation, plan.provenance


def source_date_epoch(today: dt.date) -> str:
    """Timestamps the engine writes (sitemap) come from here, so rebuilds give the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    return str(int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp()))


def _pull_requests(project: Project) -> dict[str, str]:
    """The files of the pull request being built, when the workflow says which (see changes.py)."""
    if not os.environ.get("SOCIALCAL_PULL_REQUEST"):
        return {}
    from .changes import pull_request_files

    return pull_request_files(project.root, os.environ)


def site_inputs(
    project: Project,
    cal: Calendar,
    engine: Engine,
    banner: Sequence[Diagnostic] = (),
    media: Thumbnailer | None = None,
) -> tuple[SiteData, Renderer]:
    """What every page is rendered from: the calendar with the site's address and thumbnails, and
    the templates with the error banner and the links into the repository."""
    from .load import symlinks

    for folder, what in ((project.templates, "templates"), (project.root / "pages", "pages")):
        linked = symlinks(folder) if folder.exists() or folder.is_symlink() else []
        if linked:  # also under `serve`, which builds despite content errors
            raise BuildFailed(f"{linked[0]} is a symbolic link (SC009); {what} are never followed out of the folder")
    engine.check_settings(project)
    repo = repo_links(project, cal.registry.settings, engine)
    site = SiteData(
        cal,
        engine.site_url(project),
        pull_requests=_pull_requests(project),
        repo=repo,
        media=media if media is not None else Thumbnailer(project.root, project.thumbs),
    )
    return site, Renderer(project.template_dirs, banner, site.repo, engine.links_from_file)


def render_docs(
    project: Project,
    cal: Calendar,
    tree: DocsTree,
    engine: Engine,
    banner: Sequence[Diagnostic] = (),
    memo: Memo = NO_MEMO,
    scratch: Path | None = None,
    media: Thumbnailer | None = None,
    inputs: tuple[SiteData, Renderer] | None = None,
) -> Rendered:
    """Write the docs tree: assets, pages (a shell for the post pages), feeds and the team's own
    pages. `inputs`: from `site_inputs`, when the caller made them already."""
    import jinja2

    site, renderer = inputs if inputs is not None else site_inputs(project, cal, engine, banner, media)
    site_url = site.url
    for rel_path, text in static_assets(project.template_dirs, cal.registry, cal.pull_requests is not None).items():
        tree.write(rel_path, text)
    try:
        render_pages(site, renderer, tree, memo)
    except jinja2.TemplateNotFound as exc:
        where = " or ".join(str(folder / "pages") for folder in project.template_dirs)
        raise BuildFailed(f"template {exc.name} is missing from {where}") from exc
    except Exception as exc:
        # A page template's own error, a team's override's too (`{{ nope.x }}`, an include of
        # itself): its file and line, as for a syntax error, never "a bug in socialcal".
        if raised_in_template(exc):
            raise BuildFailed(template_error(exc)) from exc
        raise
    feeds = write_feeds(cal, site_url, tree.write, scratch, memo)
    pages: list[NavItem] = list(nav())
    # Also under `serve`, which builds despite content errors: no page replaces the build's own.
    for path, message, _ in page_conflicts(project):
        raise BuildFailed(f"{path}: {message} (SC504)")
    for rel_path, path in user_pages(project):
        if rel_path in tree.files:
            raise BuildFailed(f"pages/{rel_path}: the site already has {rel_path}; give the page another name")
        data = path.read_bytes()
        if rel_path.endswith(".md"):
            _check_utf8(f"pages/{rel_path}", data)
            pages.append((None, rel_path))
        tree.write(rel_path, data)
    tree.finish()
    return Rendered(pages, tree.pages, feeds, site, renderer)


def _check_utf8(path: str, data: bytes) -> None:
    """A page of the team's is read as UTF-8 by the engine: one saved otherwise (Latin-1, UTF-16)
    stopped the build inside it, as "a bug in socialcal"."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        said = f"{path}:{line}: the page is not UTF-8 text (byte 0x{data[exc.start]:02x}): save it as UTF-8"
        raise BuildFailed(said) from exc


@dataclass
class Tree:
    """A whole docs tree in memory: for tests and comparisons only (a build never holds one)."""

    files: dict[str, bytes]
    fragments: dict[str, str]
    rendered: Rendered


def render_all(project: Project, cal: Calendar, banner: Sequence[Diagnostic] = (), cache: Memo | None = None) -> Tree:
    """Everything a build would hand the engine, read back into memory; no engine run."""
    with tempfile.TemporaryDirectory(prefix="socialcal-render-") as tmp:
        folder = Path(tmp)
        tree = DocsTree(folder / "docs", folder / "fragments")
        memo = cache if cache is not None else NO_MEMO
        rendered = render_docs(project, cal, tree, get_engine(), banner, memo, folder)
        for page in shell_pages(rendered.site, rendered.renderer):  # the post pages' bodies
            page.make()
        return Tree(
            {name: (tree.docs / name).read_bytes() for name in tree.files},
            {name: tree.read_fragment(name) for name in tree.fragments},
            rendered,
        )


def splice_fragments(engine: Engine, site_dir: Path, tree: DocsTree, everything: bool) -> None:
    """Splice the stale fragments into the pages the engine built, each page read and written once."""
    by_page: dict[str, list[str]] = {}
    for slot_name in tree.stale_fragments(everything):
        by_page.setdefault(page_of(slot_name), []).append(slot_name)
    for src, slots in by_page.items():
        splice(engine.page_file(site_dir, urls.page_url(src)), {s: tree.read_fragment(s) for s in slots})


MARKER = ".socialcal-site"  # written into every site built: only such a folder is ever replaced
_MARKER_TEXT = "A site built by socialcal. `socialcal build` replaces this whole folder.\n"
_STALE_SECONDS = 60  # a leftover build folder without its lock is stale after this


class UnsafeSiteDir(Exception):
    """The output folder is one that a build must never replace (a usage error)."""


def is_previous_site(folder: Path) -> bool:
    """A folder a build made: it has the marker (or, from before the marker, the feeds and styles)."""
    if (folder / MARKER).is_file():
        return True
    return (folder / "feeds" / "all.ics").is_file() and (folder / "assets" / "channels.css").is_file()


def check_site_dir(project: Project, site: Path) -> Path:
    """The folder the site may go to, resolved; refuses anything whose replacement would lose data.

    Never through a symbolic link: not the site folder itself (a committed `site` link would have
    the build replace the folder it points to), nor a folder of the repository above it."""
    written = site if site.is_absolute() else Path.cwd() / site  # as given: `..` not collapsed
    for top in (project.root, project.root.resolve()):
        linked = linked_component(top, written)
        if linked is not None:
            raise UnsafeSiteDir(f"{linked} is a symbolic link; the site is never written through a link")
    site = site.resolve()
    root = project.root.resolve()
    if site == root or site in root.parents:
        raise UnsafeSiteDir(f"{site} is the repository or a folder above it; the site goes in a folder of its own")
    kept = project.input_holding(site)
    if kept is not None:
        raise UnsafeSiteDir(f"{site} is inside {kept}, which the build reads; choose another folder")
    if site.exists():
        if not site.is_dir():
            raise UnsafeSiteDir(f"{site} is not a folder")
        if any(site.iterdir()) and not is_previous_site(site):
            raise UnsafeSiteDir(
                f"{site} is not empty and is not a site socialcal built (no {MARKER} file in it); "
                "choose a new or empty folder"
            )
    return site


def _lock(path: Path) -> object | None:
    """An exclusive lock held while a build runs; None when another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: builds are told apart by age only
        return path.open("a")
    fh = path.open("a")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        return None
    return fh


def clean_leftovers(parent: Path, site_name: str) -> None:
    """Remove what killed builds left beside the site; folders of builds still running are kept."""
    for folder in [*parent.glob(".site-build-*"), *parent.glob(f"{site_name}.old-*")]:
        if not folder.is_dir() or folder.is_symlink():
            continue
        lock_file = folder / ".lock"
        if lock_file.is_file():
            held = _lock(lock_file)
            if held is None:
                continue  # a build is running there
            held.close()  # type: ignore[attr-defined]
        else:
            try:
                if time.time() - folder.stat().st_mtime < _STALE_SECONDS:
                    continue  # just created by a build that has not taken its lock yet
            except OSError:
                continue
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def work_folder(parent: Path, site_name: str) -> Iterator[Path]:
    """A locked build folder beside the site. After a failure it is removed at once (it holds no
    site); after a success it holds the previous site, which is nobody's wait: it is renamed
    `<site>.old-*` and removed by `discard` in the background (or by the next build's
    `clean_leftovers`, should that process be killed)."""
    work = Path(tempfile.mkdtemp(prefix=".site-build-", dir=parent))
    lock = _lock(work / ".lock")
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if lock is not None:
            lock.close()  # type: ignore[attr-defined]
    old = parent / f"{site_name}.old-{work.name.removeprefix('.site-build-')}"
    try:
        os.rename(work, old)  # same folder: atomic; the name says no build is running there
    except OSError:
        old = work
    discard(old)


# Run by a detached interpreter: no import of socialcal, only the standard library. rmtree removes
# links, never what they point to (on Linux it works from file descriptors: no race either).
_DISCARD = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def discard(folder: Path) -> subprocess.Popen[bytes] | None:
    """Remove a finished build folder in a detached process, so the command returns at once.
    Only ever a folder `work_folder` made beside the site (the new site was moved out of it
    before): nothing outside it is touched. Where no process can be started, removed here."""
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _DISCARD, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # outlives socialcal; Ctrl+C in the terminal does not reach it
            close_fds=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    # Collected when it ends (a long-lived caller keeps no zombie); a command that ends first
    # leaves it to the system.
    threading.Thread(target=process.wait, daemon=True, name="discard").start()
    return process


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def write_shell_pages(
    engine: Engine,
    site_dir: Path,
    pages: Iterable[ShellPage],
    previous: ShellState | None = None,
    reuse: Path | None = None,
) -> ShellState:
    """The post pages, written one by one from the shell the engine rendered (bulk_pages.py)."""
    shells = [page.shell for page in PAGES if page.shell]
    try:
        return write_pages(engine, site_dir, pages, previous, shells, reuse)
    except Exception as exc:
        if raised_in_template(exc):
            raise BuildFailed(template_error(exc)) from exc
        raise


def media_notes(failures: Iterable[tuple[str, str]]) -> list[str]:
    # Printed to the build's log (a workflow log in CI): the path and Pillow's words stay on one line.
    return [f"{one_line(src)}: image cannot be shown: {one_line(problem)}" for src, problem in failures]


def swap_in(new_site: Path, site: Path, work: Path) -> None:
    """Put the new site in place. Readers see the old site or the new one, never none (on Linux:
    an atomic exchange); the old one ends up in the build folder and goes with it."""
    for _ in range(10):  # another build may swap its own site in meanwhile
        if not os.path.lexists(site):
            try:
                os.rename(new_site, site)
                return
            except OSError as exc:
                if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
                continue
        try:
            if _exchange(new_site, site):
                return
        except FileNotFoundError:
            continue
        # No atomic exchange here: the old site steps aside into the build folder for a moment.
        old = work / "old"
        try:
            os.rename(site, old)
        except FileNotFoundError:
            continue
        try:
            os.rename(new_site, site)
            return
        except OSError:
            if not os.path.lexists(site):
                os.rename(old, site)
            raise
    raise BuildFailed(f"{site} kept being replaced by other builds; try again")


def with_pull_requests(
    project: Project, cal: Calendar, validation: Validation, pulls: Sequence[PullRequest], media: Thumbnailer
) -> tuple[Calendar, list[str]]:
    """The calendar with what the open pull requests propose (proposals.py), and a note for
    each pull request whose files could not be read."""
    from dataclasses import replace

    from .proposals import read_proposals

    opened = read_proposals(project.root, pulls, validation, cal.registry, media)
    notes = [f"pull request #{o.number}: {o.problem}" for o in opened if o.problem]
    return replace(cal, pull_requests=opened), notes


def build(
    project: Project,
    site_dir: Path | None = None,
    allow_errors: bool = False,
    cache: Memo | None = None,
    engine_name: str | None = None,
    pull_requests: Path | None = None,
) -> Outcome:
    """`pull_requests`: what `gh pr list --json …` printed (pulls.py); their posts are shown too."""
    started = time.perf_counter()
    memo = cache if cache is not None else NO_MEMO
    site = check_site_dir(project, site_dir or project.site)
    engine = engine_for(project, engine_name)
    pulls = None
    if pull_requests is not None:
        from .pulls import read_pull_requests

        pulls = read_pull_requests(pull_requests, engine.repo_url(project) or "")  # a bad file stops here (exit 2)
    cal, validation, provenance = model(project, allow_errors, cache, keep_files=pulls is not None)
    media = Thumbnailer(project.root, project.thumbs)
    notes: list[str] = []
    if pulls is not None:
        cal, notes = with_pull_requests(project, cal, validation, pulls, media)
    site.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(site.parent, site.name)
    # A failure only writing meets (disk full, read-only) inside the engine or a library names no
    # file: it is told as one writing the site. A file that cannot be read keeps its own error.
    with writing(site, only=CANNOT_WRITE), work_folder(site.parent, site.name) as work:
        tree = DocsTree(work / "docs", work / "fragments")
        out = work / "site"
        banner = list(validation.errors) if allow_errors else []
        inputs = site_inputs(project, cal, engine, banner, media)
        # The post pages' bodies are rendered on the other core while the docs tree is written and
        # the engine builds the site; they are read back into the engine's shell afterwards.
        ahead = Ahead(partial(shell_pages, *inputs), work, media)
        ahead.start()
        try:
            rendered = render_docs(project, cal, tree, engine, banner, memo, work, inputs=inputs)
            warnings = engine.build(project, tree.docs, out, rendered.nav, epoch=source_date_epoch(cal.today))
            splice_fragments(engine, out, tree, everything=True)
            shells = write_shell_pages(engine, out, ahead.pages(out))
        finally:
            ahead.cancel()
        engine.add_search_entries(out, post_entries(cal))
        publish_media(project.root, cal, out)  # the images the exports point at (assets/media/)
        with writing(out / MARKER):
            (out / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        swap_in(out, site, work)
    return Outcome(
        site,
        validation,
        rendered.pages - len(shells.shells) + len(shells.pages),
        rendered.feeds,
        time.perf_counter() - started,
        [*provenance.warnings, *notes, *warnings, *media.warnings, *media_notes(ahead.failures)],
    )
