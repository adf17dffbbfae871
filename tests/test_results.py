"""Results and KPIs: importing the platforms' exports, computing the strategy's KPIs, reporting."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator import kpis
from generator.models import MAX_COUNT, ChannelResults
from generator.validate import validate

from .conftest import VALID_POST, invoke, run_main

FIXTURES = Path(__file__).parent / "fixtures" / "analytics"
POST = VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern]") + "status: published"
PHOTO = (
    VALID_POST.replace("10:00", "12:05")
    .replace("channel: twitter-cern", "channel: instagram-cern")
    .replace("title: LHC restarts", "title: Photo")
    + "status: published\nseries: photo-of-the-week\n"
    "media:\n  - src: a.jpg\n    alt: A photo\n# a comment the import must keep\n"
)


@pytest.fixture
def posts(project, write):
    (project.root / "a.jpg").write_bytes(b"\xff\xd8\xff")  # the photo's medium is committed (SC315)
    return write("lhc.md", POST, "The LHC restarts!"), write("photo.md", PHOTO, "A photo.")


def test_twitter_export_fills_results_and_lists_unmatched_rows(project, posts) -> None:
    lhc, _ = posts
    before = lhc.read_text()
    result = invoke(project, "results", "import", str(FIXTURES / "twitter.csv"), "--channel", "twitter-cern")
    assert result.exit_code == 0, result.output
    assert "1 row(s) matched 1 post(s); updated 1 file(s)." in result.output
    # In the calendar's zone (the export's 18:00 UTC), with the nearest post and how far it is.
    assert (
        "twitter.csv:3: no post on twitter-cern within 30 minutes of 2027-03-03 19:00 (Europe/Zurich) or with url "
        "https://twitter.com/CERN/status/1880000000000000002; the nearest is lhc at 2027-03-02 10:00, 1 day 9 h before"
    ) in result.output
    assert "twitter.csv:4: unreadable row" in result.output  # the formula cell is refused, not imported
    after = lhc.read_text()
    assert after.startswith(before.split("---\n\n")[0])  # the front-matter before is untouched
    assert after.endswith("---\n\nThe LHC restarts!\n")
    (post,) = [p for p in validate(project.root, project.registry()).posts if p.id == "lhc"]
    r = post.results["twitter-cern"]
    assert (r.impressions, r.likes, r.shares, r.replies, r.link_clicks) == (12400, 410, 85, 12, 73)
    assert r.url == "https://twitter.com/CERN/status/1880000000000000001"


def test_reimporting_the_same_export_changes_nothing(project, posts) -> None:
    invoke(project, "results", "import", str(FIXTURES / "twitter.csv"), "--channel", "twitter-cern")
    once = {p: p.read_bytes() for p in posts}
    result = invoke(project, "results", "import", str(FIXTURES / "twitter.csv"), "--channel", "twitter-cern")
    assert "updated 0 file(s)" in result.output
    assert {p: p.read_bytes() for p in posts} == once


def test_import_changes_only_the_results_block(project, posts) -> None:
    lhc, photo = posts
    crlf = lhc.read_text().replace("\n", "\r\n")
    lhc.write_bytes(crlf.encode())
    invoke(project, "results", "import", str(FIXTURES / "facebook.csv"), "--channel", "facebook-cern")
    invoke(project, "results", "import", str(FIXTURES / "instagram.csv"), "--channel", "instagram-cern")
    new = lhc.read_bytes().decode()
    assert new.replace("\r\n", "\n").count("results:") == 1 and "\n" not in new.replace("\r\n", "")
    without = new.split("results:")[0] + "---" + new.split("---", 2)[2]
    assert without == crlf
    photo_text = photo.read_text()
    assert "# a comment the import must keep\nresults:\n  instagram-cern:\n" in photo_text
    assert "    saves: 210\n" in photo_text


def test_facebook_and_instagram_layouts(project, posts) -> None:
    for name, channel in (("facebook", "facebook-cern"), ("instagram", "instagram-cern")):
        result = invoke(project, "results", "import", str(FIXTURES / f"{name}.csv"), "--channel", channel)
        assert "matched 1 post(s)" in result.output, result.output
    by_id = {p.id: p for p in validate(project.root, project.registry()).posts}
    fb = by_id["lhc"].results["facebook-cern"]
    assert (fb.impressions, fb.reach, fb.likes, fb.comments, fb.shares, fb.link_clicks) == (
        8000,
        6100,
        300,
        30,
        20,
        140,
    )
    ig = by_id["photo"].results["instagram-cern"]
    assert (ig.impressions, ig.likes, ig.saves, ig.comments) == (15000, 1900, 210, 64)


def test_a_wrong_export_is_refused_whole(project, posts) -> None:
    result = invoke(project, "results", "import", str(FIXTURES / "facebook.csv"), "--channel", "twitter-cern")
    assert result.exit_code == 1 and "has no column 'time'" in result.output
    assert "results:" not in posts[0].read_text()


def test_engagement_rate_and_no_division_by_zero() -> None:
    t = kpis.totals(
        [ChannelResults(impressions=1000, likes=30, comments=5, shares=10, saves=4, replies=1, link_clicks=20)]
    )
    assert t.interactions == 50 and t.engagement_rate == pytest.approx(5.0)
    assert t.click_through == pytest.approx(2.0)
    empty = kpis.totals([ChannelResults(likes=3)])
    assert empty.engagement_rate is None and empty.click_through is None and empty.positive_sentiment is None


def test_campaign_meets_one_target_and_misses_another(project, write) -> None:
    write(
        "od.md",
        "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20\nkpis: {impressions: 10000, engagement_rate: 10}",
        "Plan",
        kind="campaigns",
    )
    write("a.md", POST + "\ncampaign: od\nresults:\n  twitter-cern: {impressions: 12000, likes: 240, shares: 60}")
    result = validate(project.root, project.registry())
    (campaign,) = result.campaigns
    checks = {c.kpi: c for c in kpis.check_targets(campaign, kpis.by_campaign(result.posts)["od"])}
    assert checks["impressions"].met is True and checks["engagement_rate"].met is False
    assert checks["engagement_rate"].actual == pytest.approx(2.5)
    text = invoke(project, "report").output
    assert "\n  Open Days\n    impressions: 12,000 against a target of 10,000: met (120 % of it)\n" in text
    assert "\n    engagement rate: 2.50 % against a target of 10.00 %: missed\n" in text


def test_report_formats_and_csv_formula_guard(project, write) -> None:
    write(
        "a.md",
        POST.replace("LHC restarts", "'=cmd|calc!A1'") + "\nresults:\n  twitter-cern: {impressions: 100, likes: 5}",
    )
    write("c.md", "title: '@SUM(1+1)'\nstart: 2027-03-01\nend: 2027-03-20", "Plan", kind="campaigns")
    data = json.loads(
        invoke(project, "report", "--format", "json", "--from", "2027-03-01", "--to", "2027-03-31").output
    )
    assert data["rows"][0]["engagement_rate"] == 5.0
    out = invoke(project, "report", "--format", "csv").output
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert invoke(project, "report", "--from", "March").exit_code == 2


@pytest.mark.parametrize("data", [b"\x00\x01binary\x00", "caf\xe9".encode("latin-1"), b"", b"time\n" + b"x" * 200_000])
def test_unreadable_exports_are_refused_with_a_reason(project, posts, tmp_path, data: bytes) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(data)
    result = invoke(project, "results", "import", str(export), "--channel", "twitter-cern")
    assert result.exit_code == 1 and "error:" in result.output


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(0, "0 min"), (25, "25 min"), (60, "1 h"), (190, "3 h 10 min"), (-190, "3 h 10 min"), (1440, "1 day"),
     (2 * 1440 + 240 + 7, "2 days 4 h")],
)  # fmt: skip
def test_how_far_reads_as_a_person_says_it(minutes: int, said: str) -> None:
    import datetime as dt

    from generator.results_import import how_far

    assert how_far(dt.timedelta(minutes=minutes)) == said


def test_an_unmatched_row_names_the_nearest_post_on_either_side_or_says_there_is_none(project, write, tmp_path):
    write("a.md", POST.replace("2027-03-02 10:00", "2027-03-02 10:00"), "A")
    write("b.md", POST.replace("2027-03-02 10:00", "2027-03-05 16:00"), "B")
    export = tmp_path / "x.csv"
    header = (FIXTURES / "twitter.csv").read_text().splitlines()[0]
    columns = header.split(",")

    def row(when: str) -> str:
        return ",".join(when if c == "time" else "1" if c != "Tweet permalink" else "" for c in columns)

    assert "time" in columns, columns
    export.write_text("\n".join([header, row("2027-03-02 12:00 +0000"), row("2027-03-05 13:00 +0000")]) + "\n")
    out = invoke(project, "results", "import", str(export), "--channel", "twitter-cern", "--dry-run").output
    assert "of 2027-03-02 13:00 (Europe/Zurich); the nearest is a at 2027-03-02 10:00, 3 h before" in out
    assert "of 2027-03-05 14:00 (Europe/Zurich); the nearest is b at 2027-03-05 16:00, 2 h after" in out
    none = invoke(project, "results", "import", str(export), "--channel", "twitter-cern-fr", "--dry-run")
    assert "twitter-cern-fr has no post to match" in none.output


LONG = "A very long title " * 8


def test_the_text_report_fits_100_columns_with_thousands_separators_and_targets_in_words(project, write) -> None:
    write(
        "od.md",
        f"title: {LONG}\nstart: 2027-03-01\nend: 2027-03-20\nkpis: {{impressions: 10000000, link_clicks: 5, reach: x}}",
        "Plan",
        kind="campaigns",
    )
    write("a.md", POST.replace("LHC restarts", LONG) + "\ncampaign: od\nresults:\n"
          "  twitter-cern: {impressions: 12345678, likes: 24000, shares: 6000, link_clicks: 1234}")  # fmt: skip
    text = invoke(project, "report").output
    assert max(len(line) for line in text.splitlines()) <= 100, text
    assert "12,345,678" in text and "30,000" in text
    assert "impressions: 12,345,678 against a target of 10,000,000: met (123 % of it)" in text
    assert "link clicks: 1,234 against a target of 5: met" in text
    assert "reach: the target is not a number" in text
    assert "A very long title A very" in text and "…" in text, "long names are cut, not wrapped"
    # Every active channel without results is named, once.
    assert "No results yet: CERN_FR on X/Twitter, CERNpress on X/Twitter, CERN on Facebook" in " ".join(text.split())
    assert "Google+" not in text, "retired channels are not expected to have results"


def test_csv_and_json_rows_carry_the_posts_id_and_path(project, write) -> None:
    write("2027/lhc.md", POST + "\nresults:\n  twitter-cern: {impressions: 100, likes: 5}")
    data = json.loads(invoke(project, "report", "--format", "json").output)
    (row,) = [r for r in data["rows"] if r["group"] == "post"]
    assert (row["post_id"], row["path"]) == ("lhc", "content/posts/2027/lhc.md")
    assert all(r["post_id"] is None for r in data["rows"] if r["group"] != "post")
    rows = list(csv.DictReader(io.StringIO(invoke(project, "report", "--format", "csv").output)))
    assert [(r["post_id"], r["path"]) for r in rows if r["group"] == "post"] == [("lhc", "content/posts/2027/lhc.md")]


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1", "\uff1d1+1", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("payload", FORMULAS)
def test_no_cell_can_start_a_formula(payload: str) -> None:
    from generator.views.kpi_report import safe_cell

    assert safe_cell(payload) == "'" + payload
    assert safe_cell(f"x{payload}") == f"x{payload}", "only the start of a cell counts"
    assert safe_cell(-5) == -5 and safe_cell(2.5) == 2.5, "numbers are numbers"


def test_formulas_in_titles_campaigns_and_kpi_names_reach_the_csv_as_text(project, write) -> None:
    for i, payload in enumerate(FORMULAS):
        title = json.dumps(payload)  # YAML reads JSON strings
        front = POST.replace("title: LHC restarts", f"title: {title}").replace("10:00", f"1{i % 10}:0{i // 10}")
        write(f"p{i}.md", front + f"\ncampaign: c{i}\nresults:\n  twitter-cern: {{impressions: 100, likes: 5}}")
        write(f"c{i}.md", f"title: {title}\nstart: 2027-03-01\nend: 2027-03-20\nkpis: {{{title}: 5}}", "Plan",
              kind="campaigns")  # fmt: skip
    # Titles with a control character are refused (SC010) and left out; the others reach the CSV.
    out = invoke(project, "report", "--format", "csv").output
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    starts = tuple(p.lstrip(" ")[0] for p in FORMULAS)
    assert not [c for c in cells if c.lstrip(" ").startswith(starts)], cells
    assert "'=1+1" in cells and "'@SUM(A1)" in cells


# More digits than a float holds: validation passed them, then the report and the build stopped on
# them as a bug in socialcal (exit 70) when they made a rate or a chart of them.
HUGE = "9" * 400


COUNTS = [
    f"impressions: {HUGE}",
    f"likes: {MAX_COUNT + 1}",
    "likes: yes",
    "shares: '90'",
    f"sentiment: {{positive: {HUGE}}}",
]


@pytest.mark.parametrize("numbers", COUNTS)
def test_a_count_in_results_is_a_whole_number_of_at_most_a_trillion(project, write, numbers: str) -> None:
    write("a.md", POST + f"\nresults:\n  twitter-cern: {{{numbers}}}")
    result = validate(project.root, project.registry())
    assert [d.code for d in result.errors] == ["SC103"], [d.to_text() for d in result.errors]
    code, out = run_main("--root", str(project.root), "report")  # the refused post is left out of it
    assert code == 0 and "internal error" not in out, out


@pytest.mark.parametrize("target", [HUGE, ".nan", ".inf", "-.inf", "-5", str(MAX_COUNT + 1)])
def test_a_kpi_target_is_a_finite_number_or_a_word(project, write, target: str) -> None:
    write("od.md", f"title: Open Days\nstart: 2027-03-01\nend: 2027-03-20\nkpis: {{impressions: {target}}}", "Plan",
          kind="campaigns")  # fmt: skip
    (error,) = validate(project.root, project.registry()).errors
    assert error.code == "SC103" and "the target of impressions must be a number from 0" in error.message


def test_the_largest_count_and_target_reach_the_report(project, write) -> None:
    campaign = f"title: Open Days\nstart: 2027-03-01\nend: 2027-03-20\nkpis: {{impressions: {MAX_COUNT}, tone: warm}}"
    write("od.md", campaign, "Plan", kind="campaigns")
    write("a.md", POST + f"\ncampaign: od\nresults:\n  twitter-cern: {{impressions: {MAX_COUNT}, likes: {MAX_COUNT}}}")
    result = invoke(project, "report")
    assert result.exit_code == 0, result.output
    assert "impressions: 1,000,000,000,000 against a target of 1,000,000,000,000: met" in result.output


@pytest.mark.parametrize(
    ("time", "impressions", "why"),
    [
        ("2027-03-02 09:01 +0000", HUGE, "is more than 1,000,000,000,000"),
        ("2027-03-02 09:01 +0000", "12345678901234567891", "is more than 1,000,000,000,000"),
        ("0001-01-01 00:00 +0100", "5", "'0001-01-01 00:00 +0100' is outside the calendar's years 2000 to 2100"),
        ("9999-12-31 23:59 -0100", "5", "'9999-12-31 23:59 -0100' is outside the calendar's years 2000 to 2100"),
        ("1999-12-31 23:00 +0000", "5", "is outside the calendar's years 2000 to 2100"),
    ],
)
def test_a_row_out_of_range_is_an_unreadable_row_not_a_crash(project, posts, tmp_path, time, impressions, why) -> None:
    """A count of 400 digits overflowed a float, a time in the year 1 or 9999 overflowed once in UTC (exit 70)."""
    export = tmp_path / "x.csv"
    header = "time,Tweet permalink,impressions,likes,replies,retweets,url clicks,media views"
    export.write_text(f"{header}\n{time},,{impressions},1,1,1,1,1\n", encoding="utf-8")
    result = invoke(project, "results", "import", str(export), "--channel", "twitter-cern")
    assert result.exit_code == 0 and "0 row(s) matched" in result.output, result.output
    said = result.output.split("x.csv:2: unreadable row: ")[1].splitlines()[0]
    assert why in said, said
    assert "results:" not in posts[0].read_text()
