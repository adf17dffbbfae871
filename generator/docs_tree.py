"""The generated docs tree on disk: each file written as soon as it is rendered.

Nothing holds the whole tree: a 30,000-post calendar would otherwise keep every page, every
feed and every calendar fragment in memory until the site builder ran. A file is written only
when its content differs from the previous round's (the mtime is what a dirty build looks at),
and what the previous round wrote but this one did not is deleted.

Calendar pages are large HTML that Markdown would only parse to pass through (and the search
plugin parse again): the engine gets a placeholder, and the HTML (a *fragment*, kept beside the
tree) is spliced into the page the engine built, between two comments so that a later
incremental build can replace it in a page the engine did not rewrite. Other pages keep their
heading and lead in the Markdown and hand over only their bulk (lists of posts, review cards):
each piece a template passes to `spliced` is a fragment of its own, its slot named `page#n`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from markupsafe import escape

from .engines import BuildFailed
from .errors import writing


def slot(src: str) -> str:
    return f'<div data-sc-slot="{escape(src)}"></div>'


def piece_slot(src: str, n: int) -> str:
    """The slot of a page's n-th piece of bulk HTML (a docs path never holds a `#`)."""
    return f"{src}#{n}"


def page_of(slot_name: str) -> str:
    """The docs path of the page a slot is in."""
    return slot_name.split("#", 1)[0]


def cut(pieces: list[str], src: str, html: str) -> str:
    """Keep `html` as the next piece of page `src` to splice in after the engine; the engine gets
    its placeholder instead, on the same lines (the white space around the piece stays in the
    Markdown, so that Markdown sees the same blocks around it as it would around the piece)."""
    body = html.strip()
    if not body:
        return html  # nothing worth a slot
    lead = len(html) - len(html.lstrip())
    pieces.append(body)
    return f"{html[:lead]}{slot(piece_slot(src, len(pieces)))}{html[lead + len(body) :]}"


def split(src: str, text: str) -> tuple[str, str]:
    """Front-matter and a placeholder for the engine; the rendered body for splicing in afterwards."""
    _, front, body = text.split("---\n", 2)
    # The heading comes with the spliced HTML; the comment tells the theme the page has its <h1>.
    return f"---\n{front}---\n\n<!-- the page's <h1> is in the calendar HTML spliced here -->\n{slot(src)}\n", body


def splice(page: Path, fragments: Mapping[str, str]) -> None:
    """Put the HTML of each slot (slot → HTML) into the page the engine built, around its
    placeholder, or in place of what an earlier splice put there. The page is read and written once."""
    text = page.read_text(encoding="utf-8")
    for src, html in fragments.items():
        start, end = f"<!--sc-slot:{src}-->", f"<!--/sc-slot:{src}-->"
        block = f"{start}{html}{end}"
        marker = slot(src)
        if marker in text:
            text = text.replace(marker, block, 1)
        elif start in text and end in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
        else:
            raise BuildFailed(f"{page}: the placeholder for {src} was not found (changed theme?)")
    with writing(page):
        page.write_text(text, encoding="utf-8", newline="\n")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class DocsTree:
    """One round of writing the docs tree (a build, or a rebuild of `socialcal serve`)."""

    def __init__(self, docs: Path, fragments: Path, previous: DocsTree | None = None) -> None:
        self.docs = docs
        self.fragments_dir = fragments
        self._before = previous.files if previous else {}
        self._fragments_before = previous.fragments if previous else {}
        self.files: dict[str, str] = {}  # docs path → digest of what was written this round
        self.fragments: dict[str, str] = {}  # docs path → digest of its fragment
        self.changed: set[str] = set()  # docs paths new or different this round

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".md"))

    def _target(self, rel_path: str, folder: Path) -> Path:
        target = folder / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel_path: str, content: str | bytes | Iterable[bytes]) -> None:
        """Write a file of the tree: text, bytes, or bytes in chunks (a feed, never whole in memory;
        when the chunks can be iterated twice, an unchanged file is not even written)."""
        if rel_path in self.files:
            raise BuildFailed(f"two files of the site would be written to {rel_path}")
        if isinstance(content, (str, bytes)):
            data = content.encode("utf-8") if isinstance(content, str) else content
            digest = _digest(data)
            if self._before.get(rel_path) != digest:
                target = self._target(rel_path, self.docs)
                with writing(target):
                    target.write_bytes(data)
                self.changed.add(rel_path)
        else:
            digest = self._stream(rel_path, content)
        self.files[rel_path] = digest

    def _stream(self, rel_path: str, chunks: Iterable[bytes]) -> str:
        before = self._before.get(rel_path)
        if before is not None and not isinstance(chunks, Iterator):
            # Re-iterable content: hash it first, and write it only if it changed.
            h = hashlib.blake2b(digest_size=16)
            for chunk in chunks:
                h.update(chunk)
            if h.hexdigest() == before:
                return before
        target = self._target(rel_path, self.docs)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        h = hashlib.blake2b(digest_size=16)
        try:
            with writing(target), tmp.open("wb") as fh:
                for chunk in chunks:
                    h.update(chunk)
                    fh.write(chunk)
            digest = h.hexdigest()
            if self._before.get(rel_path) == digest and target.exists():
                tmp.unlink()
            else:
                tmp.replace(target)
                self.changed.add(rel_path)
        finally:
            tmp.unlink(missing_ok=True)
        return digest

    def fragment(self, rel_path: str, html: str) -> None:
        """Keep the HTML to splice into slot `rel_path` (a page's docs path, or a piece of it:
        `piece_slot`) after the engine built the page."""
        data = html.encode("utf-8")
        digest = _digest(data)
        if self._fragments_before.get(rel_path) != digest:
            target = self._target(rel_path + ".html", self.fragments_dir)
            with writing(target):
                target.write_bytes(data)
        self.fragments[rel_path] = digest

    def finish(self) -> None:
        """Delete what the previous round wrote and this one did not."""
        for rel_path in set(self._before) - set(self.files):
            (self.docs / rel_path).unlink(missing_ok=True)
        for rel_path in set(self._fragments_before) - set(self.fragments):
            (self.fragments_dir / (rel_path + ".html")).unlink(missing_ok=True)

    def left_behind(self) -> DocsTree:
        """After a round that failed half-way: what may now be on disk, for the next round to
        compare with (files of both rounds, the newer digest winning)."""
        state = DocsTree(self.docs, self.fragments_dir)
        state.files = {**self._before, **self.files}
        state.fragments = {**self._fragments_before, **self.fragments}
        return state

    def stale_fragments(self, everything: bool) -> list[str]:
        """Slots whose HTML must be spliced: all of them after a full build; after a dirty one,
        those whose fragment changed or whose page the engine wrote again."""
        return sorted(
            src
            for src, digest in self.fragments.items()
            if everything or page_of(src) in self.changed or self._fragments_before.get(src) != digest
        )

    def read_fragment(self, rel_path: str) -> str:
        return (self.fragments_dir / (rel_path + ".html")).read_text(encoding="utf-8")
