"""One home for each concept: counted, formatted, listed or derived in one place that every view
asks (the model, the date formats, the feed table), never a second copy."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator import date_formats, urls
from generator.calendar_model import Calendar
from generator.characters import row_of
from generator.content_file import SourceError, parse
from generator.errors import ConfigError
from generator.linkcheck import address_problem, media_problem
from generator.models import Post
from generator.project import PACKAGE_TEMPLATES, Project
from generator.registry import Registry
from generator.registry_reading import read_registry_yaml
from generator.rules.core import Rule
from generator.rules.links import SC108, SC308, rule_of
from generator.views import charts
from generator.views.feed_table import FEEDS, FeedRow, feeds
from generator.views.feeds import write_feeds
from generator.views.pages import PAGES, Renderer, nav, render_pages
from generator.views.pages.home import home
from generator.views.pages.render import environment
from generator.views.pages.results import results
from generator.views.pages.site_data import SiteData
from generator.views.pages.subscribe import subscribe

from .conftest import REPO

ZURICH = ZoneInfo("Europe/Zurich")
TODAY = dt.date(2027, 1, 6)  # a Wednesday
MONDAY = dt.date(2027, 1, 4)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Project(REPO).registry()


def post(pid: str, day: dt.date, channels: tuple[str, ...] = ("twitter-cern",), **fields: object) -> Post:
    when = dt.datetime.combine(day, dt.time(10), tzinfo=ZURICH)
    return Post.model_validate(
        {"id": pid, "path": f"content/posts/{pid}.md", "title": pid, "date": when, "channels": channels, **fields}
    )


def calendar(registry: Registry, *posts: Post) -> Calendar:
    return Calendar(registry, tuple(sorted(posts, key=lambda p: (p.date, p.id))), (), TODAY)


# Posts per channel: counted once, in the model.


def test_posts_per_channel_and_week_are_counted_once_in_the_model(registry: Registry) -> None:
    cal = calendar(
        registry,
        post("both", MONDAY, ("twitter-cern", "facebook-cern")),
        post("sunday", MONDAY + dt.timedelta(days=6)),  # still the week of MONDAY
        post("next", MONDAY + dt.timedelta(days=7)),
        post("off", MONDAY + dt.timedelta(days=2), status="cancelled"),  # does not go out: not counted
    )
    assert cal.posts_in_week("twitter-cern", MONDAY) == 2
    assert cal.posts_in_week("facebook-cern", MONDAY) == 1
    assert cal.posts_in_week("twitter-cern", MONDAY + dt.timedelta(weeks=1)) == 1
    assert cal.posts_in_week("linkedin-cern", MONDAY) == 0


def test_the_home_page_and_the_results_chart_show_the_models_count(registry: Registry, monkeypatch) -> None:
    cal = calendar(
        registry,
        post("a", MONDAY, ("twitter-cern", "facebook-cern")),
        post("b", MONDAY + dt.timedelta(days=1)),
        post("c", MONDAY + dt.timedelta(days=1), status="cancelled"),
    )
    site = SiteData(cal, "https://x.example/")
    per_channel = home(site)["per_channel"]
    assert per_channel["twitter-cern"] == cal.posts_in_week("twitter-cern", MONDAY) == 2
    assert per_channel["facebook-cern"] == 1 and per_channel["linkedin-cern"] == 0
    drawn: dict[str, list[float | None]] = {}

    def small_multiples(title: str, labels: list[str], lines: list[charts.Line], **kw: object) -> str:
        drawn.update({line.css: list(line.values) for line in lines})
        return ""

    monkeypatch.setattr(charts, "small_multiples", small_multiples)
    results(site)
    assert drawn["sc-ch-twitter-cern"][11] == 2  # this week: the 12th of the chart's 16
    assert drawn["sc-ch-facebook-cern"][11] == 1


# Feeds: one table. Adding a feed is one row: written, and listed under its row's group.

PUBLISHED = FeedRow(
    "feeds/published.ics",
    lambda cal, _: "Social media: published",
    lambda cal, _: "Posts that went out.",
    "Per status",
    lambda scope, event: (None,) if isinstance(event, Post) and event.status == "published" else (),
)


def test_a_feed_row_is_written_and_listed_under_its_group(registry: Registry) -> None:
    cal = calendar(registry, post("out", MONDAY, status="published"), post("next", MONDAY + dt.timedelta(days=1)))
    table = (*FEEDS, PUBLISHED)
    listed = dict(subscribe(SiteData(cal, "https://x.example/"), table)["feeds"])  # type: ignore[arg-type]
    assert [f["title"] for f in listed["Per status"]] == ["Social media: published"]
    assert listed["Per status"][0]["url"] == "https://x.example/feeds/published.ics"
    assert "Per status" not in dict(subscribe(SiteData(cal, "https://x.example/"))["feeds"])  # type: ignore[arg-type]
    written: dict[str, bytes] = {}
    count = write_feeds(
        cal, "https://x.example/", lambda path, chunks: written.setdefault(path, b"".join(chunks)), table=table
    )
    assert count == len(feeds(cal)) + 1 == len(written)
    assert written["feeds/published.ics"].count(b"BEGIN:VEVENT") == 1
    assert b"UID:out@x.example" in written["feeds/published.ics"]


def test_the_subscribe_page_groups_feeds_by_their_rows_not_their_paths(registry: Registry) -> None:
    """A feed whose path has no folder of its own still lands under its row's group."""
    cal = calendar(registry, post("a", MONDAY))
    table = (*FEEDS, dataclasses.replace(PUBLISHED, group="Per channel"))
    listed = dict(subscribe(SiteData(cal, "https://x.example/"), table)["feeds"])  # type: ignore[arg-type]
    assert listed["Per channel"][-1]["path"] == "feeds/published.ics"
    assert [f["path"] for f in listed["Everything"]] == [urls.FEED_ALL, urls.FEED_REVIEW]
    assert list(listed) == ["Everything", "Per owner", "Per channel", "Per series"]  # no campaigns here


