"""Planning the months ahead (issue 22): the horizon's pages, open slots and the proposals they
start, a grid that reads at a glance, feeds for people, and the smaller fixes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.calendar import Calendar
from generator.registry import Registry, Settings, SiteSettings

from .conftest import TODAY, cli_build


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


def internal_links(site: Path, base_path: str) -> dict[str, list[str]]:
    """Every internal href and src of every HTML file of a built site whose target does not exist
    (target → the pages that link to it). Relative links resolve against the page, absolute ones
    against the site's own path (site_url); #fragments and ?queries are stripped."""
    missing: dict[str, list[str]] = {}
    root = site.resolve()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", html):
            url = (match[1] if match[1] is not None else match[2]).replace("&amp;", "&")
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, mailto:, javascript:, or only a #fragment or ?query
            path = unquote(parts.path)
            if path.startswith("/"):
                assert path.startswith(base_path), (page, url)
                target = root / path.removeprefix(base_path)
            else:
                target = page.parent / path
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or root not in target.parents:
                missing.setdefault(str(target), []).append(str(page.relative_to(site)))
    return missing


@pytest.mark.slow
@pytest.mark.usefixtures("pinned")
def test_no_internal_link_of_the_built_site_leads_to_a_missing_page(example_project) -> None:
    result = cli_build(example_project)
    assert result.exit_code == 0, result.output
    site = example_project.root / "site"
    assert (site / "calendar" / "2027-02" / "index.html").is_file()  # the horizon's last month, with posts or not
    assert (site / "week" / "2027-w08" / "index.html").is_file()  # its last week
    assert internal_links(site, "/socialcal/") == {}


def test_the_link_walk_finds_a_missing_page(tmp_path: Path) -> None:
    """The walker itself: relative, absolute, quoted either way, with fragments and queries."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../b/#x">b</a><img src=\'../c.png?v=1\'><a href="/socialcal/a/">self</a>'
        '<a href="https://other.example/">out</a><a href="#top">top</a><a href="../../../etc/passwd">out</a>'
    )
    (tmp_path / "c.png").write_bytes(b"")
    missing = internal_links(tmp_path, "/socialcal/")
    assert sorted(missing) == sorted([str((tmp_path / "b").resolve()), str((tmp_path / "../../etc/passwd").resolve())])
    assert all(pages == ["a/index.html"] for pages in missing.values())
