"""The built site in headless Chromium: pages open, filters work, captions stay text, axe is clean;
on both site engines (MkDocs + Material, Zensical), each building the site once."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

from ..conftest import REPO, copy_project
from .conftest import CHROMIUM, Quiet, QuietServer

HOSTILE = [
    '<img src=x onerror="window.pwned=3">',
    "</textarea><script>window.pwned=4</script>",
    '"><svg onload="window.pwned=5">',
    "{{ 7*7 }} <b>not bold</b> & ampersand",
]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO / "screenshots"

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]

NEEDS_ZENSICAL = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None, reason='zensical is not installed (pip install -e ".[test]")'
)
ENGINES = ["mkdocs", pytest.param("zensical", marks=NEEDS_ZENSICAL)]


def on_engines(cases: list, on_zensical: Callable[..., bool]) -> list:
    """(engine, *case) parameters: every case on MkDocs, those `on_zensical` accepts on Zensical
    too (the whole suite twice would take too long for what it adds)."""
    listed = [case if isinstance(case, tuple) else (case,) for case in cases]
    return [("mkdocs", *case) for case in listed] + [
        pytest.param("zensical", *case, marks=NEEDS_ZENSICAL) for case in listed if on_zensical(*case)
    ]


# How each engine's search is opened (its keyboard shortcut, the box that then has the focus)
# and where its results are (Zensical's live in a shadow root, which Playwright's locators pierce).
SEARCH = {
    "mkdocs": ("s", ".md-search__input", ".md-search-result__item a"),
    "zensical": ("Control+k", "[role=combobox][aria-label=Search]", "[role=listbox][aria-label='Search results'] a"),
}


class Sites:
    """The example site with a hostile post, built with each engine the first time it is asked for
    and served over HTTP: sites(engine) is its address, sites.folder(engine) its files."""

    def __init__(self, build: Callable[[str], tuple[str, Path]]) -> None:
        self._build = build
        self._built: dict[str, tuple[str, Path]] = {}

    def __call__(self, engine: str) -> str:
        if engine not in self._built:
            self._built[engine] = self._build(engine)
        return self._built[engine][0]

    def folder(self, engine: str) -> Path:
        self(engine)
        return self._built[engine][1]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[Sites]:
    root = tmp_path_factory.mktemp("browser") / "repo"
    project = copy_project(root, with_examples=True)
    hostile = project.content / "posts" / "2026" / "12" / "hostile.md"
    hostile.write_text(
        "---\ntitle: '<img src=x onerror=\"window.pwned=1\"> E < mc²'\ndate: 2026-12-05 10:00\n"
        "channel: facebook-cern\nlink: https://home.cern/x\n---\n\n"
        "<script>window.pwned = 2</script> *stars* stay text\n",
        encoding="utf-8",
    )
    # A busy day: the lecture of 16 December and five more posts.
    for i, channel in enumerate(
        ["twitter-cernpress", "twitter-cern", "facebook-cern", "linkedin-cern", "twitter-cern-fr"]
    ):
        (project.content / "posts" / "2026" / "12" / f"busy-{i}.md").write_text(
            f"---\ntitle: Busy day post {i}\ndate: 2026-12-16 {9 + i}:30\nchannel: {channel}\n"
            f"link: https://home.cern/busy/{i}\nstatus: {'approved' if i % 2 else 'proposed'}\n---\n\nBusy text {i}.\n"
            + ("\nA long text that goes on and on.\n" * 12 if i == 2 else ""),
            encoding="utf-8",
        )
    for i, payload in enumerate(HOSTILE):
        quoted = payload.replace("'", "''")
        (project.content / "posts" / "2026" / "12" / f"hostile-{i}.md").write_text(
            f"---\ntitle: '{quoted}'\ndate: 2026-12-0{i + 1} 18:00\nchannel: [twitter-cern, instagram-cern]\n"
            f"link: https://home.cern/x\nmedia:\n  - src: media/potw/2026-12-01.jpg\n    alt: '{quoted}'\n---\n\n"
            f"{payload} in the text\n",
            encoding="utf-8",
        )
    # The repository on GitHub: edit links on post, campaign, channel and series pages and review
    # cards (and no request to GitHub's API for the header's link).
    yml = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(yml + "\nrepo_url: https://github.com/cern/socialcal\n", encoding="utf-8")
    env = {"SOCIALCAL_TODAY": "2026-11-26", "SOURCE_DATE_EPOCH": "1795000000"}
    servers: list[QuietServer] = []

    def build(engine: str) -> tuple[str, Path]:
        out = root / f"site-{engine}"
        args = ["--root", str(root), "build", "--engine", engine, "--site-dir", str(out)]
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        server = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/", out

    yield Sites(build)
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def site(sites, engine: str) -> str:
    """The site, built with each engine in turn (tests that use it run on both)."""
    return sites(engine)


@pytest.fixture(scope="module")
def mkdocs_site(sites) -> str:
    """The site built with MkDocs, for checks of our own pages that the engine does not change
    (running them on both would lengthen the suite for nothing)."""
    return sites("mkdocs")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(8000)
    pg = context.new_page()
    external: list[str] = []
    errors: list[str] = []
    pg.on("request", lambda r: external.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert external == [], f"requests to other hosts: {external}"
    assert errors == [], f"errors in the console: {errors}"


def search(page, engine: str, query: str):
    """Open the engine's search from the keyboard, type `query`; the results that mention it."""
    key, box, results = SEARCH[engine]
    page.wait_for_load_state("load")
    for _ in range(50):  # the shortcut works once the theme's script has started
        page.keyboard.press(key)
        field = page.locator(box)
        if field.count() and field.first.evaluate("e => e.getRootNode().activeElement === e"):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"{engine}: {key} did not open the search")
    page.keyboard.type(query, delay=30)
    hits = page.locator(results, has_text=query)
    hits.first.wait_for()
    return hits


