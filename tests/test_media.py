"""Media are hostile input: thumbnails from real images, and every way an image or a path can be
bad (a decompression bomb, a truncated file, a symbolic link, a missing file, a path out of the
repository) ending as a message, never a traceback."""

from __future__ import annotations

import functools
import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageFile, WebPImagePlugin

from generator import media_files, thumbnails
from generator.cli import cli
from generator.image_decoding import MAX_DECODE_BYTES, THUMB_PX, BadImage, decode_bytes, make_thumbnail
from generator.media_files import local_file, medium_problem
from generator.rules.catalogue import RULES
from generator.thumbnails import Thumb, Thumbnailer

from .conftest import VALID_POST, cli_build, codes


def jpeg(width: int = 1200, height: int = 800, **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "JPEG", **save)
    return out.getvalue()


def png(width: int = 300, height: int = 200, mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 20, 30, 128) if mode == "RGBA" else (10, 20, 30)).save(out, "PNG")
    return out.getvalue()


def bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A PNG whose header promises 3.6 billion pixels, in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def save(im: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


# Hostile images: small files on disk, hundreds of megabytes once decoded. Made once (a few seconds).
@functools.cache
def lossless_webp(mode: str = "RGB", side: int = 6320) -> bytes:
    """40 million pixels under 1 KB; libwebp and Pillow hold four buffers of 4 bytes a pixel."""
    return save(Image.new(mode, (side, side), (0, 90, 200, 128)[: len(mode)]), "WEBP", lossless=True, method=0)


@functools.cache
def png16(side: int = 6320) -> bytes:
    return save(Image.new("I;16", (side, side), 300), "PNG")


@functools.cache
def rgba_png(side: int = 6320) -> bytes:
    return save(Image.new("RGBA", (side, side), (10, 20, 30, 128)), "PNG", compress_level=1)


@functools.cache
def many_frames_gif(side: int = 2000, frames: int = 40) -> bytes:
    images = [Image.new("P", (side, side), i % 2) for i in range(frames)]
    return save(images[0], "GIF", save_all=True, append_images=images[1:])


@functools.cache
def cmyk_jpeg(side: int = 6000) -> bytes:
    """Progressive: libjpeg keeps every coefficient at full size, 8 bytes a pixel for CMYK."""
    return save(Image.new("CMYK", (side, side), (0, 100, 200, 0)), "JPEG", quality=50, progressive=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "media").mkdir(parents=True)
    return root


# --- thumbnails -------------------------------------------------------------------------------


def test_a_jpeg_becomes_a_small_jpeg_without_exif(repo: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    (repo / "media" / "photo.jpg").write_bytes(jpeg(1200, 800, exif=exif.tobytes()))
    thumb = Thumbnailer(repo, repo / ".socialcal-cache" / "thumbs").thumb("media/photo.jpg")
    assert isinstance(thumb, Thumb)
    assert (thumb.width, thumb.height) == (427, 640)  # upright, as the EXIF orientation asked
    cached = repo / ".socialcal-cache" / "thumbs" / thumb.name
    with Image.open(cached) as im:
        assert im.format == "JPEG" and not im.getexif() and "exif" not in im.info
    assert thumb.name.endswith(".jpg") and thumb.path == f"assets/thumbs/{thumb.name}"


def test_png_webp_and_gif_are_read_transparency_kept(repo: Path) -> None:
    (repo / "media" / "a.png").write_bytes(png())
    webp = io.BytesIO()
    Image.new("RGB", (800, 800), (0, 128, 0)).save(webp, "WEBP")
    (repo / "media" / "b.webp").write_bytes(webp.getvalue())
    gif = io.BytesIO()
    frames = [Image.new("P", (100, 50), i) for i in range(3)]
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    (repo / "media" / "c.gif").write_bytes(gif.getvalue())
    thumbs = Thumbnailer(repo, None)
    a, b, c = (thumbs.thumb(f"media/{n}") for n in ("a.png", "b.webp", "c.gif"))
    assert isinstance(a, Thumb) and a.name.endswith(".png") and (a.width, a.height) == (300, 200)
    assert isinstance(b, Thumb) and (b.width, b.height) == (640, 640)
    assert isinstance(c, Thumb) and (c.width, c.height) == (100, 50)  # the first frame


def test_thumbnails_are_cached_by_content_and_copied_into_the_site(repo: Path, monkeypatch) -> None:
    data = jpeg()
    (repo / "media" / "one.jpg").write_bytes(data)
    (repo / "media" / "same.jpg").write_bytes(data)
    cache = repo / ".socialcal-cache" / "thumbs"
    first = Thumbnailer(repo, cache)
    first.site = repo / "site"
    one = first.thumb("media/one.jpg")
    assert isinstance(one, Thumb) and (repo / "site" / one.path).is_file()
    assert [p.name for p in cache.iterdir()] == [one.name]
    monkeypatch.setattr(thumbnails, "make_thumbnail", lambda data: pytest.fail("made again"))
    assert Thumbnailer(repo, cache).thumb("media/same.jpg") == one  # same content, same file
    assert not list(cache.glob("*.pickle"))


def test_a_cache_folder_that_is_a_link_is_not_used(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".socialcal-cache").symlink_to(elsewhere, target_is_directory=True)
    (repo / "media" / "a.jpg").write_bytes(jpeg())
    thumbs = Thumbnailer(repo, repo / ".socialcal-cache" / "thumbs")
    thumbs.site = repo / "site"
    found = thumbs.thumb("media/a.jpg")
    assert isinstance(found, Thumb) and (repo / "site" / found.path).is_file()
    assert not list(elsewhere.rglob("*"))


def test_a_cache_file_committed_to_the_repository_is_never_published(repo: Path) -> None:
    """A pull request could commit a picture under the name of an image's thumbnail: the
    reviewers would approve one picture and the site would show another."""
    import subprocess

    (repo / "media" / "a.jpg").write_bytes(jpeg())
    cache = repo / ".socialcal-cache" / "thumbs"
    made = Thumbnailer(repo, cache).thumb("media/a.jpg")
    assert isinstance(made, Thumb)
    planted = png(64, 64, "RGB")
    (cache / made.name).write_bytes(planted)
    git = ["git", "-C", str(repo), "-c", "user.name=x", "-c", "user.email=x@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "plant"], check=True)

    thumbs = Thumbnailer(repo, cache)
    thumbs.site = repo / "site"
    found = thumbs.thumb("media/a.jpg")
    assert isinstance(found, Thumb) and (found.width, found.height) == (made.width, made.height)
    assert (repo / "site" / found.path).read_bytes() != planted


def _planted(repo: Path) -> tuple[Path, Thumb, bytes]:
    """A repository whose pull request committed a picture under the name of an image's
    thumbnail: (the cache folder, the real thumbnail, the planted picture)."""
    (repo / "media" / "a.jpg").write_bytes(jpeg())
    cache = repo / ".socialcal-cache" / "thumbs"
    made = Thumbnailer(repo, cache).thumb("media/a.jpg")
    assert isinstance(made, Thumb)
    planted = png(64, 64, "RGB")
    (cache / made.name).write_bytes(planted)
    git = ["git", "-C", str(repo), "-c", "user.name=x", "-c", "user.email=x@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "plant"], check=True)
    return cache, made, planted


def _git_refuses_the_owner(repo: Path, monkeypatch) -> None:
    """ "dubious ownership": the repository belongs to another user (a container's checkout)."""
    try:
        for path in (repo, *repo.rglob("*")):
            os.chown(path, 54321, 54321, follow_symlinks=False)
    except PermissionError:
        pytest.skip("only root can give the repository to another user")


def _git_head_is_garbage(repo: Path, monkeypatch) -> None:
    (repo / ".git" / "HEAD").write_bytes(b"\x00garbage\xff")


def _git_dir_is_broken(repo: Path, monkeypatch) -> None:
    broken = repo.parent / "broken.git"
    broken.mkdir()
    monkeypatch.setenv("GIT_DIR", str(broken))


def _git_is_missing(repo: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(repo.parent / "no-bin"))


def _git_hangs(repo: Path, monkeypatch) -> None:
    def hang(args, **kwargs):
        raise subprocess.TimeoutExpired(args, kwargs.get("timeout", 0))

    monkeypatch.setattr(subprocess, "run", hang)


def _git_fails(repo: Path, monkeypatch) -> None:
    monkeypatch.setattr(subprocess, "run", lambda args, **kwargs: subprocess.CompletedProcess(args, 1, b"", b"boom"))


@pytest.mark.parametrize(
    "break_git",
    [_git_refuses_the_owner, _git_head_is_garbage, _git_dir_is_broken, _git_is_missing, _git_hangs, _git_fails],
)
def test_a_cache_git_cannot_vouch_for_is_not_read(repo: Path, break_git, monkeypatch) -> None:
    """When git cannot say whether it tracks anything in the cache folder, the folder is not read:
    the thumbnail is made again, and the build's log says why, once."""
    monkeypatch.setenv("HOME", str(repo.parent))  # no safe.directory from the user's or the system's
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")  # configuration
    cache, made, planted = _planted(repo)
    break_git(repo, monkeypatch)
    thumbs = Thumbnailer(repo, cache)
    thumbs.site = repo / "site"
    found = thumbs.thumb("media/a.jpg")
    assert found == made and thumbs.cache is None
    assert (repo / "site" / found.path).read_bytes() != planted
    (said,) = thumbs.warnings
    assert said.startswith(f"thumbnails are made again, not read from {cache}: git could not tell"), said


def test_a_cache_is_read_where_git_vouches_for_it_or_there_is_no_repository(repo: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(repo.parent))
    (repo / "media" / "a.jpg").write_bytes(jpeg())
    cache = repo / ".socialcal-cache" / "thumbs"
    assert Thumbnailer(repo, cache).cache == cache  # no repository: nothing can be tracked
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "media"], check=True)
    thumbs = Thumbnailer(repo, cache)
    assert thumbs.cache == cache and thumbs.warnings == ()


def test_the_build_log_says_once_why_thumbnails_were_made_again(project, write, monkeypatch) -> None:
    monkeypatch.setenv("SOCIALCAL_TODAY", "2026-11-26")
    (project.root / "media").mkdir()
    for name, width in (("a.jpg", 300), ("b.jpg", 400)):
        (project.root / "media" / name).write_bytes(jpeg(width, 200))
    write("a.md", VALID_POST + "media:\n  - {src: media/a.jpg, alt: A}\n  - {src: media/b.jpg, alt: B}")
    _git_dir_is_broken(project.root, monkeypatch)
    result = cli_build(project)
    assert result.exit_code == 0, result.output
    assert result.output.count("thumbnails are made again, not read from") == 1, result.output
    assert len(list((project.site / "assets" / "thumbs").iterdir())) == 2


def test_a_thumbnail_whose_cache_file_went_away_is_made_again(repo: Path) -> None:
    (repo / "media" / "a.jpg").write_bytes(jpeg())
    cache = repo / ".socialcal-cache" / "thumbs"
    thumbs = Thumbnailer(repo, cache)
    thumbs.site = repo / "site"
    found = thumbs.thumb("media/a.jpg")
    assert isinstance(found, Thumb)
    for f in cache.iterdir():
        f.unlink()
    thumbs.new_round()
    thumbs.site = repo / "site2"
    assert thumbs.thumb("media/a.jpg") == found
    with Image.open(repo / "site2" / found.path) as im:
        assert im.size == (found.width, found.height)


def test_an_image_fixed_under_serve_is_no_longer_reported(repo: Path) -> None:
    image = repo / "media" / "a.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    thumbs = Thumbnailer(repo, None)
    assert isinstance(thumbs.thumb("media/a.png"), BadImage)
    assert [src for src, _ in thumbs.failures()] == ["media/a.png"]
    image.write_bytes(png())
    thumbs.new_round()
    assert isinstance(thumbs.thumb("media/a.png"), Thumb)
    assert thumbs.failures() == []


def test_an_image_of_more_than_forty_million_pixels_is_not_decoded(repo: Path) -> None:
    (repo / "media" / "huge.png").write_bytes(bomb(8000, 6000))  # 48 million: under Pillow's limit
    found = Thumbnailer(repo, None).thumb("media/huge.png")
    assert isinstance(found, BadImage) and "40,000,000" in str(found)


def test_a_decompression_bomb_is_refused_before_it_is_decoded(repo: Path) -> None:
    (repo / "media" / "bomb.png").write_bytes(bomb())
    found = Thumbnailer(repo, None).thumb("media/bomb.png")
    assert isinstance(found, BadImage) and "decompression bomb" in str(found)


def test_more_pixels_than_allowed_is_an_error_not_a_warning(monkeypatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100 * 100)
    with pytest.raises(BadImage, match="pixels"):
        make_thumbnail(png(150, 100, "RGB"))  # 1.5 times the limit: Pillow would only warn


# --- memory: what an image takes to decode, before it is decoded ---------------------------------


@pytest.mark.parametrize(
    ("data", "megabytes"),
    [
        pytest.param(lossless_webp, 609, id="lossless WebP 6320², RGB"),
        pytest.param(functools.partial(lossless_webp, "RGBA"), 609, id="lossless WebP 6320², RGBA"),
        pytest.param(cmyk_jpeg, 277, id="progressive CMYK JPEG 6000²"),
    ],
)
def test_an_image_that_would_take_too_much_memory_is_refused_before_it_is_decoded(data, megabytes, monkeypatch) -> None:
    image = data()
    assert len(image) < 1_000_000  # small on disk
    for decoder in (ImageFile.ImageFile, WebPImagePlugin.WebPImageFile):
        monkeypatch.setattr(decoder, "load", lambda self: pytest.fail("decoded"))
    with pytest.raises(BadImage) as refused:
        make_thumbnail(image)
    said, hint = str(refused.value), refused.value.hint
    assert f"take {megabytes} MB of memory to decode" in said and "more than the 256 MB allowed" in said
    with Image.open(io.BytesIO(image)) as im:
        assert f"{im.width}×{im.height} pixels" in said
    assert "export it at most" in hint and "RGB JPEG" in hint  # how to shrink it


def test_what_decoding_takes_is_counted_from_the_mode_the_decoder_and_not_the_frames() -> None:
    def cost(data: bytes) -> tuple[int, int]:
        with Image.open(io.BytesIO(data)) as im:
            full = im.size
            if im.format == "JPEG":
                im.draft("RGB", (THUMB_PX, THUMB_PX))
            return decode_bytes(im, full), full[0] * full[1]

    webp, pixels = cost(lossless_webp())
    assert webp == 16 * pixels  # libwebp's two canvases, the copy Pillow takes, the image
    png, pixels = cost(png16())
    assert png == 2 * pixels  # 16 bits
    png, pixels = cost(rgba_png(1000))
    assert png == 4 * pixels
    gif, pixels = cost(many_frames_gif())
    assert gif == pixels  # one byte a pixel, one frame: the others are never decoded
    jpg, pixels = cost(cmyk_jpeg(1600))  # decoded at half the scale (draft), every coefficient kept
    assert jpg == 800 * 800 * 4 + 8 * pixels
    jpg, pixels = cost(jpeg(2560, 1920, progressive=True))  # 4:2:0: chroma at a quarter
    assert jpg == 1280 * 960 * 4 + 3 * pixels
    assert cost(lossless_webp(side=4096))[0] == MAX_DECODE_BYTES  # the largest WebP that fits


@pytest.mark.parametrize(
    ("data", "size", "ext"),
    [
        pytest.param(png16, (640, 640), "jpg", id="16-bit grey PNG 6320²"),
        pytest.param(rgba_png, (640, 640), "png", id="RGBA PNG 6320²"),
        pytest.param(many_frames_gif, (640, 640), "jpg", id="GIF of 40 frames 2000²"),
        pytest.param(functools.partial(lossless_webp, side=4000), (640, 640), "jpg", id="WebP 4000²"),
    ],
)
def test_an_image_large_when_decoded_but_within_the_budget_gets_its_thumbnail(data, size, ext) -> None:
    thumbnail, kind, width, height = make_thumbnail(data())
    assert (kind, (width, height)) == (ext, size)
    with Image.open(io.BytesIO(thumbnail)) as im:
        assert im.size == size and im.mode == ("RGBA" if ext == "png" else "RGB")


def test_shrinking_by_tiles_gives_the_thumbnail_shrinking_whole_would() -> None:
    """Tiles of a multiple of the factor: the same pixels as Pillow's own thumbnail of the whole."""
    gradient = Image.linear_gradient("L").resize((2900, 1700))
    image = Image.merge("RGBA", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), gradient, gradient))
    made, _, width, height = make_thumbnail(save(image, "PNG", compress_level=1))
    whole = image.copy()
    whole.thumbnail((THUMB_PX, THUMB_PX), Image.Resampling.LANCZOS)
    with Image.open(io.BytesIO(made)) as tiled:
        assert tiled.size == whole.size == (width, height)
        worst = max(max(band) for band in _difference(tiled.convert("RGBA"), whole))
    assert worst <= 2


