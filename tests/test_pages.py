"""Page contexts, the page table and the addresses, without running MkDocs (fast)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import urls
from generator.calendar_model import Calendar
from generator.date_formats import short_month
from generator.docs_tree import page_of, piece_slot, slot
from generator.models import POST_STATUSES
from generator.project import PACKAGE_TEMPLATES
from generator.rules.examples import QUESTION
from generator.validate import validate
from generator.views.pages import (
    PAGES,
    Renderer,
    SiteData,
    channels,
    hashtags,
    home,
    nav,
    render_pages,
    results,
    series,
)
from generator.views.pages import calendar_pages as calendar_pages

from .conftest import TODAY, post_at, small_calendar


@pytest.fixture(scope="module")
def cal(example_calendar: Calendar) -> Calendar:
    return example_calendar


@pytest.fixture(scope="module")
def site(cal: Calendar) -> SiteData:
    return SiteData(cal, "https://example.org/cal/")


class Collect:
    """A docs tree in memory."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.fragments: dict[str, str] = {}

    def write(self, rel_path: str, content: str) -> None:
        assert rel_path not in self.files, rel_path
        self.files[rel_path] = content

    def fragment(self, rel_path: str, html: str) -> None:
        self.fragments[rel_path] = html


@pytest.fixture(scope="module")
def tree(site: SiteData) -> Collect:
    out = Collect()
    render_pages(site, Renderer([PACKAGE_TEMPLATES]), out)
    return out


# --- addresses --------------------------------------------------------------------------------


def test_addresses_are_the_published_ones() -> None:
    assert urls.page_url(urls.HOME) == ""
    assert urls.page_url(urls.THIS_WEEK) == "week/"
    assert urls.page_url(urls.month_page(dt.date(2027, 3, 2))) == "calendar/2027-03/"
    assert urls.page_url(urls.week_page(dt.date(2027, 1, 4))) == "week/2027-w01/"
    assert urls.page_url(urls.channel_page("twitter-cern")) == "channels/twitter-cern/"
    assert urls.page_url(urls.campaign_page("open-days-2027")) == "campaigns/open-days-2027/"
    assert urls.page_url(urls.series_page("gwti")) == "series/gwti/"
    assert urls.page_url(urls.post_page("lhc")) == "posts/lhc/"
    assert urls.post_location("lhc") == "posts/lhc/"  # search entries and feed events lead there
    assert urls.day_anchor(dt.date(2027, 3, 2)) == "day-2027-03-02"
    assert [urls.FEED_ALL, urls.channel_feed("a"), urls.campaign_feed("b"), urls.series_feed("c")] == [
        "feeds/all.ics",
        "feeds/channels/a.ics",
        "feeds/campaigns/b.ics",
        "feeds/series/c.ics",
    ]


def test_links_are_relative_to_the_page() -> None:
    assert urls.href(urls.HOME, urls.REVIEW) == "review/"
    assert urls.href("calendar/2027-03.md", urls.HOME) == "../../"
    march, april = urls.month_page((2027, 3)), urls.month_page((2027, 4))
    assert urls.href(march, april, "day-2027-04-01") == "../../calendar/2027-04/#day-2027-04-01"
    assert urls.href(urls.channel_page("x"), urls.channel_feed("x")) == "../../feeds/channels/x.ics"


# --- the table --------------------------------------------------------------------------------


def test_the_navigation_comes_from_the_table() -> None:
    assert nav() == [
        ("Home", "index.md"),
        ("Calendar", "calendar/index.md"),
        ("This week", "week/index.md"),
        ("Next week", "week/next.md"),
        ("Review queue", "review.md"),
        ("Channels", "channels/index.md"),
        ("Campaigns", "campaigns/index.md"),
        ("Series", "series/index.md"),
        ("Hashtags", "hashtags.md"),
        ("Results", "results.md"),
        ("Subscribe", "subscribe.md"),
        ("Rules", "rules.md"),
    ]


def test_every_row_has_its_template() -> None:
    for page in PAGES:
        assert (PACKAGE_TEMPLATES / "pages" / page.template).is_file(), page.template


