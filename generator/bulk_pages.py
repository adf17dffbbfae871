"""Pages written from a shell: one page rendered by the site builder, filled in by the generator.

A post page differs from the next only by its title, its address, its description and its body,
and the site builder would spend ~2 ms a page on the rest (19 s at 10,000 posts, more memory
than the budget with another builder). So the engine renders one *shell* page whose title,
description and body are placeholders; its HTML is cut once at the placeholders (and at its own
address), and each post page is the pieces joined with the post's values, written as soon as
it is made: nothing holds more than one page. The same technique as the calendar pages' splice
(docs_tree.py), applied to every page of a collection.

Everything here is engine-agnostic: the shell's HTML file comes from `engine.page_file`, and
what is replaced is text the engine copied from the shell's front-matter and address.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from markupsafe import escape

from . import urls
from .docs_tree import slot
from .engines import BuildFailed, Engine
from .errors import writing
from .thumbnails import THUMBS

# Placeholders: letters and digits only, so that no escaping, slugging or quoting changes them.
TITLE = "scshelltitle7c1f"
DESCRIPTION = "scshelldescription7c1f"


def shell_markdown(src: str) -> str:
    """The shell's docs page: placeholders for the title and description, a slot for the body;
    kept out of the search index (the pages it makes get their own entries)."""
    return (
        f"---\ntitle: {TITLE}\ndescription: {DESCRIPTION}\nsearch:\n  exclude: true\nhide: [toc]\n---\n\n"
        f"<!-- the page's <h1> is in the HTML filled in here -->\n{slot(src)}\n"
    )


@dataclass(frozen=True)
class ShellPage:
    """One page to write from a shell; it is worked out only if it must be written."""

    shell: str  # the docs path of the shell
    src: str  # the docs path of the page (its address: urls.page_url)
    make: Callable[[], tuple[str, str, str]]  # (title, description: plain text; body: HTML)
    # What the page is made from, compared (==) with the last round's: equal, the page is left as
    # it is. None: unknown, the page is always written.
    stamp: object = None


@dataclass(frozen=True)
class Shell:
    """A shell page's HTML, cut at its holes: pieces[0] hole[0] pieces[1] … pieces[-1]."""

    pieces: tuple[str, ...]
    holes: tuple[str, ...]  # 'title', 'description', 'url' or 'body'
    digest: str

    @cached_property
    def encoded(self) -> tuple[bytes, ...]:
        """The pieces as UTF-8, encoded once (they are most of every page's bytes)."""
        return tuple(piece.encode("utf-8") for piece in self.pieces)

    @classmethod
    def parse(cls, html: str, src: str) -> Shell:
        tokens = {TITLE: "title", DESCRIPTION: "description", slot(src): "body", urls.page_url(src): "url"}
        pattern = re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))
        pieces, holes, pos = [], [], 0
        for match in pattern.finditer(html):
            pieces.append(html[pos : match.start()])
            holes.append(tokens[match.group(0)])
            pos = match.end()
        pieces.append(html[pos:])
        if holes.count("body") != 1:
            raise BuildFailed(f"{src}: the placeholder for the page's content is not in its HTML (changed theme?)")
        return cls(tuple(pieces), tuple(holes), hashlib.blake2b(html.encode("utf-8"), digest_size=16).hexdigest())

    def fill(self, title: str, description: str, src: str, body: str) -> str:
        """The page at docs path `src`: title and description are plain text, body is HTML."""
        return self.fill_bytes(title, description, src, body).decode("utf-8")

    def fill_bytes(self, title: str, description: str, src: str, body: str) -> bytes:
        values = {
            "title": str(escape(title)).encode("utf-8", "surrogatepass"),
            "description": str(escape(description)).encode("utf-8", "surrogatepass"),
            "url": str(escape(urls.page_url(src))).encode("utf-8"),
            "body": body.encode("utf-8", "surrogatepass"),
        }
        pieces = self.encoded
        out = [pieces[0]]
        for hole, piece in zip(self.holes, pieces[1:], strict=True):
            out.append(values[hole])
            out.append(piece)
        return b"".join(out)


@dataclass
class ShellState:
    """What a round wrote from shells: the shells' digests and each page's, so that the next
    round of `socialcal serve` rewrites only the pages that changed."""

    shells: dict[str, str] = field(default_factory=dict)  # shell src → digest of its HTML
    pages: dict[str, object] = field(default_factory=dict)  # page src → its stamp
    written: int = 0  # pages written this round
    carry: Carry | None = None  # what `carry_over` still has to do (with `reuse`)
    loaded: dict[str, Shell] = field(default_factory=dict)  # the shells, to write a page between rounds


