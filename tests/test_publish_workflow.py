"""The publishing workflow builds main with the open pull requests and comments on them
(.github/workflows/publish.yml): who holds which token, and the steps' own shell run offline
against local git repositories and a stand-in for `gh` that records what it is asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from . import prs
from .conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
MARKER = "<!-- socialcal:preview -->"
SIGNAL = "review-submitted.yml"

# A stand-in for gh: records each call (one JSON list a line), answers `api … --jq EXPR` by running
# jq over $FAKE_API (what GitHub would return), `pr list` with $FAKE_PRS.
FAKE_GH = f"""#!{sys.executable}
import json, os, subprocess, sys
args = sys.argv[1:]
if args[-3:] == ["--input", "-", "--silent"]:
    args.append(sys.stdin.read())  # the request's body, recorded with its call
with open(os.environ["GH_LOG"], "a") as log:
    log.write(json.dumps(args) + "\\n")
if args[:2] == ["pr", "list"]:
    sys.stdout.write(open(os.environ["FAKE_PRS"]).read())
elif "--jq" in args:
    expr = args[args.index("--jq") + 1]
    data = open(os.environ.get("FAKE_API", os.devnull)).read() or "[]"
    sys.stdout.write(subprocess.run(["jq", "-r", expr], input=data, capture_output=True, text=True, check=True).stdout)
"""


def workflow() -> dict:
    return yaml.safe_load(PUBLISH.read_text(encoding="utf-8"))


def step(job: str, name: str) -> dict:
    (found,) = [s for s in workflow()["jobs"][job]["steps"] if s.get("name") == name]
    return found


def run(job: str, name: str, cwd: Path, tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """A step's shell as the runner runs it (bash -e), with `gh` the stand-in and `socialcal` this
    checkout's code."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "socialcal").write_text(
        f"#!/bin/sh\nexec {sys.executable} -c 'from generator.cli import main; main()' \"$@\"\n", encoding="utf-8"
    )
    for tool in ("gh", "socialcal"):
        (bin_dir / tool).chmod(0o755)
    full = {
        **os.environ,
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "GITHUB_REPOSITORY": "cern-sm/calendar",
        "RUNNER_TEMP": str(tmp / "runner"),
        "GITHUB_OUTPUT": str(tmp / "output"),
        "GH_LOG": str(tmp / "gh.log"),
        "SOCIALCAL_JOBS": "1",
        **env,
    }
    (tmp / "runner").mkdir(exist_ok=True)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step(job, name)["run"]],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
    )


def calls(tmp: Path) -> list[list[str]]:
    log = tmp / "gh.log"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


# --- who holds what --------------------------------------------------------------------------------


def test_it_runs_on_main_daily_and_when_a_pull_requests_verdict_completes() -> None:
    on = workflow()[True]  # YAML reads `on:` as True
    assert set(on) == {"push", "schedule", "workflow_dispatch", "workflow_run"}
    names = [yaml.safe_load((WORKFLOWS / f).read_text(encoding="utf-8"))["name"] for f in ("pr-verdict.yml", SIGNAL)]
    assert on["workflow_run"] == {"workflows": names, "types": ["completed"]}
    assert "# zizmor: ignore[dangerous-triggers]" in PUBLISH.read_text(encoding="utf-8")


def test_only_the_deploy_and_the_comment_jobs_write_and_the_comment_job_runs_nothing_of_a_pull_request() -> None:
    data = workflow()
    assert data["permissions"] == {}
    jobs = data["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read", "pull-requests": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}
    for s in jobs["comment"]["steps"]:
        assert "checkout" not in s.get("uses", "")
        assert not any(word in s.get("run", "") for word in ("socialcal ", "pip ", "python", "git "))
    checkout = jobs["build"]["steps"][0]
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    assert checkout["with"]["persist-credentials"] is False
    for job in jobs.values():
        for s in job["steps"]:
            assert "${{" not in s.get("run", "")  # event data reaches the shell through env only
            assert "cache" not in s.get("with", {})  # no cache a pull request's run could have seeded


def test_the_review_signal_holds_nothing_and_runs_nothing() -> None:
    data = yaml.safe_load((WORKFLOWS / SIGNAL).read_text(encoding="utf-8"))
    assert list(data[True]) == ["pull_request_review"] and data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert "permissions" not in job
    assert [s["run"].split()[0] for s in job["steps"]] == ["echo"] and "${{" not in str(job)


# --- the build job's steps ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    """prs.make's origin (refs/pull/N/head) and gh's list; a fresh clone of origin, as checkout leaves it."""
    tmp = tmp_path_factory.mktemp("publish")
    project, listing, heads = prs.make(tmp)
    clone = tmp / "checkout"
    subprocess.run(["git", "clone", "-q", str(tmp / "origin.git"), str(clone)], check=True)
    return clone, listing, heads, project


def test_the_list_is_gh_pr_lists_and_the_heads_are_fetched_as_objects(repos, tmp_path: Path) -> None:
    clone, listing, heads, _ = repos
    proc = run("build", "List the open pull requests", clone, tmp_path, FAKE_PRS=str(listing))
    assert proc.returncode == 0, proc.stderr
    (args,) = calls(tmp_path)
    assert args[:6] == ["pr", "list", "--repo", "cern-sm/calendar", "--state", "open"]
    fields = args[args.index("--json") + 1].split(",")
    assert {"number", "headRefOid", "isCrossRepository", "reviewDecision", "maintainerCanModify"} <= set(fields)
    assert (tmp_path / "runner" / "prs.json").read_bytes() == listing.read_bytes()
    for number in (1, 2, 3, 4):
        assert prs.git(clone, "rev-parse", f"refs/pull/{number}/head").strip() == heads[number]
    assert prs.git(clone, "status", "--porcelain") == ""  # nothing checked out


