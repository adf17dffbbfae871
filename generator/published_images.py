"""Originals, published for the scheduling tools (socialcal export): the images of approved posts
re-encoded from their pixels alone, at a size every network takes, under an address that changes
only with the image.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .image_decoding import THUMB_PX, BadImage, make_thumbnail
from .media_files import MAX_BYTES, local_file, read_image

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
    data = read_image(path)
    if isinstance(data, str):
        return data
    made = reencoded(data)
    if not isinstance(made, tuple):
        return made
    image, ext = made
    digest = hashlib.blake2b(data, digest_size=16, person=b"socialcal-media")
    digest.update(f"{ORIGINAL_PX}:{MAX_ORIGINAL_BYTES}:jpeg82/png".encode())
    return Original(f"{digest.hexdigest()}.{ext}"), image
