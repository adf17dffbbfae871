"""Planning the months ahead (issue 22): the horizon's pages, open slots and the proposals they
start, a grid that reads at a glance, feeds for people, and the smaller fixes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shlex
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml

from generator import urls
from generator.calendar_model import Calendar
from generator.github_links import RepoLinks
from generator.issue_form import parse_issue
from generator.project import PACKAGE_TEMPLATES
from generator.registry import Registry
from generator.rules.catalogue import RULES
from generator.settings import Settings, SiteSettings
from generator.slots import slot_day
from generator.views.pages import Renderer, SiteData, calendar_page, hashtags, home, posts
from generator.views.pages import calendar_pages as calendar_pages
from generator.views.pages import series as series_pages

from .conftest import REPO, TODAY, cli_build, invoke, run_main
from .conftest import post_at as post
from .conftest import small_calendar as small
from .site_links import broken_links


def on(cal: Calendar, today: dt.date | None = None, **site: object) -> Calendar:
    """The same calendar seen on another day, or with other site settings."""
    settings = cal.registry.settings
    registry = cal.registry.model_copy(
        update={"settings": settings.model_copy(update={"site": settings.site.model_copy(update=site)})}
    )
    return dataclasses.replace(cal, registry=registry, today=today or cal.today)


# 1. The months ahead exist


def test_the_horizon_ends_with_the_month_so_many_months_after_todays(example_calendar: Calendar) -> None:
    assert example_calendar.horizon == dt.date(2027, 2, 28)  # TODAY is in November 2026; 3 months by default
    assert on(example_calendar, horizon_months=1).horizon == dt.date(2026, 12, 31)
    assert on(example_calendar, dt.date(2026, 12, 31), horizon_months=1).horizon == dt.date(2027, 1, 31)
    assert on(example_calendar, dt.date(2027, 1, 31), horizon_months=24).horizon == dt.date(2029, 1, 31)


def test_months_and_weeks_reach_the_horizon_even_without_posts(example_calendar: Calendar) -> None:
    empty = dataclasses.replace(example_calendar, posts=(), campaigns=(), today=dt.date(2027, 3, 10))
    # four weeks back, three months ahead, and July: the last week (28 June) ends on 4 July
    assert empty.months == ((2027, 2), (2027, 3), (2027, 4), (2027, 5), (2027, 6), (2027, 7))
    assert empty.mondays[0] == dt.date(2027, 2, 8) and empty.mondays[-1] == dt.date(2027, 6, 28)
    assert all(b - a == dt.timedelta(weeks=1) for a, b in zip(empty.mondays, empty.mondays[1:], strict=False))


@pytest.mark.parametrize("today", [dt.date(2027, 1, 1), dt.date(2027, 2, 26), dt.date(2027, 11, 30), TODAY])
@pytest.mark.parametrize("months", [1, 3, 24])
def test_every_day_of_every_week_page_has_its_month_page(example_calendar: Calendar, today, months) -> None:
    """Week pages link each day to its month: the week of 1 March from a week in February."""
    cal = on(example_calendar, today, horizon_months=months)
    days = {monday + dt.timedelta(days=i) for monday in cal.mondays for i in range(7)}
    assert {(d.year, d.month) for d in days} <= set(cal.months)
    assert cal.mondays[-1] <= cal.horizon < cal.mondays[-1] + dt.timedelta(weeks=1)


def test_the_horizon_is_a_bounded_setting() -> None:
    assert SiteSettings().horizon_months == 3
    assert Settings.model_fields["site"].default.horizon_months == 3
    assert "horizon_months" in Registry.model_fields["settings"].annotation.model_fields["site"].annotation.model_fields


@pytest.mark.slow
@pytest.mark.usefixtures("pinned")
def test_no_internal_link_of_the_built_site_leads_to_a_missing_page(example_project) -> None:
    result = cli_build(example_project)
    assert result.exit_code == 0, result.output
    site = example_project.root / "site"
    assert (site / "calendar" / "2027-02" / "index.html").is_file()  # the horizon's last month, with posts or not
    assert (site / "week" / "2027-w08" / "index.html").is_file()  # its last week
    assert broken_links(site, "/socialcal/") == {}  # mkdocs.yml's site_url: served under /socialcal/


# Helpers for the page tests: a few posts as models, a calendar of them, a page rendered.

TZ = ZoneInfo("Europe/Zurich")



def month_html(cal: Calendar, ym: tuple[int, int], repo: RepoLinks | None = None) -> str:
    ctx = calendar_pages.month(SiteData(cal, repo=repo), ym)
    part = cal.restricted(ctx["posts"])
    return calendar_page(Renderer([PACKAGE_TEMPLATES], repo=repo), part, "month.md.j2", urls.month_page(ym), ctx)


def week_html(cal: Calendar, monday: dt.date) -> str:
    ctx = calendar_pages.week(SiteData(cal), monday)
    part = cal.restricted(ctx["posts"])
    return calendar_page(Renderer([PACKAGE_TEMPLATES]), part, "week.md.j2", urls.week_page(monday), ctx)


# 2. Open slots


def test_a_weekly_series_has_an_open_slot_each_week_without_a_post_through_the_horizon(example_calendar) -> None:
    """The example's GWTI: every Friday at 16:00 through 5 February, then none (issue 22)."""
    gwti = [s for s in example_calendar.open_slots if s.series.id == "gwti"]
    assert [s.when for s in gwti] == [dt.datetime(2027, 2, d, 16, 0, tzinfo=TZ) for d in (12, 19, 26)]
    first = gwti[0].prefill
    assert first.channels == ("twitter-cern", "twitter-cern-fr", "facebook-cern", "instagram-cern")
    assert first.series == "gwti" and first.title == "GWTI 12 February"
    assert all(TODAY <= s.day <= example_calendar.horizon for s in example_calendar.open_slots)
    assert not [s for s in example_calendar.open_slots if not s.series.expected_weekly]  # TBT has no cadence
    photo = [s for s in example_calendar.open_slots if s.series.id == "photo-of-the-week"]
    assert photo[0].day == TODAY and photo[0].prefill.hashtags == ("#PhotoOfTheWeek",)  # any day: today's week