def test_home_shows_the_next_days_and_the_review_queue(page, site) -> None:
    page.goto(site)
    assert page.locator("h2#next-days").inner_text() == "The next 14 days"
    assert page.locator(".sc-home-upcoming .sc-entry").count() > 5
    assert "past their slot" in page.locator("section[aria-labelledby=waiting]").inner_text()


def test_month_page_grid_and_anchor(page, site) -> None:
    page.goto(site + "calendar/2027-02/")
    assert page.locator("table.sc-grid td.sc-cell").count() == 28
    entry = page.locator("td#day-2027-02-11 a.sc-entry[id='2027-02-11-wis-day']")
    assert entry.count() == 1
    assert entry.get_attribute("data-channel").split() == [
        "twitter-cern",
        "twitter-cern-fr",
        "facebook-cern",
        "instagram-cern",
        "linkedin-cern",
    ]
    assert entry.get_attribute("href").endswith("posts/2027-02-11-wis-day/")  # the post's own page
    # The month has no agenda any more: every post has a page of its own.
    assert page.locator("article.sc-post").count() == 0


WIS = "posts/2027-02-11-wis-day/"
EDIT = "https://github.com/cern/socialcal/edit/main/content/posts/2027/02/2027-02-11-wis-day.md"


def test_a_post_is_followed_from_the_month_grid_to_its_page(page, site) -> None:
    page.goto(site + "calendar/2027-02/")
    page.locator("table.sc-grid a.sc-entry[href$='/2027-02-11-wis-day/']").first.click()
    page.wait_for_url("**/" + WIS)
    page.locator("article.sc-postpage").wait_for()  # instant navigation swaps the page in after the address
    assert page.locator("h1").inner_text() == "International Day of Women and Girls in Science"
    assert page.title().startswith("International Day of Women and Girls in Science - ")
    previews = page.locator("section.sc-preview")
    assert previews.count() == 5
    styles = [previews.nth(i).locator(".sc-pv").get_attribute("class").split()[1] for i in range(5)]
    assert styles == ["sc-pv-twitter", "sc-pv-twitter", "sc-pv-facebook", "sc-pv-instagram", "sc-pv-linkedin"]
    x = page.locator("section[aria-labelledby=pv-twitter-cern]")
    assert "@CERN" in x.inner_text() and "#WomenInScience #CERN" in x.locator(".sc-pv-text").inner_text()
    assert re.fullmatch(r"\d+ / 280 weighted characters", x.locator(".sc-pv-count").inner_text().strip())
    insta = page.locator("section[aria-labelledby=pv-instagram-cern]")
    assert "#WomenInScience" not in insta.locator(".sc-pv-caption").inner_text()
    assert "#WomenInScience #CERN" in insta.locator(".sc-pv-comment").inner_text()
    assert re.fullmatch(r"\d+ / 2,200 characters", insta.locator(".sc-pv-count").inner_text().strip())
    img = insta.locator("img.sc-pv-img")
    assert img.get_attribute("alt") == "Portrait of a CERN scientist at work"
    assert "/assets/thumbs/" in img.evaluate("i => i.currentSrc")
    img.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    box = img.bounding_box()
    assert box and abs(box["width"] - box["height"]) < 2, "Instagram shows the picture square"
    assert page.locator("a.sc-source-link", has_text="Edit on GitHub").get_attribute("href") == EDIT
    assert "commits/main/content/posts/2027/02/2027-02-11-wis-day.md" in page.locator(
        "a.sc-source-link", has_text="History"
    ).get_attribute("href")


