"""What a newcomer sees, in headless Chromium on both site engines, on a quiet day (1 September
2026: nothing in the next fortnight, open slots ahead): the home page's boxes, tables wider than a
phone, the page of an address with no page, open slots cut short."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from ..conftest import copy_project
from .conftest import built_sites
from .test_site import AXE, CHROMIUM, ENGINES

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]
TODAY = "2026-09-01"  # the first post is on 21 September; weekly series have open slots from today
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("look") / "repo"
    copy_project(root, with_examples=True)
    return root


@pytest.fixture(scope="module")
def sites(root: Path, serve) -> dict[str, str]:
    return built_sites(root, TODAY, serve)


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def site(sites, engine: str) -> str:
    return sites[engine]


@pytest.fixture
def opened(browser):
    """opened(width, scheme): a new page of that size and palette; no request leaves the machine,
    nothing is written to the console."""
    contexts, problems = [], []

    def make(viewport=None, scheme: str = "light"):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, color_scheme=scheme)
        context.set_default_timeout(8000)
        contexts.append(context)
        pg = context.new_page()
        pg.on("request", lambda r: problems.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
        pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: problems.append(str(e)))
        return pg

    yield make
    for context in contexts:
        context.close()
    assert problems == [], f"requests to other hosts or console errors: {problems}"


def test_an_empty_next_days_box_is_as_tall_as_what_it_says_and_names_the_next_post(opened, site) -> None:
    page = opened()
    page.goto(site)
    box = page.locator(".sc-home-upcoming")
    assert "Nothing planned in the next 14 days." in box.inner_text()
    assert "European Researchers' Night" in box.locator("a.sc-entry").inner_text()  # Monday 21 September
    # Its frame ends below its last line, not at the bottom of the taller side column.
    gap = box.evaluate("b => b.getBoundingClientRect().bottom - b.lastElementChild.getBoundingClientRect().bottom")
    side = page.locator(".sc-home-side").bounding_box()
    assert gap < 40, gap
    assert box.bounding_box()["height"] < side["height"] / 2


@pytest.mark.parametrize("path", ["results/", "channels/twitter-cern/"])
def test_a_table_wider_than_a_phone_scrolls_from_the_keyboard(opened, site, path: str) -> None:
    page = opened(PHONE)
    page.goto(site + path)
    page.wait_for_load_state("load")
    boxes = page.eval_on_selector_all(
        ".sc-scroll",
        """els => els.map(b => ({wide: b.scrollWidth > b.clientWidth + 1, tab: b.tabIndex,
                                 role: b.getAttribute('role'), name: b.getAttribute('aria-label') || ''}))""",
    )
    wide = [b for b in boxes if b["wide"]]
    assert wide, "no table is wider than the phone: nothing to check"
    assert all(b["tab"] == 0 and b["role"] == "region" and b["name"] for b in wide), wide
    assert all(b["tab"] == -1 for b in boxes if not b["wide"]), boxes  # a box that fits is no tab stop
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('sc-scroll')"):
            break
    else:
        pytest.fail("no table that scrolls sideways can be reached with the Tab key")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    # The window made wide: the tables fit, and leave the tab order.
    page.set_viewport_size({"width": 1366, "height": 900})
    fits_out_of_tab_order = "b => b.scrollWidth > b.clientWidth + 1 || b.tabIndex === -1"
    page.wait_for_function(f"[...document.querySelectorAll('.sc-scroll')].every({fits_out_of_tab_order})")


@pytest.mark.parametrize("path", ["results/", "channels/twitter-cern/"])
def test_no_serious_accessibility_violations_on_a_phone(opened, site, path: str) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is missing: npm install --prefix tests/browser")
    for scheme in ("light", "dark"):
        page = opened(PHONE, scheme)
        page.goto(site + path)
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (scheme, serious)


@pytest.fixture(scope="module")
def published(root: Path, sites, serve, engine: str) -> str:
    """The site where GitHub Pages puts it, under its site_url's path (/socialcal/): the page of
    an address with no page links to the site's pages from there."""
    sites[engine]  # built
    host = root / f"host-{engine}"
    host.mkdir()
    (host / "socialcal").symlink_to(root / f"site-{engine}", target_is_directory=True)
    return serve(host) + "socialcal/"


def test_an_address_with_no_page_says_why_and_offers_the_sites_pages(opened, published: str) -> None:
    for scheme in ("light", "dark"):
        page = opened(scheme=scheme)
        page.goto(published + "404.html")  # what GitHub Pages answers for an address with no page
        assert page.locator("h1").inner_text() == "Page not found"
        assert "renamed or deleted post" in page.locator("article").inner_text()
        links = page.locator("article li a")
        names = links.all_inner_texts()
        assert {"Home", "Calendar", "This week", "Review queue", "Rules"} <= set(names), names
        for href in links.evaluate_all("els => els.map(a => a.href)"):
            with urllib.request.urlopen(href) as answer:  # the local server only
                assert answer.status == 200, href
        if AXE.exists():
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
            assert serious == [], (scheme, serious)


def test_an_open_slot_cut_short_has_its_whole_label_in_the_tooltip(opened, site) -> None:
    for viewport, path in (({"width": 1280, "height": 900}, "calendar/2026-09/"), ({"width": 768, "height": 1024}, "")):
        page = opened(viewport)
        page.goto(site + path)
        cut = page.eval_on_selector_all(
            ".sc-open-slot > .sc-propose > summary",
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => [e.textContent.trim(), e.title])",
        )
        assert cut, f"no open slot is cut short on {path or 'home'} at {viewport['width']} px: nothing to check"
        assert all(title == text for text, title in cut), cut


@pytest.mark.parametrize("width", [1024, 768])
def test_on_a_tablet_a_post_of_the_month_stays_inside_its_day(opened, site, width: int) -> None:
    """Time, three channel icons and the mark did not fit a day 100-140 px wide: the title shrank to
    nothing and the mark spilled into the next day. The title now takes a line of its own."""
    page = opened({"width": width, "height": 900})
    page.goto(site + "calendar/2026-12/")
    entries = page.eval_on_selector_all(
        "table.sc-grid a.sc-entry",
        """els => els.filter(e => e.offsetParent).map(e => {
             const day = e.closest('td').getBoundingClientRect();
             return {title: e.querySelector('.sc-title').clientWidth,
                     out: [...e.children].filter(c => getComputedStyle(c).position !== 'absolute')
                                         .some(c => c.getBoundingClientRect().right > day.right + .5)};
           })""",
    )
    assert entries
    assert not [e for e in entries if e["out"]], "a post's time, icons, title or mark reach into the next day"
    assert min(e["title"] for e in entries) >= 16, entries  # at least a letter and the ellipsis
