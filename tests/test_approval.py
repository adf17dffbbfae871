"""Approval without editing YAML (approval.py, `socialcal pr-approve`): after a reviewer approves a
pull request's head commit in GitHub, a suggested change on each proposed post's `status:` line
records who and when; where GitHub cannot take one, the check says what to do instead. The
fields it writes (`approved_by`, `approved_at`) are validated and shown on the post's page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.approval import approval_of, status_line, suggestion_body
from generator.errors import ConfigError
from generator.views.summary import pr_summary

from . import prs
from .conftest import cli_build, codes, run_main

pytestmark = pytest.mark.usefixtures("pinned")
HEAD = "c" * 40
POTW = "content/posts/2026/12/photo-of-the-week-2026-12-08.md"  # a merged post, `status: proposed` on line 17


def review(login: str, state: str, when: str, commit: str = HEAD) -> dict:
    return {"user": {"login": login}, "state": state, "submitted_at": when, "commit_id": commit, "body": "x"}


def reviews(*items: dict) -> bytes:
    return json.dumps(list(items)).encode()


# --- who approved --------------------------------------------------------------------------------


def test_the_latest_approval_of_the_head_commit_is_the_one_recorded() -> None:
    found = approval_of(
        reviews(
            review("ann", "APPROVED", "2026-11-26T08:00:00Z"),
            review("bob", "COMMENTED", "2026-11-27T08:00:00Z"),
            review("bob", "APPROVED", "2026-11-27T09:00:00+01:00"),
        ),
        HEAD,
    )
    assert (found.login, found.day.isoformat()) == ("bob", "2026-11-27")


@pytest.mark.parametrize(
    "items",
    [
        [],
        [review("ann", "APPROVED", "2026-11-26T08:00:00Z", commit="d" * 40)],  # an earlier commit
        [review("ann", "APPROVED", "2026-11-26T08:00:00Z"), review("ann", "CHANGES_REQUESTED", "2026-11-26T09:00:00Z")],
        [review("ann", "APPROVED", "2026-11-26T08:00:00Z"), review("ann", "DISMISSED", "2026-11-26T09:00:00Z")],
        [review("renovate[bot]", "APPROVED", "2026-11-26T08:00:00Z")],  # no bot's name goes into a file
        [review("bob\napproved_by: mallory", "APPROVED", "2026-11-26T08:00:00Z")],
        [review("-x", "APPROVED", "2026-11-26T08:00:00Z")],
        [{**review("ann", "APPROVED", "2026-11-26T08:00:00Z"), "user": None}],  # a deleted account
        [{**review("ann", "APPROVED", "2026-11-26T08:00:00Z"), "submitted_at": None}],  # pending
    ],
)
def test_nothing_else_is_an_approval(items: list[dict]) -> None:
    assert approval_of(reviews(*items), HEAD) is None


@pytest.mark.parametrize("data", [b"{", b'{"user": 1}', b"[1]", b"[" * 100_000, b" " * (4 * 1024 * 1024 + 1)])
def test_a_bad_answer_is_a_usage_error(data: bytes) -> None:
    with pytest.raises(ConfigError, match="--reviews"):
        approval_of(data, HEAD)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("---\ntitle: x\nstatus: proposed\n---\nbody\n", (3, "proposed")),
        ("---\ntitle: x\nstatus: 'proposed'   # waiting\n---\n", (3, "proposed")),
        ("---\ntitle: x\n---\nstatus: proposed\n", None),  # in the body, not the front-matter
        ("---\nmedia:\n  status: proposed\n---\n", None),  # not a top-level key
        ("title: x\nstatus: proposed\n", None),
    ],
)
def test_the_status_line_is_the_front_matters_own(text: str, found) -> None:
    assert status_line(text) == found


def test_a_suggestion_sets_the_status_and_records_who_and_when() -> None:
    import datetime as dt

    from generator.approval import Approval

    body = suggestion_body("content/posts/a--b.md", Approval("bob", dt.date(2026, 11, 27)))
    assert body.splitlines()[0] == "<!-- socialcal:approve content/posts/a-\u2060-b.md -->"  # cannot end the comment
    block = body.split("```suggestion\n")[1].split("```")[0]
    assert block == "status: approved\napproved_by: bob\napproved_at: 2026-11-27\n"


# --- a repository with open pull requests ----------------------------------------------------------


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    """prs.make's pull requests, and 7: a change to a merged proposed post that leaves its status line alone."""
    tmp = tmp_path_factory.mktemp("approval")
    project, listing, heads = prs.make(tmp)
    work = tmp / "work"
    text = (work / POTW).read_text(encoding="utf-8")
    changed = text.replace("antiproton-decelerator", "antiproton-decelerator-and-elena")
    heads[7] = prs._propose(work, 7, {POTW: changed.encode()}, "a better link")
    prs.git(project.root, "fetch", "-q", "origin", "+refs/pull/*/head:refs/pull/*/head")
    listed = json.loads(listing.read_text(encoding="utf-8"))
    listing.write_text(json.dumps([*listed, prs.entry(7, heads[7])]), encoding="utf-8")
    return project, listing, heads