def test_each_network_has_its_preview(page, site) -> None:
    page.goto(site + "posts/2026-12-17-stories-christmas-lab/")
    story = page.locator(".sc-pv-instagram-stories .sc-pv-story")
    box = story.bounding_box()
    assert box and abs(box["height"] / box["width"] - 16 / 9) < 0.02, "a story is 9:16"
    assert story.locator("img").get_attribute("alt") == "Snow falling on the Globe"
    page.goto(site + "posts/2026-12-18-year-in-review/")
    video = page.locator(".sc-pv-youtube .sc-pv-placeholder")
    assert "Year in review video" in video.inner_text() and "not loaded" in video.inner_text()
    assert page.locator(".sc-pv-youtube .sc-pv-description").count() == 1
    page.goto(site + "posts/2026-11-18-antimatter-result/")
    stats = page.locator("section[aria-labelledby=pv-twitter-cern] dl.sc-pv-stats")
    assert "72,400" in stats.inner_text()


def test_copy_text_copies_the_text_as_it_goes_out(browser, site) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    pg.goto(site + WIS)
    button = pg.locator("section[aria-labelledby=pv-instagram-cern] button.sc-copy-btn").first
    assert button.is_visible()
    button.click()
    expected = pg.locator("#copy-instagram-cern").input_value()
    assert expected.startswith("Today is the International Day") and "#CERN" not in expected
    assert pg.evaluate("navigator.clipboard.readText()") == expected
    assert button.inner_text().strip() == "Copied"
    context.close()


def test_a_post_page_reads_without_javascript(browser, site) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site + WIS)
    assert pg.locator("section.sc-preview").count() == 5
    assert pg.locator("button.sc-copy-btn:visible").count() == 0
    text = pg.locator("section[aria-labelledby=pv-twitter-cern] .sc-pv-text")
    assert text.evaluate("e => getComputedStyle(e).userSelect") != "none"
    assert "Today is the International Day" in text.inner_text()
    context.close()


@pytest.mark.parametrize("i", range(len(HOSTILE)))
def test_hostile_title_and_text_on_a_post_page_stay_text(page, site, i: int) -> None:
    page.goto(site + f"posts/hostile-{i}/")
    assert page.locator("h1").inner_text() == HOSTILE[i]
    assert page.title().startswith(HOSTILE[i])
    assert (
        f"{HOSTILE[i]} in the text" in page.locator("section[aria-labelledby=pv-twitter-cern] .sc-pv-text").inner_text()
    )
    assert page.locator("section[aria-labelledby=pv-instagram-cern] img").get_attribute("alt") == HOSTILE[i]
    assert page.evaluate("window.pwned") is None