def _difference(a: Image.Image, b: Image.Image) -> list[tuple[int, int]]:
    from PIL import ImageChops

    return [band.getextrema() for band in ImageChops.difference(a, b).split()]


def test_thumbnailing_holds_no_second_full_size_copy_of_an_image(tmp_path: Path) -> None:
    """The peak of a process that makes one thumbnail, a generous bound: less than two copies of
    the decoded image (160 MB). Converting and premultiplying the whole image took 650 MB."""
    image = tmp_path / "rgba.png"
    image.write_bytes(rgba_png())
    # The high-water mark of this process's own memory (ru_maxrss would count what the test
    # runner held when it forked the child).
    code = (
        "import json, re, sys\n"
        "from generator.image_decoding import make_thumbnail\n"
        "made = make_thumbnail(open(sys.argv[1], 'rb').read())\n"
        "peak = re.search(r'VmHWM:\\s*(\\d+) kB', open('/proc/self/status').read()).group(1)\n"
        "print(json.dumps([made[2], made[3], int(peak)]))"
    )
    ran = subprocess.run([sys.executable, "-c", code, str(image)], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    width, height, peak_kb = json.loads(ran.stdout)
    assert (width, height) == (640, 640)
    assert peak_kb * 1024 < 2 * 6320 * 6320 * 4, f"{peak_kb / 1024:.0f} MB"


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("tiff.png", save(Image.new("RGB", (6000, 6000)), "TIFF", compression="tiff_deflate"), "not a JPEG, PNG"),
        ("truncated.jpg", jpeg(progressive=True)[:2000], "cannot be decoded"),
        ("truncated.png", png(400, 400, "RGB")[:300], "cannot be decoded"),
        ("notes.jpg", b"%PDF-1.7 not an image", "not a JPEG, PNG, WebP or GIF"),
        ("bitmap.png", b"BM" + b"\0" * 100, "not a JPEG, PNG, WebP or GIF"),
    ],
)
def test_a_broken_image_is_a_message(repo: Path, name: str, data: bytes, why: str) -> None:
    (repo / "media" / name).write_bytes(data)
    found = Thumbnailer(repo, None).thumb(f"media/{name}")
    assert isinstance(found, BadImage) and why in str(found)


