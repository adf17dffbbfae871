"""Open pull requests on the calendar (`socialcal build --pull-requests FILE`): the gh JSON read as
hostile input, each pull request's posts read from git objects and checked like committed files,
and the site that shows them (grids, desk, pages, proposals.ics)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from generator.errors import ConfigError
from generator.media_files import MAX_BYTES, tree_file, tree_medium_problem
from generator.pulls import MAX_PULL_REQUESTS, MAX_TITLE, parse_pull_requests
from generator.thumbnails import Thumb

from . import prs
from .conftest import cli_build, run_main

pytestmark = pytest.mark.usefixtures("pinned")
SHA = "a" * 40


def listing(*entries: dict) -> bytes:
    return json.dumps(list(entries)).encode()


def one(**fields: object):
    (pr,) = parse_pull_requests(listing(prs.entry(7, SHA, **fields)), prs.REPO_URL)
    return pr


# --- the gh JSON -------------------------------------------------------------------------------


def test_a_pull_request_is_read_as_gh_prints_it_and_extra_fields_are_ignored() -> None:
    pr = one(reviewDecision="", comments=[{"body": "ignored"}])
    assert (pr.number, pr.title, pr.author, pr.head, pr.branch) == (7, "Pull request 7", "ann", SHA, "pr-7")
    assert pr.url == f"{prs.REPO_URL}/pull/7"
    assert pr.review_text == "awaiting review"  # "": the branch requires no review
    assert [one(reviewDecision=d).review_text for d in ("REVIEW_REQUIRED", "CHANGES_REQUESTED", "APPROVED")] == [
        "review required",
        "changes requested",
        "approved",
    ]


@pytest.mark.parametrize(
    "title",
    [
        '<img src=x onerror="alert(1)">',
        "line\nbreak\r\u2028and\x1b[31m colour \u202eright-to-left",
        "x" * 100_000,
    ],
)
def test_a_title_stays_what_it_says_on_one_line_and_short(title: str) -> None:
    shown = one(title=title).title
    assert len(shown) <= MAX_TITLE
    assert not any(c in shown for c in "\n\r\x1b\u2028\u202e")
    assert shown.startswith(title.split("\n")[0][:50].replace("\x1b", "\\x1b"))  # escaped in the template, not here


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://github.com.evil.example/cern-sm/calendar/pull/7",
        "https://github.com/cern-sm/calendar/pull/8",  # another pull request
        "https://github.com/someone/else/pull/7",
        "http://github.com/cern-sm/calendar/pull/7",
        'https://github.com/cern-sm/calendar/pull/7"><script>',
        "",
    ],
)
def test_a_link_to_the_pull_request_is_ours_or_none(url: str) -> None:
    assert one(url=url).url == ""


def test_without_repo_url_no_pull_request_is_linked() -> None:
    (pr,) = parse_pull_requests(listing(prs.entry(7, SHA)), "")
    assert pr.url == ""


@pytest.mark.parametrize(
    "branch", ["-x", "a..b", "a b", "x\n", "feature/", "a~1", ".hidden", "x.lock", "a:b", "a\\b", "y" * 300, ""]
)
def test_a_branch_git_would_refuse_gives_no_edit_link(branch: str) -> None:
    assert one(headRefName=branch).branch == ""


def test_a_usable_branch_is_kept() -> None:
    assert one(headRefName="feature/open-days-2027").branch == "feature/open-days-2027"


@pytest.mark.parametrize("login", ["evil/../x", "a b", "<x>", "-dash", "javascript:", "x" * 40])
def test_a_fork_owner_github_would_refuse_gives_no_link(login: str) -> None:
    pr = one(isCrossRepository=True, headRepositoryOwner={"login": login})
    assert (pr.fork, pr.fork_owner) == (True, "")


def test_a_fork_owner_is_kept_only_for_a_fork() -> None:
    assert one(isCrossRepository=True, headRepositoryOwner={"login": "forker"}).fork_owner == "forker"
    assert one(headRepositoryOwner={"login": "forker"}).fork_owner == ""


def test_a_deleted_author_or_fork_is_no_error() -> None:
    pr = one(author=None, headRepositoryOwner=None, isCrossRepository=True)
    assert (pr.author, pr.fork_owner) == ("", "")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b'{"number": 1}', "not a list"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        (listing({"number": 1}), "[0].title"),
        (listing({**prs.entry(1, SHA), "number": "1"}), "[0].number"),
        (listing({**prs.entry(1, SHA), "number": True}), "[0].number"),
        (listing({**prs.entry(1, SHA), "number": -3}), "[0].number"),
        (listing(prs.entry(1, "HEAD")), "[0].headRefOid"),
        (listing(prs.entry(1, "--upload-pack=x" + "a" * 26)), "[0].headRefOid"),
        (listing(prs.entry(1, SHA, reviewDecision="MERGE_IT")), "[0].reviewDecision"),
        (listing(prs.entry(1, SHA, isDraft="yes")), "[0].isDraft"),
        (listing(prs.entry(1, SHA), prs.entry(1, SHA)), "listed twice"),
        (listing(*[prs.entry(i + 1, SHA) for i in range(MAX_PULL_REQUESTS + 1)]), "at most"),
        (b"[" + b" " * MAX_BYTES + b"]", "bytes"),
    ],
)
def test_a_bad_file_is_refused_with_what_and_where(data: bytes, said: str) -> None:
    with pytest.raises(ConfigError, match=r"--pull-requests") as caught:
        parse_pull_requests(data, prs.REPO_URL)
    assert said in str(caught.value)


def test_a_bad_file_stops_the_build_with_exit_code_2_and_a_message(example_project, tmp_path: Path) -> None:
    bad = tmp_path / "prs.json"
    bad.write_text('[{"number": "one"}]', encoding="utf-8")
    code, out = run_main("--root", str(example_project.root), "build", "--pull-requests", str(bad))
    assert code == 2
    assert "configuration error: --pull-requests" in out and "[0].number" in out
    assert "Traceback" not in out
    assert not (example_project.root / "site").exists()


# --- media in a git tree ---------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path):
    """A commit's tree: an image, an oversized one, a link to a folder outside, a link to a file."""
    import git

    root = tmp_path / "t"
    (root / "media").mkdir(parents=True)
    (root / "media" / "ok.png").write_bytes(prs.png())
    (root / "media" / "big.png").write_bytes(b"\0" * (MAX_BYTES + 1))
    (root / "media" / "out").symlink_to("/etc")
    (root / "media" / "alias.png").symlink_to("ok.png")
    prs.git(root, "init", "-q")
    prs.git(root, "add", "-A")
    prs.git(root, "commit", "-qm", "media")
    repo = git.Repo(root)
    yield repo.head.commit.tree
    repo.close()