def test_filters_hide_other_channels_and_survive_instant_navigation(page, site) -> None:
    page.goto(site + "calendar/2026-12/")
    form = page.locator("form.sc-filters")
    assert form.is_visible()
    entries = "table.sc-grid .sc-entry:visible"
    total = page.locator(entries).count()
    page.select_option("select[data-filter=channel]", "youtube-cern-lectures")
    shown = page.locator(entries)
    assert 0 < shown.count() < total
    for i in range(shown.count()):
        assert "youtube-cern-lectures" in shown.nth(i).get_attribute("data-channel")
    # Material's instant navigation swaps the page without a reload: the filter must still apply.
    # The address may change before the content is swapped: wait for the next page's own form
    # (the one shown now is marked), which the script shows once it has applied the filter.
    page.evaluate("document.querySelector('form.sc-filters').dataset.before = 'yes'")
    page.locator("a[rel=next]").first.click()
    page.wait_for_url("**/calendar/2027-01/?channel=youtube-cern-lectures")
    page.wait_for_function(
        "(f => f && !f.hidden && !f.dataset.before)(document.querySelector('form.sc-filters'))"
    )
    assert page.locator("select[data-filter=channel]").input_value() == "youtube-cern-lectures"
    visible = page.locator(entries)
    filtered = visible.count()
    assert filtered > 0
    assert all("youtube-cern-lectures" in visible.nth(i).get_attribute("data-channel") for i in range(filtered))
    page.locator("form.sc-filters button[type=reset]").click()
    page.wait_for_timeout(100)
    assert page.locator(entries).count() > filtered
    assert "channel=" not in page.url


def test_a_filtered_address_restores_the_filter_and_a_change_updates_the_address(page, site) -> None:
    page.goto(site + "calendar/2026-12/?channel=instagram-cern&status=proposed")
    page.wait_for_function("!document.querySelector('form.sc-filters').hidden")
    assert page.locator("select[data-filter=channel]").input_value() == "instagram-cern"
    assert page.locator("select[data-filter=status]").input_value() == "proposed"
    shown = page.locator("table.sc-grid .sc-entry:visible")
    assert shown.count() > 0
    for i in range(shown.count()):
        el = shown.nth(i)
        assert "instagram-cern" in el.get_attribute("data-channel").split()
        assert el.get_attribute("data-status") == "proposed"
    page.select_option("select[data-filter=status]", "approved")
    assert page.url.endswith("/calendar/2026-12/?channel=instagram-cern&status=approved")
    assert all(shown.nth(i).get_attribute("data-status") == "approved" for i in range(shown.count()))
    # The pager carries the filter on; the address can be shared as it is.
    assert page.locator("a[rel=next]").first.get_attribute("href").endswith("?channel=instagram-cern&status=approved")
    page.select_option("select[data-filter=channel]", "")
    assert page.url.endswith("/calendar/2026-12/?status=approved")


def test_the_review_page_filters_from_its_address(page, site) -> None:
    page.goto(site + "review/?channel=youtube-cern-lectures")
    page.wait_for_function("!document.querySelector('form.sc-filters').hidden")
    cards = page.locator("article.sc-pcard:visible")
    assert cards.count() > 0
    assert all("youtube-cern-lectures" in cards.nth(i).get_attribute("data-channel") for i in range(cards.count()))
    # A day with no card left goes with its cards.
    for i in range(page.locator("section.sc-desk-day:visible").count()):
        assert page.locator("section.sc-desk-day:visible").nth(i).locator("article.sc-pcard:visible").count() > 0


def test_campaign_bands_run_across_their_days(page, site) -> None:
    page.goto(site + "calendar/2027-02/")

    def days_with(campaign: str) -> list[str]:
        cells = page.locator(f"td.sc-cell:has(.sc-band[data-campaign='{campaign}'])")
        return [cells.nth(i).get_attribute("id") for i in range(cells.count())]

    assert days_with("women-in-science-2027") == [f"day-2027-02-{d:02d}" for d in range(4, 13)]
    assert days_with("open-days-2027") == [f"day-2027-02-{d:02d}" for d in range(1, 6)]
    # The name is a link where a stretch of the band starts: its first day, and each Monday.
    starts = page.locator("a.sc-band[data-campaign='women-in-science-2027']")
    assert starts.count() == 2
    assert starts.first.get_attribute("href").endswith("campaigns/women-in-science-2027/")
    assert "International Day of Women and Girls in Science 2027" in starts.first.inner_text()
    # Overlapping campaigns get lanes of their own and line up across the week.
    thursday = page.locator("td#day-2027-02-04 .sc-band")
    assert thursday.count() == 2
    friday = page.locator("td#day-2027-02-05 .sc-band")
    assert [friday.nth(i).get_attribute("data-campaign") for i in range(2)] == [
        thursday.nth(i).get_attribute("data-campaign") for i in range(2)
    ]