def test_a_cancelled_post_leaves_its_week_open_and_a_live_one_fills_it(example_calendar) -> None:
    friday = dt.datetime(2027, 3, 5, 16)
    on_friday = small(example_calendar, [post("q", friday, series="gwti")], today=dt.date(2027, 3, 1))
    cancelled = small(
        example_calendar, [post("q", friday, series="gwti", status="cancelled")], today=dt.date(2027, 3, 1)
    )
    monday = small(example_calendar, [post("q", friday.replace(day=1), series="gwti")], today=dt.date(2027, 3, 1))

    def gwti(cal: Calendar) -> list[dt.date]:
        return [s.day for s in cal.open_slots if s.series.id == "gwti"][:2]

    assert gwti(on_friday) == [dt.date(2027, 3, 12), dt.date(2027, 3, 19)]
    assert gwti(cancelled) == [dt.date(2027, 3, 5), dt.date(2027, 3, 12)]
    assert gwti(monday) == [dt.date(2027, 3, 12), dt.date(2027, 3, 19)]  # any day of the week fills it


def test_a_slot_whose_days_have_passed_this_week_is_not_offered(example_calendar) -> None:
    saturday = small(example_calendar, [], today=dt.date(2027, 3, 6))
    assert next(s.day for s in saturday.open_slots if s.series.id == "gwti") == dt.date(2027, 3, 12)
    gwti = example_calendar.registry.series["gwti"]
    assert slot_day(gwti, dt.date(2027, 3, 1), dt.date(2027, 3, 5)) == dt.date(2027, 3, 5)
    assert slot_day(gwti, dt.date(2027, 3, 1), dt.date(2027, 3, 6)) is None


def test_the_series_time_is_a_time_of_day(project) -> None:
    series = project.content / "series.yml"
    for bad in ('"25:00"', '"4pm"', "1600", '"16:00; rm -rf /"'):
        series.write_text(series.read_text().replace('time: "16:00"', f"time: {bad}", 1))
        code, out = run_main("--root", str(project.root), "validate")
        assert code == 2 and "content/series.yml:" in out and "error SC103" in out and "hint:" in out, out
        series.write_text(series.read_text().replace(f"time: {bad}", 'time: "16:00"', 1))


