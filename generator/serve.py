"""`socialcal serve`: a live preview that rebuilds when content, templates or registries change.

Errors never stop the server: they are printed in the terminal and shown on every page as a
banner, above the posts that could still be read. After the first build only what changed is
rebuilt: the docs tree is rewritten where it differs, the engine runs a dirty build, and only
the HTML that changed (a calendar page, a page's list of posts) is spliced again. An engine
without a dirty build (Zensical) rebuilds the whole site each time, and every page is spliced
again. A bug of socialcal's own during a rebuild is shown instead of the pages until the next
rebuild succeeds (a request never waits for a build that will not come); a disk that is full (or
any failure to write) is said in the terminal and the preview kept as it was. SIGTERM stops the
server like Ctrl+C: promptly, removing its temporary folder.
"""

from __future__ import annotations

import copy
import ipaddress
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click
from markupsafe import escape

from .build import (
    BuildFailed,
    Outcome,
    Rendered,
    engine_for,
    media_notes,
    model,
    render_docs,
    splice_fragments,
    swap_in,
    write_shell_pages,
)
from .bulk_pages import ShellState, carry_over, write_between
from .cache import Memo
from .docs_tree import DocsTree
from .errors import ConfigError, write_failure
from .load import gc_paused, read_file
from .project import Project, content_kind, is_left_alone
from .thumbnails import Thumbnailer
from .validate import check_file
from .views.pages import post_page, shell_pages

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer
from .views.search import post_entries


class LiveSite:
    """The preview of `socialcal serve`: after the first build, only what changed is rebuilt."""

    def __init__(self, project: Project, work: Path, engine_name: str | None = None) -> None:
        self.project = project
        self.work = work
        self.site = work / "site"
        self.engine = engine_for(project, engine_name)
        self.memo = Memo()
        self.tree: DocsTree | None = None  # what the last round left in the docs tree
        self.shells: ShellState | None = None  # the post pages the last round wrote
        self.media = Thumbnailer(project.root, project.thumbs)
        self.full = True  # the next round builds everything (first round, or after a failure)
        self.rendered: Rendered | None = None  # what the last good round rendered with

    def show_edits(self, changed: Iterable[str]) -> list[str]:
        """Before a round: write the pages of the posts edited in place (`changed`: paths in the
        repository), from the last round's calendar with each post replaced, so that the page an
        author is looking at changes at once; the round then rewrites them with everything else
        (the pages that list them, what the cross-file rules say). Only for posts that had no
        diagnostic and still have none, whose ties to the others (id, moment, channels, campaign,
        series, question, status) are unchanged, and after a good round; else nothing is written
        and the round alone shows the edit. Returns the paths of the pages written."""
        rendered, shells = self.rendered, self.shells
        if self.full or rendered is None or shells is None:
            return []
        site = rendered.site
        cal, registry = site.cal, site.cal.registry
        by_path = {p.path: p for p in cal.posts}
        edited = []
        for path in sorted(set(changed)):
            old = by_path.get(path)
            if old is None or content_kind(path) != "posts" or cal.diagnostics_of(path):
                return []
            _, data, problems = read_file(self.project.root, self.project.root / path)
            if data is None or problems:
                return []
            settings = registry.settings
            loaded, problems = check_file(
                path, Path(path).stem, data, "posts", settings.tz, settings.years.range, registry
            )
            post = loaded.post
            if problems or post is None or post == old:
                return []
            try:
                cal = cal.with_post(post)
            except ValueError:  # moved, retitled to another id, another status…: the round says all
                return []
            edited.append(post)
        if not edited:
            return []
        now = copy.copy(site)
        now.cal = cal
        written = []
        for post in edited:
            page = post_page(now, rendered.renderer, post)
            if page is None or not write_between(self.engine, self.site, page, shells):
                break
            written.append(page.src)
        return written

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
        # The texts of the posts whose files are unchanged, as the last round composed them.
        cal = cal.composed_again(self.rendered.site.cal if self.rendered is not None else None)
        self.work.mkdir(parents=True, exist_ok=True)
        tree = DocsTree(self.docs, self.work / "fragments", previous=self.tree)
        # An engine without a dirty build rewrites every page: all of them are spliced again.
        first = self.full
        full = first or not self.engine.incremental
        self.full = True
        try:
            rendered = render_docs(
                self.project, cal, tree, self.engine, list(validation.errors), self.memo, self.work, self.media
            )
            # An engine that rewrites everything builds beside the preview, swapped in when
            # complete: a failed build leaves the preview as it was, and no page is seen unspliced.
            out = self.site if self.engine.incremental else self.work / "next-site"
            warnings = self.engine.build(self.project, self.docs, out, rendered.nav, dirty=not full)
            splice_fragments(self.engine, out, tree, everything=full)
            # Only the post pages that changed are written again: in place after a dirty build;
            # after a whole one, the unchanged pages of the last round are moved over from the
            # preview just before the swap (a first round, or one after a failure, writes them all).
            self.media.site = out
            pages = shell_pages(rendered.site, rendered.renderer, stamped=True)
            previous = None if first else self.shells
            reuse = self.site if previous is not None and out != self.site else None
            shells = write_shell_pages(self.engine, out, pages, previous, reuse)
            if full:
                self.engine.add_search_entries(out, post_entries(cal))
            if out != self.site:
                carry_over(self.engine, out, shells)  # the unchanged post pages, last of all
                swap_in(out, self.site, self.work)
                # What the swap left: the previous preview (after an exchange), or its copy.
                for left in (out, self.work / "old"):
                    shutil.rmtree(left, ignore_errors=True)
        except BaseException:
            self.tree = tree.left_behind()
            self.shells, self.rendered = None, None
            raise
        self.tree, self.shells, self.full, self.rendered = tree, shells, False, rendered
        return Outcome(
            self.site,
            validation,
            rendered.pages - len(shells.shells) + len(shells.pages),
            rendered.feeds,
            time.perf_counter() - started,
            [*provenance.warnings, *warnings, *self.media.warnings, *media_notes(self.media.failures())],
        )


