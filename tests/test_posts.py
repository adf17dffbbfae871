"""A post's own page without running MkDocs: its context, its body, the shell it is filled
into, and the links into GitHub (fast)."""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from generator import urls
from generator.bulk_pages import (
    DESCRIPTION,
    TITLE,
    Shell,
    ShellPage,
    ShellState,
    carry_over,
    shell_markdown,
    write_pages,
)
from generator.calendar_model import Calendar
from generator.engines import BuildFailed
from generator.engines import get as get_engine
from generator.github_links import RepoLinks, default_branch, repo_links
from generator.pipeline import make_plan
from generator.project import PACKAGE_TEMPLATES, Project
from generator.thumbnails import Thumbnailer
from generator.views.pages import PAGES, Renderer, SiteData, campaigns, channels, render_pages, shell_pages
from generator.views.pages import posts as post_pages
from generator.views.pages import series as series_pages
from generator.views.search import post_entries

from .conftest import REPO, VALID_POST

HOSTILE = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=2">',
    '"><svg onload=alert(3)>',
    "{{ 7*7 }} {% raw %}",
    "</textarea><script>alert(4)</script>",
    "javascript:alert(5)",
]


pytestmark = pytest.mark.usefixtures("pinned")


def plan_of(project: Project) -> Calendar:
    return make_plan(project, history=False).calendar


def body_of(cal: Calendar, post_id: str, root: Path | None = None, repo: RepoLinks | None = None) -> tuple[dict, str]:
    media = Thumbnailer(root, None) if root else None
    site = SiteData(cal, "https://example.org/cal/", media=media)
    renderer = Renderer([PACKAGE_TEMPLATES], repo=repo)
    for page in shell_pages(site, renderer):
        if page.src == urls.post_page(post_id):
            return post_pages.post(site, cal.post_by_id[post_id]), page.make()[2]
    raise AssertionError(f"no page for {post_id}")


@pytest.fixture(scope="module")
def examples(example_calendar: Calendar) -> Calendar:
    return example_calendar


# --- the context ------------------------------------------------------------------------------


def test_each_channel_is_previewed_as_it_goes_out(examples: Calendar) -> None:
    context, _ = body_of(examples, "2027-02-11-wis-day")
    by_channel = {p.channel: p for p in context["previews"]}
    assert list(by_channel) == ["twitter-cern", "twitter-cern-fr", "facebook-cern", "instagram-cern", "linkedin-cern"]
    x, insta, fr = by_channel["twitter-cern"], by_channel["instagram-cern"], by_channel["twitter-cern-fr"]
    assert x.style == "twitter" and x.account == "CERN" and x.handle == "@CERN"
    assert "#WomenInScience #CERN" in x.text and "https://home.cern/" in x.text  # in the text, on X
    assert x.unit == "weighted characters" and x.limit == 280 and 0 < x.length <= 280
    assert insta.style == "instagram" and insta.first_comment == "#WomenInScience #CERN"
    assert "#WomenInScience" not in insta.text and "https://" not in insta.text and insta.link == ""
    assert fr.text.startswith("C'est la Journée internationale") and fr.language == "fr"
    stories = examples.registry.channels["instagram-cern-stories"]
    assert stories.network.name == "instagram-stories"


def test_the_page_knows_its_time_zone_campaign_series_and_partner(examples: Calendar) -> None:
    context, _ = body_of(examples, "gwti-answer-2026-12-07")
    assert context["when"] == "2026-12-07T16:00:00+01:00" and context["zone"] == "Europe/Zurich, CET"
    question = context["question"]
    assert question is not None and question.id == "gwti-2026-12-04"
    asked, _ = body_of(examples, "gwti-2026-12-04")
    assert [a.id for a in asked["answers"]] == ["gwti-answer-2026-12-07"]
    wis, _ = body_of(examples, "2027-02-11-wis-day")
    assert wis["campaign"].id == "women-in-science-2027"
    assert wis["description"].startswith("Thursday 11 February 2027, 09:00 · ")


