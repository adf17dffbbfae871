"""The files a post's media name: an address (listed, never fetched here) or a path in the
repository, or in a pull request's git tree, found without leaving the repository nor following a
symbolic link, and checked by name and size before anything is read or decoded (image_decoding.py).

Paths come from anyone who can open a pull request: whatever is wrong becomes a message.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import Any

MAX_BYTES = 20 * 1024 * 1024  # an image file larger than this is not read
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})


def is_remote(src: str) -> bool:
    """An address (`https://…`) rather than a path in the repository."""
    return "://" in src or src.lower().startswith(("http:", "https:", "data:", "javascript:", "file:"))


NO_SUCH_FILE = "there is no such file in the repository"


def _parts(src: str) -> tuple[list[str], str | None]:
    """The components of a medium's path in the repository, or why it names none."""
    if not src or "\\" in src or "\x00" in src or src.startswith(("/", "~")):
        return [], "write a path relative to the repository root with forward slashes (media/…)"
    parts = [p for p in PurePosixPath(src).parts if p != "."]
    if not parts or ".." in parts:
        return [], "the path leaves the repository"
    if parts[0] == ".git":
        return [], "the path points into .git"
    return parts, None


def local_file(root: Path, src: str) -> tuple[Path | None, str | None]:
    """The repository file a medium names, or why it cannot be used. No component of the path
    may be a symbolic link, and the path cannot leave the repository."""
    parts, problem = _parts(src)
    if problem:
        return None, problem
    path = root
    mode = 0
    for part in parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None, NO_SUCH_FILE
        except OSError as exc:
            return None, f"it cannot be read ({exc.strerror or exc})"
        if stat.S_ISLNK(mode):
            return None, f"{PurePosixPath(*parts[: parts.index(part) + 1])} is a symbolic link, which is not followed"
    if not stat.S_ISREG(mode):
        return None, "it is not a file"
    return path, None


def image_problem(path: Path) -> str | None:
    """What the validator can tell about an image without decoding it (cheap: name and size)."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return sized_image_problem(path.name, 0)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    return sized_image_problem(path.name, size)


def read_image(path: Path) -> bytes | str:
    """A local image's bytes, read no further than MAX_BYTES, or why it cannot be used: the one
    read of an image file (thumbnails, published originals)."""
    problem = image_problem(path)
    if problem:
        return problem
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if len(data) > MAX_BYTES:
        return f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"
    return data


def sized_image_problem(name: str, size: int) -> str | None:
    """`image_problem` of a file known by its name and size (a file on disk, or a git blob)."""
    suffix = PurePosixPath(name).suffix
    if suffix.lower() not in IMAGE_SUFFIXES:
        return f"'{suffix or name}' is not an image format the site shows (JPEG, PNG, WebP, GIF)"
    if size > MAX_BYTES:
        return f"the file is {size / 1e6:.1f} MB; images are at most {MAX_BYTES // (1024 * 1024)} MB"
    return None


def medium_problem(root: Path, src: str, kind: str) -> tuple[str, str] | None:
    """Why the repository file a medium names cannot be used, and what to do (rule SC315), or
    None. Addresses are not looked at here (SC108, SC308)."""
    if is_remote(src):
        return None
    path, problem = local_file(root, src)
    if path is None:
        return _unusable(src, problem)
    return _unusable_image(src, image_problem(path)) if kind == "image" else None


def _unusable(src: str, problem: str | None) -> tuple[str, str]:
    if problem == NO_SUCH_FILE:
        hint = "commit the file in this pull request, or correct the path (from the repository root, e.g. media/…)"
    elif problem and "symbolic link" in problem:
        hint = "commit the file itself, not a link to it"
    else:
        hint = "name a file inside the repository, e.g. media/2027/lhc.jpg"
    return f"media '{src}': {problem}", hint


def _unusable_image(src: str, problem: str | None) -> tuple[str, str] | None:
    if problem:
        return f"media '{src}': {problem}", "export the image as a JPEG, PNG, WebP or GIF of at most 20 MB"
    return None


SYMLINK_MODE = 0o120000


def tree_file(tree: Any, src: str) -> tuple[Any, str | None]:
    """`local_file` in a git tree (a commit's files, never checked out; GitPython's entries, with
    `type`, `mode` and `size`): the blob a medium names, or why it cannot be used. The same
    refusals: no symbolic link on the way, no path out."""
    parts, problem = _parts(src)
    if problem:
        return None, problem
    node = tree
    for i, part in enumerate(parts):
        if getattr(node, "type", "") != "tree":
            return None, NO_SUCH_FILE
        try:
            node = node[part]
        except KeyError:
            return None, NO_SUCH_FILE
        if node.mode & 0o170000 == SYMLINK_MODE:
            return None, f"{PurePosixPath(*parts[: i + 1])} is a symbolic link, which is not followed"
    if node.type != "blob":
        return None, "it is not a file"
    return node, None


def tree_medium_problem(tree: Any, src: str, kind: str) -> tuple[str, str] | None:
    """`medium_problem` for a medium looked up in a git tree (a pull request's head commit)."""
    if is_remote(src):
        return None
    blob, problem = tree_file(tree, src)
    if blob is None:
        return _unusable(src, problem)
    return _unusable_image(src, sized_image_problem(src, blob.size)) if kind == "image" else None
