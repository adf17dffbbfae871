"""Media are hostile input: thumbnails from real images, and every way an image or a path can be
bad (a decompression bomb, a truncated file, a symbolic link, a missing file, a path out of the
repository) ending as a message, never a traceback."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from generator import media
from generator.cli import cli
from generator.media import BadImage, Thumb, Thumbnailer, local_file, make_thumbnail, medium_problem
from generator.rules import RULES

from .conftest import VALID_POST, codes


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
    monkeypatch.setattr(media, "make_thumbnail", lambda data: pytest.fail("made again"))
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


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
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
    monkeypatch.setattr(media, "MAX_BYTES", 1000)
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