def test_every_feed_of_the_table_has_its_own_path(example_calendar: Calendar) -> None:
    paths = [f.path for f in feeds(example_calendar)]
    assert len(paths) == len(set(paths)) and all(p.startswith("feeds/") and p.endswith(".ics") for p in paths)


# Sub-calendars: the model derives them (Calendar.restricted); nothing writes into a calendar.


def test_a_restricted_calendar_shares_the_wholes_composed_texts(registry: Registry, monkeypatch) -> None:
    whole = calendar(
        registry,
        post("question", MONDAY, series="gwti"),
        post("answer", MONDAY + dt.timedelta(days=1), series="gwti-answer", answer_to="question"),
        post("elsewhere", MONDAY + dt.timedelta(days=2)),
    )
    composed = whole.entries_by_post
    monkeypatch.setattr("generator.calendar_model.compose", lambda *a: pytest.fail("composed again"))
    part = whole.restricted([whole.post_by_id["answer"]])
    assert [p.id for p in part.posts] == ["question", "answer"]  # the question it answers comes along
    assert part.entries_by_post == {pid: composed[pid] for pid in ("question", "answer")}
    assert part.entries == composed["question"] + composed["answer"]
    assert "elsewhere" not in part.post_by_id and whole.entries_by_post is composed  # the whole is unchanged
    with pytest.raises(dataclasses.FrozenInstanceError):
        part.composed = {}  # type: ignore[misc]


def test_a_calendar_without_a_whole_composes_its_own_entries(registry: Registry) -> None:
    cal = calendar(registry, post("a", MONDAY, ("twitter-cern", "facebook-cern")))
    assert cal.composed is None
    assert [e.channel.id for e in cal.entries] == ["twitter-cern", "facebook-cern"]


# The address check's refusals are reported by their rule units, and refuses the characters table's controls.


