"""Planned versus published: posts whose slot passed unpublished ("missed") and published posts
without results, in the calendar, the report, the Results page and the home page."""

from __future__ import annotations

import csv
import io
import json

import pytest

from generator import urls
from generator.calendar_model import Calendar
from generator.project import PACKAGE_TEMPLATES, Project
from generator.validate import validate
from generator.views.kpi_report import report
from generator.views.pages import Renderer, SiteData, home, results

from .conftest import TODAY

RESULTS = "results:\n  twitter-cern: {impressions: 1000, likes: 10}\n"
POSTS = {
    # id: (date, status, channels, extra front-matter)
    "approved-late": ("2026-11-20 10:00", "approved", "twitter-cern", ""),
    "scheduled-late": ("2026-11-25 18:00", "scheduled", "facebook-cern", ""),
    "proposed-late": ("2026-11-10 10:00", "proposed", "twitter-cern", ""),
    "cancelled-late": ("2026-11-10 11:00", "cancelled", "twitter-cern", ""),
    "today": ("2026-11-26 09:00", "approved", "twitter-cern", ""),
    "ahead": ("2026-12-02 10:00", "approved", "twitter-cern", ""),
    "out-no-results": ("2026-11-12 10:00", "published", "twitter-cern", ""),
    "out-half": ("2026-11-13 10:00", "published", "[twitter-cern, facebook-cern]", RESULTS),
    "out-measured": ("2026-11-14 10:00", "published", "twitter-cern", RESULTS),
}


@pytest.fixture
def cal(project: Project) -> Calendar:
    for pid, (date, status, channels, extra) in POSTS.items():
        front = (
            f"title: <script>alert('{pid}')</script> {pid}\ndate: {date}\nchannel: {channels}\nstatus: {status}\n"
            f"link: https://home.cern/news\n{extra}"
        )
        (project.content / "posts" / f"{pid}.md").write_text(f"---\n{front}---\n\nText of {pid}.\n", encoding="utf-8")
    registry = project.registry()
    result = validate(project.root, registry)
    assert len(result.posts) == len(POSTS), [d.to_text() for d in result.errors]
    return Calendar(registry, result.posts, result.campaigns, TODAY, diagnostics=result.diagnostics)


def test_missed_posts_are_those_whose_slot_passed_unpublished_and_not_cancelled(cal: Calendar) -> None:
    assert [p.id for p in cal.missed] == ["scheduled-late", "approved-late", "proposed-late"]  # latest first


def test_published_posts_without_results_name_the_channels_they_lack(cal: Calendar) -> None:
    assert [p.id for p in cal.unmeasured] == ["out-half", "out-no-results"]
    assert cal.unmeasured_channels(cal.post_by_id["out-half"]) == ("facebook-cern",)
    assert cal.unmeasured_channels(cal.post_by_id["out-measured"]) == ()
    assert cal.unmeasured_channels(cal.post_by_id["approved-late"]) == ()  # not published: missed instead


def test_the_report_lists_both_in_every_format_within_its_period(cal: Calendar) -> None:
    data = json.loads(report(cal, None, None, "json"))
    assert [m["id"] for m in data["missed"]] == ["scheduled-late", "approved-late", "proposed-late"]
    assert data["unmeasured"][0] == {
        "id": "out-half",
        "date": "2026-11-13T10:00:00+01:00",
        "title": "<script>alert('out-half')</script> out-half",
        "without_results": ["facebook-cern"],
    }
    period = json.loads(report(cal, TODAY.replace(day=15), None, "json"))
    assert [m["id"] for m in period["missed"]] == ["scheduled-late", "approved-late"] and period["unmeasured"] == []
    text = " ".join(report(cal, None, None, "text").split())  # lines wrapped at 100 columns, read as one
    assert "Missed (slot passed, not published): 3" in text and "(approved-late, approved)" in text
    assert "Published without results: 2" in text and "out-half: no results on facebook-cern" in text
    rows = list(csv.DictReader(io.StringIO(report(cal, None, None, "csv"))))
    assert [r["group"] for r in rows].count("missed") == 3 and [r["group"] for r in rows].count("unmeasured") == 2
    assert all(not r["name"].startswith(("=", "+", "-", "@")) for r in rows)


def test_the_results_page_and_the_home_page_list_them_with_links(cal: Calendar) -> None:
    site = SiteData(cal, "https://example.org/cal/")
    renderer = Renderer([PACKAGE_TEMPLATES])
    page = renderer.render("results.md.j2", urls.RESULTS, cal, **results.results(site))
    assert 'id="planned-vs-published"' in page
    assert "Missed: 3 posts" in page and "Published without results: 2 posts" in page
    for pid in ("approved-late", "scheduled-late", "proposed-late", "out-half", "out-no-results"):
        assert f'href="../posts/{pid}/"' in page
    for pid in ("cancelled-late", "today", "ahead", "out-measured"):
        assert f"posts/{pid}/" not in page
    assert "<script>alert(" not in page and "&lt;script&gt;" in page
    front = renderer.render("home.md.j2", urls.HOME, cal, **home.home(site))
    assert "3 posts missed their slot; 2 published posts without results." in front
    assert 'href="results/#planned-vs-published"' in front and 'href="posts/approved-late/"' in front