def test_collections_expand_to_one_page_per_item(site: SiteData, tree: Collect, cal: Calendar) -> None:
    pages = set(tree.files)
    assert {urls.month_page(ym) for ym in cal.months} <= pages
    assert {urls.channel_page(c) for c in cal.registry.channels} <= pages
    assert {urls.campaign_page(c.id) for c in cal.campaigns} <= pages
    assert {urls.series_page(s) for s in cal.registry.series} <= pages
    assert len([p for p in pages if p.startswith("week/") and "-w" in p]) == 18  # 4 weeks back, through February
    assert {path for _, path in nav()} <= pages


def test_calendar_pages_are_placeholders_with_their_html_kept_apart(tree: Collect) -> None:
    month = urls.month_page((2027, 2))
    assert 'data-sc-slot="calendar/2027-02.md"' in tree.files[month]
    assert 'id="2027-02-11-wis-day"' in tree.fragments[month]
    whole_pages = {slot for slot in tree.fragments if "#" not in slot}  # other pages hand over pieces
    assert whole_pages == {p for p in tree.files if p.startswith(("calendar/2", "week/"))}


def _busy_calendar(cal: Calendar, n: int = 20) -> Calendar:
    """`n` posts that missed their slot and `n` waiting for review, all with one hashtag."""
    past, ahead = dt.datetime(2026, 11, 1, 9), dt.datetime(2026, 11, 27, 9)
    tag = {"hashtags": ["#CERN"]}
    posts = [post_at(f"past-{i}", past + dt.timedelta(hours=i), status="approved", **tag) for i in range(n)]
    posts += [post_at(f"next-{i}", ahead + dt.timedelta(hours=i), **tag) for i in range(n)]
    return small_calendar(cal, posts)


def _busy(cal: Calendar, n: int) -> Collect:
    out = Collect()
    render_pages(SiteData(_busy_calendar(cal, n), "https://example.org/cal/"), Renderer([PACKAGE_TEMPLATES]), out)
    return out


def _pieces(tree: Collect, src: str) -> str:
    return "".join(html for slot, html in tree.fragments.items() if page_of(slot) == src and slot != src)


BULK_PAGES = (urls.HOME, urls.REVIEW, urls.RESULTS, urls.HASHTAGS, urls.channel_page("twitter-cern"))


def test_pages_hand_the_engine_their_heading_and_lead_and_their_post_lists_apart(cal: Calendar) -> None:
    """Issue 25: the Markdown the site builder parses (and its search plugin parses again) stays the
    same size however many posts the lists hold; the lists are spliced in after it."""
    few, many = _busy(cal, 20), _busy(cal, 200)
    for src in BULK_PAGES:
        markdown = many.files[src]
        assert "<h1>" in markdown and 'data-sc-slot="' in markdown, src
        assert "sc-entry" not in markdown and "sc-pcard" not in markdown, src
        assert "sc-entry" in _pieces(many, src) or "sc-pcard" in _pieces(many, src), src
        assert abs(len(markdown) - len(few.files[src])) < 500, src  # a count, a note; 180 more entries: 150 KB
        assert len(_pieces(many, src)) > len(_pieces(few, src)), src  # what grew is spliced
    assert 'class="sc-lead"' in many.files[urls.RESULTS] and 'id="missed">Missed: 200 posts' in many.files[urls.RESULTS]
    assert "past-199" in _pieces(many, urls.RESULTS) and "past-199" not in many.files[urls.RESULTS]


def test_splicing_the_pieces_back_gives_the_page_as_rendered_whole(cal: Calendar) -> None:
    """What the engine gets plus the pieces, each in its placeholder, is the page as it would be
    rendered in one piece: the white space around each piece stays in the Markdown."""
    renderer = Renderer([PACKAGE_TEMPLATES])
    for site in (SiteData(cal, "https://example.org/cal/"), SiteData(_busy_calendar(cal), "https://example.org/")):
        for page in PAGES:
            if page.spliced or page.shell:
                continue
            for src, context_of in page.expand(site):
                context = {"row_title": page.title, **context_of()}
                pieces: list[str] = []
                text = renderer.render(page.template, src, site.cal, pieces, **context)
                for n, html in enumerate(pieces, 1):
                    assert text.count(slot(piece_slot(src, n))) == 1, src
                    text = text.replace(slot(piece_slot(src, n)), html)
                assert text == renderer.render(page.template, src, site.cal, **context), src


