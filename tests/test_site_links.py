"""Every link of the site stays in it when it is served under a path (a GitHub Pages project site,
`https://owner.github.io/repo/`), whichever engine built it.

The engines read a page's relative links differently: MkDocs leaves raw HTML as written (the
browser reads it from the page's address, `channels/x/`), Zensical reads every relative link of
a page's Markdown from the folder of the page's file (`channels/`) and rewrites it. A link made
for the wrong one climbs a folder too many: harmless at the root of a domain, out of the site
under `/repo/`. HTML spliced in after the engine is read by the browser alone, on both."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator import urls
from generator.diagnostics import Diagnostic
from generator.project import PACKAGE_TEMPLATES, Project
from generator.views.pages import Renderer, SiteData, channels, series
from generator.views.pages import review as review_page

from .conftest import VALID_POST, cli_build, override, post_at, small_calendar
from .site_links import broken_links
from .test_zensical import needs_zensical

pytestmark = pytest.mark.usefixtures("pinned")

PREFIX = "/repo/"


# --- the walk ----------------------------------------------------------------------------------


def site_of(tmp_path: Path, pages: dict[str, str], files: tuple[str, ...] = ()) -> Path:
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(html, encoding="utf-8")
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    return tmp_path


def test_the_walk_follows_links_as_a_browser_does_under_the_prefix(tmp_path: Path) -> None:
    site = site_of(
        tmp_path,
        {
            "index.html": '<a href="channels/x/">x</a><a href="feeds/x.ics">feed</a><a href="">here</a>',
            "channels/x/index.html": (
                '<a href="../../feeds/x.ics">feed</a>'  # right
                "<img src='../../feeds/x.ics?v=1#top'>"  # either quote, a query and a fragment
                '<a href="../../">home</a><a href="/repo/channels/x/">self</a><a href="#top">top</a>'
                '<a href="https://other.example/">another site</a><a href="mailto:a@b.c">mail</a>'
            ),
        },
        files=("feeds/x.ics",),
    )
    assert broken_links(site, PREFIX) == {}


def test_the_walk_follows_attributes_of_tags_not_text_that_looks_like_one(tmp_path: Path) -> None:
    """A campaign plan's `<a href="../../../x">` is shown as text (escaped `<`, the quotes kept):
    no browser follows it, so the walk does not either; a real tag's link still counts."""
    text = (
        '<p>&lt;a href="../../../x"&gt;raw&lt;/a&gt; <code>src=\'../../../y\'</code>'
        '<!-- <a href="../../../z"> --></p>'
    )
    site = site_of(tmp_path, {"channels/x/index.html": text + '<a data-x="1" HREF = "../../../out">real</a>'})
    assert broken_links(site, PREFIX) == {"/out": ["channels/x/index.html: ../../../out"]}


@pytest.mark.parametrize(
    ("href", "resolved"),
    [
        ("../../../feeds/x.ics", "/feeds/x.ics"),  # one folder too many: at the root of a domain it would work
        ("../../../../../feeds/x.ics", "/feeds/x.ics"),  # the browser stops at /, still out of /repo/
        ("..\\..\\..\\feeds\\x.ics", "/feeds/x.ics"),  # backslashes are slashes to a browser
        ("%2e%2e/%2e%2e/%2e%2e/feeds/x.ics", "/repo/channels/x/%2e%2e/%2e%2e/%2e%2e/feeds/x.ics"),  # encoded dots
        ("/feeds/x.ics", "/feeds/x.ics"),  # from the domain's root: another site's
        ("/repository/feeds/x.ics", "/repository/feeds/x.ics"),  # a prefix of the name is not the folder
        ("../../feeds/y.ics", "/repo/feeds/y.ics"),  # in the site, but no such file
        ("../../calendar/", "/repo/calendar/"),  # a folder without its index.html
    ],
)
def test_the_walk_reports_a_link_out_of_the_site_or_to_no_file(tmp_path: Path, href: str, resolved: str) -> None:
    page = f'<a href="../../feeds/x.ics">fine</a><a href="{href}">broken</a>'
    site = site_of(tmp_path, {"channels/x/index.html": page, "feeds/x.ics": ""}, files=("calendar/.keep",))
    assert broken_links(site, PREFIX) == {resolved: [f"channels/x/index.html: {href}"]}


# --- the links a page is rendered with ------------------------------------------------------------