@dataclass
class Carry:
    """The unchanged pages stay in the last round's site (`reuse`): `carry_over` moves the pages
    written this round into its folders, deletes the pages that are gone, and moves the folders
    into the new site."""

    reuse: Path
    folders: tuple[str, ...]  # the folders of the shells' pages, relative to the site ("posts")
    written: list[str]  # the pages written into the new site this round
    gone: list[str]  # the pages of the last round that are no more


def _folder(src: str) -> str:
    """The site folder that holds a shell's pages: its page's parent folder (posts/_shell/ → posts)."""
    return posixpath.dirname(urls.page_url(src).rstrip("/"))


def write_pages(
    engine: Engine,
    site_dir: Path,
    pages: Iterable[ShellPage],
    previous: ShellState | None = None,
    shells: Iterable[str] = (urls.POST_SHELL,),
    reuse: Path | None = None,
) -> ShellState:
    """Write every page from its shell (streamed), remove the shells from the site, list the
    pages in its sitemap. With `previous` (the last round, same site folder), a page whose stamp
    and shell are unchanged is neither worked out nor written, and pages that are gone are deleted.
    With `reuse` too, the last round's pages are in that folder (the previous site) rather than
    in `site_dir` (an engine that builds every page afresh): only the pages that changed are
    written into `site_dir`, and the thumbnails are linked from there; nothing in `reuse` changes
    until `carry_over`, called once the new site is complete, moves the pages over."""
    state = ShellState()
    loaded: dict[str, Shell] = {}
    before = previous or ShellState()
    shells = tuple(shells)
    folders = tuple(sorted({_folder(s) for s in shells}))
    carry = (
        reuse is not None
        and previous is not None
        and all(f and (reuse / f).is_dir() for f in folders)
        and all(engine.page_file(reuse, urls.page_url(s)).is_relative_to(reuse / _folder(s)) for s in shells)
    )
    if carry:
        _link_tree(reuse / THUMBS, site_dir / THUMBS)  # type: ignore[operator]
    written: list[str] = []
    skipped = 0
    for page in pages:
        shell = loaded.get(page.shell)
        if shell is None:
            shell = loaded[page.shell] = _load(engine, site_dir, page.shell)
            state.shells[page.shell] = shell.digest
        state.pages[page.src] = page.stamp
        # The last round wrote this very page into this folder, or into `reuse` (a full build
        # starts afresh).
        unchanged = page.stamp is not None and before.pages.get(page.src, None) == page.stamp
        if unchanged and before.shells.get(page.shell) == shell.digest and (reuse is None or carry):
            skipped += 1
            continue
        title, description, body = page.make()
        target = engine.page_file(site_dir, urls.page_url(page.src))
        _write(target, shell.fill_bytes(title, description, page.src, body))
        state.written += 1
        if carry:
            written.append(page.src)
    gone = sorted(set(before.pages) - set(state.pages))
    if reuse is None:
        for src in gone:
            path = engine.page_file(site_dir, urls.page_url(src))
            path.unlink(missing_ok=True)
            _rmdir(path.parent, site_dir)
    elif carry and skipped:
        state.carry = Carry(reuse, folders, written, gone)  # type: ignore[arg-type]
    state.loaded = loaded
    retired = sorted({*shells, *state.shells})  # a shell no page was written from goes too
    for src in retired:
        _retire_shell(engine, site_dir, src)
    add_to_sitemap(site_dir, retired, list(state.pages))
    return state


def write_between(engine: Engine, site_dir: Path, page: ShellPage, state: ShellState) -> bool:
    """Write one page into a complete site from the last round's shell (`socialcal serve`: an
    edited post's page, before the round that rewrites what lists it). Replaced in one rename, so
    a reader never gets half of it; its stamp is forgotten, so the next round writes it again.
    False when the last round left no shell for it."""
    shell = state.loaded.get(page.shell)
    if shell is None or page.src not in state.pages:
        return False
    title, description, body = page.make()
    target = engine.page_file(site_dir, urls.page_url(page.src))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with writing(target):
        try:
            tmp.write_bytes(shell.fill_bytes(title, description, page.src, body))
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    state.pages[page.src] = None
    return True