def test_a_medium_in_a_git_tree_is_refused_as_on_disk(tree) -> None:
    assert tree_file(tree, "media/ok.png")[0].size == len(prs.png())
    refused = {
        src: tree_file(tree, src)[1]
        for src in ("media/out/passwd", "media/alias.png", "../x.png", "/etc/passwd", ".git/config", "media")
    }
    assert "symbolic link" in refused["media/out/passwd"] and "symbolic link" in refused["media/alias.png"]
    assert refused["../x.png"] == "the path leaves the repository"
    assert "relative to the repository root" in refused["/etc/passwd"]
    assert refused[".git/config"] == "the path points into .git"
    assert refused["media"] == "it is not a file"
    assert "20 MB" in tree_medium_problem(tree, "media/big.png", "image")[1]
    assert tree_medium_problem(tree, "media/ok.png", "image") is None


# --- a repository with open pull requests --------------------------------------------------------


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return prs.make(tmp_path_factory.mktemp("prs"))


@pytest.fixture(scope="module")
def opened(fixture):
    """What each pull request proposes, by number."""
    import os

    from generator.pipeline import make_plan
    from generator.proposals import read_proposals
    from generator.pulls import read_pull_requests
    from generator.thumbnails import Thumbnailer

    project, path, _ = fixture
    os.environ.setdefault("SOCIALCAL_TODAY", "2026-11-26")
    plan = make_plan(project, keep_files=True)
    pulls = read_pull_requests(path, prs.REPO_URL)
    found = read_proposals(project.root, pulls, plan.validation, plan.registry, Thumbnailer(project.root, None))
    return {o.number: o for o in found}


