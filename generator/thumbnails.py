"""Thumbnails of the images posts name, for the site's pages.

Thumbnails are cached by the content they are made from, as plain image files under
`.socialcal-cache/thumbs/`, and copied into the site (`assets/thumbs/`). The cache is read only
when git tracks nothing in it: a file a pull request committed there would be published unseen.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import one_line
from .image_decoding import BadImage, make_thumbnail
from .media_files import MAX_BYTES, local_file, read_image, sized_image_problem

THUMBS = "assets/thumbs"  # in the site
_RECIPE = b"socialcal-thumb-1:640:jpeg82/png"  # part of the cache key: change it when the recipe changes


@dataclass(frozen=True, slots=True)
class Thumb:
    name: str  # file name under assets/thumbs/ (its content hash)
    width: int
    height: int

    @property
    def path(self) -> str:
        return f"{THUMBS}/{self.name}"


class Thumbnailer:
    """Thumbnails of a repository's images for one site folder: made once per content, kept in
    `cache` (when it is a real folder, not a link), copied into `site/assets/thumbs/`."""

    def __init__(self, root: Path, cache: Path | None) -> None:
        self.root = root
        distrust = _cache_distrusted(root, cache) if cache is not None and _plain_folder(cache) else "no cache"
        self.cache = cache if distrust is None else None
        # Said once, in the build's log: why thumbnails are made again rather than read.
        self.warnings: tuple[str, ...] = ()
        if distrust is not None and distrust != "no cache":
            self.warnings = (one_line(f"thumbnails are made again, not read from {cache}: {distrust}"),)
        self.site: Path | None = None  # where thumbnails are copied to
        self._placed: set[tuple[Path, str]] = set()  # … this round
        self._done: dict[tuple[str, int, int, int], Thumb | BadImage | str] = {}  # (src, size, mtime, inode) →
        self._round: dict[str, Thumb | BadImage | str] = {}  # src → result, this round (see new_round)
        self._data: dict[str, bytes] = {}  # thumbnails made without a cache folder, by name
        self._sources: dict[str, Path] = {}  # thumbnail name → the image it was made from
        self._blob_failures: dict[str, str] = {}  # images given as bytes that cannot be decoded: src → why

    def __fingerprint__(self) -> tuple[str, str]:
        return str(self.root), str(self.cache)

    def new_round(self) -> None:
        """Files may have changed since the last round (`socialcal serve`): look at them again."""
        self._round = {}
        self._placed = set()

    def thumb(self, src: str) -> Thumb | BadImage | str:
        """The thumbnail of a local image, copied into the site; or why there is none: BadImage
        when the file is there but cannot be decoded, a message when the file cannot be used."""
        found = self._round.get(src)
        if found is None:
            found = self._round[src] = self._thumb(src)
        if isinstance(found, Thumb):
            self._place(found)
        return found

    def _thumb(self, src: str) -> Thumb | BadImage | str:
        path, problem = local_file(self.root, src)
        if path is None:
            return problem or "the file cannot be used"
        try:
            st = path.stat()
        except OSError as exc:
            return f"it cannot be read ({exc.strerror or exc})"
        key = (src, st.st_size, st.st_mtime_ns, st.st_ino)
        found: Thumb | BadImage | str | None = self._done.get(key)
        if found is None:
            found = self._done[key] = self._make(path)
        return found

    def failures(self) -> list[tuple[str, str]]:
        """(src, why) of the images that were found but could not be decoded."""
        found = {(src, str(found)) for src, found in self._round.items() if isinstance(found, BadImage)}
        return sorted(found | set(self._blob_failures.items()))

    def thumb_of(self, name: str, data: bytes) -> Thumb | BadImage | str:
        """The thumbnail of an image given as bytes (a pull request's, read from a git blob under
        the same limits), kept to be placed in the site with `place`; or why there is none."""
        problem = sized_image_problem(name, len(data))
        if problem:
            return problem
        found = self._from_data(data, None)
        if isinstance(found, BadImage):
            self._blob_failures[name] = str(found)
        return found

    def place(self, found: Thumb | BadImage | str) -> Thumb | BadImage | str:
        """A thumbnail made earlier (`thumb_of`), copied into the site now."""
        if isinstance(found, Thumb):
            self._place(found)
        return found

    def _make(self, path: Path) -> Thumb | BadImage | str:
        data = read_image(path)
        return data if isinstance(data, str) else self._from_data(data, path)

    def _from_data(self, data: bytes, path: Path | None) -> Thumb | BadImage:
        stem = _stem(data)
        cached = self._cached(stem)
        if cached is not None:
            if path is not None:
                self._sources[cached.name] = path
            return cached
        try:
            image, ext, width, height = make_thumbnail(data)
        except BadImage as exc:
            return exc
        name = f"{stem}.{ext}"
        if path is None or self.cache is None or not _write_atomic(self.cache / name, image):
            # No cache, or it could not be written, or no file to make it again from (a blob):
            # kept in memory.
            self._data[name] = image
        if path is not None:
            self._sources[name] = path
        return Thumb(name, width, height)

    def _remade(self, thumb: Thumb) -> bytes | None:
        """The thumbnail made again from its image, kept in memory from now on."""
        path = self._sources.get(thumb.name)
        try:
            if path is None or self._make_from(path) is None:
                return None
        except OSError:
            return None
        return self._data.get(thumb.name)

    def _make_from(self, path: Path) -> Thumb | None:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
        try:
            image, ext, width, height = make_thumbnail(data)
        except BadImage:
            return None
        name = f"{_stem(data)}.{ext}"
        self._data[name] = image
        return Thumb(name, width, height)

    def _cached(self, stem: str) -> Thumb | None:
        if self.cache is None:
            return None
        from PIL import Image

        for ext in ("jpg", "png"):
            entry = self.cache / f"{stem}.{ext}"
            if entry.is_file() and not entry.is_symlink():
                try:
                    with Image.open(entry, formats=("JPEG", "PNG")) as im:
                        return Thumb(entry.name, im.width, im.height)
                except Exception:  # a damaged cache file: make it again
                    entry.unlink(missing_ok=True)
        return None

    def _place(self, thumb: Thumb) -> None:
        if self.site is None or (self.site, thumb.name) in self._placed:
            return
        self._placed.add((self.site, thumb.name))
        target = self.site / thumb.path
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        data = self._data.get(thumb.name)
        if data is not None:
            target.write_bytes(data)
            return
        try:
            shutil.copyfile(self.cache / thumb.name, target)  # type: ignore[operator]
        except OSError:
            # The cache file went away since it was made (someone cleaned the cache under
            # `serve`): make it again.
            data = self._remade(thumb)
            if data is not None:
                target.write_bytes(data)


def _stem(data: bytes) -> str:
    """A thumbnail's name: the hash of its image and of how thumbnails are made."""
    digest = hashlib.blake2b(data, digest_size=16, person=b"socialcal-thumb")
    digest.update(_RECIPE)
    return digest.hexdigest()


