"""An image's bytes decoded as hostile input, into a small image made from its pixels alone.

Images come from anyone who can open a pull request: only JPEG, PNG, WebP and GIF (first frame)
are decoded, an image of more than `MAX_PIXELS` pixels, or one whose decoding would take more than
`MAX_DECODE_BYTES` of memory, is refused before it is decoded (a decompression bomb), the decoded
image is shrunk a tile at a time (never a second full-size copy), and the result is made from the
pixels alone (no EXIF, no other metadata). Whatever goes wrong becomes a `BadImage`, never a
traceback. Thumbnails (thumbnails.py) and the published originals (published_images.py) are made so.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFile import ImageFile

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