def carry_over(engine: Engine, site_dir: Path, state: ShellState) -> None:
    """Complete `site_dir` with the unchanged pages `write_pages` left in the last round's site:
    the pages written this round replace their old copies there, the pages that are gone are
    deleted, and the folders move into `site_dir` (one rename each, not one a page)."""
    carry, state.carry = state.carry, None
    if carry is None:
        return
    for src in carry.written:
        new = engine.page_file(site_dir, urls.page_url(src))
        old = engine.page_file(carry.reuse, urls.page_url(src))
        old.parent.mkdir(parents=True, exist_ok=True)
        os.replace(new, old)
    for src in carry.gone:
        old = engine.page_file(carry.reuse, urls.page_url(src))
        old.unlink(missing_ok=True)
        _rmdir(old.parent, carry.reuse)
    for folder in carry.folders:
        target = site_dir / folder
        if target.exists():
            shutil.rmtree(target)  # the folders of the pages just moved out, now empty
        if (carry.reuse / folder).is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(carry.reuse / folder, target)


def _folder_for(target: Path) -> None:
    """The folder of a page: its own, made with one call in the usual case (parents exist)."""
    try:
        os.mkdir(target.parent)
    except FileExistsError:
        pass
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)


def _write(target: Path, data: bytes) -> None:
    """Write a page: a folder of its own, then the file."""
    _folder_for(target)
    with writing(target):
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


def _link(source: Path, target: Path) -> bool:
    """`target` as the same file as `source` (a hard link, else a copy); False if `source` is gone."""
    _folder_for(target)
    try:
        os.link(source, target)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copyfile(source, target)
        except OSError:
            return False
    return True


def _link_tree(source: Path, target: Path) -> None:
    """Every plain file of `source` (one level) into `target`, unless it is there already."""
    try:
        entries = list(os.scandir(source))
    except OSError:
        return
    for entry in entries:
        if entry.is_file(follow_symlinks=False) and not os.path.lexists(target / entry.name):
            _link(Path(entry.path), target / entry.name)


def _load(engine: Engine, site_dir: Path, src: str) -> Shell:
    path = engine.page_file(site_dir, urls.page_url(src))
    try:
        html = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BuildFailed(f"{src}: the site builder did not write the page shell ({exc})") from exc
    return Shell.parse(html, src)


def _retire_shell(engine: Engine, site_dir: Path, src: str) -> None:
    """The shell is not a page of the site: its HTML is removed once the pages are written."""
    path = engine.page_file(site_dir, urls.page_url(src))
    path.unlink(missing_ok=True)
    _rmdir(path.parent, site_dir)


def _rmdir(folder: Path, site_dir: Path) -> None:
    """Remove a page's folder and the folders above it that it leaves empty."""
    while folder != site_dir and site_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty: other pages live there
            return
        folder = folder.parent


_URL_ENTRY = re.compile(r"[ \t]*<url>.*?</url>[ \t]*\n?", re.S)


def add_to_sitemap(site_dir: Path, shells: list[str], pages: list[str]) -> None:
    """If the engine wrote a sitemap, replace each shell's entry there by one entry per page
    written from it (the shell's entry is their pattern: same lastmod and frequency). The
    compressed copy, if any, is made again from the result. Rewritten in one pass."""
    sitemap = site_dir / "sitemap.xml"
    if not shells or not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    patterns: dict[str, str] = {}
    kept: list[str] = []
    pos = 0
    shell_urls = {urls.page_url(s): s for s in shells}
    for match in _URL_ENTRY.finditer(text):
        entry = match.group(0)
        owner = next((s for u, s in shell_urls.items() if f"{u}</loc>" in entry), None)
        if owner is None:
            continue
        kept.append(text[pos : match.start()])
        patterns[owner] = entry
        pos = match.end()
    if not patterns:
        return  # not the sitemap we know, or the shells were already replaced: leave it
    kept.append(text[pos:])
    rest = "".join(kept)
    close = rest.rfind("</urlset>")
    if close < 0:
        return
    tmp = sitemap.with_name(sitemap.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(rest[:close])
        for src in pages:
            owner = _shell_of(src, shells)
            entry = patterns.get(owner) if owner else None
            if entry is not None:
                fh.write(entry.replace(urls.page_url(owner) + "</loc>", str(escape(urls.page_url(src))) + "</loc>"))  # type: ignore[arg-type]
        fh.write(rest[close:])
    tmp.replace(sitemap)
    packed = site_dir / "sitemap.xml.gz"
    if packed.exists():
        with sitemap.open("rb") as src_fh, gzip.GzipFile(packed, "wb", mtime=0) as out:
            while chunk := src_fh.read(1 << 20):
                out.write(chunk)


def _shell_of(src: str, shells: list[str]) -> str | None:
    """The shell a page was written from: the one in the same folder (posts/_shell.md → posts/x.md)."""
    folder = src.rsplit("/", 1)[0]
    return next((s for s in shells if s.rsplit("/", 1)[0] == folder), None)