def test_a_slot_proposes_the_file_socialcal_new_post_would_write(example_calendar, project) -> None:
    pf = next(s for s in example_calendar.open_slots if s.series.id == "gwti").prefill
    assert pf.path == "content/posts/2027/02/2027-02-12-gwti-12-february.md"
    args = shlex.split(pf.command)
    assert args[:3] == ["socialcal", "new", "post"]
    result = invoke(project, *args[1:])
    assert (project.root / pf.path).is_file(), result.output
    written = (project.root / pf.path).read_text()
    assert written == pf.file_text(example_calendar.registry)  # the new-file page gets the same text


@pytest.mark.parametrize("title", ['It\'s "quoted"; $(rm -rf ~) `x`', "New post", "Été à Genève & co"])
def test_the_command_to_copy_is_quoted_for_the_shell(example_calendar, title: str) -> None:
    pf = dataclasses.replace(example_calendar.day_prefill(dt.date(2027, 2, 13)), title=title)
    args = shlex.split(pf.command)
    assert args[args.index("--title") + 1] == title and args[args.index("--date") + 1] == "2027-02-13 10:00"


def test_an_empty_day_proposes_a_post_without_channels_and_says_which_there_are(example_calendar) -> None:
    pf = example_calendar.day_prefill(dt.date(2027, 2, 13))
    assert pf.meta == {"title": "New post", "date": "2027-02-13 10:00", "status": "proposed"}
    text = pf.file_text(example_calendar.registry)
    assert "channel: []  # one or more of: twitter-cern, " in text and "googleplus-cern" not in text


@pytest.mark.parametrize(
    ("branch", "path", "value"),
    [
        ("main", "content/posts/2027/02/a.md", "---\ntitle: A & B #1 ?x=1\n---\n"),
        ("feature/plan ahead", "content/posts/2027/02/été.md", '100% "quoted" <b>'),
        ("main", "content/posts/2027/02/a.md", "&value=evil&filename=../../.github/workflows/x.yml"),
    ],
)
def test_the_new_file_page_gets_the_path_and_the_text_whatever_they_hold(branch: str, path: str, value: str) -> None:
    url = RepoLinks("https://github.com/cern/socialcal", branch).new_file(path, value)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "https://github.com"
    assert unquote(parts.path) == f"/cern/socialcal/new/{branch}"
    assert parse_qs(parts.query) == {"filename": [path], "value": [value]}
    assert urls.new_file_url("", branch, path, value) == ""  # without repo_url: no link


def test_the_issue_form_fills_only_fields_github_can_fill_and_the_workflow_reads_them(example_calendar) -> None:
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / urls.PROPOSE_FORM).read_text())
    fillable = {b["id"]: b for b in form["body"] if b.get("type") in ("input", "textarea")}
    pf = next(s for s in example_calendar.open_slots if s.series.id == "gwti").prefill
    fields = pf.issue_fields
    assert set(fields) - {"title"} <= set(fillable)  # `title` is the issue's own title
    assert {"headline", "date", "channels", "series"} <= set(fields)
    url = RepoLinks("https://github.com/cern/socialcal", "main").propose(fields)
    query = parse_qs(urlsplit(url).query)
    assert query["template"] == [urls.PROPOSE_FORM] and query["channels"] == [", ".join(pf.channels)]
    # The issue GitHub then opens: each field under its label, as the workflow reads it.
    body = "\n\n".join(f"### {fillable[k]['attributes']['label']}\n\n{v}" for k, v in fields.items() if k != "title")
    body += "\n\n### Text of the post\n\nGuess!"
    proposal = parse_issue(body)
    assert proposal.meta["title"] == pf.title and proposal.meta["date"] == "2027-02-12 16:00"
    assert proposal.meta["channel"] == list(pf.channels) and proposal.meta["series"] == "gwti"