def test_a_time_with_another_offset_is_shown_in_the_calendars_zone(project, write) -> None:
    write("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-03-02T09:00:00+00:00"))
    context, body = body_of(plan_of(project), "a")
    assert context["when"] == "2027-03-02T10:00:00+01:00"
    assert "Tuesday 2 March 2027, 10:00" in body


def test_the_posts_own_diagnostics_are_listed_warnings_included(project, write) -> None:
    write("a.md", VALID_POST.replace('["#LHC"]', '["#Cern2027"]'))  # SC306, a warning
    write("b.md", VALID_POST.replace("10:00", "15:00"))
    cal = plan_of(project)
    context, body = body_of(cal, "a")
    assert [d.code for d in context["diagnostics"]] == ["SC306"]
    assert "sc-sev-warning" in body and 'href="../../rules/#sc306"' in body and "0 errors, 1 warning" in body
    other, body_b = body_of(cal, "b")
    assert other["diagnostics"] == () and "The post passes every check." in body_b


def test_results_are_shown_once_published(examples: Calendar) -> None:
    context, body = body_of(examples, "2026-11-18-antimatter-result")
    x = next(p for p in context["previews"] if p.channel == "twitter-cern")
    assert dict(x.results)["Impressions"] == "72,400"
    assert "sc-pv-stats" in body and ">72,400<" in body


# --- the body ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_titles_and_texts_stay_text(project, write, payload: str) -> None:
    title = payload.replace("'", "''")
    write(
        "a.md",
        VALID_POST.replace("title: LHC restarts", f"title: '{title}'")
        + f"channel: [twitter-cern, instagram-cern]\nmedia:\n  - src: https://cds.cern.ch/x.jpg\n    alt: '{title}'",
        f"{payload} and more {payload}",
    )
    path = project.content / "posts" / "a.md"
    path.write_text(path.read_text().replace("channel: twitter-cern\n", ""))
    cal = plan_of(project)
    context, body = body_of(cal, "a")
    assert context["title"] == payload
    for raw in ("<script>", "<img src=x", "<svg onload", "</textarea><script>"):
        assert raw not in body
    assert 'href="javascript:' not in body
    assert "{{ 7*7 }}" not in payload or "{{ 7*7 }}" in body  # not evaluated
    page = Shell.parse(
        f'<title>{TITLE} - Site</title><h1>{TITLE}</h1>x<div data-sc-slot="posts/_shell.md"></div>', urls.POST_SHELL
    )
    html = page.fill(context["title"], context["description"], "posts/a.md", body)
    for raw in ("<script>", "<img src=x", "<svg onload"):
        assert raw not in html


def test_copy_text_is_the_text_as_it_goes_out(examples: Calendar) -> None:
    context, body = body_of(examples, "2027-02-11-wis-day")
    insta = next(p for p in context["previews"] if p.channel == "instagram-cern")
    assert 'data-copy="copy-instagram-cern"' in body and 'data-copy="copy-instagram-cern-comment"' in body
    assert f'<textarea id="copy-instagram-cern-comment" hidden readonly>{insta.first_comment}</textarea>' in body
    assert 'class="sc-copy-btn"' in body and " hidden>" in body  # shown by the script only


def test_media_are_thumbnails_with_alt_text_or_listed_unfetched(examples: Calendar) -> None:
    context, body = body_of(examples, "photo-of-the-week-2026-12-01", root=REPO)
    (photo,) = context["media"]
    assert photo.thumb is not None and photo.thumb.width <= 640
    assert f'src="../../assets/thumbs/{photo.thumb.name}"' in body and f'alt="{photo.alt}"' in body
    _, lecture = body_of(examples, "lecture-2026-12-02", root=REPO)
    assert "videos.cern.ch · not loaded" in lecture and "<img" not in lecture.split('class="sc-previews"')[1]


