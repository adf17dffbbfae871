"""`socialcal build` with the real MkDocs: pages, anchors, escaping, atomicity, reproducibility."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from generator.pipeline import make_plan

from .conftest import VALID_POST, override
from .conftest import cli_build as build

HOSTILE_BODY = "<script>window.pwned=1</script> *not bold* E < mc² & [link](javascript:alert(1)) {{ jinja }}"
HOSTILE_TITLE = '<img src=x onerror="window.pwned=2"> **Title** | pipes'


pytestmark = [pytest.mark.usefixtures("pinned"), pytest.mark.slow]  # whole builds


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_example_content_builds_a_site_with_every_page(example_project) -> None:
    result = build(example_project)
    assert result.exit_code == 0, result.output
    site = example_project.site
    for page in [
        "index.html",
        "calendar/index.html",
        "calendar/2027-02/index.html",
        "week/index.html",
        "week/next/index.html",
        "review/index.html",
        "channels/instagram-cern/index.html",
        "channels/googleplus-cern/index.html",
        "campaigns/women-in-science-2027/index.html",
        "series/gwti/index.html",
        "hashtags/index.html",
        "rules/index.html",
        "subscribe/index.html",
        "feeds/all.ics",
        "assets/channels.css",
    ]:
        assert (site / page).is_file(), page
    month = (site / "calendar/2027-02/index.html").read_text()
    assert 'id="2027-02-11-wis-day"' in month
    assert "International Day of Women and Girls in Science" in month
    assert "Retired on 2016-12-31" in (site / "channels/googleplus-cern/index.html").read_text()
    rules = (site / "rules/index.html").read_text()
    assert all(f'id="sc{n}"' in rules for n in ("001", "201", "301", "401"))


def test_every_post_has_a_stable_anchor_on_its_month_page(example_project) -> None:
    assert build(example_project).exit_code == 0
    for post in (example_project.content / "posts").rglob("*.md"):
        text = post.read_text()
        month = re.search(r"date: '?(\d{4})-(\d{2})", text)
        assert month, post
        page = example_project.site / f"calendar/{month[1]}-{month[2]}/index.html"
        assert f'id="{post.stem}"' in page.read_text(), post


def test_user_text_is_escaped_everywhere(project, write) -> None:
    write("a.md", VALID_POST.replace("title: LHC restarts", f"title: '{HOSTILE_TITLE}'"), HOSTILE_BODY)
    result = build(project)
    assert result.exit_code == 0, result.output
    for page in project.site.rglob("*.html"):
        html = page.read_text()
        assert "<script>window.pwned" not in html, page
        assert "<img src=x onerror" not in html, page
        assert "<strong>Title</strong>" not in html and "<em>not bold</em>" not in html, page
    month = (project.site / "calendar/2027-03/index.html").read_text()
    assert "&lt;img src=x onerror=&#34;window.pwned=2&#34;&gt; **Title** | pipes" in month
    # The text as it goes out: on the reviewer's desk (the post is proposed).
    review = (project.site / "review/index.html").read_text()
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt; *not bold* E &lt; mc² &amp;" in review
    assert "{{ jinja }}" in review


def test_a_failed_build_leaves_the_previous_site_untouched(example_project) -> None:
    assert build(example_project).exit_code == 0
    before = tree_digest(example_project.site)
    (example_project.content / "posts" / "broken.md").write_text("---\ntitle: [oops\n---\n")
    result = build(example_project)
    assert result.exit_code == 1
    assert "content/posts/broken.md:2:" in result.output and "SC003" in result.output
    assert "previous site was left as it was" in result.output
    assert tree_digest(example_project.site) == before
    assert not list(example_project.root.glob(".site-build-*"))


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_two_builds_of_the_same_content_give_the_same_files(example_project, tmp_path, engine: str) -> None:
    if engine == "zensical":
        pytest.importorskip("zensical")
    assert build(example_project, "--engine", engine, "--site-dir", str(tmp_path / "one")).exit_code == 0
    assert build(example_project, "--engine", engine, "--site-dir", str(tmp_path / "two")).exit_code == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_request_leaves_for_third_party_hosts(example_project, engine: str) -> None:
    if engine == "zensical":
        pytest.importorskip("zensical")
    # Zensical's theme links Google Fonts unless mkdocs.yml says `font: false`.
    assert build(example_project, "--engine", engine).exit_code == 0
    html = (example_project.site / "index.html").read_text()
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
        if 'rel="canonical"' in tag:
            continue  # names the page's address; nothing is fetched
        for src in re.findall(r'(?:src|href)="([^"]+)"', tag):
            assert not src.startswith(("http://", "https://", "//")), tag


def test_a_broken_site_configuration_is_explained(example_project) -> None:
    example_project.mkdocs_yml.write_text("site_name: x\ntheme:\n  name: no-such-theme\n")
    result = build(example_project)
    assert result.exit_code == 1
    assert "Unrecognised theme name: 'no-such-theme'" in result.output
    assert not example_project.site.exists()


def test_a_missing_template_is_explained(example_project) -> None:
    # The repository's review page includes a partial that neither it nor the package has.
    override(example_project, "pages/review.md.j2").write_text('{% include "_gone.j2" %}\n')
    result = build(example_project)
    assert result.exit_code == 1 and "template _gone.j2 is missing" in result.output


def test_links_never_carry_script_schemes(project, write, tmp_path) -> None:
    from generator.serve import LiveSite

    write(
        "plan.md",
        "title: Plan\nstart: 2027-03-01\nend: 2027-03-20",
        "Read [the brief](javascript:alert(1)) and [the news](https://home.cern/news).\n\n"
        "- a list item [ref]\n\n  [ref]: javascript:alert(2)\n\nSee [it][ref].",
        kind="campaigns",
    )
    write("a.md", VALID_POST + "status: published\nresults:\n  twitter-cern: {url: 'javascript:alert(3)', likes: 1}")
    result = build(project)
    assert result.exit_code == 1  # every script address is refused by validation (SC108) ...
    assert result.output.count("SC108") == 3, result.output
    live = LiveSite(project, tmp_path / "live")  # ... and the preview, which builds anyway, links none
    live.rebuild()
    for page in live.site.rglob("*.html"):
        html = page.read_text()
        assert 'href="javascript:' not in html.lower(), page
    plan = (live.site / "campaigns" / "plan" / "index.html").read_text()
    assert 'href="https://home.cern/news"' in plan


def test_serve_preview_with_errors_does_not_link_unsafe_addresses(project, write, tmp_path) -> None:
    from generator.serve import LiveSite

    write("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", "javascript:alert(1)"))
    live = LiveSite(project, tmp_path / "live")
    outcome = live.rebuild()
    assert any(d.code == "SC108" for d in outcome.validation.errors)
    month = (live.site / "calendar" / "2027-03" / "index.html").read_text()
    assert 'href="javascript:' not in month
    review = (live.site / "review" / "index.html").read_text()
    assert "javascript:alert(1)" in review and 'href="javascript:' not in review


def test_post_pages_are_the_same_rendered_ahead_or_in_the_process(example_project, tmp_path, monkeypatch) -> None:
    assert build(example_project, "--site-dir", str(tmp_path / "ahead")).exit_code == 0
    monkeypatch.setenv("SOCIALCAL_JOBS", "1")  # where fork is not available
    assert build(example_project, "--site-dir", str(tmp_path / "inline")).exit_code == 0
    ahead, inline = tree_digest(tmp_path / "ahead"), tree_digest(tmp_path / "inline")
    assert ahead == inline
    assert sum(1 for p in ahead if p.startswith("posts/")) == 84
    assert any(p.startswith("assets/thumbs/") for p in ahead)


@pytest.mark.parametrize("jobs", ["", "1"])
def test_a_broken_post_template_stops_the_build_with_a_reason(example_project, monkeypatch, jobs: str) -> None:
    monkeypatch.setenv("SOCIALCAL_JOBS", jobs)
    assert build(example_project).exit_code == 0
    before = tree_digest(example_project.site)
    template = override(example_project, "pages/post.html.j2")
    template.write_text(template.read_text().replace("{{ post.title }}", "{{ post.title.no_such_thing() }}", 1))
    result = build(example_project)
    assert result.exit_code == 1
    assert "post.html.j2" in result.output and "no_such_thing" in result.output, result.output
    assert tree_digest(example_project.site) == before
    assert not list(example_project.root.glob(".site-build-*"))


def test_without_posts_the_shell_is_no_page_of_the_site(project) -> None:
    assert build(project).exit_code == 0
    assert not (project.site / "posts").exists()
    assert "_shell" not in (project.site / "sitemap.xml").read_text()


def test_render_all_renders_the_docs_tree_and_every_post_body(example_project, tmp_path) -> None:
    from generator.build import render_all
    from generator.pipeline import make_plan

    tree = render_all(example_project, make_plan(example_project).calendar)
    assert "posts/_shell.md" in tree.files and tree.rendered.pages > 50
    assert not [name for name in tree.files if name.startswith("posts/") and name != "posts/_shell.md"]


def test_a_build_composes_each_post_s_texts_as_its_file_is_checked_and_once(example_project, monkeypatch) -> None:
    """The texts composed with the files' checks (on either core) are the calendar's: the same
    entries as composing them afresh, and the calendar composes none itself."""
    import generator.calendar_model as calendar_model

    afresh = make_plan(example_project).calendar.entries
    plan = make_plan(example_project, compose=True)
    assert set(plan.validation.outgoing) == {p.id for p in plan.calendar.posts}

    def composed_again(*args, **kwargs):
        raise AssertionError("a text composed again")

    monkeypatch.setattr(calendar_model, "compose", composed_again)
    assert plan.calendar.entries == afresh
    assert [e.channel for e in plan.calendar.entries] == [e.channel for e in afresh]


def test_texts_composed_for_another_post_of_the_same_id_are_not_taken(example_project) -> None:
    """A post replaced after the check (another version, a duplicate id) is composed for itself."""
    from dataclasses import replace as replaced

    plan = make_plan(example_project, compose=True)
    cal = plan.calendar
    post = next(p for p in cal.posts if cal.entries_by_post.get(p.id))
    other = post.model_copy(update={"body": "Another text altogether, composed for this very post."})
    swapped = replaced(cal, posts=tuple(other if p is post else p for p in cal.posts))
    texts = [e.outgoing.text for e in swapped.entries_by_post[post.id]]
    assert texts and all("Another text altogether" in t for t in texts)