def test_a_new_post_is_read_from_the_pull_requests_commit_with_its_picture(opened) -> None:
    (p,) = opened[1].proposals
    assert (p.path, p.id, p.complete, p.before) == ("content/posts/2026/12/pr-new-post.md", "pr-new-post", True, None)
    assert p.diagnostics == ()  # its picture is in the pull request: no SC315
    assert isinstance(p.media[0], Thumb)
    assert [e.channel.id for e in p.entries] == ["twitter-cern", "twitter-cern-fr"]
    assert "Le texte en français" in p.entries[1].outgoing.text
    assert opened[1].others == ("media/pr/new-picture.png",)


def test_a_proposed_post_is_shown_as_it_would_go_out_once_merged_utm_tags_included(fixture, opened) -> None:
    """The settings tag links to the team's sites (utm, on in the example): a proposed post's texts
    are the ones merging it would publish and SC301 counts, not its untagged draft. Untagged,
    every proposal was shown shorter than it is, and an edit of a merged post showed its links
    changed on every channel."""
    from generator.outgoing_text import compose

    registry = fixture[0].registry()
    assert registry.settings.utm.enabled
    (new,) = opened[1].proposals
    assert "home.cern/news/pr-post?utm_source=twitter&utm_medium=social" in new.entries[0].outgoing.text
    for o in opened.values():
        for p in o.proposals:
            for e in p.entries:
                assert e.outgoing == compose(p.post, e.channel, registry.settings.utm), (p.path, e.channel.id)
    (edit,) = opened[2].proposals
    linked = [e.outgoing.text for e in edit.entries if "home.cern" in e.outgoing.text]
    assert linked and all("utm_source=" in text for text in linked)


def test_an_edit_of_a_merged_post_knows_the_post_it_changes(opened) -> None:
    (p,) = opened[2].proposals
    assert p.before is not None and p.before.id == prs.EDITED_ID
    assert prs.AFTER in p.post.body and prs.BEFORE in p.before.body


def test_a_broken_proposal_carries_its_errors_and_stops_nothing(opened) -> None:
    broken, unreadable = sorted(opened[3].proposals, key=lambda p: p.path)
    assert [d.code for d in broken.diagnostics] == ["SC201"] and broken.shown
    assert unreadable.post is None and not unreadable.shown and unreadable.errors
    assert all(d.path == prs.UNREADABLE for d in unreadable.diagnostics)


def test_a_missing_head_commit_is_a_problem_of_that_pull_request(opened) -> None:
    assert opened[5].proposals == ()
    assert "0123456789ab is not in this repository" in opened[5].problem
    assert all(not opened[n].problem for n in (1, 2, 3, 4))


def test_nothing_of_a_pull_request_is_checked_out(fixture, opened) -> None:
    project, _, _ = fixture
    assert not (project.root / "media" / "pr").exists()
    assert not (project.root / "content" / "posts" / "2026" / "12" / "pr-new-post.md").exists()
    assert subprocess.run(["git", "-C", str(project.root), "status", "--porcelain"], capture_output=True).stdout == b""


# --- the site ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(fixture, tmp_path_factory) -> Path:
    import os

    project, path, _ = fixture
    out = tmp_path_factory.mktemp("site") / "site"
    os.environ.setdefault("SOCIALCAL_TODAY", "2026-11-26")
    result = cli_build(project, "--site-dir", str(out), "--pull-requests", str(path))
    assert result.exit_code == 0, result.output
    assert "note: pull request #5: its head commit 0123456789ab is not in this repository" in result.output
    return out


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_the_month_grid_marks_each_proposal_with_its_pull_request(site: Path) -> None:
    month = read(site, "calendar/2026-12")
    for number in (1, 2, 3, 4):
        assert f'data-pr="{number}"' in month
    assert "PR #2 · change" in month and "PR #3 · 1 error" in month
    assert 'href="../../posts/pr-new-post/#pr-1"' in month
    assert f'href="../../posts/{prs.EDITED_ID}/#pr-2"' in month
    week = read(site, "week/2026-w50")  # 7–13 December
    assert 'class="sc-pcard sc-wpost sc-entry-proposed sc-ch-twitter-cern sc-proposal"' in week


