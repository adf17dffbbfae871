"""The files a post's media name: in the repository, and images the site can show.

The form of a `src` (a path in the repository or an https URL on an allowed site) is SC108's and
SC308's (links.py); these rules look at the file a path names.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from ..diagnostics import one_line
from ..linkcheck import media_problem
from .core import Corpus, Example, File, Finding, W, build_rule, corpus_rule
from .examples import VALID_POST

_MEDIA = "media:\n  - src: media/lhc.png\n    alt: The LHC tunnel"


def _png(root: Path) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 60, 120)).save(out, "PNG")
    return out.getvalue()


def _cut_png(root: Path) -> bytes:
    return _png(root)[:60]


@corpus_rule(
    code="SC315",
    severity=W,
    title="Media file missing or unusable",
    description="A medium's `src` that is not an address names a file committed in the repository, from its root "
    "(`media/2027/lhc.jpg`). The file must be there, a plain file inside the repository (symbolic links are not "
    "followed), and an image must be a JPEG, PNG, WebP or GIF of at most 20 MB. A warning, so that a post can be "
    "proposed before its picture is ready; the post's page lists the medium without a picture meanwhile.",
    example=Example(
        _MEDIA + "  # media/lhc.png is not committed",
        bad=[File("a.md", VALID_POST + _MEDIA, "x")],
        good=[File("a.md", VALID_POST + _MEDIA, "x"), File("lhc.png", None, _png, "../media")],
    ),
)
def SC315(corpus: Corpus) -> Iterator[Finding]:
    problem_of = corpus.media
    if problem_of is None:
        if corpus.root is None:
            return
        from ..media_files import medium_problem

        problem_of = partial(medium_problem, corpus.root)
    for post in corpus.posts:
        if post.status.cancelled or (corpus.focus is not None and post.path not in corpus.focus):
            continue
        for i, medium in enumerate(post.media):
            if media_problem(medium.src, None) is not None or "://" in medium.src:
                continue  # not a path in the repository: SC108 and SC308 tell
            found = problem_of(medium.src, medium.kind)
            if found:
                yield Finding(corpus.pos(post.path, "media", i), one_line(found[0]), found[1], post.path)


SC316 = build_rule(
    "SC316",
    W,
    "Image cannot be shown",
    "The site shows a thumbnail of each image in the repository, made when it is built. An image that cannot be "
    "decoded (a truncated file, another format under an image's name), that would decompress to more than 40 "
    "million pixels, or whose decoding would take more than 256 MB of memory (a decompression bomb: a lossless WebP "
    "of 6,320 × 6,320 pixels is 2 KB on disk and 610 MB decoded) is listed without one, and the post's page says "
    "why, on the line of the medium, with the size to export it at.",
    Example(
        _MEDIA + "  # media/lhc.png cut short in the upload",
        bad=[File("a.md", VALID_POST + _MEDIA, "x"), File("lhc.png", None, _cut_png, "../media")],
        good=[File("a.md", VALID_POST + _MEDIA, "x"), File("lhc.png", None, _png, "../media")],
    ),
    where="generator/image_decoding.py make_thumbnail(), when the site is built",
)