def test_a_busy_day_shows_more_and_opens_on_click(page, site) -> None:
    page.goto(site + "calendar/2026-12/")
    cell = page.locator("td#day-2026-12-16")
    assert cell.locator(".sc-entry").count() == 6
    assert cell.locator(".sc-entry:visible").count() == 3
    more = cell.locator("a.sc-more")
    assert more.inner_text().startswith("+3 more")
    assert more.get_attribute("href").endswith("#day-2026-12-16")
    more.click()
    assert cell.locator(".sc-entry:visible").count() == 6
    assert not more.is_visible()
    # Filtered, the cell counts what matches.
    page.goto(site + "calendar/2026-12/?status=proposed")
    page.wait_for_function("!document.querySelector('form.sc-filters').hidden")
    proposed = cell.locator(".sc-entry[data-status=proposed]").count()
    assert cell.locator(".sc-entry:visible").count() == min(3, proposed)
    if proposed > 3:
        assert more.inner_text().startswith(f"+{proposed - 3} more")
    else:
        assert not more.is_visible()


def test_drafts_and_proposals_look_different_from_approved_posts(page, site) -> None:
    page.goto(site + "calendar/2026-12/")
    approved = page.locator("td#day-2026-12-01 .sc-entry-approved").first
    proposed = page.locator("td#day-2026-12-08 .sc-entry-proposed").first
    style = "el => getComputedStyle(el).borderLeftStyle + ' ' + getComputedStyle(el).backgroundImage"
    assert approved.evaluate(style).startswith("solid none")
    assert proposed.evaluate(style).startswith("dashed repeating-linear-gradient")
    # Each account its own colour: the three X accounts are three colours.
    colours = {
        cid: page.evaluate(
            "cid => { const e = document.createElement('span'); e.className = 'sc-ch-' + cid;"
            " document.body.append(e); const c = getComputedStyle(e).getPropertyValue('--sc-color'); e.remove();"
            " return c.trim(); }",
            cid,
        )
        for cid in ("twitter-cern", "twitter-cern-fr", "twitter-cernpress")
    }
    assert len(set(colours.values())) == 3, colours


def test_review_queue_shows_the_text_and_the_links(page, site) -> None:
    page.goto(site + "review/")
    dates = page.locator("h2.sc-desk-date")
    assert dates.count() > 5
    ids = [dates.nth(i).get_attribute("id") for i in range(dates.count())]
    assert ids == sorted(ids)  # grouped by day, soonest first
    card = page.locator("article.sc-pcard", has_text="#MyWeb30: your first web page")
    assert card.count() == 1
    assert "sc-overdue" in card.get_attribute("class")
    assert "slot passed 2 days ago" in page.locator("section.sc-desk-day", has=card).locator("h2").inner_text()
    assert "What was the first web page you ever visited?" in card.locator(".sc-text").inner_text()
    assert (
        card.locator(".sc-counts li").count() == 1 and "100\u2009/\u2009280" in card.locator(".sc-counts").inner_text()
    )

    def href(text: str) -> str:
        return card.locator(".sc-pcard-links a", has_text=text).get_attribute("href")

    hrefs = {text: href(text) for text in ("Open the post", "Edit the file", "History")}
    assert hrefs["Open the post"].endswith("posts/2026-11-24-myweb30-memories/")
    assert hrefs["Edit the file"] == (
        "https://github.com/cern/socialcal/edit/main/content/posts/2026/11/2026-11-24-myweb30-memories.md"
    )
    assert hrefs["History"] == (
        "https://github.com/cern/socialcal/commits/main/content/posts/2026/11/2026-11-24-myweb30-memories.md"
    )
    # The post's own warnings are on its card.
    warned = page.locator("article.sc-pcard:has(ul.sc-diags)")
    if warned.count():
        assert warned.first.locator(".sc-sev").first.inner_text().lower() in ("warning", "error")
    # The home page shows the same cards.
    page.goto(site)
    home_cards = page.locator("section[aria-labelledby=waiting] article.sc-pcard")
    assert 0 < home_cards.count() <= 5
    assert home_cards.first.locator(".sc-text").first.inner_text().strip()  # one text per channel wording
    assert home_cards.first.locator(".sc-pcard-links a", has_text="Edit the file").count() == 1