def test_a_new_post_of_a_pull_request_has_its_page(site: Path) -> None:
    page = read(site, "posts/pr-new-post")
    assert "Proposed in an open pull request, not merged" in page
    assert "Le texte en français de la proposition." in page
    assert "https://github.com/cern-sm/calendar/edit/pr-1/content/posts/2026/12/pr-new-post.md" in page
    assert "cern-sm/calendar/edit/main/content/posts/2026/12/pr-new-post.md" not in page  # not on main yet
    assert "../../assets/thumbs/" in page
    assert "SC201" in read(site, "posts/pr-broken")


def test_a_merged_posts_page_shows_the_pending_change_before_and_after(site: Path) -> None:
    page = read(site, f"posts/{prs.EDITED_ID}")
    assert 'id="pr-2"' in page and "Pending changes" in page
    assert prs.BEFORE in page and prs.AFTER in page
    assert "changes requested" in page
    assert "javascript:" not in page  # its url was not the pull request's: no link


def test_the_desk_groups_posts_by_pull_request(site: Path) -> None:
    desk = read(site, "review")
    for number in (1, 2, 3, 4, 5):
        assert f'id="pr-{number}" data-pr="{number}"' in desk
    assert desk.index('id="pr-1"') < desk.index('id="merged"')  # pull requests first
    for said in ("awaiting review", "changes requested", "approved", "review required", ">draft<"):
        assert said in desk
    assert "https://github.com/forker/calendar/edit/patch-1/content/posts/2026/12/pr-fork.md" in desk
    assert f"<code>{prs.UNREADABLE}</code>" in desk
    assert "0123456789ab is not in this repository" in desk
    assert 'data-pr="3" data-when="upcoming" data-problems=""' in desk


@pytest.mark.parametrize(
    "payload",
    [
        '<img src=x onerror="alert(1)">',
        "<script>alert(1)</script>",
        "javascript:alert(1)",
    ],
)
def test_hostile_values_from_the_json_are_never_markup_or_links(site: Path, payload: str) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert payload not in text, page
        assert 'href="javascript' not in text, page
    assert "\x1b" not in read(site, "review") and "\u202e" not in read(site, "review")


def test_proposals_have_a_feed_of_their_own_and_channel_feeds_keep_merged_posts(site: Path) -> None:
    import icalendar

    feed = icalendar.Calendar.from_ical((site / "feeds" / "proposals.ics").read_bytes())
    events = list(feed.walk("VEVENT"))
    summaries = sorted(str(e["summary"]) for e in events)
    assert len(events) == 5  # PR 1 on two channels, PR 2 on two, PR 4 on one; PR 3's channel is unknown
    assert all("PR #" in s for s in summaries)
    assert {str(e["status"]) for e in events} == {"TENTATIVE"}
    assert len({str(e["uid"]) for e in events}) == 5
    assert any(str(e["url"]).endswith("posts/pr-new-post/#pr-1") for e in events)
    for merged in ("feeds/all.ics", "feeds/channels/twitter-cern.ics"):
        assert b"PR #" not in (site / merged).read_bytes()


def test_without_pull_requests_the_site_shows_none(fixture, tmp_path: Path) -> None:
    project, _, _ = fixture
    out = tmp_path / "site"
    assert cli_build(project, "--site-dir", str(out)).exit_code == 0
    assert not (out / "feeds" / "proposals.ics").exists()
    assert not (out / "posts" / "pr-new-post").exists()
    assert "sc-pr-mark" not in (out / "assets" / "socialcal.css").read_text(encoding="utf-8")
    assert 'data-pr="' not in read(out, "calendar/2026-12") + read(out, "review")