def _plain_folder(folder: Path) -> bool:
    """The cache folder and its parent exist as real folders (or can be made): never a link that a
    pull request planted to make us write elsewhere."""
    for f in (folder.parent, folder):
        if f.is_symlink() or (f.exists() and not f.is_dir()):
            return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True


def _cache_distrusted(root: Path, cache: Path) -> str | None:
    """Why the cache folder may not be read, or None when git tracks nothing in it. A tracked
    file there was put there by a pull request: named by an image's hash, it would be published
    as that image's thumbnail, unseen by the reviewers. When git cannot say (it refuses the
    repository for its "dubious ownership", it is not installed, it fails), the cache is not
    read either: the thumbnails are made in memory instead."""
    import subprocess

    try:
        relative = cache.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return None  # outside the repository: nothing a pull request can commit
    if not _in_repository(root):
        return None  # no repository: nothing is tracked, and no pull request either
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", str(relative)],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git could not tell whether it tracks files there ({type(exc).__name__}: {exc})"
    if found.returncode != 0:
        said = found.stderr.decode("utf-8", "replace").strip().partition("\n")[0]
        return f"git could not tell whether it tracks files there (exit status {found.returncode}: {said})"
    if found.stdout:
        return "git tracks files there (committed by a pull request?); they are never published"
    return None


def _in_repository(root: Path) -> bool:
    """Whether git would look for a repository here: a `.git` (folder, file or link) in the
    folder or a parent, or GIT_DIR set. Seen without running git, which may refuse to say."""
    if os.environ.get("GIT_DIR"):
        return True
    try:
        folder = root.resolve()
    except OSError:
        return True  # cannot tell: as if there were one
    return any(os.path.lexists(parent / ".git") for parent in (folder, *folder.parents))


def _write_atomic(target: Path, data: bytes) -> bool:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
