"""The post pages' bodies, rendered while the site builder runs, on the other core.

The engine runs on one core and the post bodies need nothing from it, only its shell afterwards.
So a forked child renders them, one at a time, into a spool file (and the thumbnails they show
into a folder of its own) while the parent builds the site; then the parent reads the spool
back, one page at a time, into the shell (shell.write_pages). Nothing holds all pages.

Where `fork` is not available (or SOCIALCAL_JOBS=1), the bodies are rendered afterwards, in the
process, exactly as the child would have.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import shutil
import signal
import struct
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .bulk_pages import ShellPage
from .engines import BuildFailed
from .errors import CANNOT_WRITE, WriteError
from .parallel import fork
from .thumbnails import THUMBS, Thumbnailer

_HEADER = struct.Struct("<IIIII")  # lengths of: shell, src, title, description, body
_CANNOT_WRITE = 74  # the child's exit code when it could not write (the spool, a thumbnail)


class Ahead:
    """Bodies of shell pages rendered ahead: `start()` before the engine runs, `pages()` after."""

    def __init__(self, pages: Callable[[], Iterable[ShellPage]], scratch: Path, media: Thumbnailer | None) -> None:
        self._pages = pages
        self.scratch = scratch
        self.media = media
        self.spool = scratch / "pages.spool"
        self.staged = scratch / "staged"  # what the child placed "in the site": its thumbnails
        self._pid = 0
        self.failures: list[tuple[str, str]] = []  # images that could not be decoded (src, why)

    def start(self) -> None:
        # The parent's objects stay frozen while the child renders (until `_wait`): its collector
        # would otherwise copy every memory page the two still share.
        pid = fork(keep_frozen=True)
        if pid == 0:  # pragma: no cover - runs in the child; its effects are tested
            # The collector stays on: it never looks at the frozen objects of the parent (no pages
            # copied for it), and rendering leaves cycles that would otherwise pile up with every
            # page (+43 MB at 10,000 posts, +130 MB at 30,000).
            os._exit(self._child())
        self._pid = pid or 0  # no child (None): the bodies are rendered afterwards, here

    def _child(self) -> int:
        try:
            if self.media is not None:
                self.media.site = self.staged
            with self.spool.open("wb") as fh:
                for page in self._pages():
                    values = (page.shell, page.src, *page.make())
                    parts = [s.encode("utf-8", "surrogatepass") for s in values]
                    fh.write(_HEADER.pack(*map(len, parts)))
                    for part in parts:
                        fh.write(part)
            failures = self.media.failures() if self.media is not None else []
            (self.scratch / "failures.json").write_text(json.dumps(failures), encoding="utf-8")
            return 0
        except BaseException as exc:  # reported by the parent
            from .views.pages.render import raised_in_template, template_error

            if isinstance(exc, WriteError) or (isinstance(exc, OSError) and exc.errno in CANNOT_WRITE):
                failed = {"errno": exc.errno, "strerror": exc.strerror, "file": exc.filename2 or exc.filename}
                with contextlib.suppress(OSError):
                    (self.scratch / "error.json").write_text(json.dumps(failed), encoding="utf-8")
                return _CANNOT_WRITE
            said = template_error(exc) if raised_in_template(exc) else f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(OSError):
                (self.scratch / "error.txt").write_text(f"{said}\n{traceback.format_exc()}", encoding="utf-8")
            return 1

    def pages(self, site_dir: Path) -> Iterator[ShellPage]:
        """The pages, their bodies ready; thumbnails end up in `site_dir`."""
        if not self._pid:
            if self.media is not None:
                self.media.site = site_dir
            yield from self._pages()
            if self.media is not None:
                self.failures = self.media.failures()
            return
        self._wait()
        staged = self.staged / THUMBS
        if staged.is_dir():
            target = site_dir / THUMBS
            target.mkdir(parents=True, exist_ok=True)
            for thumb in staged.iterdir():
                shutil.move(str(thumb), target / thumb.name)
        self.failures = [tuple(f) for f in json.loads((self.scratch / "failures.json").read_text(encoding="utf-8"))]  # type: ignore[misc]
        with self.spool.open("rb") as fh:
            while header := fh.read(_HEADER.size):
                lengths = _HEADER.unpack(header)
                shell, src, title, description, body = (fh.read(n).decode("utf-8", "surrogatepass") for n in lengths)
                made = (title, description, body)
                yield ShellPage(shell, src, lambda made=made: made)  # type: ignore[misc]
        self.spool.unlink(missing_ok=True)

    def _wait(self) -> None:
        pid, self._pid = self._pid, 0
        try:
            _, status = os.waitpid(pid, 0)
        finally:
            gc.unfreeze()  # frozen by `start` while the child lived
        if os.waitstatus_to_exitcode(status) == _CANNOT_WRITE:
            raise self._write_error()
        if os.waitstatus_to_exitcode(status) != 0:
            try:
                said = (self.scratch / "error.txt").read_text(encoding="utf-8").splitlines()[0]
            except (OSError, IndexError):
                said = f"exit status {os.waitstatus_to_exitcode(status)}"
            raise BuildFailed(f"the post pages could not be rendered: {said}")

    def _write_error(self) -> WriteError:
        """What the child could not write, as the parent's own failure to write (exit code 74)."""
        try:
            failed = json.loads((self.scratch / "error.json").read_text(encoding="utf-8"))
            return WriteError(int(failed["errno"]), str(failed["strerror"]), str(failed["file"] or self.spool))
        except (OSError, ValueError, KeyError, TypeError):
            # Not even that much could be written: the disk is full.
            return WriteError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.spool))

    def cancel(self) -> None:
        """The build failed elsewhere (or the pages were not all read): stop the child, if it still
        runs, and never leave it behind."""
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGTERM)
            with contextlib.suppress(OSError, BuildFailed):
                self._wait()
