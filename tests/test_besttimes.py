"""Best times from the team's own results (issue 24, item 4): each channel's engagement rate by
weekday and hour of the calendar's zone, thin cells held back, and the best hour suggested."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from generator.besttimes import calendar_heatmaps, heatmaps, suggest
from generator.calendar_model import Calendar
from generator.kpis import totals
from generator.models import ChannelResults, Post
from generator.project import PACKAGE_TEMPLATES, Project

from .conftest import invoke

ZURICH = ZoneInfo("Europe/Zurich")
UTC = dt.UTC


def post(when: dt.datetime, **results: dict[str, int]) -> Post:
    return Post(
        id=f"p-{when:%Y%m%d%H%M}-{len(results)}",
        path="content/posts/x.md",
        title="A post",
        date=when,
        channels=tuple(results) or ("twitter-cern",),
        status="published",
        results={cid: ChannelResults(**r) for cid, r in results.items()},
    )


def wed(hour: int, day: int = 14, tz: dt.tzinfo = ZURICH) -> dt.datetime:
    """A Wednesday of October 2026 (the 14th, 21st, 28th) or of November (the 4th, 11th, 18th, 25th)."""
    month = 10 if day > 13 else 11
    return dt.datetime(2026, month, day, hour, 0, tzinfo=tz)


def test_cells_are_the_weekday_and_hour_in_the_calendars_zone() -> None:
    # 08:30 UTC in October (summer time) is 10:30 in Zurich; 09:15 UTC in November is 10:15:
    # both the 10:00 cell of Wednesdays in Zurich, none in UTC's 8 or 9.
    posts = [
        post(dt.datetime(2026, 10, 14, 8, 30, tzinfo=UTC), **{"twitter-cern": {"impressions": 1000, "likes": 10}}),
        post(dt.datetime(2026, 11, 18, 9, 15, tzinfo=UTC), **{"twitter-cern": {"impressions": 1000, "likes": 30}}),
    ]
    heatmap = heatmaps(posts, ZURICH, min_posts=2)["twitter-cern"]
    assert list(heatmap.cells) == [(2, 10)]
    assert heatmap.cell(2, 10).posts == 2  # type: ignore[union-attr]
    # A post just before midnight UTC is the next day in Zurich.
    late = post(dt.datetime(2026, 11, 17, 23, 30, tzinfo=UTC), **{"twitter-cern": {"impressions": 5}})
    assert list(heatmaps([late], ZURICH, 1)["twitter-cern"].cells) == [(2, 0)]


def test_the_rate_is_the_kpi_engagement_rate_of_the_cells_posts() -> None:
    a = {"impressions": 1000, "likes": 10, "comments": 5, "shares": 3, "saves": 1, "replies": 1, "link_clicks": 99}
    b = {"impressions": 3000, "likes": 20}
    posts = [post(wed(10, 14), **{"twitter-cern": a}), post(wed(10, 21), **{"twitter-cern": b})]
    cell = heatmaps(posts, ZURICH, 2)["twitter-cern"].cell(2, 10)
    assert cell is not None
    # All interactions over all impressions (not the mean of the posts' rates); clicks are no interaction.
    expected = totals([ChannelResults(**a), ChannelResults(**b)]).engagement_rate
    assert cell.rate == pytest.approx(expected) == pytest.approx(40 / 4000 * 100)


def test_thin_cells_are_kept_with_their_count_but_without_a_rate() -> None:
    posts = [
        post(wed(10, 14), **{"twitter-cern": {"impressions": 100, "likes": 90}}),  # one huge outlier
        post(wed(17, 21), **{"twitter-cern": {"impressions": 100, "likes": 2}}),
        post(wed(17, 28), **{"twitter-cern": {"impressions": 100, "likes": 4}}),
    ]
    heatmap = heatmaps(posts, ZURICH, min_posts=2)["twitter-cern"]
    thin, shown = heatmap.cell(2, 10), heatmap.cell(2, 17)
    assert thin is not None and thin.thin and thin.posts == 1 and thin.rate is None
    assert shown is not None and not shown.thin and shown.rate == pytest.approx(3.0)
    assert heatmap.best is shown and heatmap.thin == 1  # the lucky post makes no rule
    assert heatmap.hours == [10, 17]
    assert heatmap.level(thin) == 0 and heatmap.level(shown) == 4


def test_a_cell_without_impressions_has_no_rate_and_is_never_best() -> None:
    posts = [post(wed(9, d), **{"facebook-cern": {"likes": 50}}) for d in (14, 21)]
    heatmap = heatmaps(posts, ZURICH, 2)["facebook-cern"]
    assert heatmap.cell(2, 9).rate is None and heatmap.best is None  # type: ignore[union-attr]


def test_levels_are_shares_of_the_channels_best() -> None:
    rates = {9: 1, 10: 2, 11: 3, 12: 4}  # likes per 100 impressions
    posts = [post(wed(h, 14), **{"twitter-cern": {"impressions": 100, "likes": r}}) for h, r in rates.items()]
    heatmap = heatmaps(posts, ZURICH, 1)["twitter-cern"]
    assert [heatmap.level(heatmap.cell(2, h)) for h in rates] == [1, 2, 3, 4]  # type: ignore[arg-type]


def test_channels_are_apart_and_only_the_registrys_are_kept(project: Project) -> None:
    posts = [
        post(wed(10), **{"twitter-cern": {"impressions": 10}, "gone-channel": {"impressions": 10}}),
    ]
    registry = project.registry()
    assert set(heatmaps(posts, ZURICH, 1)) == {"twitter-cern", "gone-channel"}
    assert set(calendar_heatmaps(posts, registry)) == {"twitter-cern"}
    assert calendar_heatmaps([], registry) == {}


def test_suggest_the_best_hour_of_the_day_else_of_the_week(project: Project) -> None:
    registry = project.registry()
    posts = [
        *(post(wed(10, d), **{"twitter-cern": {"impressions": 100, "likes": 2}}) for d in (14, 21)),
        *(post(wed(17, d), **{"twitter-cern": {"impressions": 100, "likes": 5}}) for d in (14, 21)),
        # Fridays at 12:00: fewer interactions, but the best of Fridays.
        *(
            post(dt.datetime(2026, 10, d, 12, tzinfo=ZURICH), **{"twitter-cern": {"impressions": 100}})
            for d in (16, 23)
        ),
    ]
    maps = heatmaps(posts, ZURICH, 2)
    friday, monday = dt.date(2026, 12, 4), dt.date(2026, 12, 7)
    [on_friday] = suggest(maps, registry, ["twitter-cern"], friday)
    assert (on_friday.cell.weekday, on_friday.cell.hour, on_friday.same_day) == (4, 12, True)
    assert on_friday.text == (
        "Best time for CERN on X/Twitter, from its results: 12:00 on Fridays (engagement rate 0 % over 2 posts)"
    )
    [on_monday] = suggest(maps, registry, ["twitter-cern"], monday)
    assert (on_monday.cell.hour, on_monday.same_day) == (17, False)
    assert "Wednesdays at 17:00 (engagement rate 5 % over 2 posts)" in on_monday.text
    # Without results, or with too few, nothing is suggested: today's behaviour.
    assert suggest(maps, registry, ["facebook-cern", "no-such-channel"], monday) == []
    assert suggest(heatmaps(posts, ZURICH, 3), registry, ["twitter-cern"], monday) == []


def test_thousands_of_posts_are_grouped_in_linear_time() -> None:
    import time

    start = dt.datetime(2020, 1, 1, tzinfo=ZURICH)
    posts = [
        post(start + dt.timedelta(hours=7 * i), **{"twitter-cern": {"impressions": 100 + i, "likes": i % 7}})
        for i in range(5000)
    ]
    began = time.perf_counter()
    heatmap = heatmaps(posts, ZURICH, 3)["twitter-cern"]
    assert heatmap.best is not None
    assert time.perf_counter() - began < 2.0  # about 0.05 s: a bound that only catches a blow-up


def test_the_heatmap_table_says_what_each_cell_rests_on() -> None:
    from generator.registry import WEEKDAY_NAMES
    from generator.views.charts import heatmap_table

    posts = [
        post(wed(10, 14), **{"twitter-cern": {"impressions": 100, "likes": 90}}),
        *(post(wed(17, d), **{"twitter-cern": {"impressions": 100, "likes": 3}}) for d in (21, 28)),
    ]
    heatmap = heatmaps(posts, ZURICH, 2)["twitter-cern"]
    html = str(heatmap_table('<script>alert(1)</script> "X"', heatmap, list(WEEKDAY_NAMES.values())))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &#34;X&#34;" in html
    assert html.count("<tr>") == 3  # the head, 10:00 and 17:00: hours without posts take no row
    # The thin cell shows no rate, but its count and why; the shown one its rate, count and mark.
    assert 'too few</span><span class="sc-heat-n">1 post</span>' in html
    assert "too few posts to tell (fewer than 2)" in html and "90.00 %" not in html
    assert '<span class="sc-heat-rate">3.00 %</span><span class="sc-heat-n">2 posts</span>' in html
    assert html.count("sc-heat-best") == 1 and html.count("no posts") == 12
    assert '<th scope="col">Wed<span class="sc-sr">nesday</span></th>' in html


# Suggestions where a post is started: open slots on the week and month pages, `socialcal new post`.


def week_page(cal: Calendar, monday: dt.date) -> str:
    from generator import urls
    from generator.views.pages import Renderer, SiteData, calendar_page
    from generator.views.pages import calendar_pages as calendar_pages


    ctx = calendar_pages.week(SiteData(cal), monday)
    part = cal.restricted(ctx["posts"])
    return calendar_page(Renderer([PACKAGE_TEMPLATES]), part, "week.md.j2", urls.week_page(monday), ctx)


def test_an_open_slot_suggests_the_best_hour_of_its_channels(example_calendar: Calendar) -> None:
    # The example's GWTI slot on Friday 12 February 2027 (16:00; X, X in French, Facebook, Instagram):
    # X and Facebook have a rated cell (Wednesdays at 10:00, two posts each); Instagram one post only.
    monday = dt.date(2027, 2, 8)
    slot = next(s for s in example_calendar.open_slots if s.series.id == "gwti" and s.day == dt.date(2027, 2, 12))
    html = week_page(example_calendar, monday)
    tips = re.findall(r'<ul class="sc-best-times">(.*?)</ul>', html, re.S)
    assert tips, "no suggestion on the week's open slots"
    assert "Best time for CERN on X/Twitter, from its results: Wednesdays at 10:00" in tips[0]
    assert "over 2 posts" in tips[0] and "Instagram" not in tips[0]
    assert {t.channel for t in example_calendar.best_times(slot.prefill.channels, slot.day)} == {
        "twitter-cern",
        "facebook-cern",
    }


def test_without_results_the_open_slots_are_as_before(example_calendar: Calendar) -> None:
    bare = dataclasses.replace(
        example_calendar, posts=tuple(p.model_copy(update={"results": {}}) for p in example_calendar.posts)
    )
    assert bare.heatmaps == {} and bare.open_slots
    assert "sc-best-times" not in week_page(bare, dt.date(2026, 11, 30))


RESULTS = "results:\n  twitter-cern:\n    impressions: 1000\n    likes: {likes}\n"


@pytest.mark.usefixtures("pinned")
def test_new_post_says_the_best_hour_when_there_are_enough_results(project: Project, write) -> None:
    args = ["new", "post", "--title", "Next", "--date", "2026-12-09 16:00", "--channel", "twitter-cern"]
    args += ["--link", "https://home.cern/x", "--text", "Hello."]
    before = invoke(project, *args, "--id", "first")
    assert before.exit_code == 0 and "Best time" not in before.output  # no results: as it always was
    for day, likes in ((14, 10), (21, 30), (28, 50)):
        write(
            f"2026/10/p{day}.md",
            f"title: P{day}\ndate: 2026-10-{day} 17:00\nchannel: twitter-cern\nstatus: published\n"
            f"link: https://home.cern/x\n" + RESULTS.format(likes=likes),
        )
    after = invoke(project, *args, "--id", "second")
    assert after.exit_code == 0, after.output
    assert (
        "Best time for CERN on X/Twitter, from its results: 17:00 on Wednesdays (engagement rate 3 % over 3 posts)"
        in after.output
    )