def test_a_trusted_media_host_is_shown_without_a_referrer(project, write) -> None:
    write("a.md", VALID_POST + "media:\n  - src: https://cds.cern.ch/photo.jpg\n    alt: The tunnel")
    _, untrusted = body_of(plan_of(project), "a")
    assert "https://cds.cern.ch/photo.jpg" not in untrusted.replace("<code>https://cds.cern.ch/photo.jpg</code>", "")
    settings = project.content / "settings.yml"
    settings.write_text(settings.read_text().replace("site:\n", "site:\n  media_hosts: [cds.cern.ch]\n"))
    _, trusted = body_of(plan_of(project), "a")
    assert '<img class="sc-pv-img" src="https://cds.cern.ch/photo.jpg" alt="The tunnel"' in trusted
    assert 'referrerpolicy="no-referrer"' in trusted


def test_every_post_is_linked_to_its_page(examples: Calendar) -> None:
    class Collect:
        def __init__(self) -> None:
            self.files: dict[str, str] = {}
            self.fragments: dict[str, str] = {}

        def write(self, rel_path: str, content: str) -> None:
            self.files[rel_path] = content

        def fragment(self, rel_path: str, html: str) -> None:
            self.fragments[rel_path] = html

    out = Collect()
    render_pages(SiteData(examples), Renderer([PACKAGE_TEMPLATES]), out)
    assert 'href="../../posts/2027-02-11-wis-day/"' in out.fragments[urls.month_page((2027, 2))]
    channel = urls.channel_page("instagram-cern")  # its lists of posts are spliced in after the engine
    assert 'href="../../posts/' in "".join(html for s, html in out.fragments.items() if s.startswith(f"{channel}#"))
    assert out.files[urls.POST_SHELL] == shell_markdown(urls.POST_SHELL)
    assert not any(p.startswith("posts/") and p != urls.POST_SHELL for p in out.files)
    (entry,) = [e for e in post_entries(examples) if e["title"] == "International Day of Women and Girls in Science"]
    assert entry["location"] == "posts/2027-02-11-wis-day/"


def test_post_pages_are_a_row_of_the_table_with_a_shell() -> None:
    (row,) = [p for p in PAGES if p.shell]
    assert row.shell == urls.POST_SHELL and row.template == "post.html.j2" and row.title is None
    assert urls.page_url(urls.post_page("x")) == "posts/x/"


def test_a_pages_stamp_changes_with_what_it_shows_and_only_then(project, write) -> None:
    write("q.md", VALID_POST.replace("LHC restarts", "Question"))
    write("b.md", VALID_POST.replace("2027-03-02", "2027-03-09").replace("LHC restarts", "Other"))

    def stamps() -> dict[str, object]:
        site = SiteData(plan_of(project))
        return {p.src: p.stamp for p in shell_pages(site, Renderer([PACKAGE_TEMPLATES]), stamped=True)}

    before = stamps()
    assert before == stamps() and all(s is not None for s in before.values())
    write("q.md", VALID_POST.replace("LHC restarts", "Question, edited"))
    after = stamps()
    assert after["posts/q.md"] != before["posts/q.md"] and after["posts/b.md"] == before["posts/b.md"]
    assert all(p.stamp is None for p in shell_pages(SiteData(plan_of(project)), Renderer([PACKAGE_TEMPLATES])))


# --- what a channel's previews share --------------------------------------------------------


def test_what_a_channels_previews_share_is_made_once_per_channel_not_per_post(project, write) -> None:
    for day in range(1, 21):
        write(
            f"p{day}.md",
            VALID_POST.replace("2027-03-02", f"2027-03-{day:02d}").replace(
                "twitter-cern", "[twitter-cern, facebook-cern]"
            ),
        )
    cal = plan_of(project)
    post_pages.look.cache_clear()
    bodies = [p.make()[2] for p in shell_pages(SiteData(cal), Renderer([PACKAGE_TEMPLATES]))]
    assert len(bodies) == 20 and post_pages.look.cache_info().misses == 2  # X and Facebook, 20 posts each
    assert all('<h3 id="pv-facebook-cern"><span class="sc-chip sc-ch-facebook-cern">' in b for b in bodies)