def test_long_texts_fold_and_unfold(page, site) -> None:
    page.goto(site + "review/")
    button = page.locator("button.sc-more-text").first
    assert button.get_attribute("aria-expanded") == "false"
    text = page.locator(".sc-textbox:has(+ button.sc-more-text) .sc-text").first
    folded = text.evaluate("el => el.clientHeight")
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert text.evaluate("el => el.clientHeight") > folded


def test_the_week_shows_each_posts_text(page, site) -> None:
    page.goto(site + "week/next/")
    posts = page.locator("article.sc-wpost")
    assert posts.count() > 3
    assert all(posts.nth(i).locator(".sc-text").inner_text().strip() for i in range(posts.count()))


def test_pages_read_without_javascript(browser, site) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site + "calendar/2026-12/")
    assert not pg.locator("form.sc-filters").is_visible()
    assert pg.locator("table.sc-grid .sc-entry").count() > 10
    pg.goto(site + "review/")
    assert pg.locator("article.sc-pcard .sc-text").first.is_visible()
    context.close()


def test_hostile_caption_is_shown_as_text_and_never_runs(page, site) -> None:
    page.goto(site + "week/next/")
    card = page.locator("article.sc-wpost", has_text="stay text")
    assert "<script>window.pwned = 2</script> *stars* stay text" in card.locator(".sc-text").inner_text()
    assert '<img src=x onerror="window.pwned=1"> E < mc²' in card.locator("h3").inner_text()
    assert page.evaluate("window.pwned") is None
    page.goto(site + "calendar/2026-12/")
    assert '<img src=x onerror="window.pwned=1"> E < mc²' in page.locator("a#hostile").inner_text()
    assert page.evaluate("window.pwned") is None


AXE_PAGES = [
    "",
    "calendar/2026-12/",
    "channels/instagram-cern/",
    "campaigns/women-in-science-2027/",
    "week/",
    "review/",
    "subscribe/",
    "rules/",
    "results/",
    "campaigns/researchers-night-2026/",
    "calendar/2026-09/",
    "calendar/2027-02/",
    "week/next/",
    WIS,
    "posts/2026-12-17-stories-christmas-lab/",
    "posts/2026-12-18-year-in-review/",
    "posts/2026-11-18-antimatter-result/",
    "posts/hostile-0/",
    "posts/lecture-2026-12-02/",
    "posts/gwti-answer-2026-12-07/",
]
# The theme's own parts (navigation, header, search) on Zensical: a page of each kind is enough
# (a post page: the one with an image and five networks).
AXE_ON_ZENSICAL = {
    "",
    "calendar/2026-12/",
    "campaigns/women-in-science-2027/",
    "review/",
    "results/",
    "subscribe/",
    WIS,
}


@pytest.mark.parametrize(
    ("engine", "path", "scheme"),
    on_engines(
        [(path, scheme) for path in AXE_PAGES for scheme in ("light", "dark")],
        lambda path, scheme: path in AXE_ON_ZENSICAL,
    ),
)
def test_no_serious_accessibility_violations(browser, sites, engine: str, path: str, scheme: str) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is missing: npm install --prefix tests/browser")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    pg = context.new_page()
    pg.goto(sites(engine) + path)
    pg.add_script_tag(path=str(AXE))
    result = pg.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert serious == [], "\n".join(map(str, serious))


def test_keyboard_reaches_the_filters(page, site) -> None:
    page.goto(site + "calendar/2026-12/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.dataset.filter") == "channel":
            break
    else:
        pytest.fail("the channel filter cannot be reached with the keyboard")


