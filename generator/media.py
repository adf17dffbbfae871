"""The media a post names: files in the repository, checked and shown as thumbnails; remote
addresses, listed and never fetched unless the team trusts their host.

Images come from anyone who can open a pull request, so they are treated as hostile: a path
never leaves the repository nor follows a symbolic link, a file is size-limited, only JPEG, PNG,
WebP and GIF (first frame) are decoded, an image of more than `Image.MAX_IMAGE_PIXELS` pixels is
refused (a decompression bomb), and a thumbnail is made from the pixels alone (no EXIF, no other
metadata). Whatever goes wrong becomes a message, never a traceback.

Thumbnails are cached by the content they are made from, as plain image files under
`.socialcal-cache/thumbs/`, and copied into the site (`assets/thumbs/`).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_BYTES = 20 * 1024 * 1024  # an image file larger than this is not read
THUMB_PX = 640  # a thumbnail fits in THUMB_PX × THUMB_PX
# Decoded, an image costs 3–4 bytes a pixel, twice while it is converted: 40 million pixels (a
# 50-megapixel camera's is 8,000 × 6,000 less a margin) keep that under about 300 MB. Pillow's own
# limit is 89 million, in a process that also holds the calendar.
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
THUMBS = "assets/thumbs"  # in the site
_RECIPE = b"socialcal-thumb-1:640:jpeg82/png"  # part of the cache key: change it when the recipe changes


def is_remote(src: str) -> bool:
    """An address (`https://…`) rather than a path in the repository."""
    return "://" in src or src.lower().startswith(("http:", "https:", "data:", "javascript:", "file:"))


def local_file(root: Path, src: str) -> tuple[Path | None, str | None]:
    """The repository file a medium names, or why it cannot be used. No component of the path
    may be a symbolic link, and the path cannot leave the repository."""
    if not src or "\\" in src or "\x00" in src or src.startswith(("/", "~")):
        return None, "write a path relative to the repository root with forward slashes (media/…)"
    parts = [p for p in PurePosixPath(src).parts if p != "."]
    if not parts or ".." in parts:
        return None, "the path leaves the repository"
    if parts[0] == ".git":
        return None, "the path points into .git"
    path = root
    mode = 0
    for part in parts:
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None, "there is no such file in the repository"
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
        return f"'{path.suffix or path.name}' is not an image format the site shows (JPEG, PNG, WebP, GIF)"
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
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
        if problem == "there is no such file in the repository":
            hint = "commit the file in this pull request, or correct the path (from the repository root, e.g. media/…)"
        elif problem and "symbolic link" in problem:
            hint = "commit the file itself, not a link to it"
        else:
            hint = "name a file inside the repository, e.g. media/2027/lhc.jpg"
        return f"media '{src}': {problem}", hint
    if kind == "image":
        problem = image_problem(path)
        if problem:
            return f"media '{src}': {problem}", "export the image as a JPEG, PNG, WebP or GIF of at most 20 MB"
    return None


@dataclass(frozen=True, slots=True)
class Thumb:
    name: str  # file name under assets/thumbs/ (its content hash)
    width: int
    height: int

    @property
    def path(self) -> str:
        return f"{THUMBS}/{self.name}"


class BadImage(Exception):
    """An image that cannot be shown; the message says why, for a contributor."""


def make_thumbnail(data: bytes, px: int = THUMB_PX) -> tuple[bytes, str, int, int]:
    """(image bytes, 'jpg' or 'png', width, height) of the thumbnail of an image (fitting in `px` ×
    `px`), or BadImage."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: here it is an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as im:
                limit = min(Image.MAX_IMAGE_PIXELS or MAX_PIXELS, MAX_PIXELS)
                if im.width * im.height > limit:
                    raise BadImage(f"{im.width}×{im.height} pixels is more than the {limit:,} allowed")
                if im.format == "JPEG":
                    im.draft("RGB", (px, px))  # decode at a reduced scale: much faster
                im.seek(0)  # an animated GIF: its first frame
                im.load()
                upright = ImageOps.exif_transpose(im)  # the orientation EXIF asked for; EXIF itself is dropped
                alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
                pixels = upright.convert("RGBA" if alpha else "RGB")
                pixels.thumbnail((px, px), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                if alpha:
                    pixels.save(out, "PNG", optimize=True)
                else:
                    pixels.save(out, "JPEG", quality=82, optimize=True, progressive=True)
                return out.getvalue(), "png" if alpha else "jpg", pixels.width, pixels.height
    except BadImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise BadImage(f"it decompresses to too many pixels (a decompression bomb?): {exc}") from None
    except UnidentifiedImageError:
        raise BadImage("it is not a JPEG, PNG, WebP or GIF image") from None
    except Exception as exc:  # a hostile file can make a decoder raise nearly anything
        raise BadImage(f"it cannot be decoded ({type(exc).__name__}: {exc})") from None


# --- originals, published for the scheduling tools (socialcal export) ---------------------------

ORIGINALS = "assets/media"  # in the site: `<hash>.<ext>`, an address that changes only with the image
ORIGINAL_PX = 2048  # fits what every network shows (Instagram 1080, X 4096 at most)
MAX_ORIGINAL_BYTES = 5 * 1024 * 1024  # Buffer takes direct JPEG or PNG links up to 5 MB


@dataclass(frozen=True, slots=True)
class Original:
    name: str  # file name under assets/media/: the hash of the image and of the recipe

    @property
    def path(self) -> str:
        return f"{ORIGINALS}/{self.name}"


# Names only: the bytes (up to 5 MB each) are written to the site as soon as they are made.
_originals: dict[tuple[str, int, int, int], Original | BadImage | str] = {}


def publish_original(root: Path, src: str, site: Path | None = None) -> Original | BadImage | str:
    """The image a post names as the site publishes it for the scheduling tools (written into
    `site` when given), or why it cannot be: re-encoded from its pixels alone by the thumbnails'
    own decoder (`make_thumbnail`: the same limits, no EXIF or other metadata), at most
    ORIGINAL_PX on a side and MAX_ORIGINAL_BYTES (a smaller size is tried until it fits)."""
    path, problem = local_file(root, src)
    if path is None:
        return problem or "the file cannot be used"
    try:
        st = path.stat()
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
    found = _originals.get(key)
    if isinstance(found, Original) and (site is None or (site / found.path).exists()):
        return found
    if found is None or isinstance(found, Original):
        made = _original(path)
        if isinstance(made, tuple):
            found, data = made
            if site is not None:
                target = site / found.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        else:
            found = made
        _originals[key] = found
    return found


def _original(path: Path) -> tuple[Original, bytes] | BadImage | str:
    problem = image_problem(path)
    if problem:
        return problem
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    px = ORIGINAL_PX
    while True:
        try:
            image, ext, _, _ = make_thumbnail(data, px)
        except BadImage as exc:
            return exc
        if len(image) <= MAX_ORIGINAL_BYTES or px <= THUMB_PX:
            break
        px = int(px * 0.75)
    if len(image) > MAX_ORIGINAL_BYTES:
        return f"even at {px} pixels it is more than {MAX_ORIGINAL_BYTES // 2**20} MB"
    digest = hashlib.blake2b(data, digest_size=16, person=b"socialcal-media")
    digest.update(f"{ORIGINAL_PX}:{MAX_ORIGINAL_BYTES}:jpeg82/png".encode())
    return Original(f"{digest.hexdigest()}.{ext}"), image


class Thumbnailer:
    """Thumbnails of a repository's images for one site folder: made once per content, kept in
    `cache` (when it is a real folder, not a link), copied into `site/assets/thumbs/`."""

    def __init__(self, root: Path, cache: Path | None) -> None:
        self.root = root
        usable = cache is not None and _plain_folder(cache) and not _tracked(root, cache)
        self.cache = cache if usable else None
        self.site: Path | None = None  # where thumbnails are copied to
        self._placed: set[tuple[Path, str]] = set()  # … this round
        self._done: dict[tuple[str, int, int, int], Thumb | BadImage | str] = {}  # (src, size, mtime, inode) →
        self._round: dict[str, Thumb | BadImage | str] = {}  # src → result, this round (see new_round)
        self._data: dict[str, bytes] = {}  # thumbnails made without a cache folder, by name
        self._sources: dict[str, Path] = {}  # thumbnail name → the image it was made from

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
        return sorted({(src, str(found)) for src, found in self._round.items() if isinstance(found, BadImage)})

    def _make(self, path: Path) -> Thumb | BadImage | str:
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
        stem = _stem(data)
        cached = self._cached(stem)
        if cached is not None:
            self._sources[cached.name] = path
            return cached
        try:
            image, ext, width, height = make_thumbnail(data)
        except BadImage as exc:
            return exc
        name = f"{stem}.{ext}"
        if self.cache is None or not _write_atomic(self.cache / name, image):
            self._data[name] = image  # no cache, or it could not be written: kept in memory
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


def _tracked(root: Path, cache: Path) -> bool:
    """Whether git tracks anything in the cache folder: then a pull request put it there, and a
    file named by an image's hash would be published as that image's thumbnail, unseen by the
    reviewers. Such a cache is never read (the thumbnails are made in memory instead)."""
    import subprocess

    try:
        relative = cache.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return False  # outside the repository: nothing a pull request can commit
    try:
        found = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--", str(relative)],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False  # no git: no pull request either
    return bool(found.stdout)


def _write_atomic(target: Path, data: bytes) -> bool:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