def test_a_file_over_the_size_limit_is_not_read(repo: Path, monkeypatch) -> None:
    monkeypatch.setattr(media_files, "MAX_BYTES", 1000)
    (repo / "media" / "big.jpg").write_bytes(jpeg())
    assert "images are at most" in str(Thumbnailer(repo, None).thumb("media/big.jpg"))
    assert "at most" in medium_problem(repo, "media/big.jpg", "image")[0]  # type: ignore[index]


# --- paths ------------------------------------------------------------------------------------


def test_paths_never_leave_the_repository_nor_follow_links(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(jpeg())
    (repo / "media" / "link.jpg").symlink_to(outside)
    (repo / "linked").symlink_to(tmp_path, target_is_directory=True)
    (repo / "media" / "real.jpg").write_bytes(jpeg())
    assert local_file(repo, "media/real.jpg") == (repo / "media" / "real.jpg", None)
    assert local_file(repo, "./media/real.jpg")[0] == repo / "media" / "real.jpg"
    for src, why in [
        ("media/link.jpg", "symbolic link"),
        ("linked/outside.jpg", "symbolic link"),
        ("../outside.jpg", "leaves the repository"),
        ("media/../../outside.jpg", "leaves the repository"),
        ("/etc/hostname", "relative to the repository root"),
        ("media\\real.jpg", "forward slashes"),
        (".git/config", ".git"),
        ("media", "not a file"),
        ("media/none.jpg", "no such file"),
    ]:
        path, problem = local_file(repo, src)
        assert path is None and problem and why in problem, (src, problem)
        assert not isinstance(Thumbnailer(repo, None).thumb(src), Thumb)


# --- the rule (SC315) and the build -----------------------------------------------------------


def test_a_missing_or_unusable_medium_is_sc315_with_a_hint(project, write, check) -> None:
    (project.root / "media").mkdir()
    (project.root / "media" / "ok.jpg").write_bytes(jpeg())
    (project.root / "media" / "doc.pdf").write_bytes(b"%PDF")
    (project.root / "media" / "link.jpg").symlink_to(project.root / "media" / "ok.jpg")
    media_list = (
        "media:\n  - {src: media/ok.jpg, alt: fine}\n  - {src: media/missing.jpg, alt: gone}\n"
        "  - {src: media/doc.pdf, alt: a pdf}\n  - {src: media/link.jpg, alt: a link}\n"
        "  - {src: 'http://cds.cern.ch/x.jpg', alt: plain http}\n  - {src: media/clip.mp4, alt: clip, kind: video}"
    )
    write("a.md", VALID_POST + media_list)
    result = check()
    found = [d for d in result.diagnostics if d.code == "SC315"]
    assert [d.line for d in found] == [9, 10, 11, 13]  # each on its own item
    assert all(not d.is_error and d.hint for d in found)  # a post may be proposed before its picture
    assert "no such file" in found[0].message and "commit the file" in found[0].hint
    assert "not an image format" in found[1].message
    assert "symbolic link" in found[2].message and "not a link" in found[2].hint
    assert "media/clip.mp4" in found[3].message  # a video is checked too, never decoded
    assert [d.line for d in result.diagnostics if d.code == "SC108"] == [12]  # an address: not SC315's
    assert RULES["SC315"].severity == "warning"
    write("a.md", VALID_POST + media_list + "\nstatus: cancelled")
    assert "SC315" not in codes(check())  # a cancelled post goes nowhere


def test_an_image_that_cannot_be_decoded_is_sc316_on_its_page_and_in_the_build(project, write, pinned) -> None:
    (project.root / "media").mkdir()
    (project.root / "media" / "cut.jpg").write_bytes(jpeg()[:1500])
    (project.root / "media" / "ok.png").write_bytes(png())
    write("a.md", VALID_POST + "media:\n  - {src: media/cut.jpg, alt: Cut}\n  - {src: media/ok.png, alt: Fine}")
    result = CliRunner().invoke(cli, ["--root", str(project.root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "media/cut.jpg: image cannot be shown: it cannot be decoded" in result.output
    page = (project.site / "posts" / "a" / "index.html").read_text()
    assert "SC316" in page and "sc-sev-warning" in page and "image &#39;media/cut.jpg&#39; cannot be shown" in page
    (thumb,) = (project.site / "assets" / "thumbs").iterdir()
    assert f'src="../../assets/thumbs/{thumb.name}" alt="Fine"' in page
    assert (project.root / ".socialcal-cache" / "thumbs" / thumb.name).is_file()
    assert RULES["SC316"].severity == "warning"


def test_an_image_over_the_memory_budget_is_sc316_on_its_line_with_a_hint(project, write, monkeypatch) -> None:
    monkeypatch.setenv("SOCIALCAL_TODAY", "2026-11-26")
    (project.root / "media").mkdir()
    (project.root / "media" / "ok.png").write_bytes(png())
    (project.root / "media" / "huge.webp").write_bytes(lossless_webp())
    huge = "  - {src: media/huge.webp, alt: Huge}"
    post = write("a.md", VALID_POST + "media:\n  - {src: media/ok.png, alt: Fine}\n" + huge)
    line = post.read_text().splitlines().index(huge) + 1
    result = cli_build(project)
    assert result.exit_code == 0, result.output
    assert "media/huge.webp: image cannot be shown: 6320×6320 pixels of WEBP (RGB) take 609 MB" in result.output
    page = (project.site / "posts" / "a" / "index.html").read_text()
    (problem,) = [item for item in page.split("<li>") if "SC316" in item]
    assert "more than the 256 MB allowed" in problem and f"line {line}</span>" in problem
    assert "export it at most 4,096×4,096 pixels" in problem and "RGB JPEG" in problem  # the hint: how to shrink it