def test_the_months_grid_draws_open_slots_and_proposals_on_empty_days_ahead(example_calendar) -> None:
    weeks = calendar_pages.grid(example_calendar, 2027, 2)
    cells = {c.day: c for w in weeks for c in w if c.inside}
    assert [s.series.id for s in cells[dt.date(2027, 2, 12)].slots] == ["gwti"]
    assert cells[dt.date(2027, 2, 13)].propose is not None  # a Saturday ahead without posts
    assert cells[dt.date(2027, 2, 11)].propose is None  # it has posts
    past = {c.day: c for w in calendar_pages.grid(example_calendar, 2026, 11) for c in w if c.inside}
    assert all(c.propose is None for d, c in past.items() if d < TODAY)  # no proposal in the past
    html = month_html(example_calendar, (2027, 2))
    assert html.count('class="sc-open-slot"') == len([s for s in example_calendar.open_slots if s.day.month == 2])
    assert 'data-copy="new-2027-02-12-gwti"' in html and "socialcal new post --title &#39;GWTI 12 February&#39;" in html


def test_with_repo_url_slots_link_to_github_and_without_they_do_not(example_calendar) -> None:
    repo = RepoLinks("https://github.com/cern/socialcal", "main")
    html = month_html(example_calendar, (2027, 2), repo)
    assert (
        "https://github.com/cern/socialcal/new/main?filename=content%2Fposts%2F2027%2F02%2F2027-02-12-gwti-12-february.md"
        in html
    )
    assert "https://github.com/cern/socialcal/issues/new?template=propose-post.yml&amp;title=Post%3A%20GWTI" in html
    assert "socialcal new post" not in html
    assert "github.com" not in month_html(example_calendar, (2027, 2))


def test_the_home_page_and_the_series_page_list_open_slots(example_calendar) -> None:
    site = SiteData(example_calendar)
    assert home.home(site)["slots"] == example_calendar.open_slots[: home.NEXT_SLOTS]
    gwti = series_pages.series(site, "gwti")
    assert [s.day for s in gwti["open_slots"]] == [dt.date(2027, 2, d) for d in (12, 19, 26)]
    assert gwti["gaps"] == []  # the weeks ahead are slots, not gaps
    html = Renderer([PACKAGE_TEMPLATES]).render("series.md.j2", urls.series_page("gwti"), example_calendar, **gwti)
    assert "No gaps." not in html and html.count('class="sc-open-slot"') == 3


# 3. A grid that reads at a glance


def test_both_posts_of_a_clash_are_marked_with_the_other_named(example_calendar) -> None:
    a = post("a", dt.datetime(2027, 3, 3, 10, 0), title="First on X")
    b = post("b", dt.datetime(2027, 3, 3, 10, 20), title="Second on X")
    c = post("c", dt.datetime(2027, 3, 3, 10, 10), channels=("facebook-cern",))  # another account
    cal = small(example_calendar, [a, b, c])
    assert set(cal.clashes) == {"a", "b"}
    html = month_html(cal, (2027, 3))
    for mine, other in (("a", "Second on X"), ("b", "First on X")):
        tag = re.search(rf'<a id="{mine}" class="([^"]*)"[^>]*title="([^"]*)"', html)
        assert tag and "sc-clash" in tag[1].split() and f"with {other} at" in tag[2], mine
    assert "sc-clash" not in re.search(r'<a id="c" class="([^"]*)"', html)[1]
    week = week_html(cal, dt.date(2027, 3, 1))
    assert week.count('class="sc-clash-note"') == 2


def test_a_grid_entry_is_one_line_with_one_status_mark_and_the_whole_title_in_its_tooltip(example_calendar) -> None:
    title = "A very long title that the grid cuts with an ellipsis <b>&</b>"
    cal = small(example_calendar, [post("a", dt.datetime(2027, 3, 3, 10), title=title, series="tbt")])
    html = month_html(cal, (2027, 3))
    entry = re.search(r'<a id="a" .*?</a>', html, re.S)[0]
    assert len(re.findall(r'class="sc-mark sc-mark-', entry)) == 1  # one status mark, no badges
    assert "sc-status" not in entry and "sc-series" not in entry
    whole = "A very long title that the grid cuts with an ellipsis &lt;b&gt;&amp;&lt;/b&gt;"
    assert f'title="10:00 {whole} (on X @CERN; proposed)"' in entry