def test_a_renamed_channel_shows_its_new_name_and_account_on_every_page(project, write) -> None:
    write("a.md", VALID_POST)
    _, before = body_of(plan_of(project), "a")
    channels = project.content / "channels.yml"
    channels.write_text(
        channels.read_text().replace(
            'handle: "@CERN"\n  name: "CERN on X/Twitter"', 'handle: "@CERNnew"\n  name: "Renamed"', 1
        )
    )
    _, after = body_of(plan_of(project), "a")
    assert "CERN on X/Twitter" in before and "@CERN<" in before
    assert "CERN on X/Twitter" not in after and ">Renamed</span></h3>" in after and "Renamed</span></dd>" in after
    assert '<strong class="sc-pv-name">CERNnew</strong> <span class="sc-pv-handle">@CERNnew</span>' in after


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_channels_shared_pieces_escape_its_id_name_and_handle(payload: str) -> None:
    seen = post_pages.look(payload, payload, payload, "facebook")
    pieces = (seen.head, seen.avatar, seen.who, seen.tools, seen.tools_comment, seen.copy, seen.copy_comment)
    escaped = str(escape(payload))
    for piece in (*pieces, post_pages.chip(payload, payload)):
        assert escaped in piece and (payload not in piece or payload == escaped)
    assert escaped in seen.head and escaped in seen.who


# --- the shell --------------------------------------------------------------------------------

SHELL_HTML = (
    f'<html><head><title>{TITLE} - Site</title><meta name="description" content="{DESCRIPTION}">'
    '<link rel="canonical" href="https://example.org/cal/posts/_shell/"></head>'
    f'<body><span class="topic">{TITLE}</span><!-- h1 --><div data-sc-slot="posts/_shell.md"></div></body></html>'
)


class FakeEngine:
    def page_file(self, site_dir: Path, url: str) -> Path:
        return site_dir / url / "index.html"


def test_the_shell_is_cut_once_and_filled_per_page() -> None:
    shell = Shell.parse(SHELL_HTML, urls.POST_SHELL)
    assert shell.holes == ("title", "description", "url", "title", "body")
    html = shell.fill('A <b>"bold"</b> & title', "desc", "posts/lhc.md", "<p>body</p>")
    assert "<title>A &lt;b&gt;&#34;bold&#34;&lt;/b&gt; &amp; title - Site</title>" in html
    assert 'content="desc"' in html and 'href="https://example.org/cal/posts/lhc/"' in html
    assert '<span class="topic">A &lt;b&gt;' in html and "<p>body</p>" in html
    assert TITLE not in html and "_shell" not in html and "data-sc-slot" not in html


def test_a_shell_without_its_placeholder_is_refused() -> None:
    with pytest.raises(BuildFailed, match="placeholder"):
        Shell.parse("<html>no slot</html>", urls.POST_SHELL)


def _page(post_id: str, body: str, stamp: object = None) -> ShellPage:
    return ShellPage(urls.POST_SHELL, urls.post_page(post_id), lambda: (post_id.upper(), "d", body), stamp)