WRITE = "Write the pull request's comment and the approval's suggestions"


@pytest.mark.usefixtures("pinned")
def test_a_forks_run_finds_its_pull_request_by_head_commit_and_writes_the_comment(repos, tmp_path: Path) -> None:
    _, listing, heads, project = repos
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "prs.json").write_bytes(listing.read_bytes())
    api = tmp_path / "api.json"  # GitHub's reviews: bob approved the fork's head commit
    api.write_text(json.dumps([{"user": {"login": "bob"}, "state": "APPROVED", "commit_id": heads[4],
                                "submitted_at": "2026-11-27T09:00:00Z"}]))  # fmt: skip
    proc = run("build", WRITE, project.root, tmp_path, HEAD_SHA=heads[4], FAKE_API=str(api))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "output").read_text() == "number=4\n"
    body = (runner / "comment" / "comment.md").read_text(encoding="utf-8")
    assert body.startswith(MARKER) and "review/?pr=4" in body
    asked = [c[:3] for c in calls(tmp_path)]
    assert asked == [
        ["api", "--paginate", f"repos/cern-sm/calendar/pulls/4/{what}"] for what in ("reviews", "comments")
    ]
    (suggestion,) = json.loads((runner / "comment" / "suggestions.json").read_text())
    assert suggestion["path"] == "content/posts/2026/12/pr-fork.md" and "approved_by: bob" in suggestion["body"]


@pytest.mark.usefixtures("pinned")
def test_a_run_of_no_open_pull_request_writes_no_comment_and_does_not_fail(repos, tmp_path: Path) -> None:
    _, listing, _, project = repos
    (tmp_path / "runner").mkdir()
    (tmp_path / "runner" / "prs.json").write_bytes(listing.read_bytes())
    proc = run("build", WRITE, project.root, tmp_path, HEAD_SHA="e" * 40)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "output").exists() or "number=" not in (tmp_path / "output").read_text()
    assert calls(tmp_path) == []


# --- the comment job ----------------------------------------------------------------------------------


def comments_api(tmp: Path, *comments: dict) -> Path:
    path = tmp / "comments.json"
    path.write_text(json.dumps(list(comments)), encoding="utf-8")
    return path


def post_comment(tmp: Path, number: str, api: Path) -> subprocess.CompletedProcess[str]:
    (tmp / "comment").mkdir(exist_ok=True)
    (tmp / "comment" / "comment.md").write_text(MARKER + "\nbody", encoding="utf-8")
    return run("comment", "Post or edit the sticky comment", tmp, tmp, NUMBER=number, FAKE_API=str(api))


def test_the_sticky_comment_is_edited_when_it_exists(tmp_path: Path) -> None:
    api = comments_api(
        tmp_path,
        {"id": 11, "user": {"login": "ann"}, "body": "LGTM"},
        {"id": 12, "user": {"login": "github-actions[bot]"}, "body": MARKER + "\nold"},
    )
    proc = post_comment(tmp_path, "4", api)
    assert proc.returncode == 0, proc.stderr
    edit = calls(tmp_path)[-1]
    assert edit[:4] == ["api", "--method", "PATCH", "repos/cern-sm/calendar/issues/comments/12"]
    assert "body=@comment/comment.md" in edit


@pytest.mark.parametrize(
    "others",
    [
        [],
        [{"id": 13, "user": {"login": "mallory"}, "body": MARKER + " a contributor's copy of the marker"}],
        [{"id": 14, "user": {"login": "github-actions[bot]"}, "body": "another bot comment"}],
    ],
)
def test_otherwise_one_is_posted_and_nobody_elses_is_edited(tmp_path: Path, others: list[dict]) -> None:
    proc = post_comment(tmp_path, "4", comments_api(tmp_path, *others))
    assert proc.returncode == 0, proc.stderr
    post = calls(tmp_path)[-1]
    assert post[:4] == ["api", "--method", "POST", "repos/cern-sm/calendar/issues/4/comments"]
    assert not any("PATCH" in c for c in calls(tmp_path))


@pytest.mark.parametrize("number", ["", "4; touch pwned", "$(touch pwned)", "-1", "4\n5"])
def test_a_number_that_is_not_one_stops_before_gh_is_called(tmp_path: Path, number: str) -> None:
    proc = post_comment(tmp_path, number, comments_api(tmp_path))
    assert proc.returncode == 1
    assert calls(tmp_path) == [] and not (tmp_path / "pwned").exists()


def test_the_suggestions_are_posted_one_review_comment_each(tmp_path: Path) -> None:
    (tmp_path / "comment").mkdir()
    made = [{"path": "content/posts/a.md", "line": 7, "side": "RIGHT", "commit_id": "c" * 40, "body": "x'\"$(y)"}]
    (tmp_path / "comment" / "suggestions.json").write_text(json.dumps(made * 2), encoding="utf-8")
    proc = run("comment", "Post the approval's suggestions", tmp_path, tmp_path, NUMBER="4")
    assert proc.returncode == 0, proc.stderr
    posted = calls(tmp_path)
    assert len(posted) == 2
    for call in posted:
        assert call[:4] == ["api", "--method", "POST", "repos/cern-sm/calendar/pulls/4/comments"]
        assert json.loads(call[-1]) == made[0]  # passed as it was made, never through the shell


def test_no_suggestions_no_call(tmp_path: Path) -> None:
    proc = run("comment", "Post the approval's suggestions", tmp_path, tmp_path, NUMBER="4")
    assert proc.returncode == 0 and calls(tmp_path) == []
