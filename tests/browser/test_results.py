"""The Results page's best times and community growth (issue 24, items 4 and 5) in headless
Chromium: the heatmaps and the growth chart with the tables behind them, readable in both
palettes, fitting a phone; an open slot's proposal with the best hour of its channels."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import copy_project
from .conftest import built_sites
from .test_site import CHROMIUM, ENGINES

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]
RESULTS = "results/"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, serve) -> dict[str, str]:
    """The example site, built once per engine on first use and served over HTTP."""
    root = tmp_path_factory.mktemp("results") / "repo"
    copy_project(root, with_examples=True)
    return built_sites(root, "2026-11-26", serve)


@pytest.fixture(scope="module", params=ENGINES)
def site(sites, request) -> str:
    return sites[request.param]


@pytest.fixture(params=["light", "dark"])
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=request.param)
    context.set_default_timeout(8000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], errors


# The contrast ratio (WCAG) of an element's text on its own background.
CONTRAST = """e => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b]
    .map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const s = getComputedStyle(e);
  const [a, b] = [lum(rgb(s.color)), lum(rgb(s.backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_the_results_page_shows_each_channels_best_times_as_a_table(page, site) -> None:
    page.goto(site + RESULTS)
    tables = page.locator("table.sc-heatmap")
    assert tables.count() >= 3
    x = tables.filter(has=page.locator("caption", has_text="CERN on X/Twitter"))
    assert x.locator("caption").inner_text().startswith("CERN on X/Twitter: engagement rate by weekday and hour")
    headers = x.locator("thead th[scope=col]").all_inner_texts()
    assert headers[0] == "Hour" and [h.strip()[:3] for h in headers[1:]] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
    assert x.locator("tbody th[scope=row]").all_inner_texts() == ["10:00", "17:00"]
    best = x.locator("td.sc-heat-top")
    assert best.count() == 1 and "2 posts" in best.inner_text() and "BEST" in best.inner_text().upper()
    assert best.evaluate(CONTRAST) >= 4.5  # the shaded cell is readable in this palette
    thin = x.locator("td.sc-heat-thin").first
    assert "too few" in thin.inner_text() and "1 post" in thin.inner_text()
    assert "fewer than 2" in thin.get_attribute("title")
    assert "%" not in thin.inner_text()  # a thin cell shows no rate
    assert "Best: Wednesdays at 10:00" in page.locator("#best-times ~ p.sc-note", has_text="Best:").first.inner_text()


def test_the_results_page_charts_community_growth_with_its_table(page, site) -> None:
    page.goto(site + RESULTS)
    charts = page.locator("svg.sc-growth-chart")
    assert charts.count() == 3
    assert charts.first.get_attribute("role") == "img"
    assert charts.first.locator("title").text_content() == "New followers per month: CERN on X/Twitter"
    assert charts.first.locator("rect.sc-bar-loss").count() == 1  # July's loss, below the line
    table = page.locator("table.sc-growth")
    assert table.locator("caption").text_content() == "Followers and new followers per month and channel"
    assert table.locator("thead th[scope=colgroup]").all_inner_texts() == [
        "CERN on X/Twitter",
        "CERN on Instagram (feed)",
        "CERN on LinkedIn",
    ]
    july = table.locator("tbody tr", has=page.locator("th", has_text="Jul 2026")).locator("td").all_inner_texts()
    assert july[:2] == ["2,831,600", "−5,800"]
    april = table.locator("tbody tr", has=page.locator("th", has_text="Apr 2026")).locator("td").all_inner_texts()
    assert april[4:] == ["not recorded", "—"]


@pytest.mark.parametrize("width", [375, 1366])
def test_the_results_page_fits_the_screen(page, site, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + RESULTS)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the Results page scrolls sideways at {width}px by {overflow}px"


def test_an_open_slot_proposes_the_best_hour_of_its_channels(page, site) -> None:
    page.goto(site + "week/2027-w06/")
    slot = page.locator(".sc-open-slot[data-series=gwti] details.sc-propose").first
    slot.locator("summary").click()
    tip = slot.locator("ul.sc-best-times li").first
    assert tip.is_visible()
    assert tip.inner_text().startswith("Best time for CERN on X/Twitter, from its results: Wednesdays at 10:00")
