"""The media a post names: files in the repository, checked and shown as thumbnails; remote
addresses, listed and never fetched unless the team trusts their host.

Images come from anyone who can open a pull request, so they are treated as hostile: a path
never leaves the repository nor follows a symbolic link, a file is size-limited, only JPEG, PNG,
WebP and GIF (first frame) are decoded, an image of more than `MAX_PIXELS` pixels, or one whose
decoding would take more than `MAX_DECODE_BYTES` of memory, is refused before it is decoded (a
decompression bomb), the decoded image is shrunk a tile at a time (never a second full-size copy),
and a thumbnail is made from the pixels alone (no EXIF, no other metadata). Whatever goes wrong
becomes a message, never a traceback.

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
from typing import TYPE_CHECKING, Any

from .diagnostics import one_line

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFile import ImageFile

MAX_BYTES = 20 * 1024 * 1024  # an image file larger than this is not read
THUMB_PX = 640  # a thumbnail fits in THUMB_PX × THUMB_PX
# Decoded, an image costs 3–4 bytes a pixel, twice while it is converted: 40 million pixels (a
# 50-megapixel camera's is 8,000 × 6,000 less a margin) keep that under about 300 MB. Pillow's own
# limit is 89 million, in a process that also holds the calendar.
MAX_PIXELS = 40_000_000
# Pixels alone do not say what decoding costs: a 16-bit PNG takes 2 bytes a pixel, RGB 4 (Pillow
# pads it), a lossless WebP of 6,320 × 6,320 pixels (1.8 KB on disk) 640 MB. An image whose decoding
# would hold more than this at once is refused before it is decoded; with the build's own memory,
# the build stays under 500 MB whatever the images. A WebP of 4,096 × 4,096 pixels just fits.
MAX_DECODE_BYTES = 256 * 1024 * 1024
# Bytes Pillow holds for a pixel of a mode; every other mode (RGB, RGBA, LA, CMYK, I, F…) takes 4.
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
# libwebp decodes into a canvas of its own and keeps the previous one (for an animation, even of one
# frame); Pillow copies the frame out of it, then into the image: four full-size buffers (measured).
_WEBP_BUFFERS = 4
_TILE = 1024  # the side of the tiles an image is converted and shrunk in
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif"})
THUMBS = "assets/thumbs"  # in the site
_RECIPE = b"socialcal-thumb-1:640:jpeg82/png"  # part of the cache key: change it when the recipe changes


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


@dataclass(frozen=True, slots=True)
class Thumb:
    name: str  # file name under assets/thumbs/ (its content hash)
    width: int
    height: int

    @property
    def path(self) -> str:
        return f"{THUMBS}/{self.name}"


class BadImage(Exception):
    """An image that cannot be shown; the message says why, for a contributor, and `hint` what
    to do when there is more to say than "export it again"."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def __reduce__(self) -> tuple[type[BadImage], tuple[str, str]]:
        return BadImage, (str(self), self.hint)


def make_thumbnail(data: bytes, px: int = THUMB_PX) -> tuple[bytes, str, int, int]:
    """(image bytes, 'jpg' or 'png', width, height) of the thumbnail of an image (fitting
    in `px` × `px`), or BadImage.
    Only the first frame of an animation is decoded, and only once its cost is known to be
    within MAX_DECODE_BYTES; the orientation and the conversion are done on the shrunk image."""
    from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: here it is an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as im:
                limit = min(Image.MAX_IMAGE_PIXELS or MAX_PIXELS, MAX_PIXELS)
                if im.width * im.height > limit:
                    raise BadImage(f"{im.width}×{im.height} pixels is more than the {limit:,} allowed")
                full = im.size
                if im.format == "JPEG":
                    im.draft("RGB", (px, px))  # decode at a reduced scale: much faster
                _check_budget(im, full)
                im.seek(0)  # an animation: its first frame, the only one decoded
                im.load()
                alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
                pixels = _reduced(im, "RGBA" if alpha else "RGB", px)
                orientation = im.getexif().get(ExifTags.Base.Orientation)
            # The full-size image is gone: what is left is at most about twice the thumbnail.
            pixels.thumbnail((px, px), Image.Resampling.LANCZOS)
            if orientation:
                # The orientation EXIF asked for, applied by Pillow to the thumbnail (its own table
                # of the eight orientations); EXIF itself is dropped.
                pixels.getexif()[ExifTags.Base.Orientation] = orientation
                ImageOps.exif_transpose(pixels, in_place=True)
            pixels.info = {}
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