def test_templates_link_through_the_url_module(tree: Collect) -> None:
    assert 'href="../../feeds/channels/twitter-cern.ics"' in tree.files[urls.channel_page("twitter-cern")]
    assert 'href="../../feeds/series/gwti.ics"' in tree.files[urls.series_page("gwti")]
    subscribe = tree.files[urls.SUBSCRIBE]
    assert 'value="https://example.org/cal/feeds/all.ics"' in subscribe
    assert 'href="webcal://example.org/cal/feeds/all.ics"' in subscribe
    assert 'href="../feeds/all.ics"' in subscribe


# --- contexts ---------------------------------------------------------------------------------


def test_home_lists_the_next_days_and_this_week_per_active_channel(site: SiteData, cal: Calendar) -> None:
    ctx = home.home(site)
    days = cal.registry.settings.site.upcoming_days
    assert ctx["upcoming_days"] == days
    assert all(TODAY <= p.day < TODAY + dt.timedelta(days=days) for p in ctx["upcoming"])
    assert ctx["monday"] == dt.date(2026, 11, 23)
    assert set(ctx["per_channel"]) == {c for c, ch in cal.registry.channels.items() if not ch.is_retired}


def _home_page(cal: Calendar) -> str:
    out = Collect()
    render_pages(SiteData(cal, "https://example.org/cal/"), Renderer([PACKAGE_TEMPLATES]), out)
    return out.files[urls.HOME]


def test_an_empty_next_days_box_names_the_next_post_and_how_to_propose_one(cal: Calendar) -> None:
    far = post_at("far-off", dt.datetime(2026, 12, 21, 10), title="Far-off post")
    later = post_at("later-still", dt.datetime(2027, 1, 5, 10))
    quiet = small_calendar(cal, [far, later])
    assert home.home(SiteData(quiet, "https://example.org/"))["next_post"] == far  # the first after the window
    page = _home_page(quiet)
    assert "Nothing planned in the next 14 days." in page
    assert "The next post, on" in page and "Far-off post" in page and "Post later-still" not in page
    assert 'href="calendar/"' in page  # where to propose one

    nothing = small_calendar(cal, [])
    assert home.home(SiteData(nothing, "https://example.org/"))["next_post"] is None
    assert "Nothing planned after them either." in _home_page(nothing)

    busy = small_calendar(cal, [post_at("soon", dt.datetime(2026, 11, 30, 10)), far])
    assert home.home(SiteData(busy, "https://example.org/"))["next_post"] is None  # the box lists its own
    assert "The next post, on" not in _home_page(busy)


def test_a_month_knows_its_neighbours_and_its_weeks(site: SiteData, cal: Calendar) -> None:
    first, second = cal.months[0], cal.months[1]
    ctx = calendar_pages.month(site, first)
    assert ctx["prev"] is None and ctx["next"] == second
    assert calendar_pages.month(site, cal.months[-1])["next"] is None
    assert all(week[0].day.weekday() == 0 for week in ctx["weeks"])
    assert all((p.date.year, p.date.month) == first for p in ctx["posts"])


def test_weeks_exist_around_today_only(site: SiteData) -> None:
    mondays = calendar_pages.mondays(site)
    assert mondays[0] == dt.date(2026, 10, 26) and mondays[-1] == dt.date(2027, 2, 22)  # through the horizon
    assert calendar_pages.week(site, mondays[0])["prev"] is None
    assert calendar_pages.week(site, mondays[-1])["next"] is None
    this = calendar_pages.this_week(site)
    assert this["monday"] == dt.date(2026, 11, 23) and len(this["days"]) == 7
    assert calendar_pages.next_week(site)["monday"] == dt.date(2026, 11, 30)


