"""Pictures pasted into the "Propose a post" issue form (attachments.py): fetched only from GitHub's
attachment address and its one redirect to GitHub's image host, as hostile as any image, and
written into media/ for the post. Offline: the fetcher is a stand-in."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from generator.attachments import AttachmentError, Reply, download, is_attachment, signed_host
from generator.issue_form import parse_issue
from generator.media_files import MAX_BYTES

from . import prs
from .conftest import codes, invoke

ASSET = "https://github.com/user-attachments/assets/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
SIGNED = "https://private-user-images.githubusercontent.com/1234/0f1e2d3c.png?jwt=eyJ0eXAi"


class Fetcher:
    """GitHub as the tests need it: the attachment redirects to `location`, which serves `body`."""

    def __init__(self, body: bytes = b"", location: str = SIGNED, status: int = 302) -> None:
        self.body, self.location, self.status = body, location, status
        self.asked: list[str] = []

    def __call__(self, url: str, limit: int) -> Reply:
        self.asked.append(url)
        if url == ASSET:
            return Reply(self.status, self.location if self.status != 200 else "", self.body[: limit + 1])
        if url == self.location:
            return Reply(200, "", self.body[: limit + 1])
        return Reply(404)


def jpeg_with_gps() -> bytes:
    from PIL import Image

    im = Image.new("RGB", (300, 200), (10, 120, 40))
    exif = Image.Exif()
    exif[0x8825] = {2: (46.0, 14.0, 0.0), 1: "N"}  # GPSInfo: where the photo was taken
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_pasted_picture_is_fetched_through_its_one_redirect_and_reencoded_without_metadata() -> None:
    from PIL import Image

    fetch = Fetcher(jpeg_with_gps())
    data, ext = download(ASSET, fetch)
    assert fetch.asked == [ASSET, SIGNED] and ext == "jpg"
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (300, 200) and not im.getexif()


def test_a_picture_served_directly_is_taken_too() -> None:
    assert download(ASSET, Fetcher(prs.png(), status=200))[1] == "jpg"


@pytest.mark.parametrize(
    "location",
    [
        "https://evil.example/x.png",
        "https://githubusercontent.com.evil.example/x.png",
        "https://evilgithubusercontent.com/x.png",
        "http://private-user-images.githubusercontent.com/x.png",
        "https://user:pw@private-user-images.githubusercontent.com/x.png",
        "https://private-user-images.githubusercontent.com:8443/x.png",
        "https://evil.example\\@private-user-images.githubusercontent.com/x.png",
        "file:///etc/passwd",
        "//private-user-images.githubusercontent.com/x.png",
        "",
    ],
)
def test_a_redirect_anywhere_else_is_refused_before_it_is_followed(location: str) -> None:
    fetch = Fetcher(prs.png(), location=location)
    with pytest.raises(AttachmentError, match="not to GitHub's image host"):
        download(ASSET, fetch)
    assert fetch.asked == [ASSET]


def test_a_second_redirect_is_refused() -> None:
    def fetch(url: str, limit: int) -> Reply:
        return Reply(302, SIGNED)

    with pytest.raises(AttachmentError, match="more than once"):
        download(ASSET, fetch)


@pytest.mark.parametrize(
    "url",
    [
        "https://cds.cern.ch/images/x.jpg",
        "http://github.com/user-attachments/assets/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        "https://github.com/user-attachments/assets/../../evil/x",
        ASSET + "/../x",
        ASSET.replace("github.com", "github.com.evil.example"),
        "https://github.com/user-attachments/files/123/report.pdf",
    ],
)
def test_only_a_form_attachment_is_fetched_at_all(url: str) -> None:
    fetch = Fetcher(prs.png())
    with pytest.raises(AttachmentError, match="not an image pasted"):
        download(url, fetch)
    assert fetch.asked == [] and not is_attachment(url)


def test_signed_hosts() -> None:
    assert signed_host(SIGNED) and signed_host("https://user-images.githubusercontent.com/1/x.png")
    assert not signed_host("https://githubusercontent.com/x")  # only its sub-domains serve images


def huge_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 million pixels in a few kilobytes
    return out.getvalue()


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"<!doctype html><title>Sign in</title>", "not a JPEG, PNG, WebP or GIF"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "not a JPEG, PNG, WebP or GIF"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "cannot be decoded|not a JPEG"),
        (b"\0" * (MAX_BYTES + 1), "larger than 20 MB"),
    ],
)
def test_what_is_not_an_image_within_the_limits_is_refused(body: bytes, said: str) -> None:
    with pytest.raises(AttachmentError, match=said):
        download(ASSET, Fetcher(body))


def test_a_decompression_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(AttachmentError, match="pixels"):
        download(ASSET, Fetcher(huge_png()))
    assert time.perf_counter() - started < 5  # refused from the header, not decoded (about 0.01 s)


@pytest.mark.parametrize("status", [403, 404, 500])
def test_an_answer_other_than_the_image_is_said(status: int) -> None:
    with pytest.raises(AttachmentError, match=f"answered {status}"):
        download(ASSET, Fetcher(prs.png(), status=status))


# --- the issue form -------------------------------------------------------------------------------------

FORM = """### Title