def test_a_link_is_made_from_the_page_address_or_from_the_page_file() -> None:
    channel, feed = urls.channel_page("x"), urls.channel_feed("x")
    assert urls.href(channel, feed) == "../../feeds/channels/x.ics"  # channels/x/ in the browser
    assert urls.href(channel, feed, from_file=True) == "../feeds/channels/x.ics"  # channels/x.md in the docs
    assert urls.href(urls.REVIEW, urls.month_page((2027, 3)), "day-2027-03-02", from_file=True) == (
        "calendar/2027-03/#day-2027-03-02"
    )
    assert urls.href(urls.REVIEW, urls.HOME) == "../" and urls.href(urls.REVIEW, urls.HOME, from_file=True) == "./"
    # A page named index.md is in the folder of its address: both are one link.
    for src in (urls.HOME, urls.CHANNELS, urls.CALENDAR):
        for target in (urls.HOME, urls.REVIEW, feed, urls.post_page("p")):
            assert urls.href(src, target, from_file=True) == urls.href(src, target)


def test_a_link_is_never_empty_for_an_engine_reads_an_empty_one_as_the_page_itself() -> None:
    """From a page at the top (review.md), the folder of its file is the site's root: the link
    home from it is the folder itself. Written "", Zensical leaves it as it is and the browser
    stays on review/ ("#top" likewise jumps on the page itself); "./" it rewrites to ".././", home."""
    for src in (urls.REVIEW, urls.SUBSCRIBE, urls.RESULTS, urls.HOME):
        assert urls.href(src, urls.HOME, from_file=True) == "./", src
        assert urls.href(src, urls.HOME, "top", from_file=True) == "./#top", src
    assert urls.href(urls.HOME, urls.HOME) == "./" and urls.href(urls.HOME, urls.HOME, "top") == "./#top"
    # Every other link already names a folder or a file.
    assert urls.href(urls.REVIEW, urls.SUBSCRIBE, from_file=True) == "subscribe/"
    assert urls.href(urls.HOME, urls.FEED_ALL) == "feeds/all.ics"


@pytest.mark.slow
@needs_zensical
def test_a_link_home_from_a_page_at_the_top_leads_home_on_zensical(project: Project) -> None:
    """A team's template linking home (README: templates' `link`) from pages whose file is at the
    top; the walk cannot tell, since the page itself exists: the link is read as the browser does."""
    for rel, heading in (("pages/review.md.j2", "<h1>Review queue</h1>"), ("pages/rules.md.j2", "<h1>")):
        page = override(project, rel)
        text = page.read_text()
        assert heading in text, rel
        page.write_text(
            text.replace(
                heading,
                '<p><a href="{{ link(urls.HOME) }}">HOME</a><a href="{{ link(urls.HOME, \'top\') }}">TOP</a></p>\n'
                + heading,
                1,
            )
        )
    result = cli_build(project, "--engine", "zensical")
    assert result.exit_code == 0, result.output
    for address in ("review", "rules"):
        html = (project.site / address / "index.html").read_text(encoding="utf-8")
        found = dict((m[2], m[1]) for m in re.finditer(r'<a href="([^"]*)">(HOME|TOP)</a>', html))
        here = f"https://pages.invalid{PREFIX}{address}/"
        assert urljoin(here, found["HOME"]) == f"https://pages.invalid{PREFIX}", (address, found)
        assert urljoin(here, found["TOP"]) == f"https://pages.invalid{PREFIX}#top", (address, found)


def rendered(links_from_file: bool, cal, template: str, src: str, context: dict, banner=(), templates=None):
    """(the Markdown the engine gets, the pieces spliced in afterwards) of one page."""
    pieces: list[str] = []
    renderer = Renderer(templates or [PACKAGE_TEMPLATES], banner, links_from_file=links_from_file)
    return renderer.render(template, src, cal, pieces, **context), pieces


@pytest.fixture
def one_post_calendar(example_calendar):
    import datetime as dt

    return small_calendar(example_calendar, [post_at("p", dt.datetime(2026, 12, 1, 10, 0))])


def test_the_markdown_gets_links_from_its_file_and_the_pieces_keep_the_browsers(one_post_calendar) -> None:
    site = SiteData(one_post_calendar)
    src = urls.channel_page("twitter-cern")
    context = dict(channels.channel(site, "twitter-cern"))
    markdown, pieces = rendered(True, one_post_calendar, "channel.md.j2", src, context)
    assert 'href="../feeds/channels/twitter-cern.ics"' in markdown  # Zensical adds the ../ of channels/x/
    assert 'href="../../posts/p/"' in "".join(pieces) and "posts/p/" not in markdown  # in the built page as written
    # For MkDocs, which leaves raw HTML alone, both are made from the page's address.
    markdown, pieces = rendered(False, one_post_calendar, "channel.md.j2", src, context)
    assert 'href="../../feeds/channels/twitter-cern.ics"' in markdown and 'href="../../posts/p/"' in "".join(pieces)


