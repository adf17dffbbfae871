"""Planning the months ahead (issue 22) in headless Chromium, on both site engines: the grid at the
window's width with one line per post, open slots that open a filled-in proposal, the same filter
bar every month, the week's campaigns, the header's "Propose a post", and pages that fit a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import urls

from ..conftest import copy_project
from .conftest import built_sites
from .test_site import AXE, CHROMIUM, ENGINES

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]
REPO_URL = "https://github.com/cern/socialcal"
TODAY = "2026-12-03"  # a Thursday: the horizon is the end of March 2027, a month without posts
BUSY, EMPTY, WEEK = "calendar/2027-02/", "calendar/2027-03/", "week/2027-w06/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, serve) -> dict[str, str]:
    """The example site with repo_url, built once per engine on first use and served over HTTP."""
    root = tmp_path_factory.mktemp("planning") / "repo"
    project = copy_project(root, with_examples=True)
    yml = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(yml + f"\nrepo_url: {REPO_URL}\n", encoding="utf-8")
    return built_sites(root, TODAY, serve)


@pytest.fixture(scope="module", params=ENGINES)
def site(request, sites) -> str:
    return sites[request.param]



def opened(browser, width: int = 1280, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(8000)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "request", lambda r: problems.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
    )
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


@pytest.fixture
def page(browser):
    context, pg, problems = opened(browser)
    yield pg
    context.close()
    assert problems == [], f"requests to other hosts or console errors: {problems}"


def test_the_grid_takes_the_window_and_each_post_is_one_line(page, site) -> None:
    page.goto(site + BUSY)
    grid = page.locator("table.sc-grid").bounding_box()
    assert grid["width"] > 1180, grid  # not squeezed beside the navigation (~940 px before)
    assert not page.locator(".md-sidebar--primary").is_visible()
    heights = page.eval_on_selector_all("table.sc-grid a.sc-entry:not(.sc-over)", "els => els.map(e => e.offsetHeight)")
    assert heights and max(heights) < 26, heights  # one line each
    cut = page.eval_on_selector_all(
        "table.sc-grid a.sc-entry .sc-title",
        "els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.closest('a').title)",
    )
    assert cut and all(title for title in cut)  # an ellipsis, and the whole title in the tooltip


def test_an_open_slot_opens_a_filled_in_proposal(page, site) -> None:
    page.goto(site + BUSY)
    slot = page.locator("#day-2027-02-12 .sc-open-slot")
    slot.locator("summary").click()
    new_file = slot.get_by_role("link", name="Write the post on GitHub")
    new_file.wait_for()
    href = new_file.get_attribute("href")
    assert href.startswith(f"{REPO_URL}/new/") and "filename=content%2Fposts%2F2027%2F02%2F2027-02-12-gwti" in href
    issue = slot.get_by_role("link", name="Propose it in an issue").get_attribute("href")
    assert "template=propose-post.yml" in issue and "series=gwti" in issue and "date=2027-02-12%2016%3A00" in issue
    box = new_file.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280  # the proposal opens inside the window


def test_an_empty_day_ahead_proposes_a_post(page, site) -> None:
    page.goto(site + EMPTY)
    day = page.locator("#day-2027-03-09")
    day.locator(".sc-propose-day summary").click()
    link = day.get_by_role("link", name="Propose it in an issue")
    link.wait_for()
    assert "date=2027-03-09%2010%3A00" in link.get_attribute("href")


def test_the_filter_bar_is_the_same_every_month(page, site) -> None:
    shapes = []
    for path in (BUSY, EMPTY, "calendar/2026-12/"):
        page.goto(site + path)
        page.locator(".sc-filters").wait_for(state="visible")
        shapes.append(page.eval_on_selector_all(".sc-filters select", "els => els.map(s => s.options.length)"))
        box = page.locator(".sc-filters").bounding_box()
        shapes[-1].append(round(box["height"]))
    assert shapes[0] == shapes[1] == shapes[2], shapes
    page.goto(site + EMPTY)
    disabled = page.eval_on_selector_all(".sc-filters option:disabled", "els => els.length")
    assert disabled == page.eval_on_selector_all(".sc-filters option", "els => els.length") - 4


def test_the_week_draws_its_campaigns_and_open_slots(page, site) -> None:
    page.goto(site + WEEK)
    assert page.locator(".sc-week-bands a.sc-band").first.is_visible()
    assert page.locator(".sc-open-slot").count() >= 1
    assert page.locator(".sc-legend").get_by_text("campaign: International Day of Women").is_visible()


def test_the_header_proposes_a_post_and_its_controls_reach_the_edge(page, site) -> None:
    page.goto(site)
    link = page.locator(".md-header a.sc-propose-header")
    assert link.is_visible()
    assert link.get_attribute("href") == urls.issue_form_url(REPO_URL, {})
    # Without repo_url the header's repository box is empty (Zensical still writes it): the search
    # and the palette toggle then sit at the edge of the header.
    page.evaluate("document.querySelectorAll('.md-header__source').forEach(e => e.replaceChildren())")
    inner = page.locator(".md-header__inner").bounding_box()
    right = page.eval_on_selector_all(
        ".md-header__inner > *",
        "els => Math.max(...els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right))",
    )
    assert inner["x"] + inner["width"] - right < 40, (inner, right)


@pytest.mark.parametrize("path", [BUSY, EMPTY, WEEK, "", "series/gwti/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_planning_pages_fit_a_phone(browser, site, path: str, scheme: str) -> None:
    context, page, problems = opened(browser, 375, scheme)
    page.goto(site + path)
    wide = page.evaluate("document.documentElement.scrollWidth")
    if path == EMPTY:  # an empty month ahead: its days are there to propose a post on
        assert page.locator("#day-2027-03-09 .sc-propose-day summary").is_visible()
    context.close()
    assert wide <= 375 and problems == []


@pytest.mark.parametrize("path", [BUSY, EMPTY, WEEK, "", "series/gwti/"])
def test_no_serious_accessibility_violations(browser, site, path: str) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is missing: npm install --prefix tests/browser")
    for scheme in ("light", "dark"):
        context, page, _ = opened(browser, 1280, scheme)
        page.goto(site + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        context.close()
        serious = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (scheme, serious)