SCREENSHOT_PAGES = [
    "",
    "calendar/2026-12/",
    "calendar/2027-02/",
    "week/next/",
    "week/",
    "channels/instagram-cern/",
    "campaigns/women-in-science-2027/",
    "review/",
    "results/",
    "campaigns/researchers-night-2026/",
    "calendar/2026-09/",
]
SCREENSHOTS = bool(os.environ.get("SOCIALCAL_SCREENSHOTS"))


@pytest.mark.parametrize(
    ("engine", "path", "width"),
    on_engines(
        [(path, width) for path in SCREENSHOT_PAGES for width in (375, 1366)],
        lambda path, width: width == 375 or SCREENSHOTS,
    ),
)
def test_screenshots(browser, sites, engine: str, path: str, width: int) -> None:
    """The page must not scroll sideways at 375 px. With SOCIALCAL_SCREENSHOTS=1, screenshots to
    look at, light and dark, in screenshots/<engine>/."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.goto(sites(engine) + path)
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    if SCREENSHOTS:
        (SHOTS / engine).mkdir(parents=True, exist_ok=True)
        name = path.strip("/").replace("/", "_") or "home"
        for scheme in ("light", "dark"):
            # A context of its own: the theme keeps the palette of the first visit in local
            # storage, so the colour scheme of a page reloaded in the same context would not count.
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            pg = context.new_page()
            pg.goto(sites(engine) + path)
            pg.wait_for_load_state("networkidle")
            pg.screenshot(path=str(SHOTS / engine / f"{name}_{width}_{scheme}.png"), full_page=True)
            context.close()
    assert overflow <= 1, f"{path} scrolls sideways at {width}px by {overflow}px"


def test_search_finds_a_post_and_leads_to_its_page(page, site, engine: str) -> None:
    page.goto(site)
    # Each post is its own entry, leading to its own page.
    hits = search(page, engine, "Timepix")
    href = hits.first.get_attribute("href").split("?", 1)[0]  # Material adds ?h=<the query>
    assert href.endswith("/posts/gwti-answer-2027-02-01/")
    hits.first.click()
    page.wait_for_url(re.compile(r".*/posts/gwti-answer-2027-02-01/(\?.*)?$"))
    page.locator("article.sc-postpage").wait_for()
    assert "Timepix" in page.locator("article.sc-postpage").inner_text()


def test_search_results_show_user_text_as_text(page, site, engine: str) -> None:
    page.goto(site)
    hostile = search(page, engine, "onerror").filter(has_text="pwned=1")  # other hostile posts match too
    assert '<img src=x onerror="window.pwned=1"> E < mc²' in hostile.first.inner_text()
    assert page.evaluate("window.pwned") is None
    page.goto(site + "rules/")
    qa = search(page, engine, "stories Q")  # the title has an ampersand: shown once, not as &amp;
    text = qa.first.inner_text()
    assert "Women in Science: stories Q&A" in text and "&amp;" not in text and "&#" not in text


def test_the_palette_toggle_switches_light_and_dark(page, site) -> None:
    page.goto(site + "calendar/2026-12/")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    before = page.evaluate(scheme)
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"{scheme} !== {before!r}")
    after = page.evaluate(scheme)
    assert {before, after} == {"default", "slate"}
    # Our calendar follows: its cards take the scheme's colours, not fixed ones.
    card = page.locator(".sc-grid .sc-entry").first
    assert card.evaluate("e => getComputedStyle(e).color") == page.evaluate(
        "getComputedStyle(document.querySelector('.md-typeset')).color"
    )


POST_SHOTS = {
    "x-facebook-instagram-linkedin": WIS,
    "instagram-stories": "posts/2026-12-17-stories-christmas-lab/",
    "youtube": "posts/2026-12-18-year-in-review/",
    "published": "posts/2026-11-18-antimatter-result/",
    "lectures": "posts/lecture-2026-12-02/",
}


@pytest.mark.parametrize("name", sorted(POST_SHOTS))
@pytest.mark.parametrize("width", [375, 1366])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_post_page_screenshots(browser, site, engine: str, name: str, width: int, scheme: str) -> None:
    """Post pages for each network, on a laptop and a phone, in both palettes, on each engine; with
    SOCIALCAL_SCREENSHOTS=1, in screenshots/<engine>/."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    pg = context.new_page()
    pg.goto(site + POST_SHOTS[name])
    for y in range(0, pg.evaluate("document.body.scrollHeight"), 600):  # lazy images load on the way
        pg.evaluate(f"window.scrollTo(0, {y})")
        pg.wait_for_timeout(50)
    pg.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    pg.evaluate("window.scrollTo(0, 0)")
    pg.wait_for_timeout(500)  # the header's title slides back once the page is at its top
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if SCREENSHOTS:
        (SHOTS / engine).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / engine / f"post_{name}_{width}_{scheme}.png"), full_page=True)
    context.close()
    assert overflow <= 1, f"{name} scrolls sideways at {width}px by {overflow}px"