_ERROR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>socialcal: the preview could not be rebuilt</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
pre{{white-space:pre-wrap;background:#f4f4f4;padding:.6rem;border-left:4px solid #a4260c}}</style></head>
<body><h1>The preview could not be rebuilt</h1>
<p>socialcal failed while rebuilding the site. This is a bug in socialcal, not in your content:
please report it (the terminal shows the details). This page reloads by itself and shows the
site again after the next successful rebuild.</p>
<pre>{error}</pre></body></html>
"""


class Preview:
    """Rebuilds the live site and remembers a failure of socialcal itself, for the pages to show."""

    def __init__(self, live: LiveSite) -> None:
        self.live = live
        self.failure: str | None = None

    def rebuild(self) -> bool:
        try:
            outcome = self.live.rebuild()
        except ConfigError as exc:
            click.echo(f"configuration error: {exc} (the preview keeps the last good build)", err=True)
            return False
        except BuildFailed as exc:
            click.echo(f"build failed: {exc} (the preview keeps the last good build)", err=True)
            return False
        except Exception as exc:  # a bug of ours must not leave requests waiting forever
            said = write_failure(exc) if isinstance(exc, OSError) else None
            if said is not None:
                # Not a bug of ours: the pages stay served, and the next round rebuilds them all.
                click.echo(f"cannot rebuild: {said} (the preview keeps the last good build)", err=True)
                return False
            import traceback

            self.failure = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
            click.echo(f"internal error during the rebuild: {self.failure} (this is a bug in socialcal)", err=True)
            return False
        self.failure = None
        for d in outcome.validation.diagnostics:
            click.echo(d.to_text())
        click.echo(outcome.describe())
        return True

    def error_page(self) -> bytes:
        return _ERROR_PAGE.format(error=escape(self.failure or "")).encode("utf-8")


def rebuild(live: LiveSite) -> bool:
    return Preview(live).rebuild()


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # the same way out as Ctrl+C: shutdown and clean-up run


# Names that always mean this machine; a browser resolves none of them through DNS.
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def _split_host(header: str) -> tuple[str, str] | None:
    """A Host header's name (lower case, IPv6 without brackets) and port ("" when absent);
    None when it is not of the form name[:port] or [v6][:port]."""
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    else:
        name, _, port = header.partition(":")
    if not name or (port and not port.isdigit()):
        return None
    return name.lower().rstrip("."), port


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(header: str | None, bound: str, port: int) -> bool:
    """Whether a request's Host header names this server: the address it is bound to or a local
    name, and its port when one is given. Any other name (evil.example, 127.0.0.1.evil.example)
    is a page of another site that had its name resolve to this machine (DNS rebinding) and
    must not read the preview. Bound to every interface (0.0.0.0), any IP address is accepted
    too (the machine's own, as other devices reach it): an address cannot be rebound."""
    if not header:
        return False  # HTTP/1.1 requires it; a browser always sends it
    parts = _split_host(header.strip())
    if parts is None:
        return False
    name, given_port = parts
    if given_port and int(given_port) != port:
        return False
    bound_name = bound.strip("[]").lower().rstrip(".")
    if name in LOCAL_NAMES or (name == bound_name and bound_name not in _WILDCARDS):
        return True
    return bound_name in _WILDCARDS and _is_ip(name)


def _changes() -> list[type]:
    from watchdog import events

    return [
        events.FileCreatedEvent,
        events.FileModifiedEvent,
        events.FileMovedEvent,
        events.FileDeletedEvent,
        events.FileClosedEvent,  # closed after writing
    ]


class Watcher:
    """The file watcher of the preview: the kernel's notifications (inotify) where they work, so an
    edit is seen at once; else MkDocs' own polling (every 0.5 s, a walk of every watched file:
    at 10,000 posts most of the wait after saving). Only changes start a rebuild: with inotify,
    a file opened or read (the rebuild reads every post) is an event too. What LiveReloadServer
    asks of its observer: schedule, start, stop, join."""

    def __init__(self, polling) -> None:  # type: ignore[no-untyped-def]
        self.polling = polling
        self.active = polling
        self.native = False
        self.started = False
        self.scheduled: list[tuple[object, str, bool, list[type] | None]] = []

    def schedule(self, handler, path: str, *, recursive: bool = False, event_filter=None) -> int:  # type: ignore[no-untyped-def]
        """A watch; after `start` too (a folder made while serving). `event_filter`: the events the
        handler wants (inotify only), by default the changes of files."""
        entry = (handler, path, recursive, event_filter)
        self.scheduled.append(entry)
        if self.started:
            self._add(entry)
        return len(self.scheduled) - 1

    def _add(self, entry: tuple[object, str, bool, list[type] | None]) -> None:
        handler, path, recursive, wanted = entry
        if self.native:
            self.active.schedule(handler, path, recursive=recursive, event_filter=wanted or _changes())
        else:
            self.polling.schedule(handler, path, recursive=recursive)

    def start(self) -> None:
        try:
            from watchdog.observers.inotify import InotifyObserver

            self.active, self.native = InotifyObserver(), True
            for entry in self.scheduled:
                self._add(entry)
            self.active.start()  # the watches are added here: too many folders for the system's limit fail here
        except (ImportError, OSError):
            self.active, self.native = self.polling, False
            for entry in self.scheduled:
                self._add(entry)
            self.polling.start()
        self.started = True

    def stop(self) -> None:
        self.active.stop()

    def join(self, timeout: float | None = None) -> None:
        if self.active.is_alive():
            self.active.join(timeout)


class Edits:
    """The files changed since the last round, as the watcher saw them: paths in the repository.
    `take` gives the content files changed, or None when anything else changed too (a registry,
    a template, mkdocs.yml: then no page can be shown before the round). Files editors and other
    tools leave beside the ones they save (`.post.md.swp`, `post.md~`) are no change."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.paths: set[str] = set()

    def seen(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.is_directory:
            return
        with self.lock:
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if raw:
                    self.paths.add(Path(os.path.relpath(os.fsdecode(raw), self.root)).as_posix())

    def take(self) -> set[str] | None:
        with self.lock:
            paths, self.paths = self.paths, set()
        posts = {p for p in paths if content_kind(p) is not None}
        ignored = {p for p in paths - posts if is_left_alone(p.rsplit("/", 1)[-1])}
        return posts if posts and posts | ignored == paths else None


def make_server(project: Project, preview: Preview, host: str, port: int):
    from mkdocs.livereload import LiveReloadServer

    class Server(LiveReloadServer):
        def serve_request(self, environ, start_response):
            bound_port = self.server_address[1]  # the real one, also when asked for port 0
            if not host_allowed(environ.get("HTTP_HOST"), host, bound_port):
                # 403 (not 421): browsers show the text; no byte of the preview is sent.
                headers = [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")]
                start_response("403 Forbidden", headers)
                return [f"socialcal serve answers only requests for localhost or {host}:{bound_port}.\n".encode()]
            path = environ.get("PATH_INFO", "")
            if preview.failure and not path.startswith("/livereload/") and path.endswith(("/", ".html")):
                start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8")])
                return [preview.error_page()]
            return super().serve_request(environ, start_response)

    edits = Edits(project.root)

    def build() -> None:
        """A round; an edited post's page first, when it can be (`LiveSite.show_edits`): shown
        to browsers at once, the rest of the round served as it comes, then announced too."""
        changed = edits.take()
        try:
            shown = preview.live.show_edits(changed) if changed else []
        except Exception as exc:  # the round follows and shows the edit anyway
            click.echo(f"could not show the edited page first ({type(exc).__name__}: {exc})", err=True)
            shown = []
        if shown:
            # MkDocs' reload protocol has no public call: the same fields its build loop sets.
            with server._epoch_cond:
                server._visible_epoch = server._wanted_epoch
                server._epoch_cond.notify_all()
        preview.rebuild()
        if shown:
            server._wanted_epoch += 1  # a newer version than the one shown: browsers reload again

    server = Server(builder=build, host=host, port=port, root=str(preview.live.site))
    # MkDocs waits for 0.1 s without a file event before a round (a save is several events, a
    # checkout many): 30 ms still gathers them, and is a third of the wait for an edited page.
    server.build_delay = 0.03
    server.edits = edits  # type: ignore[attr-defined]
    server.observer = Watcher(server.observer)  # type: ignore[assignment]
    # Both layers of templates: the repository's overrides and the package's (an editable install).
    watched = (project.content, *project.template_dirs, project.mkdocs_yml, project.root / "pages")
    import watchdog.events

    recorder = watchdog.events.FileSystemEventHandler()
    recorder.on_any_event = edits.seen  # type: ignore[method-assign]
    for path in watched:
        if path.exists():
            server.watch(str(path))
            server.observer.schedule(recorder, str(path), recursive=path.is_dir())
    _watch_when_made(server, project.root, [p for p in watched if not p.exists() and p.parent == project.root])
    return server


def _watch_when_made(server: LiveReloadServer, root: Path, folders: list[Path]) -> None:
    """A folder made while serving (the first override in templates/, the first page of pages/) is
    watched from then on, and the preview rebuilt: its files may be written before the watch starts."""
    if not folders:
        return
    import watchdog.events

    wanted = {os.path.abspath(p) for p in folders}

    def made(event: watchdog.events.FileSystemEvent) -> None:
        path = os.path.abspath(getattr(event, "dest_path", "") or event.src_path)
        if event.is_directory and path in wanted:
            wanted.discard(path)
            server.watch(path)
            with server._rebuild_cond:  # as LiveReloadServer's own watchers ask for a rebuild
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_created = made  # type: ignore[method-assign]
    handler.on_moved = made  # type: ignore[method-assign]
    folder_events = [watchdog.events.DirCreatedEvent, watchdog.events.DirMovedEvent]
    server.observer.schedule(handler, str(root), recursive=False, event_filter=folder_events)


def serve(project: Project, host: str, port: int, engine_name: str | None = None) -> None:
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        with tempfile.TemporaryDirectory(prefix="socialcal-serve-") as tmp:
            preview = Preview(LiveSite(project, Path(tmp), engine_name))
            preview.rebuild()
            server = make_server(project, preview, host, port)
            click.echo(f"Serving the calendar on http://{host}:{port}/ (Ctrl+C to stop)")
            try:
                server.serve()
            except KeyboardInterrupt:
                pass
            finally:
                server.shutdown()
    finally:
        signal.signal(signal.SIGTERM, previous)
