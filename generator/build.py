"""`socialcal build`: validate, model the calendar, render pages and feeds, run MkDocs, swap.

The new site is built beside the old one and swapped in only when everything succeeded, so a
failed build leaves the previous site exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .cache import Cache
from .calendar import Calendar
from .diagnostics import Diagnostic
from .load import gc_paused
from .plan import make_plan
from .project import Project
from .provenance import Provenance
from .registry import SafeLoader
from .validate import Validation
from .views.assets import static_assets
from .views.feeds import FeedSet, build_feeds
from .views.links import page_url
from .views.pages import docs_tree, slot
from .views.search import post_entries


class BuildFailed(Exception):
    def __init__(self, message: str, validation: Validation | None = None) -> None:
        super().__init__(message)
        self.validation = validation


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


class _TagBlindLoader(SafeLoader):
    """Reads mkdocs.yml for its plain values: tags such as !!python/name (Material's extensions)
    or !ENV become None instead of being constructed."""


_TagBlindLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TagBlindLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_url(project: Project) -> str:
    """The site's public address (mkdocs.yml `site_url`), the base of feed links and UIDs."""
    try:
        with project.mkdocs_yml.open("rb") as fh:
            config = yaml.load(fh, Loader=_TagBlindLoader)
    except (OSError, yaml.YAMLError):
        config = None
    value = config.get("site_url") if isinstance(config, dict) else None
    return str(value).rstrip("/") + "/" if value else "http://127.0.0.1:8000/"


@contextmanager
def _quiet_mkdocs() -> Iterator[list[str]]:
    """Collect MkDocs' warnings instead of letting its INFO chatter reach the terminal."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            # The dirty build of `serve` is deliberate: MkDocs' warning about it is not news.
            if record.levelno >= logging.WARNING and "'dirty' build" not in record.getMessage():
                messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


@contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    """Set an environment variable for the duration of a block (MkDocs reads it, we don't keep it)."""
    before = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def write_tree(folder: Path, files: dict[str, str | bytes]) -> None:
    for rel_path, content in files.items():
        target = folder / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="\n")


def run_mkdocs(
    project: Project, docs_dir: Path, site_dir: Path, dirty: bool = False, epoch: str | None = None
) -> list[str]:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _quiet_mkdocs() as warnings, _environment("SOURCE_DATE_EPOCH", epoch):
        try:
            config = load_config(str(project.mkdocs_yml), docs_dir=str(docs_dir), site_dir=str(site_dir))
            config.plugins.on_startup(command="build", dirty=dirty)
            try:
                mkdocs_build(config, dirty=dirty)
            finally:
                config.plugins.on_shutdown()
        except MkDocsException as exc:
            said = "; ".join(warnings)
            raise BuildFailed(f"MkDocs could not build the site: {exc}" + (f" ({said})" if said else "")) from exc
    return warnings


def _source_date_epoch(today: dt.date) -> str:
    """Timestamps MkDocs writes (sitemap) come from here, so rebuilds give the same bytes."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    return str(int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp()))


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
    """The folder the site may go to, resolved; refuses anything whose replacement would lose data."""
    site = site.resolve()
    root = project.root.resolve()
    if site == root or site in root.parents:
        raise UnsafeSiteDir(f"{site} is the repository or a folder above it; the site goes in a folder of its own")
    for kept in (project.content, project.templates, project.root / ".git"):
        kept = kept.resolve()
        if site == kept or kept in site.parents:
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
def work_folder(parent: Path) -> Iterator[Path]:
    """A locked build folder beside the site, removed afterwards (or at the next build if killed)."""
    with tempfile.TemporaryDirectory(prefix=".site-build-", dir=parent) as work:
        lock = _lock(Path(work) / ".lock")
        try:
            yield Path(work)
        finally:
            if lock is not None:
                lock.close()  # type: ignore[attr-defined]


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


def model(
    project: Project, allow_errors: bool = False, cache: Cache | None = None
) -> tuple[Calendar, Validation, Provenance]:
    plan = make_plan(project, cache=cache)
    if not plan.validation.ok and not allow_errors:
        n = len(plan.validation.errors)
        raise BuildFailed(f"{n} content error{'s' * (n != 1)}", plan.validation)
    return plan.calendar, plan.validation, plan.provenance


def splice(site: Path, fragments: dict[str, str]) -> None:
    """Put the calendar pages' HTML into the pages MkDocs built around their placeholders.

    The HTML stays between two comments, so a later incremental build can replace it in a page
    that MkDocs did not rewrite."""
    for src, html in fragments.items():
        page = site / page_url(src) / "index.html"
        text = page.read_text(encoding="utf-8")
        start, end = f"<!--sc-slot:{src}-->", f"<!--/sc-slot:{src}-->"
        block = f"{start}{html}{end}"
        marker = slot(src)
        if marker in text:
            text = text.replace(marker, block, 1)
        elif start in text and end in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
        else:
            raise BuildFailed(f"{page}: the placeholder for the calendar was not found (changed theme?)")
        page.write_text(text, encoding="utf-8", newline="\n")


def extend_search(site: Path, entries: list[dict[str, str]]) -> None:
    """Add one search entry per post to Material's index (absent with another theme: skipped)."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    data.setdefault("docs", []).extend(entries)
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@dataclass
class Rendered:
    """Everything the views produce from one calendar, before MkDocs runs."""

    files: dict[str, str | bytes]  # the docs tree: pages, assets, feeds
    fragments: dict[str, str]  # calendar HTML spliced in after MkDocs
    search: list[dict[str, str]]
    feeds: FeedSet

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".md"))