def test_the_error_banner_of_serve_links_the_rules_from_the_pages_file(one_post_calendar) -> None:
    banner = [Diagnostic("content/posts/p.md", 3, 1, "error", "SC201", "unknown channel 'twiter'")]
    site = SiteData(one_post_calendar)
    for template, src, context, climb in (
        ("series.md.j2", urls.series_page("gwti"), series.series(site, "gwti"), "../"),
        ("review.md.j2", urls.REVIEW, review_page.review(site), ""),
    ):
        markdown, _ = rendered(True, one_post_calendar, template, src, context, banner)
        assert f'href="{climb}rules/#sc201"' in markdown and f'href="{climb}rules/#rules"' in markdown, src


def test_a_piece_handed_to_spliced_as_a_value_keeps_the_browsers_links(project: Project, one_post_calendar) -> None:
    """`{{ spliced(html) }}` gets HTML the template made before the call: its links too are the
    built page's, as in the `{% call %}` form, while the Markdown around it keeps Zensical's."""
    page = override(project, "pages/channel.md.j2")
    page.write_text(
        page.read_text().replace(
            '{{ ui.post_list(recent, empty="No recent posts.") }}',
            '{{ spliced(ui.entry(upcoming[0], true)) }}{{ spliced("plain text") }}'
            '<a href="{{ link(urls.HOME) }}">home</a>',
        )
    )
    site = SiteData(one_post_calendar)
    src = urls.channel_page("twitter-cern")
    context = dict(channels.channel(site, "twitter-cern"))
    markdown, pieces = rendered(True, one_post_calendar, "channel.md.j2", src, context, templates=project.template_dirs)
    assert 'href="../../posts/p/"' in pieces[-2] and pieces[-1] == "plain text"
    assert 'href="../feeds/channels/twitter-cern.ics"' in markdown and '<a href="../">home</a>' in markdown
    assert markdown.count('data-sc-slot="') == len(pieces)  # one placeholder per piece, made once
    for_mkdocs = rendered(False, one_post_calendar, "channel.md.j2", src, context, templates=project.template_dirs)
    assert for_mkdocs[1] == pieces and 'href="../../feeds/channels/twitter-cern.ics"' in for_mkdocs[0]


# --- whole sites --------------------------------------------------------------------------------


@pytest.fixture
def linked_project(project: Project, write, monkeypatch) -> Project:
    """A small site with a link of every kind a page's Markdown holds outside its spliced pieces:
    feeds (channel, series, campaign and Subscribe pages), Results' campaigns, a series' question
    without its answer, the review desk's posts for later; served under /repo/."""
    mkdocs = project.mkdocs_yml
    mkdocs.write_text(
        mkdocs.read_text().replace("https://cern.github.io/socialcal/", f"https://owner.github.io{PREFIX}")
    )
    write("lhc.md", VALID_POST + "status: proposed\ncampaign: open-days\n")
    write(
        "later.md",
        VALID_POST.replace("2027-03-02", "2027-03-09").replace("LHC restarts", "Later") + "status: proposed\n",
    )
    write(
        "gwti-q.md",
        VALID_POST.replace("LHC restarts", "GWTI question").replace("2027-03-02 10:00", "2026-11-20 16:00")
        + "series: gwti\nstatus: published\n",
    )
    write(
        "open-days.md",
        "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20\nchannels: [twitter-cern]\nkpis:\n  link_clicks: 100\n",
        "The plan.",
        kind="campaigns",
    )
    monkeypatch.setattr(review_page, "MAX_UPCOMING", 1)  # the desk lists one day; the rest is "later"
    return project


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", pytest.param("zensical", marks=needs_zensical)])
def test_every_link_of_every_page_stays_in_a_site_served_under_a_path(linked_project: Project, engine: str) -> None:
    result = cli_build(linked_project, "--engine", engine)
    assert result.exit_code == 0, result.output
    site = linked_project.site

    def page(address: str) -> str:
        return (site / address / "index.html").read_text(encoding="utf-8")

    # No link leaves the site or leads nowhere …
    assert broken_links(site, PREFIX) == {}
    # … and the links the test is about are there (each climbed a folder too many on Zensical).
    assert 'href="../../feeds/channels/twitter-cern.ics"' in page("channels/twitter-cern")
    assert 'href="../../feeds/series/gwti.ics"' in page("series/gwti") and "No answer planned" in page("series/gwti")
    assert 'href="../../posts/gwti-q/"' in page("series/gwti")
    assert 'href="../../feeds/campaigns/open-days.ics"' in page("campaigns/open-days")
    assert 'href="../feeds/all.ics"' in page("subscribe") and 'href="../campaigns/open-days/"' in page("results")
    assert 'href="../calendar/2027-03/?status=proposed"' in page("review")  # the posts for later
    assert 'href="../posts/lhc/"' in page("review")  # a spliced card
