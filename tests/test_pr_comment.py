"""The sticky comment on a pull request (`socialcal pr-comment`): the desk filtered to it, each
proposed post's page on the published site, every channel's text and the thumbnail the site
serves; hostile pull-request content shown as inert text; never over GitHub's limit."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from generator.pr_comment import MARKER, MAX_CHARS, neutral, render

from . import prs
from .conftest import cli_build, run_main

pytestmark = pytest.mark.usefixtures("pinned")
SITE = "https://cern.github.io/socialcal/"
# A Markdown image or link whose text may hold escaped brackets; the address is group 1.
IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\(([^)]*)\)")
LINK = re.compile(r"(?<![!\\])\[(?:\\.|[^\]\\])*\]\((https://[^)]*)\)")

HOSTILE_TEXT = (
    "Hello @everyone and @cern-sm/social-media, see #1 and https://tracker.example/x "
    "[click](javascript:alert(1)) ![pixel](https://tracker.example/p.gif) <!-- hidden --> </pre><script>x</script> "
    "```fence``` `tick`"
)
HOSTILE_POST = f"""---
title: "@everyone ![t](https://tracker.example/t.gif) [x](javascript:alert(1)) <!-- #2"
date: 2026-12-14 10:00
channel: twitter-cern
link: https://home.cern/news/hostile
hashtags: ["#CERN"]
status: proposed
media:
  - src: media/pr/hostile.png
    alt: "@here <img src=https://tracker.example/a.gif> `x` [y](https://tracker.example/)"
  - src: https://tracker.example/remote.jpg
    alt: remote
partnership: for the test
---

{HOSTILE_TEXT}
"""


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    """prs.make's repository, plus pull request 6: a post whose every field is hostile."""
    tmp = tmp_path_factory.mktemp("comment")
    project, listing, heads = prs.make(tmp)
    work = tmp / "work"
    heads[6] = prs._propose(
        work,
        6,
        {"content/posts/2026/12/pr-hostile.md": HOSTILE_POST.encode(), "media/pr/hostile.png": prs.png((200, 0, 0))},
        "hostile",
    )
    prs.git(project.root, "fetch", "-q", "origin", "+refs/pull/*/head:refs/pull/*/head")
    import json

    listed = json.loads(listing.read_text(encoding="utf-8"))
    listed.append(prs.entry(6, heads[6], title="@everyone #3 [x](javascript:alert(1)) <!--", author={"login": "mal"}))
    listing.write_text(json.dumps(listed), encoding="utf-8")
    return project, listing, heads


def outside_pre(body: str) -> str:
    """What GitHub reads as Markdown: a <pre> block is HTML, its text neither linked nor mentioned."""
    return re.sub(r"^<pre>.*?</pre>$", "<pre></pre>", body, flags=re.S | re.M)


def comment(fixture, *which: str) -> tuple[int, str]:
    project, listing, _ = fixture
    return run_main("--root", str(project.root), "pr-comment", "--pull-requests", str(listing), *which)


def test_it_links_the_desk_filtered_to_the_pull_request_and_each_posts_page(fixture) -> None:
    code, body = comment(fixture, "--number", "1")
    assert code == 0, body
    assert body.startswith(MARKER + "\n")
    assert f"]({SITE}review/?pr=1)" in body
    assert f"]({SITE}posts/pr-new-post/)" in body
    # Every channel's text as it goes out, the French variant too.
    assert "<pre>The English text of the proposal." in body and "<pre>Le texte en français de la proposition." in body
    assert "70 / 280 weighted characters" in body


def test_an_edit_of_a_merged_post_links_the_pending_change(fixture) -> None:
    code, body = comment(fixture, "--number", "2")
    assert code == 0
    assert f"]({SITE}posts/{prs.EDITED_ID}/#pr-2)" in body
    assert prs.AFTER in body and "changes requested" in body


def test_a_broken_proposal_shows_its_errors_and_an_unreadable_file_its_path(fixture) -> None:
    code, body = comment(fixture, "--number", "3")
    assert code == 0
    assert "error SC201" in body and "draft" in body
    assert "pr-unreadable.md (cannot be read)" in body


def test_a_forks_run_finds_its_pull_request_by_head_commit(fixture, tmp_path: Path) -> None:
    _, _, heads = fixture
    out = tmp_path / "comment.md"
    code, said = comment(fixture, "--head", heads[4].upper(), "--out", str(out))
    assert (code, said.strip()) == (0, "4")  # the number, for the workflow
    assert "Pull request #4 on the calendar" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "which", [("--number", "99"), ("--head", "f" * 40), ("--head", "HEAD"), ("--head", "--upload-pack=x")]
)
def test_no_pull_request_of_that_number_or_head_is_exit_1(fixture, which: tuple[str, ...]) -> None:
    code, said = comment(fixture, *which)
    assert code == 1 and "no open pull request" in said and "Traceback" not in said