def decode_bytes(im: ImageFile, full: tuple[int, int]) -> int:
    """The memory decoding the first frame of an opened image takes at once, from its header alone
    (after `draft` for a JPEG; `full`: its size before). Only one frame is ever decoded, so the
    number of frames adds nothing; shrinking it afterwards takes tiles and the small image only."""
    image = im.width * im.height * _PIXEL_BYTES.get(im.mode, 4)
    if im.format == "WEBP":
        return image * _WEBP_BUFFERS
    if im.format == "JPEG":
        # libjpeg keeps every coefficient of a progressive (or multi-scan) file at full size, 2
        # bytes a sample, whatever the scale it decodes at. Pillow does not say whether a file
        # has several scans, so every JPEG is counted so (a CMYK one, 8 bytes a pixel, is the
        # only kind this refuses under MAX_PIXELS).
        layers = getattr(im, "layer", None) or [("", 1, 1, 0)] * len(im.getbands())
        h_max = max(h for _, h, _, _ in layers)
        v_max = max(v for _, _, v, _ in layers)
        samples = sum(h * v for _, h, v, _ in layers) / (h_max * v_max)
        return image + int(2 * full[0] * full[1] * samples)
    return image


def _check_budget(im: ImageFile, full: tuple[int, int]) -> None:
    cost = decode_bytes(im, full)
    if cost <= MAX_DECODE_BYTES:
        return
    scale = (MAX_DECODE_BYTES / cost) ** 0.5
    width, height = max(1, int(full[0] * scale)), max(1, int(full[1] * scale))
    raise BadImage(
        f"{full[0]}×{full[1]} pixels of {im.format} ({im.mode}) take {cost / 2**20:,.0f} MB of memory to decode,"
        f" more than the {MAX_DECODE_BYTES // 2**20} MB allowed",
        f"export it at most {width:,}×{height:,} pixels (a thumbnail is {THUMB_PX} pixels wide), or save it as an"
        " RGB JPEG, which takes far less memory to decode",
    )


def _reduced(im: Image, mode: str, px: int = THUMB_PX) -> Image:
    """The image in `mode`, shrunk by a whole factor to no less than twice `px`. Made a
    tile at a time: converting the whole image (a palette to RGB, 16 bits to 8, CMYK) or shrinking
    it with its alpha (Pillow premultiplies into a copy) would hold a second full-size image. The
    tiles' sides are multiples of the factor, so the result is the same as shrinking it whole."""
    from PIL import Image as PILImage

    factor = max(1, max(im.size) // (2 * px))
    side = factor * max(1, _TILE // factor)
    out = PILImage.new(mode, (-(-im.width // factor), -(-im.height // factor)))
    for top in range(0, im.height, side):
        for left in range(0, im.width, side):
            tile = im.crop((left, top, min(left + side, im.width), min(top + side, im.height)))
            out.paste(tile.convert(mode).reduce(factor), (left // factor, top // factor))
    return out


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


def reencoded(data: bytes) -> tuple[bytes, str] | BadImage | str:
    """(image, 'jpg' or 'png') of an image's bytes re-encoded from its pixels alone by the
    thumbnails' decoder (`make_thumbnail`: its limits; no EXIF, GPS or other metadata), at most
    ORIGINAL_PX on a side and MAX_ORIGINAL_BYTES (a smaller size is tried until it fits); or why not."""
    if len(data) > MAX_BYTES:
        return f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"
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
    return image, ext


def _original(path: Path) -> tuple[Original, bytes] | BadImage | str:
    problem = image_problem(path)
    if problem:
        return problem
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    made = reencoded(data)
    if not isinstance(made, tuple):
        return made
    image, ext = made
    digest = hashlib.blake2b(data, digest_size=16, person=b"socialcal-media")
    digest.update(f"{ORIGINAL_PX}:{MAX_ORIGINAL_BYTES}:jpeg82/png".encode())
    return Original(f"{digest.hexdigest()}.{ext}"), image


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
        return self._from_data(data, path)

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