Open days

### Date and time

2027-03-05 16:00

### Channels

twitter-cern

### Link

https://home.cern/news/open-days

### Text of the post

Come and visit!

### Images

{images}

### Alt text of the images

{alts}
"""


def test_pasted_pictures_take_the_alt_texts_in_order() -> None:
    images = f'![image]({ASSET})\n<img width="1024" alt="Image" src="{ASSET[:-1]}c" />\nmedia/x.jpg | Written by hand'
    media = parse_issue(FORM.format(images=images, alts="The ATLAS cavern\nA magnet")).meta["media"]
    assert media == [
        {"src": ASSET, "alt": "The ATLAS cavern"},
        {"src": ASSET[:-1] + "c", "alt": "A magnet"},
        {"src": "media/x.jpg", "alt": "Written by hand"},
    ]


def test_a_picture_without_its_alt_text_has_none() -> None:
    (medium,) = parse_issue(FORM.format(images=f"![image]({ASSET})", alts="_No response_")).meta["media"]
    assert medium == {"src": ASSET, "alt": ""}


@pytest.fixture
def issue(project, tmp_path: Path) -> Path:
    path = tmp_path / "issue.md"
    path.write_text(FORM.format(images=f"![image]({ASSET})", alts="Visitors in the ATLAS cavern"), encoding="utf-8")
    return path


def test_the_workflows_command_downloads_the_picture_into_media_and_names_it(
    project, issue: Path, monkeypatch, check
) -> None:
    from generator import attachments

    monkeypatch.setattr(attachments, "http_fetch", Fetcher(prs.png()))
    result = invoke(project, "new", "post", "--from-issue", str(issue), "--fetch-images")
    assert result.exit_code == 0, result.output
    picture = project.root / "media" / "issues" / "2027-03-05-open-days" / "1.jpg"
    assert picture.read_bytes()[:3] == b"\xff\xd8\xff"
    post = (project.content / "posts" / "2027" / "03" / "2027-03-05-open-days.md").read_text(encoding="utf-8")
    assert "src: media/issues/2027-03-05-open-days/1.jpg" in post and "alt: Visitors in the ATLAS cavern" in post
    assert ASSET not in post
    assert codes(check()) == []


def test_a_picture_that_cannot_be_downloaded_is_said_and_refused_by_validation(
    project, issue: Path, monkeypatch, check
) -> None:
    from generator import attachments

    monkeypatch.setattr(attachments, "http_fetch", Fetcher(prs.png(), location="https://evil.example/x.png"))
    result = invoke(project, "new", "post", "--from-issue", str(issue), "--fetch-images")
    assert "image 1" in result.output and "was not downloaded" in result.output
    assert not (project.root / "media").exists()
    (sc308,) = [d for d in check().diagnostics if d.code == "SC308"]
    assert "media/" in sc308.hint and "partnership" not in sc308.hint  # SC308 on media speaks of media


def test_without_the_flag_nothing_is_fetched(project, issue: Path, monkeypatch) -> None:
    from generator import attachments

    fetch = Fetcher(prs.png())
    monkeypatch.setattr(attachments, "http_fetch", fetch)
    invoke(project, "new", "post", "--from-issue", str(issue))
    assert fetch.asked == []