@pytest.mark.parametrize(
    ("url", "rule"),
    [("home.cern/news", SC108), ("https://user@home.cern/", SC108), ("https://evil.example/x", SC308)],
)
def test_the_address_check_answers_with_the_rule_unit(registry: Registry, url: str, rule: Rule) -> None:
    found = address_problem(url, registry.links)
    assert found is not None and rule_of(found) is rule
    media = media_problem("../secret.jpg", registry.links)
    assert media is not None and rule_of(media) is SC108


@pytest.mark.parametrize(
    "hidden",
    ["\u202e", "\u2066", "\x9b", "\x85", "\x1b[31m", "\x00", "\u2028", "\x7f"],  # bidi, C1 (CSI, NEL), C0, DEL
)
def test_addresses_and_media_paths_refuse_every_control_of_the_characters_table(hidden: str) -> None:
    assert row_of(hidden[0]) is not None and row_of(hidden[0]).control  # type: ignore[union-attr]
    found = address_problem(f"https://home.cern/news{hidden}lhc", None)
    assert found is not None and rule_of(found) is SC108
    media = media_problem(f"media/2027/{hidden}gpj.jpg", None)
    assert media is not None and rule_of(media) is SC108
    assert address_problem("https://home.cern/news/lhc", None) is None and media_problem("media/été.jpg", None) is None


# Display dates: one module, the same functions as the templates' filters.


def test_the_display_formats() -> None:
    d = dt.date(2027, 1, 4)
    assert date_formats.day(d) == "Monday 4 January 2027"
    assert date_formats.short_day(d) == "Mon 4 Jan"
    assert date_formats.day_month(d) == "4 January" and date_formats.long_date(d) == "4 January 2027"
    assert date_formats.month_day(d) == "Jan 4"
    assert date_formats.month_title(2026, 9) == "September 2026" and date_formats.short_month(2026, 9) == "Sep 2026"
    assert date_formats.week_title(dt.date(2026, 12, 28)) == "Week 53 of 2026"  # ISO: the week's own year
    assert date_formats.week_title(d) == "Week 1 of 2027"
    spring = dt.datetime(2027, 3, 28, 3, 5, tzinfo=ZURICH)  # just after the clocks went forward
    assert date_formats.time(spring) == "03:05" and date_formats.day(spring) == "Sunday 28 March 2027"


def test_templates_format_dates_with_the_same_functions() -> None:
    env = environment((str(PACKAGE_TEMPLATES),))
    for name in ("day", "short_day", "time", "day_name"):
        assert env.filters[name] is getattr(date_formats, name)
    assert env.from_string("{{ ym|ym_name }}").render(ym=(2027, 2)) == "February 2027"
    assert env.from_string("{{ d|week_title }}").render(d=dt.date(2027, 3, 1)) == "Week 9 of 2027"


# Page titles: the table's row names a page, in the navigation and on the page.


def test_a_pages_title_is_its_rows(example_calendar: Calendar) -> None:
    site = SiteData(example_calendar, "https://x.example/")
    renderer = Renderer([PACKAGE_TEMPLATES])
    table = [dataclasses.replace(p, title=f"Renamed {p.title}") for p in PAGES if isinstance(p.path, str) and p.title]
    written: dict[str, str] = {}

    class Sink:
        def write(self, rel_path: str, content: str) -> None:
            written[rel_path] = content

        def fragment(self, rel_path: str, html: str) -> None:
            pass

    render_pages(site, renderer, Sink(), table=table)
    weeks = {p.path for p in table if p.spliced}  # "This week" in the navigation, "Week 48 of 2026" on the page
    for title, path in nav(table):
        if path in weeks:
            continue
        assert written[path].split("\n---\n")[0].count(f'\ntitle: "{title}"\n') == 1, path
    assert ("Renamed Subscribe", urls.SUBSCRIBE) in nav(table)


# One hardened YAML reader: a post's front-matter and a registry refuse the same payloads the same way.