def approve(fixture, tmp_path: Path, number: int, *extra: str, approved: bool = True) -> tuple[int, str, list]:
    project, listing, heads = fixture
    given = tmp_path / "reviews.json"
    given.write_bytes(reviews(review("bob", "APPROVED", "2026-11-27T09:00:00Z", heads[number])) if approved else b"[]")
    out = tmp_path / "suggestions.json"
    code, said = run_main(
        "--root", str(project.root), "pr-approve", "--pull-requests", str(listing), "--number", str(number),
        "--reviews", str(given), "--out", str(out), *extra,
    )  # fmt: skip
    return code, said, json.loads(out.read_text()) if out.exists() else []


def test_an_approval_gives_a_suggestion_on_each_proposed_posts_status_line(fixture, tmp_path: Path) -> None:
    _, _, heads = fixture
    code, said, made = approve(fixture, tmp_path, 1)
    assert code == 0, said
    (one,) = made
    assert (one["path"], one["line"], one["side"], one["commit_id"]) == (
        "content/posts/2026/12/pr-new-post.md",
        7,
        "RIGHT",
        heads[1],
    )
    assert "approved_by: bob" in one["body"] and "Approved by bob on 2026-11-27" in said


def test_before_an_approval_it_says_what_the_reviewer_does_next(fixture, tmp_path: Path) -> None:
    code, said, made = approve(fixture, tmp_path, 1, approved=False)
    assert code == 0 and made == []
    assert "1 post(s) still proposed" in said and "Review changes → Approve" in said


def test_a_status_line_outside_the_diff_gets_a_note_not_a_suggestion(fixture, tmp_path: Path) -> None:
    code, said, made = approve(fixture, tmp_path, 7)
    assert code == 0 and made == []
    assert f"no suggestion for {POTW}" in said and "sets `status: approved`" in said


def test_a_post_with_errors_is_not_offered_for_approval(fixture, tmp_path: Path) -> None:
    code, said, made = approve(fixture, tmp_path, 3)
    assert code == 0 and made == [] and "error(s): they are fixed before it is approved" in said


def test_a_suggestion_already_posted_on_this_head_is_not_posted_again(fixture, tmp_path: Path) -> None:
    _, _, heads = fixture
    first = approve(fixture, tmp_path, 1)[2][0]
    comments = tmp_path / "comments.json"
    mine = {"user": {"login": "github-actions[bot]"}, "body": first["body"], "commit_id": heads[1]}
    spoof = {**mine, "user": {"login": "mallory"}}
    comments.write_text(json.dumps([mine]), encoding="utf-8")
    assert approve(fixture, tmp_path, 1, "--comments", str(comments))[2] == []
    comments.write_text(json.dumps([spoof, {**mine, "commit_id": "e" * 40}]), encoding="utf-8")
    assert len(approve(fixture, tmp_path, 1, "--comments", str(comments))[2]) == 1


def test_no_open_pull_request_of_that_number_is_exit_1(fixture, tmp_path: Path) -> None:
    assert approve(fixture, tmp_path, 1, "--number", "99")[0] in (1, 2)


# --- the fields in the file ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "found"),
    [
        ("status: approved\napproved_by: bob\napproved_at: 2026-11-27", []),
        ("status: approved\napproved_by: bob smith", ["SC1"]),
        ("status: approved\napproved_by: '<script>'", ["SC1"]),
        ("status: approved\napproved_by: " + "x" * 40, ["SC1"]),
        ("status: approved\napproved_at: yesterday", ["SC1"]),
    ],
)
def test_who_and_when_are_validated(project, write, check, lines: str, found: list[str]) -> None:
    from generator.rules.examples import VALID_POST

    write("a.md", VALID_POST.replace("status: approved", lines) if "status:" in VALID_POST else VALID_POST + lines)
    assert [c[:3] for c in codes(check())] == found


def test_who_approved_and_when_show_on_the_posts_page(example_project, tmp_path: Path) -> None:
    post = example_project.root / POTW
    post.write_text(
        post.read_text(encoding="utf-8").replace(
            "status: proposed", "status: approved\napproved_by: bob\napproved_at: 2026-11-27"
        ),
        encoding="utf-8",
    )
    site = tmp_path / "site"
    assert cli_build(example_project, "--site-dir", str(site)).exit_code == 0
    page = (site / "posts" / "photo-of-the-week-2026-12-08" / "index.html").read_text(encoding="utf-8")
    assert '<span class="sc-approver">bob</span> on <time datetime="2026-11-27">Friday 27 November 2026</time>' in page


# --- the verdict's summary -------------------------------------------------------------------------------


def test_the_verdict_lists_the_posts_still_proposed_and_the_next_step(example_calendar) -> None:
    waiting = [p for p in example_calendar.posts if p.status == "proposed"][:2]
    approved = [p for p in example_calendar.posts if p.status == "approved"][:1]
    text = pr_summary(example_calendar, [p.path for p in waiting + approved], [], [])
    section = text.split("### Approval")[1].split("###")[0]
    assert "2 post(s) still `proposed`" in section and "Review changes → Approve" in section
    assert approved[0].path.replace("_", "\\_") not in section
    everything_approved = pr_summary(example_calendar, [p.path for p in approved], [], [])
    assert "No post waits for approval." in everything_approved
