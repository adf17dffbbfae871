"""The built site in headless Chromium: pages open, filters work, captions stay text, axe is clean."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

from ..conftest import REPO, copy_project

CHROMIUM = "/usr/bin/chromium"
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


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser") / "repo"
    project = copy_project(root, with_examples=True)
    hostile = project.content / "posts" / "2026" / "12" / "hostile.md"
    hostile.write_text(
        "---\ntitle: '<img src=x onerror=\"window.pwned=1\"> E < mc²'\ndate: 2026-12-05 10:00\n"
        "channel: facebook-cern\nlink: https://home.cern/x\n---\n\n"
        "<script>window.pwned = 2</script> *stars* stay text\n",
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
    # The repository on GitHub: post, campaign, channel and series pages link to edit their file.
    yml = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(yml + "\nrepo_url: https://github.com/cern/socialcal\n", encoding="utf-8")
    env = {"SOCIALCAL_TODAY": "2026-11-26", "SOURCE_DATE_EPOCH": "1795000000"}
    os.environ["SOCIALCAL_TEST_SITE"] = str(project.site)
    result = CliRunner().invoke(cli, ["--root", str(root), "build"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(project.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


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
    pg.on("request", lambda r: external.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    yield pg
    context.close()
    assert external == [], f"requests to other hosts: {external}"


def test_home_shows_the_next_days_and_the_review_queue(page, site) -> None:
    page.goto(site)
    assert page.locator("h2#next-days").inner_text() == "The next 14 days"
    assert page.locator(".sc-home-upcoming .sc-entry").count() > 5
    assert "past their slot" in page.locator("section[aria-labelledby=waiting]").inner_text()


def test_month_page_grid_agenda_and_anchor(page, site) -> None:
    page.goto(site + "calendar/2027-02/")
    assert page.locator("table.sc-grid td:not(.sc-outside)").count() == 28
    wis = page.locator("article[id='2027-02-11-wis-day']")
    assert wis.count() == 1
    assert wis.locator("section.sc-out").count() == 5
    assert wis.locator("h4 a").get_attribute("href").endswith("posts/2027-02-11-wis-day/")


WIS = "posts/2027-02-11-wis-day/"
EDIT = "https://github.com/cern/socialcal/edit/main/content/posts/2027/02/2027-02-11-wis-day.md"


def test_a_post_is_followed_from_the_month_grid_to_its_page(page, site) -> None:
    page.goto(site + "calendar/2027-02/")
    page.locator("table.sc-grid a.sc-entry[href$='/2027-02-11-wis-day/']").first.click()
    page.wait_for_url("**/" + WIS)
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
    total = page.locator("article.sc-post:visible").count()
    page.select_option("select[data-filter=channel]", "youtube-cern-lectures")
    shown = page.locator("article.sc-post:visible")
    assert 0 < shown.count() < total
    for i in range(shown.count()):
        assert "youtube-cern-lectures" in shown.nth(i).get_attribute("data-channel")
    # Material's instant navigation swaps the page without a reload: the filter must still apply.
    page.locator("a[rel=next]").first.click()
    page.wait_for_url("**/calendar/2027-01/")
    page.wait_for_function(
        "document.querySelector('form.sc-filters') && !document.querySelector('form.sc-filters').hidden"
    )
    assert page.locator("select[data-filter=channel]").input_value() == "youtube-cern-lectures"
    visible = page.locator("article.sc-post:visible")
    filtered = visible.count()
    assert filtered > 0
    assert all("youtube-cern-lectures" in visible.nth(i).get_attribute("data-channel") for i in range(filtered))
    page.locator("form.sc-filters button[type=reset]").click()
    page.wait_for_timeout(100)
    assert page.locator("article.sc-post:visible").count() > filtered


def test_pages_read_without_javascript(browser, site) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site + "calendar/2026-12/")
    assert not pg.locator("form.sc-filters").is_visible()
    assert pg.locator("article.sc-post").count() > 10
    context.close()


def test_hostile_caption_is_shown_as_text_and_never_runs(page, site) -> None:
    page.goto(site + "calendar/2026-12/")
    card = page.locator("article#hostile")
    assert "<script>window.pwned = 2</script> *stars* stay text" in card.inner_text()
    assert '<img src=x onerror="window.pwned=1"> E < mc²' in card.locator("h4").inner_text()
    assert page.evaluate("window.pwned") is None


@pytest.mark.parametrize(
    "path",
    [
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
        WIS,
        "posts/2026-12-17-stories-christmas-lab/",
        "posts/2026-12-18-year-in-review/",
        "posts/2026-11-18-antimatter-result/",
        "posts/hostile-0/",
        "posts/lecture-2026-12-02/",
        "posts/gwti-answer-2026-12-07/",
    ],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, site, path: str, scheme: str) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is missing: npm install --prefix tests/browser")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    pg = context.new_page()
    pg.goto(site + path)
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


@pytest.mark.parametrize(
    "path",
    [
        "",
        "calendar/2026-12/",
        "week/",
        "channels/instagram-cern/",
        "campaigns/women-in-science-2027/",
        "results/",
        "campaigns/researchers-night-2026/",
        "calendar/2026-09/",
    ],
)
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots(browser, site, path: str, width: int) -> None:
    """Screenshots to look at (screenshots/); the page must not scroll sideways at 375 px."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    pg.goto(site + path)
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if os.environ.get("SOCIALCAL_SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        name = (path.strip("/").replace("/", "_") or "home") + f"_{width}.png"
        pg.screenshot(path=str(SHOTS / name), full_page=True)
    context.close()
    assert overflow <= 1, f"{path} scrolls sideways at {width}px by {overflow}px"


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
def test_post_page_screenshots(browser, site, name: str, width: int, scheme: str) -> None:
    """Post pages for each network, on a laptop and a phone, in both palettes (screenshots/)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    pg = context.new_page()
    pg.goto(site + POST_SHOTS[name])
    for y in range(0, pg.evaluate("document.body.scrollHeight"), 600):  # lazy images load on the way
        pg.evaluate(f"window.scrollTo(0, {y})")
        pg.wait_for_timeout(50)
    pg.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    pg.evaluate("window.scrollTo(0, 0)")
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if os.environ.get("SOCIALCAL_SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"post_{name}_{width}_{scheme}.png"), full_page=True)
    context.close()
    assert overflow <= 1, f"{name} scrolls sideways at {width}px by {overflow}px"


def test_search_finds_a_post_and_leads_to_its_page(page, site) -> None:
    page.goto(site)
    page.wait_for_function("document.querySelector('.md-search__input') !== null")
    page.keyboard.press("s")  # Material's shortcut to the search box
    page.keyboard.type("Timepix", delay=30)
    page.locator(".md-search-result__item a").first.wait_for(timeout=8000)
    # Each post is its own entry, leading to its own page.
    hits = page.locator(".md-search-result__item a", has_text="Timepix")
    assert hits.count() >= 1
    assert "/posts/" in hits.first.get_attribute("href")
    hits.first.click()
    page.wait_for_url("**/posts/**")
    assert "Timepix" in page.locator("article.sc-postpage").inner_text()


def _every_page(site_dir: Path) -> list[str]:
    return sorted(
        ("" if p.parent == site_dir else p.parent.relative_to(site_dir).as_posix() + "/")
        for p in site_dir.rglob("index.html")
        if not {"search", "assets"} & set(p.relative_to(site_dir).parts)
    )


def test_no_page_scrolls_sideways_on_a_phone(browser, site) -> None:
    site_dir = Path(os.environ["SOCIALCAL_TEST_SITE"])
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
    for path in ("results/", "campaigns/", "review/", "hashtags/"):
        page.goto(site + path)
        cell = page.locator("table.sc-table td").first
        padding = cell.evaluate("td => parseFloat(getComputedStyle(td).paddingLeft)")
        border = cell.evaluate("td => getComputedStyle(td).borderTopStyle")
        assert padding >= 8, (path, padding)
        assert border == "solid", path


def test_campaign_evaluation_heading_shows_once(page, site) -> None:
    page.goto(site + "campaigns/researchers-night-2026/")
    headings = page.locator("h1, h2, h3").all_inner_texts()
    assert [h for h in headings if h.strip().lower().startswith("evaluation")] == ["Evaluation"]


def test_rules_page_shows_code_not_backticks(page, site) -> None:
    page.goto(site + "rules/")
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