_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{k}: &{k} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, k in zip("abcdefg", "bcdefgh", strict=True)
)
HOSTILE = [
    ("title: !!python/object/apply:os.system [echo pwned]\n", "SC005"),  # code execution
    (_BOMB, "SC006"),  # a billion laughs
    ("title: A\ntitle: B\n", "SC011"),  # the second key silently winning
    ('title: "red \\e[31m text"\n', "SC010"),  # a terminal escape made by a YAML escape
    ('title: "\\u202eevil"\n', "SC010"),  # a bidi override made by a YAML escape
    ("title: A\nlist:\n\t- x\n", "SC003"),  # tab indentation
    ("title: [unclosed\n", "SC003"),
    ("title: A\ufffe\n", "SC010"),  # a character YAML refuses to read at all
]


@pytest.mark.parametrize(("yaml_text", "code"), HOSTILE)
def test_front_matter_and_registries_refuse_the_same_yaml(tmp_path: Path, yaml_text: str, code: str) -> None:
    with pytest.raises(SourceError) as front:
        parse(f"---\n{yaml_text}---\n\nText.\n")
    assert front.value.rule.code == code
    registry_file = tmp_path / "settings.yml"
    registry_file.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as reg:
        read_registry_yaml(registry_file)
    assert f" error {code} " in str(reg.value) and str(reg.value).startswith(f"{registry_file}:")


def test_the_reader_tells_the_line_in_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as front:
        parse("---\ntitle: A\ntitle: B\n---\n")
    assert front.value.line == 3
    registry_file = tmp_path / "channels.yml"
    registry_file.write_text("# the accounts\nx:\n  name: A\n  name: B\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"channels\.yml:4: error SC011"):
        read_registry_yaml(registry_file)


def test_a_registry_may_be_empty_and_spans_lines_where_a_post_may_not(tmp_path: Path) -> None:
    registry_file = tmp_path / "audiences.yml"
    registry_file.write_text("# none yet\n", encoding="utf-8")
    assert read_registry_yaml(registry_file) == (None, {})
    registry_file.write_text('x: "two\\nlines"\n', encoding="utf-8")
    assert read_registry_yaml(registry_file)[0] == {"x": "two\nlines"}
    with pytest.raises(SourceError, match="line break in a one-line value"):
        parse('---\ntitle: "two\\nlines"\n---\n')


def test_a_template_rendered_on_its_own_is_named_by_its_row(example_calendar: Calendar) -> None:
    site = SiteData(example_calendar, "https://x.example/")
    html = Renderer([PACKAGE_TEMPLATES]).render("rules.md.j2", urls.RULES, site.cal, rules=[])
    assert html.split("\n---\n")[0].count('\ntitle: "Rules"\n') == 1


# A KPI column is a row of kpis.COLUMNS: the site's tables and the text report both take it from there.


def test_a_kpi_column_added_to_the_table_shows_on_the_site_and_in_the_text_report(
    example_calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import kpis
    from generator.views.kpi_report import report

    reach = kpis.Column("reach", "Reach (people)", "reach")
    monkeypatch.setattr(kpis, "COLUMNS", (*kpis.COLUMNS, reach))
    renderer = Renderer([PACKAGE_TEMPLATES])
    monkeypatch.setitem(renderer.env.globals, "KPI_COLUMNS", kpis.COLUMNS)
    site = SiteData(example_calendar)
    html = renderer.render("results.md.j2", urls.RESULTS, site.cal, **results(site))
    assert '<th scope="col" class="sc-num">Reach (people)</th>' in html
    measured = kpis.by_channel(example_calendar.posts)
    reached = [t.value("reach") for t in measured.values() if t.value("reach") is not None]
    assert reached and f"{reached[0]:,}" in html
    text = report(example_calendar, None, None, "text")
    header = next(line.split() for line in text.splitlines() if line.split()[:1] == ["posts"])
    assert header[0] == "posts" and header[-1] == "reach"
