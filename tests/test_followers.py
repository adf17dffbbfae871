"""Community growth (issue 24, item 5): content/followers.yml, each channel's followers at the end
of each month, validated like the other registries (SC507 at its line, exit code 2), and the
month's growth (new followers) computed from it for the Results page."""

from __future__ import annotations

import dataclasses

import pytest
from markupsafe import escape

from generator.calendar_model import Calendar
from generator.errors import ConfigError
from generator.kpis import growth
from generator.project import PACKAGE_TEMPLATES, Project
from generator.registry import load_registry
from generator.views.pages import SiteData, results

from .conftest import run_main

FOLLOWERS = "twitter-cern:\n  2026-01: 1000\n  2026-02: 1200\n"


def refusal(project: Project, text: str) -> str:
    (project.content / "followers.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_registry(project.content)
    return str(caught.value)


def test_the_example_registry_is_read(project: Project) -> None:
    followers = load_registry(project.content).followers
    assert set(followers) == {"twitter-cern", "instagram-cern", "linkedin-cern"}
    assert followers["linkedin-cern"]["2026-05"] == 931800 and "2026-04" not in followers["linkedin-cern"]


def test_without_the_file_there_are_no_followers(project: Project) -> None:
    (project.content / "followers.yml").unlink()
    assert load_registry(project.content).followers == {}
    (project.content / "followers.yml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_registry(project.content).followers == {}


# (the file, its line told, what the diagnostic says, what its hint says)
BAD = [
    ("twiter-cern:\n  2026-01: 1000\n", 1, "unknown channel 'twiter-cern' (did you mean 'twitter-cern'?)", "write"),
    ("gone:\n  2026-01: 1000\n", 1, "unknown channel 'gone'", "the channels are in content/channels.yml"),
    (FOLLOWERS + "  2026-1: 1300\n", 4, "twitter-cern: '2026-1' is not a month written YYYY-MM", "e.g. 2026-01"),
    (FOLLOWERS + "  2026-13: 1300\n", 4, "'2026-13' is not a month", "e.g. 2026-01"),
    (FOLLOWERS + "  2026-03-01: 1300\n", 4, "'2026-03-01' is not a month", "e.g. 2026-01"),
    (FOLLOWERS + "  202603: 1300\n", 4, "202603 is not a month written YYYY-MM", "e.g. 2026-01"),
    (FOLLOWERS + "  1850-03: 1300\n", 4, "twitter-cern: 1850-03 is outside the years 2000 to 2100", "years.first"),
    (FOLLOWERS + "  2026-03: -5\n", 4, "twitter-cern: 2026-03: -5 is not a number of followers", "a whole number"),
    (FOLLOWERS + "  2026-03: 1,300\n", 4, "'1,300' is not a number of followers", "without separators"),
    (FOLLOWERS + "  2026-03: 1300.5\n", 4, "1300.5 is not a number of followers", "a whole number"),
    (FOLLOWERS + "  2026-03: true\n", 4, "True is not a number of followers", "a whole number"),
    (FOLLOWERS + "  2026-03: 99999999999999999999\n", 4, "is not a number of followers", "10,000,000,000"),
    (FOLLOWERS + "  2026-03: [1300]\n", 4, "[1300] is not a number of followers", "a whole number"),
    ("twitter-cern: 1000\n", 1, "twitter-cern: should be a mapping of `YYYY-MM: followers` lines", "e.g."),
    ("- twitter-cern\n", 1, "should be a mapping of channel ids", "write `channel-id:` lines"),
]


@pytest.mark.parametrize(("text", "line", "message", "hint"), BAD, ids=[b[2][:40] for b in BAD])
def test_a_bad_followers_file_is_refused_at_its_line(project: Project, text: str, line: int, message: str, hint: str):
    told = refusal(project, text)
    assert f"content/followers.yml:{line}: error SC507 " in told, told
    assert message in told and hint in told.split("\n    hint: ", 1)[1], told


def test_a_month_written_twice_is_refused(project: Project) -> None:
    told = refusal(project, FOLLOWERS + "  2026-01: 1300\n")
    assert "content/followers.yml:4: error SC011 the key '2026-01' is written twice" in told, told


@pytest.mark.parametrize(
    "key",
    [
        '"<script>alert(1)</script>"',
        '"\\e]0;pwned\\a"',  # a terminal title
        '"twitter-cern\\n2026-01"',  # a line break inside the id
        '"' + "x" * 5000 + '"',
    ],
)
def test_hostile_channel_ids_are_told_on_one_bounded_line(project: Project, key: str) -> None:
    (project.content / "followers.yml").write_text(f"{key}:\n  2026-01: 1000\n", encoding="utf-8")
    status, output = run_main("--root", str(project.root), "validate")
    assert status == 2, output
    first = output.splitlines()[0]
    assert "content/followers.yml:1: error " in first and len(first) < 400, output
    assert "\x1b" not in output and "\x07" not in output and output.count("\n") <= 3, output


# The growth of a month: its followers minus the previous month's.

JAN, FEB, MAR, APR = (2026, 1), (2026, 2), (2026, 3), (2026, 4)


def test_growth_is_the_change_from_the_month_before() -> None:
    rows = growth({"2026-01": 1000, "2026-02": 1250, "2026-03": 1100}, [JAN, FEB, MAR])
    assert [(r.month, r.followers, r.new) for r in rows] == [(JAN, 1000, None), (FEB, 1250, 250), (MAR, 1100, -150)]


def test_a_missing_month_leaves_its_growth_and_the_next_ones_unknown() -> None:
    rows = growth({"2026-01": 1000, "2026-03": 1300, "2026-04": 1350}, [JAN, FEB, MAR, APR])
    assert [(r.followers, r.new) for r in rows] == [(1000, None), (None, None), (1300, None), (1350, 50)]


def test_only_the_listed_months_are_rows_and_an_empty_channel_is_all_gaps() -> None:
    assert [r.new for r in growth({"2025-12": 900, "2026-01": 1000}, [JAN])] == [100]  # December counts, unshown
    assert [(r.followers, r.new) for r in growth({}, [JAN, FEB])] == [(None, None), (None, None)]


# On the Results page: a small chart per channel and the table behind them.

HOSTILE = ['<img src=x onerror="window.pwned=1">', "</svg><script>alert(1)</script>", '{{ 7*7 }} & "quotes"']


def with_followers(cal: Calendar, followers: dict[str, dict[str, int]], **names: str) -> Calendar:
    registry = cal.registry
    channels = {
        cid: ch.model_copy(update={"name": names[cid]}) if cid in names else ch for cid, ch in registry.channels.items()
    }
    return dataclasses.replace(cal, registry=registry.model_copy(update={"followers": followers, "channels": channels}))


def test_the_results_page_charts_each_channels_growth_over_the_months_recorded(example_calendar: Calendar) -> None:
    ctx = results.community(SiteData(example_calendar), ["twitter-cern", "facebook-cern", "linkedin-cern"])
    assert ctx is not None
    assert ctx["channels"] == ["CERN on X/Twitter", "CERN on LinkedIn"]  # Facebook has no count: left out
    months = [month for month, _ in ctx["rows"]]  # type: ignore[attr-defined]
    assert months[0] == "Jan 2026" and months[-1] == "Nov 2026" and len(months) == 11
    april = dict(ctx["rows"])["Apr 2026"]  # type: ignore[arg-type]
    assert april[1].followers is None and dict(ctx["rows"])["May 2026"][1].new is None  # type: ignore[index]
    july = dict(ctx["rows"])["Jul 2026"][0]  # type: ignore[index]
    assert july.new == 2831600 - 2837400 < 0
    chart = str(ctx["chart"])
    assert chart.count("<svg") == 2 and chart.count('class="sc-bar-loss"') == 1  # X's July
    assert "2,856,900 followers at the end of Nov 2026" in chart


def test_without_counts_there_is_no_growth_chart(example_calendar: Calendar) -> None:
    assert results.community(SiteData(with_followers(example_calendar, {})), ["twitter-cern"]) is None


@pytest.mark.parametrize("name", HOSTILE)
def test_channel_names_are_text_in_the_chart_and_the_table(example_calendar: Calendar, name: str) -> None:
    from generator import urls
    from generator.views.pages import Renderer


    cal = with_followers(example_calendar, {"twitter-cern": {"2026-01": 10, "2026-02": 5}}, **{"twitter-cern": name})
    site = SiteData(cal)
    html = Renderer([PACKAGE_TEMPLATES]).render("results.md.j2", urls.RESULTS, cal, **results.results(site))
    section = html[html.index('id="community"') : html.index('id="campaigns"')]
    assert name not in section and str(escape(name)) in section
    assert "<script>" not in section and "onerror=" not in section.replace("onerror=&#34;", "")