def test_a_grid_entry_shows_three_channel_icons_and_counts_the_others(example_calendar) -> None:
    five = ("twitter-cern", "twitter-cern-fr", "facebook-cern", "instagram-cern", "linkedin-cern")
    html = month_html(small(example_calendar, [post("a", dt.datetime(2027, 3, 3, 10), channels=five)]), (2027, 3))
    entry = re.search(r'<a id="a" .*?</a>', html, re.S)[0]
    assert entry.count('class="sc-icon ') == 3 and '<span class="sc-dots-more" aria-hidden="true">+2</span>' in entry
    assert "(on X @CERN, X @CERN_FR, Facebook, Instagram, LinkedIn; proposed)" in entry  # tooltip and read out
    assert '<span class="sc-sr"> (on X @CERN, X @CERN_FR' in entry


def filter_form(html: str) -> str:
    return re.search(r'<form class="sc-filters".*?</form>', html, re.S)[0]


def filter_values(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', filter_form(html))


def legend_without_campaigns(html: str) -> str:
    legend = re.search(r'<ul class="sc-legend sc-key".*?</ul>', html, re.S)[0]
    return re.sub(r'<li><span class="sc-key-swatch.*?</li>\n', "", legend)


def test_the_filter_bar_and_the_legend_are_the_same_every_month(example_calendar) -> None:
    busy, quiet = month_html(example_calendar, (2027, 2)), month_html(example_calendar, (2026, 12))
    none = month_html(small(example_calendar, [], campaigns=example_calendar.campaigns), (2027, 2))
    assert filter_values(busy) == filter_values(quiet) == filter_values(none)
    assert filter_form(none).count("<select") == 4
    assert 'value="cern-lectures" disabled' not in filter_form(busy)
    assert filter_form(none).count(" disabled>") == len(filter_values(none)) - 4  # all but the four "All"
    assert legend_without_campaigns(busy) == legend_without_campaigns(none)


def test_the_legend_shows_each_campaign_drawn_in_its_band_colour(example_calendar) -> None:
    html = month_html(example_calendar, (2027, 2))
    legend = re.search(r'<ul class="sc-legend sc-key".*?</ul>', html, re.S)[0]
    drawn = dict(
        re.findall(
            r'class="sc-band sc-band-c(\d) sc-band-\w+[^"]*" href="[^"]*" style="[^"]*" data-campaign="([^"]+)"', html
        )
    )
    keyed = re.findall(r'sc-band sc-band-c(\d) sc-band-\w+" aria-hidden="true"></span>campaign: ([^<]+)</li>', legend)
    titles = {c.id: c.title for c in example_calendar.campaigns}
    assert drawn and {titles[cid]: colour for colour, cid in drawn.items()} == {t: c for c, t in keyed}
    for key in ("approved, scheduled, published", "draft, proposed", "cancelled", "overdue", "clash", "open slot"):
        assert key in legend


def test_campaigns_are_drawn_on_the_week_too(example_calendar) -> None:
    html = week_html(example_calendar, dt.date(2027, 2, 8))
    running = next(c for c in example_calendar.campaigns if c.id == "women-in-science-2027")
    days = [dt.date(2027, 2, 8) + dt.timedelta(days=i) for i in range(7)]
    assert html.count('class="sc-bands sc-week-bands"') == sum(running.start <= d <= running.end for d in days) >= 5
    assert "campaign: International Day of Women and Girls in Science 2027" in html


@pytest.mark.parametrize("template", ["month.md.j2", "week.md.j2"])
def test_calendar_pages_hide_the_navigation_to_use_the_width(template: str) -> None:
    head = (PACKAGE_TEMPLATES / "pages" / template).read_text().split("---")[1]
    assert "hide: [navigation, toc]" in head
    css = (PACKAGE_TEMPLATES / "assets" / "socialcal.css").read_text()
    assert ".md-main__inner.md-grid:has(table.sc-grid, .sc-week) { max-width: none; }" in css


# 8. Smaller


def test_the_error_banner_gives_each_error_its_hint_rule_and_file(example_calendar) -> None:
    from generator.diagnostics import Diagnostic, Severity

    d = Diagnostic(
        "content/posts/x.md", 4, 10, Severity.ERROR, "SC201", "unknown channel 'twiter'", "use 'twitter-cern'"
    )
    repo = RepoLinks("https://github.com/cern/socialcal", "main")
    html = Renderer([PACKAGE_TEMPLATES], [d], repo).render(
        "home.md.j2", urls.HOME, example_calendar, **home.home(SiteData(example_calendar))
    )
    banner = re.search(r'<div class="sc-banner".*?</div>', html, re.S)[0]
    assert "<code>content/posts/x.md:4:10</code>" in banner and 'href="rules/#sc201"' in banner
    assert "hint: use &#39;twitter-cern&#39;" in banner
    assert 'href="https://github.com/cern/socialcal/edit/main/content/posts/x.md"' in banner


def test_a_clash_links_the_other_post_on_both_pages(example_calendar) -> None:
    a = post("a", dt.datetime(2027, 3, 3, 10, 0), title="First on X")
    b = post("b", dt.datetime(2027, 3, 3, 10, 20), title="Second on X")
    cal = small(example_calendar, [a, b])
    site = SiteData(cal)
    for mine, other, title in (("a", "b", "Second on X"), ("b", "a", "First on X")):
        html = Renderer([PACKAGE_TEMPLATES]).render(
            "post.html.j2", urls.post_page(mine), cal, **posts.post(site, cal.post_by_id[mine])
        )
        assert f'with <a href="../../posts/{other}/">{title}</a>' in html, mine
    assert posts.stamp(site, a) != posts.stamp(SiteData(small(example_calendar, [a])), a)  # serve redraws it


def test_the_rules_page_has_a_table_of_contents(example_calendar) -> None:
    html = Renderer([PACKAGE_TEMPLATES]).render("rules.md.j2", urls.RULES, example_calendar, rules=list(RULES.values()))
    toc = re.search(r'<nav class="sc-toc".*?</nav>', html, re.S)[0]
    assert all(f'href="#{urls.rule_anchor(code)}"' in toc for code in RULES)
    assert all(f'id="{urls.rule_anchor(code)}"' in html for code in RULES)


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        (dt.date(2026, 11, 29), dt.date(2026, 11, 30)),
        (dt.date(2026, 11, 28), dt.date(2026, 11, 23)),
        (TODAY, dt.date(2026, 11, 23)),
    ],
)
def test_this_week_per_channel_shows_the_week_ahead_on_a_sunday(example_calendar, today, monday) -> None:
    ctx = home.home(SiteData(on(example_calendar, today)))
    assert ctx["monday"] == monday
    counted = example_calendar.posts_between(monday, monday + dt.timedelta(days=7))
    assert sum(ctx["per_channel"].values()) == sum(
        1 for p in counted if p.status != "cancelled" for c in p.channels if c in ctx["per_channel"]
    )