@pytest.mark.parametrize("which", [(), ("--number", "1", "--head", "a" * 40), ("--number", "0")])
def test_one_pull_request_must_be_named(fixture, which: tuple[str, ...]) -> None:
    code, said = comment(fixture, *which)
    assert code == 2, said


def test_a_missing_head_commit_is_said(fixture) -> None:
    code, body = comment(fixture, "--number", "5")
    assert code == 0 and "could not be read" in body and "is not in this repository" in body


def test_without_an_https_site_url_it_is_a_usage_error(fixture, tmp_path: Path) -> None:
    project, listing, _ = fixture
    import shutil

    other = tmp_path / "other"
    shutil.copytree(project.root, other, symlinks=True)
    mkdocs = other / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace(SITE, "http://example.org/x(y)/"), encoding="utf-8")
    code, said = run_main("--root", str(other), "pr-comment", "--pull-requests", str(listing), "--number", "1")
    assert code == 2 and "site_url" in said and "Traceback" not in said


def test_the_thumbnails_are_the_ones_the_published_site_serves(fixture, tmp_path: Path) -> None:
    project, listing, _ = fixture
    site = tmp_path / "site"
    assert cli_build(project, "--site-dir", str(site), "--pull-requests", str(listing)).exit_code == 0
    for number in ("1", "6"):
        _, body = comment(fixture, "--number", number)
        images = re.findall(IMAGE, outside_pre(body))
        assert images, body
        for url in images:
            assert url.startswith(SITE + "assets/thumbs/")
            assert (site / url.removeprefix(SITE)).is_file(), url
        for link in re.findall(LINK, IMAGE.sub("", outside_pre(body))):
            page = link.removeprefix(SITE).split("?")[0].split("#")[0]
            assert (site / page / "index.html").is_file() or page == "", link


@pytest.mark.parametrize(
    "payload",
    [
        "@everyone",
        "@cern-sm/social-media",
        "#1",
        "https://tracker.example/x",
        "](javascript:",
        "![pixel](",
        "<!--",
        "<script>",
        "</pre><",
        "<img ",
        "```fence",
    ],
)
def test_pull_request_content_is_inert_text(fixture, payload: str) -> None:
    code, body = comment(fixture, "--number", "6")
    assert code == 0
    markdown = outside_pre(body)
    assert payload not in markdown.replace(MARKER, "")
    assert body.count("<!--") == 1  # our marker, nothing else
    texts = re.findall(r"^<pre>(.*?)</pre>$", body, flags=re.S | re.M)
    assert len(texts) == 1 and "@everyone" in texts[0]  # the text itself, as it goes out, inside <pre>…
    assert "<" not in texts[0] and "&lt;/pre&gt;" in texts[0]  # … which it cannot close
    assert all(url.startswith(SITE) for url in re.findall(IMAGE, markdown))  # only our images
    assert "remote" in body and "(not shown here)" in body  # a remote medium is named, never shown


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("@everyone", "@\u2060everyone"),
        ("mail@home.cern", "mail@\u2060home.cern"),
        ("#12 and #CERN", "#\u206012 and #CERN"),
        ("https://x.example", "https:\u2060//x.example"),
        ("www.x.example", "www\u2060.x.example"),
        ("[a](b) *c* <d> &#64;e", "\\[a\\]\\(b\\) \\*c\\* &lt;d&gt; &amp;#\u206064;e"),
    ],
)
def test_a_value_cannot_mention_reference_or_link(text: str, kept: str) -> None:
    assert neutral(text) == kept


def test_the_body_stays_under_githubs_limit_and_says_what_it_left_out(fixture) -> None:
    from generator.pipeline import make_plan
    from generator.proposals import read_proposals
    from generator.pulls import read_pull_requests
    from generator.thumbnails import Thumbnailer

    project, listing, _ = fixture
    plan = make_plan(project, history=False, keep_files=True)
    pulls = [p for p in read_pull_requests(listing, prs.REPO_URL) if p.number == 1]
    (opened,) = read_proposals(project.root, pulls, plan.validation, plan.registry, Thumbnailer(project.root, None))
    (one,) = opened.proposals
    many = replace(opened, proposals=tuple(replace(one, path=f"content/posts/p{i}.md") for i in range(2000)))
    body = render(many, plan.calendar, SITE)
    assert len(body) <= MAX_CHARS and len(body.encode("utf-8")) <= 60_000
    assert "This comment stops here" in body and "post(s)" in body.split("Not shown:")[1]
    assert body.count("<pre>") == body.count("</pre>")  # cut between blocks, never inside one
