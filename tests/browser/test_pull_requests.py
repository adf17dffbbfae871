"""Open pull requests on the built site, in headless Chromium, on both engines: the review desk
filtered to one pull request (`review/?pr=N`), the proposals on the month grid, the page of a
merged post with a pending change; hostile values from the gh JSON never run."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

from .. import prs
from .conftest import Quiet, QuietServer
from .test_site import CHROMIUM, ENGINES, browser, page, playwright  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return prs.make(tmp_path_factory.mktemp("browser-prs"))


@pytest.fixture(scope="module", params=ENGINES)
def site(request, fixture, tmp_path_factory) -> Iterator[str]:
    """The example site with the fixture's open pull requests, built with each engine, served."""
    project, listing, _ = fixture
    out = tmp_path_factory.mktemp(f"site-{request.param}") / "site"
    env = {"SOCIALCAL_TODAY": "2026-11-26", "SOURCE_DATE_EPOCH": "1795000000"}
    args = ["--root", str(project.root), "build", "--engine", request.param, "--site-dir", str(out)]
    result = CliRunner().invoke(cli, [*args, "--pull-requests", str(listing)], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output

    server = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def visible_cards(pg) -> list[str]:
    return pg.locator(".sc-pcard[data-when]:visible .sc-pcard-title").all_inner_texts()


def no_dialog(pg) -> list[str]:
    opened: list[str] = []
    pg.on("dialog", lambda d: (opened.append(d.message), d.dismiss()))
    return opened


def test_the_desk_address_of_a_pull_request_shows_its_posts_first(page, site) -> None:  # noqa: F811
    dialogs = no_dialog(page)
    page.goto(site + "review/?pr=4")
    groups = page.locator(".sc-desk-pr")
    assert groups.first.get_attribute("data-pr") == "4"
    assert "sc-desk-pr-first" in (groups.first.get_attribute("class") or "")
    assert visible_cards(page) == ["From a fork"]
    assert page.locator(".sc-desk").is_hidden()  # the merged queue steps aside
    assert page.locator(".sc-desk-count").inner_text() == "1 of 72 posts shown"
    page.select_option(".sc-desk-filter select[name=pr]", "")
    page.check(".sc-desk-filter input[value=all]")
    assert len(visible_cards(page)) == 72
    assert page.evaluate("location.search") == "?show=all"
    assert dialogs == []


def test_the_desk_shows_upcoming_posts_by_default_and_can_show_problems(page, site) -> None:  # noqa: F811
    page.goto(site + "review/")
    titles = visible_cards(page)
    assert len(titles) == 71 and "PR post <b>bold</b>" in titles  # the one overdue post is hidden
    page.check(".sc-desk-filter input[value=problems]")
    # The broken proposal (errors) and the overdue post (SC318: proposed, its day passed).
    assert visible_cards(page) == ["A broken proposal", "#MyWeb30: your first web page"]
    assert page.evaluate("location.search") == "?show=problems"
    # A card shows the picture and every channel's text, the French variant too.
    card = page.locator(".sc-desk-pr[data-pr='1'] .sc-pcard")
    page.check(".sc-desk-filter input[value=upcoming]")
    assert card.locator("img.sc-pcard-thumb").get_attribute("alt") == "A blue test picture added in the pull request"
    assert card.locator("img.sc-pcard-thumb").evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Le texte en français de la proposition." in card.inner_text()


def test_the_desk_without_javascript_shows_every_card(browser, site) -> None:  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site + "review/?pr=4")
    assert pg.locator(".sc-desk-filter").is_hidden()
    assert pg.locator(".sc-pcard[data-when]:visible").count() == 72
    assert pg.locator(".sc-desk-pr").first.get_attribute("data-pr") == "1"
    context.close()


def test_proposals_on_the_month_grid_are_dashed_marked_and_lead_to_their_page(page, site) -> None:  # noqa: F811
    dialogs = no_dialog(page)
    page.goto(site + "calendar/2026-12/")
    fork = page.locator(".sc-entry.sc-proposal[data-pr='4']")
    assert fork.evaluate("e => getComputedStyle(e).outlineStyle") == "dashed"
    assert "PR #4" in fork.inner_text()
    page.locator("#day-2026-12-03 .sc-entry.sc-proposal[data-pr='2']").click()
    page.wait_for_url("**/posts/2026-12-03-fcc-feasibility-update/#pr-2")
    # Zensical's instant navigation changes the address before it swaps the page in: wait for it.
    page.locator("#pr-2").wait_for(state="visible")
    assert dialogs == []


def test_a_pending_change_shows_the_text_before_and_after(page, site) -> None:  # noqa: F811
    page.goto(site + f"posts/{prs.EDITED_ID}/#pr-2")
    change = page.locator(".sc-pending-change#pr-2")
    rows = change.locator("table.sc-diff tbody tr")
    assert rows.count() == 2  # the text on each of its two channels
    first = rows.first.locator("td")
    assert prs.BEFORE in first.nth(0).inner_text() and prs.AFTER in first.nth(1).inner_text()
    assert "changes requested" in change.inner_text()
    assert change.locator("a[href^='javascript']").count() == 0
    # The page is still the merged post's: its previews show the merged text.
    assert prs.BEFORE in page.locator(".sc-previews").inner_text()


def test_the_page_of_a_new_post_shows_its_pull_request_with_hostile_values_as_text(page, site) -> None:  # noqa: F811
    dialogs = no_dialog(page)
    page.goto(site + "posts/pr-new-post/")
    banner = page.locator(".sc-proposed")
    assert banner.locator("a[href='https://github.com/cern-sm/calendar/pull/1']").inner_text().startswith(
        '<img src=x onerror="alert(1)">'
    )
    assert "by <script>alert(1)</script>" in banner.inner_text()
    assert page.locator(".sc-proposed img, .sc-proposed script").count() == 0
    assert dialogs == []