def test_filters_are_the_same_every_month_and_say_what_the_month_has(cal: Calendar) -> None:
    busy, empty = cal.posts_by_month[(2027, 2)], ()
    choices, none = calendar_pages.filters(cal, busy), calendar_pages.filters(cal, empty)
    assert {k: [v for v, *_ in c] for k, c in choices.items()} == {k: [v for v, *_ in c] for k, c in none.items()}
    assert [c for c, _, on in choices["channel"] if on] == [
        c for c in cal.registry.channels if any(c in p.channels for p in busy)
    ]
    assert [s for s, _, on in choices["status"]] == list(POST_STATUSES)
    assert all(on == any(p.status == s for p in busy) for s, _, on in choices["status"])
    assert not any(on for group in none.values() for *_, on in group)  # an empty month: all disabled
    assert [c for c, *_ in none["campaign"]] == [c.id for c in cal.campaigns]
    part = cal.restricted(busy[:1])  # a page's part knows only its campaigns: given the others
    whole = calendar_pages.filters(part, busy[:1], campaigns=calendar_pages.all_campaigns(cal))
    assert [c for c, *_ in whole["campaign"]] == [c.id for c in cal.campaigns]


def test_a_calendar_page_sees_its_part_of_the_calendar(cal: Calendar) -> None:
    answers = [p for p in cal.posts if p.answer_to]
    assert answers
    answer = answers[0]
    part = cal.restricted([answer])
    assert answer.answer_to in part.post_by_id
    assert part.entries_by_post[answer.id] == cal.entries_by_post[answer.id]
    with_campaign = next(p for p in cal.posts if p.campaign)
    assert set(cal.restricted([with_campaign]).campaign_by_id) == {with_campaign.campaign}


def test_a_channel_page_lists_upcoming_then_recent(site: SiteData, cal: Calendar) -> None:
    ctx = channels.channel(site, "twitter-cern")
    assert all(p.day >= TODAY for p in ctx["upcoming"])
    assert all(p.day < TODAY for p in ctx["recent"])
    assert [p.date for p in ctx["recent"]] == sorted((p.date for p in ctx["recent"]), reverse=True)
    assert ctx["total"] == len(cal.posts_by_channel["twitter-cern"])


def test_series_gaps_name_the_missing_weeks(cal: Calendar) -> None:
    gwti = cal.registry.series["gwti"]
    posts = [p for p in cal.posts_by_series.get("gwti", ()) if p.status != "cancelled"]
    assert posts
    first = posts[0]
    later = first.model_copy(update={"id": "later", "date": first.date + dt.timedelta(weeks=3)})
    found = series.gaps(gwti, [first, later])
    assert len(found) == 2 and all(gwti.label in g for g in found)
    assert series.gaps(cal.registry.series["tbt"], [first, later]) == []  # not expected weekly


def test_a_question_without_answer_is_flagged_and_an_answered_one_is_not(project, write) -> None:
    write("answered.md", QUESTION)
    write("open.md", QUESTION.replace("2027-03-05", "2027-03-12"))
    write("later.md", QUESTION.replace("2027-03-12", "2027-03-19"))
    answer = "title: GWTI answer\nchannel: twitter-cern\nseries: gwti-answer\nlink: https://home.cern/x\n"
    write("answer.md", f"{answer}date: 2027-03-08 16:00\nanswer_to: answered")
    registry = project.registry()
    result = validate(project.root, registry)
    assert result.ok, [d.to_text() for d in result.errors]
    site = SiteData(Calendar(registry, result.posts, result.campaigns, TODAY), "https://example.org/cal/")
    ctx = series.series(site, "gwti")
    assert sorted(p.id for p in ctx["unanswered"]) == ["later", "open"]


def test_hashtags_not_in_the_list_come_most_used_first(site: SiteData) -> None:
    ctx = hashtags.hashtags(site)
    counts = [n for _, n in ctx["other"]]
    assert counts == sorted(counts, reverse=True)
    assert [t for t, _ in ctx["active"]] == list(site.cal.registry.hashtags.active)