def _every_page(site_dir: Path) -> list[str]:
    return sorted(
        ("" if p.parent == site_dir else p.parent.relative_to(site_dir).as_posix() + "/")
        for p in site_dir.rglob("index.html")
        if not {"search", "assets"} & set(p.relative_to(site_dir).parts)
    )


def test_no_page_scrolls_sideways_on_a_phone(browser, sites) -> None:
    # Every page on MkDocs; on Zensical, test_screenshots checks a page of each kind at 375 px.
    site, site_dir = sites("mkdocs"), sites.folder("mkdocs")
    pages = _every_page(site_dir)
    assert len(pages) > 40
    context = browser.new_context(viewport={"width": 375, "height": 800})
    pg = context.new_page()
    wide = []
    for path in pages:
        pg.goto(site + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        # A table or chart may not push the column wider than the screen either.
        inner = pg.evaluate(
            "[...document.querySelectorAll('.sc-scroll, figure.sc-figure')]"
            ".filter(e => e.scrollWidth - e.clientWidth > 1).length"
        )
        if overflow > 1 or (inner and "review" in path):
            wide.append((path, overflow, inner))
    context.close()
    assert wide == []


def test_generated_tables_have_the_theme_padding(page, site) -> None:
    # (The review queue is cards now, not a table: the home page's table stands in for it.)
    for path in ("results/", "campaigns/", "", "hashtags/"):
        page.goto(site + path)
        cell = page.locator("table.sc-table td").first
        padding = cell.evaluate("td => parseFloat(getComputedStyle(td).paddingLeft)")
        border = cell.evaluate("td => getComputedStyle(td).borderTopStyle")
        assert padding >= 8, (path, padding)
        assert border == "solid", path


def test_campaign_evaluation_heading_shows_once(page, mkdocs_site) -> None:
    page.goto(mkdocs_site + "campaigns/researchers-night-2026/")
    headings = page.locator("h1, h2, h3").all_inner_texts()
    assert [h for h in headings if h.strip().lower().startswith("evaluation")] == ["Evaluation"]


def test_rules_page_shows_code_not_backticks(page, mkdocs_site) -> None:
    page.goto(mkdocs_site + "rules/")
    text = page.locator("#rules ~ section.sc-rule p:not(.sc-note)").all_inner_texts()
    assert len(text) > 30
    assert not [t for t in text if "`" in t]
    assert page.locator("section#sc003 p code").count() >= 1


def test_charts_fit_their_column_and_keep_their_end_labels(browser, site) -> None:
    for width in (375, 1366):
        context = browser.new_context(viewport={"width": width, "height": 900})
        pg = context.new_page()
        pg.goto(site + "results/")
        cut = pg.evaluate(
            """() => [...document.querySelectorAll('svg.sc-chart')].flatMap(svg => {
                const box = svg.getBoundingClientRect();
                return [...svg.querySelectorAll('text')].filter(t => getComputedStyle(t).display !== 'none')
                  .map(t => t.getBoundingClientRect())
                  .filter(r => r.right > box.right + 1 || r.left < box.left - 1);
            }).length"""
        )
        widths = pg.evaluate("[...document.querySelectorAll('svg.sc-chart')].map(s => s.getBoundingClientRect().width)")
        column = pg.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
        context.close()
        assert cut == 0, width
        assert max(widths) <= column, (width, widths, column)