def test_hashtag_counts_link_to_their_posts(example_calendar) -> None:
    ctx = hashtags.hashtags(SiteData(example_calendar))
    html = Renderer([PACKAGE_TEMPLATES]).render("hashtags.md.j2", urls.HASHTAGS, example_calendar, **ctx)
    for tag, n in ctx["active"]:
        if n:
            key = hashtags.anchor(tag)
            assert f'href="#{key}"' in html and f'id="{key}"' in html, tag
            section = re.search(rf'<section class="sc-tag-posts" id="{key}".*?</section>', html, re.S)[0]
            assert section.count('class="sc-entry') == min(n, 30) or "earlier post" in section
    assert hashtags.anchor("#CERN") == "tag-cern" and hashtags.anchor('#"><x') == "tag----x"


def test_a_channel_or_tag_written_twice_in_an_issue_is_proposed_once() -> None:
    body = (
        "### Title\n\nTwice\n\n### Date and time\n\n2027-03-05 16:00\n\n"
        "### Channels\n\ntwitter-cern, facebook-cern twitter-cern\n- [x] facebook-cern\n\n"
        "### Hashtags\n\n#LHC #LHC\n"
    )
    meta = parse_issue(body).meta
    assert meta["channel"] == ["twitter-cern", "facebook-cern"] and meta["hashtags"] == ["#LHC"]