def render_all(
    project: Project, cal: Calendar, banner: list[Diagnostic] | None = None, cache: Cache | None = None
) -> Rendered:
    import jinja2

    from .load import symlinks

    linked = symlinks(project.templates)
    if linked:  # also under `serve`, which builds despite content errors
        raise BuildFailed(f"{linked[0]} is a symbolic link (SC009); templates are never followed out of the folder")
    feeds = build_feeds(cal, site_url(project), cache)
    lines = [d.to_text().splitlines()[0] for d in banner or []]
    try:
        tree = docs_tree(cal, project.templates, feeds.listing, lines, cache)
    except jinja2.TemplateNotFound as exc:
        raise BuildFailed(f"template {exc.name} is missing from {project.templates / 'pages'}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise BuildFailed(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from exc
    files: dict[str, str | bytes] = {}
    files.update(static_assets(project.templates, cal.registry))
    files.update(tree.pages)
    files.update(feeds.files)
    return Rendered(files, tree.fragments, post_entries(cal), feeds)


def build(
    project: Project, site_dir: Path | None = None, allow_errors: bool = False, cache: Cache | None = None
) -> Outcome:
    started = time.perf_counter()
    site = check_site_dir(project, site_dir or project.site)
    cal, validation, provenance = model(project, allow_errors, cache)
    rendered = render_all(project, cal, list(validation.errors) if allow_errors else None, cache)
    site.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(site.parent, site.name)
    with work_folder(site.parent) as work:
        docs = work / "docs"
        out = work / "site"
        write_tree(docs, rendered.files)
        warnings = run_mkdocs(project, docs, out, epoch=_source_date_epoch(cal.today))
        splice(out, rendered.fragments)
        extend_search(out, rendered.search)
        (out / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        swap_in(out, site, work)
    return Outcome(
        site,
        validation,
        rendered.pages,
        len(rendered.feeds.files),
        time.perf_counter() - started,
        [*provenance.warnings, *warnings],
    )


def sync_tree(folder: Path, files: dict[str, str | bytes], previous: dict[str, str | bytes]) -> set[str]:
    """Write what changed since the last build, delete what is gone; returns the changed paths.

    Unchanged files keep their modification time, which is what MkDocs' dirty build looks at."""
    changed = {name for name, content in files.items() if previous.get(name) != content}
    write_tree(folder, {name: files[name] for name in changed})
    for name in set(previous) - set(files):
        (folder / name).unlink(missing_ok=True)
    return changed


class LiveSite:
    """The preview of `socialcal serve`: after the first build, only what changed is rebuilt."""

    def __init__(self, project: Project, work: Path) -> None:
        self.project = project
        self.docs = work / "docs"
        self.site = work / "site"
        self.cache = Cache()
        self.files: dict[str, str | bytes] = {}
        self.fragments: dict[str, str] = {}

    def rebuild(self) -> Outcome:
        # The cache keeps the whole calendar alive between rebuilds; the cyclic GC would scan it
        # all again during the rebuild for nothing.
        with gc_paused():
            return self._rebuild()

    def _rebuild(self) -> Outcome:
        started = time.perf_counter()
        self.cache.new_round()
        cal, validation, provenance = model(self.project, allow_errors=True, cache=self.cache)
        rendered = render_all(self.project, cal, list(validation.errors), self.cache)
        first = not self.files
        changed = sync_tree(self.docs, rendered.files, self.files)
        warnings = run_mkdocs(self.project, self.docs, self.site, dirty=not first)
        stale = {
            src: html
            for src, html in rendered.fragments.items()
            if first or src in changed or self.fragments.get(src) != html
        }
        splice(self.site, stale)
        if first:
            extend_search(self.site, rendered.search)
        self.files, self.fragments = rendered.files, rendered.fragments
        return Outcome(
            self.site,
            validation,
            rendered.pages,
            len(rendered.feeds.files),
            time.perf_counter() - started,
            [*provenance.warnings, *warnings],
        )