def test_pages_are_written_from_the_shell_and_listed_in_the_sitemap(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "posts" / "_shell").mkdir(parents=True)
    (site / "posts" / "_shell" / "index.html").write_text(SHELL_HTML)
    entry = "<url>\n<loc>https://example.org/cal/{}</loc>\n<lastmod>2026-11-26</lastmod>\n</url>\n"
    sitemap = '<?xml version="1.0"?>\n<urlset>\n' + entry.format("") + entry.format("posts/_shell/") + "</urlset>\n"
    (site / "sitemap.xml").write_text(sitemap)
    with gzip.open(site / "sitemap.xml.gz", "wt") as fh:
        fh.write(sitemap)
    rendered: list[str] = []

    def pages():
        for i in ("a", "b"):
            rendered.append(i)
            yield _page(i, f"<p>{i}</p>", stamp=f"k{i}")

    state = write_pages(FakeEngine(), site, pages())  # type: ignore[arg-type]
    assert (site / "posts" / "a" / "index.html").read_text().count("<p>a</p>") == 1
    assert not (site / "posts" / "_shell").exists()  # the shell is no page of the site
    xml = (site / "sitemap.xml").read_text()
    assert "posts/_shell/" not in xml and "cal/posts/a/</loc>" in xml and "cal/posts/b/</loc>" in xml
    assert xml.count("<lastmod>2026-11-26</lastmod>") == 3
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode() == xml
    assert state.written == 2 and rendered == ["a", "b"]

    # The next round (serve): the engine wrote the shell again; only what changed is written.
    (site / "posts" / "_shell").mkdir()
    (site / "posts" / "_shell" / "index.html").write_text(SHELL_HTML)
    calls: list[str] = []

    def make(i: str) -> tuple[str, str, str]:
        calls.append(i)
        return i.upper(), "d", f"<p>{i} again</p>"

    second = [
        ShellPage(urls.POST_SHELL, urls.post_page("a"), lambda: make("a"), "ka"),
        ShellPage(urls.POST_SHELL, urls.post_page("c"), lambda: make("c"), "kc"),
    ]
    again = write_pages(FakeEngine(), site, second, state)  # type: ignore[arg-type]
    assert calls == ["c"] and again.written == 1
    assert "<p>a</p>" in (site / "posts" / "a" / "index.html").read_text()
    assert not (site / "posts" / "b").exists()  # b is gone


def test_a_changed_shell_rewrites_every_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shell_file = site / "posts" / "_shell" / "index.html"
    shell_file.parent.mkdir(parents=True)
    shell_file.write_text(SHELL_HTML)
    state = write_pages(FakeEngine(), site, [_page("a", "x", "k")])  # type: ignore[arg-type]
    shell_file.parent.mkdir(parents=True)
    shell_file.write_text(SHELL_HTML.replace("Site", "New name"))
    again = write_pages(FakeEngine(), site, [_page("a", "x", "k")], state)  # type: ignore[arg-type]
    assert again.written == 1 and "New name" in (site / "posts" / "a" / "index.html").read_text()
    assert ShellState().written == 0


def test_an_engine_that_rebuilds_everything_gets_the_unchanged_pages_of_the_last_site(tmp_path: Path) -> None:
    """Zensical under serve: a new site each round; unchanged pages are moved over from the last
    one, which stays as it was until the new site is complete (carry_over)."""

    def fresh(name: str) -> Path:
        site = tmp_path / name
        (site / "posts" / "_shell").mkdir(parents=True)
        (site / "posts" / "_shell" / "index.html").write_text(SHELL_HTML)
        (site / "assets" / "thumbs").mkdir(parents=True)
        return site

    old = fresh("old")
    (old / "assets" / "thumbs" / "t.jpg").write_bytes(b"thumb")
    state = write_pages(FakeEngine(), old, [_page(i, f"<p>{i}</p>", f"k{i}") for i in "abc"])  # type: ignore[arg-type]
    new = fresh("new")
    second = [_page("a", "<p>a</p>", "ka"), _page("b", "<p>b changed</p>", "kb2"), _page("d", "<p>d</p>", "kd")]
    again = write_pages(FakeEngine(), new, second, state, reuse=old)  # type: ignore[arg-type]
    assert again.written == 2 and again.carry is not None
    assert not (new / "posts" / "a").exists() and (new / "posts" / "b" / "index.html").is_file()
    assert sorted(p.name for p in (old / "posts").iterdir()) == ["a", "b", "c"]  # untouched so far
    assert "<p>b</p>" in (old / "posts" / "b" / "index.html").read_text()
    assert (new / "assets" / "thumbs" / "t.jpg").read_bytes() == b"thumb"
    carry_over(FakeEngine(), new, again)  # type: ignore[arg-type]
    assert sorted(p.name for p in (new / "posts").iterdir()) == ["a", "b", "d"]
    assert "<p>b changed</p>" in (new / "posts" / "b" / "index.html").read_text()
    assert "<p>a</p>" in (new / "posts" / "a" / "index.html").read_text()
    assert not (old / "posts").exists() and again.carry is None
    carry_over(FakeEngine(), new, again)  # type: ignore[arg-type]  # done once
    # Without the last site's folder there is nothing to carry: every page is written.
    third = write_pages(FakeEngine(), fresh("third"), second, again, reuse=tmp_path / "gone")  # type: ignore[arg-type]
    assert third.written == 3 and third.carry is None