def test_results_count_posts_per_week_and_check_campaign_targets(site: SiteData) -> None:
    ctx = results.results(site)
    assert ctx["totals"].posts == sum(len(p.results) for p in site.cal.posts)
    assert "<svg" in str(ctx["posts_chart"])
    for row in ctx["campaign_results"]:
        assert row["campaign"].kpis or row["totals"].posts
        assert [c.kpi for c in row["checks"]] == list(row["campaign"].kpis)
    assert results.months_between((2026, 11), (2027, 1)) == [(2026, 11), (2026, 12), (2027, 1)]


def test_contexts_are_pure_functions_of_the_calendar(cal: Calendar) -> None:
    one, two = SiteData(cal), SiteData(cal)
    assert channels.channel(one, "facebook-cern") == channels.channel(two, "facebook-cern")
    assert home.home(one) == home.home(two)


# --- the Results page's charts (issue 22, item 7) ------------------------------------------------


@pytest.mark.parametrize("peak", [0, 1, 2.5, 3, 6, 7, 11, 26, 99, 101, 1234])
def test_count_axes_tick_at_whole_numbers(peak: float) -> None:
    from generator.views.charts import integer_ticks

    top, step = integer_ticks(peak)
    assert isinstance(top, int) and isinstance(step, int) and step >= 1
    assert top >= peak and top % step == 0 and top // step <= 5


def _axis_labels(svg: str) -> list[str]:
    import re

    return re.findall(r'<text class="sc-axis[^"]*"[^>]*text-anchor="end">([^<]*)</text>', svg)


def test_posts_per_week_has_whole_numbers_and_sets_the_planned_weeks_apart(site: SiteData) -> None:
    svg = str(results.results(site)["posts_chart"])
    ticks = [t for t in _axis_labels(svg) if t != "planned"]
    assert ticks and all(t.isdigit() for t in ticks), ticks
    assert svg.count('class="sc-planned-band"') == svg.count("<svg"), "every small chart shows the planned band"
    assert 'class="sc-line sc-line-planned"' in svg and "sc-dot-planned" in svg


def test_a_planned_part_starts_where_the_past_ends_and_is_drawn_apart() -> None:
    import re

    from generator.views import charts

    svg = str(charts.line_chart("t", ["a", "b", "c", "d"], [charts.Line("x", "c", [1, 2, 3, 4])], integer=True,
                                planned_from=2))  # fmt: skip
    solid, dashed = re.findall(r'<polyline class="([^"]+)" points="([^"]+)"', svg)
    assert solid[0] == "sc-line" and dashed[0] == "sc-line sc-line-planned"
    assert len(solid[1].split()) == 2 and len(dashed[1].split()) == 3
    assert solid[1].split()[-1] == dashed[1].split()[0], "one line, not two pieces"
    assert svg.count("sc-dot-planned") == 2
    # Without planned points nothing is set apart.
    plain = str(charts.line_chart("t", ["a", "b"], [charts.Line("x", "c", [1, 2])]))
    assert "planned" not in plain


def test_engagement_spans_the_months_with_results_and_its_ticks_read_as_months(site: SiteData) -> None:
    import re

    months = sorted({ym for (_, ym) in site.kpis.channel_month})
    svg = str(results.results(site)["engagement"])
    ticks = re.findall(r'dominant-baseline="hanging">([^<]*)</text>', svg)
    first, last = months[0], months[-1]
    assert ticks[0] == short_month(*first)
    assert ticks[-1] == short_month(*last)
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t) for t in ticks), ticks
    assert short_month(2026, 9) == "Sep 2026"


def test_the_results_page_names_the_active_channels_without_results(site: SiteData) -> None:
    ctx = results.results(site)
    reg = site.cal.registry
    expected = [c.name for cid, c in reg.channels.items() if not c.is_retired and cid not in site.kpis.channel]
    assert ctx["without_results"] == expected and expected
    html = Renderer([PACKAGE_TEMPLATES]).render("results.md.j2", urls.RESULTS, site.cal, **ctx)
    assert f"No results yet: {', '.join(expected)}." in html