def test_a_page_that_cannot_be_written_stops_the_round(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "posts" / "_shell").mkdir(parents=True)
    (site / "posts" / "_shell" / "index.html").write_text(SHELL_HTML)
    (site / "posts" / "b").write_text("a file where the page's folder goes")
    pages = [_page(i, f"<p>{i}</p>") for i in "abc"]
    with pytest.raises(OSError):
        write_pages(FakeEngine(), site, pages)  # type: ignore[arg-type]
    assert (site / "posts" / "a" / "index.html").is_file()  # the pages before it were written


def test_the_mkdocs_engine_says_where_a_post_page_is(tmp_path: Path) -> None:
    assert get_engine().page_file(tmp_path, urls.page_url(urls.post_page("x"))) == tmp_path / "posts/x/index.html"


# --- links into GitHub ------------------------------------------------------------------------


def test_edit_and_history_links_quote_each_segment() -> None:
    repo = RepoLinks("https://github.com/cern/socialcal", "feature/new look")
    assert repo.edit("content/posts/2027/a b#c.md") == (
        "https://github.com/cern/socialcal/edit/feature/new%20look/content/posts/2027/a%20b%23c.md"
    )
    assert repo.history("content/series.yml") == (
        "https://github.com/cern/socialcal/commits/feature/new%20look/content/series.yml"
    )


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_the_branch_is_the_settings_else_the_repositorys_default(project: Project, tmp_path: Path) -> None:
    assert repo_links(project, project.registry().settings) is None  # no repo_url: no links
    project.mkdocs_yml.write_text(project.mkdocs_yml.read_text() + "\nrepo_url: https://github.com/cern/socialcal/\n")
    assert default_branch(project.root) == "main"  # not a git repository
    _git(project.root, "init", "-q", "-b", "trunk")
    assert repo_links(project, project.registry().settings) == RepoLinks("https://github.com/cern/socialcal", "trunk")
    _git(project.root, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-q", "--allow-empty", "-m", "x")
    _git(project.root, "update-ref", "refs/remotes/origin/develop", "HEAD")
    _git(project.root, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/develop")
    assert default_branch(project.root) == "develop"
    settings = project.content / "settings.yml"
    settings.write_text(settings.read_text().replace("site:\n", "site:\n  branch: production\n"))
    assert repo_links(project, project.registry().settings).branch == "production"  # type: ignore[union-attr]


def test_a_repo_url_that_is_not_a_web_address_gives_no_links(project: Project) -> None:
    for bad in (
        "javascript:alert(1)",
        "git@github.com:cern/x.git",
        '"https://x.org/a\\"b"',
        "https://evil.example@github.com/cern/x",  # leads to github.com, reads as evil.example
        "https://g\u0456thub.com/cern/x",  # a Cyrillic i
        "http://github.com/cern/x",
    ):
        project.mkdocs_yml.write_text(f"site_name: x\nrepo_url: {bad}\n")
        assert repo_links(project, project.registry().settings) is None, bad


def test_post_and_registry_pages_link_to_their_files(examples: Calendar) -> None:
    repo = RepoLinks("https://github.com/cern/socialcal", "main")
    _, with_repo = body_of(examples, "2027-02-11-wis-day", repo=repo)
    file = "content/posts/2027/02/2027-02-11-wis-day.md"
    assert f'href="https://github.com/cern/socialcal/edit/main/{file}"' in with_repo
    assert f'href="https://github.com/cern/socialcal/commits/main/{file}"' in with_repo
    _, without = body_of(examples, "2027-02-11-wis-day")
    assert "github.com" not in without and "Edit on GitHub" not in without
    site = SiteData(examples)
    pages = [
        ("channel.md.j2", urls.channel_page("twitter-cern"), channels.channel(site, "twitter-cern"), "channels.yml"),
        ("series.md.j2", urls.series_page("gwti"), series_pages.series(site, "gwti"), "series.yml"),
        (
            "campaign.md.j2",
            urls.campaign_page("open-days-2027"),
            campaigns.campaign(site, examples.campaign_by_id["open-days-2027"]),
            "campaigns/open-days-2027.md",
        ),
    ]
    for template, src, context, name in pages:
        html = Renderer([PACKAGE_TEMPLATES], repo=repo).render(template, src, examples, **context)
        assert f'href="https://github.com/cern/socialcal/edit/main/content/{name}"' in html, src
        assert f'href="https://github.com/cern/socialcal/commits/main/content/{name}"' in html, src
        assert "github.com" not in Renderer([PACKAGE_TEMPLATES]).render(template, src, examples, **context)


def test_provenance_names_the_proposer_or_says_the_file_came_in_an_import(project: Project, write) -> None:
    """One post proposed in a commit of its own, 30 added together by an import (no proposer)."""
    from generator.provenance import BULK_ADD

    def git(*args: str, author: str = "Ada Author") -> None:
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "a@example.org"}
        env |= {"GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True, env=env)

    git("init", "-q")
    for i in range(BULK_ADD + 5):
        write(f"imported-{i:02d}.md", VALID_POST.replace("10:00", f"{8 + i % 10:02d}:{i:02d}"))
    git("add", ".")
    git("commit", "-qm", "import")
    write("mine.md", VALID_POST.replace("2027-03-02", "2027-03-09"))
    git("add", ".")
    git("commit", "-qm", "propose", author="Grace Proposer")

    cal = make_plan(project).calendar
    _, mine = body_of(cal, "mine")
    _, imported = body_of(cal, "imported-03")
    assert "<dt>Proposed by</dt><dd>Grace Proposer," in mine
    assert "<dt>Proposed by</dt>" not in imported
    assert "in a commit that imported many files" in imported


def test_a_post_called_index_is_refused_with_a_name_to_use(project: Project, write) -> None:
    """posts/index.md would be served as posts/, a level above where its page's links point."""
    write("index.md", VALID_POST)
    found = [d for d in make_plan(project, history=False).validation.diagnostics if d.code == "SC111"]
    assert len(found) == 1 and found[0].path.endswith("posts/index.md")
    assert "name of a folder's own page" in found[0].message and "index-post.md" in found[0].hint


def test_diagnostics_on_a_posts_page_show_code_spans_as_code(project) -> None:
    # SC307's hint has a code span; SC305's message quotes the hostile tag, backticks included.
    bad = VALID_POST.replace('["#LHC"]', '["#LHC", "`<b>x</b>`", "`"]') + "media:\n  - src: media/a.jpg"
    (project.content / "posts" / "a.md").write_text(f"---\n{bad}\n---\n\nThe LHC.\n")
    _, html = body_of(plan_of(project), "a")
    assert "add <code>alt:</code> describing the image" in html
    assert "<code>&lt;b&gt;x&lt;/b&gt;</code>" in html and "<b>x</b>" not in html
    assert "&#39;`&#39; is not a hashtag" in html, "a lone backtick is text"
