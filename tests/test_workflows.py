"""The verdict on a pull request comes from the base branch's workflow and socialcal over the
head's content (.github/workflows/pr-verdict.yml): the workflow's own shell, run offline against
real git repositories in temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, VALID_POST, copy_project

WORKFLOW = REPO / ".github" / "workflows" / "pr-verdict.yml"
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Ann",
    "GIT_AUTHOR_EMAIL": "a@example.org",
    "GIT_COMMITTER_NAME": "Ann",
    "GIT_COMMITTER_EMAIL": "a@example.org",
    "GIT_AUTHOR_DATE": "2027-01-01T10:00:00Z",
    "GIT_COMMITTER_DATE": "2027-01-01T10:00:00Z",
}


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout.strip()


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def steps() -> list[dict]:
    return workflow()["jobs"]["verdict"]["steps"]


def test_it_runs_the_base_branchs_workflow_with_a_read_only_token_kept_nowhere() -> None:
    data = workflow()
    assert list(data[True]) == ["pull_request_target"]  # YAML reads `on:` as True
    assert data["permissions"] == {"contents": "read"} and "permissions" not in data["jobs"]["verdict"]
    checkouts = [s for s in steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert [c["with"]["path"] for c in checkouts] == ["base", "head"]
    assert all(c["with"]["persist-credentials"] is False for c in checkouts)
    assert checkouts[0]["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkouts[1]["with"]["ref"] == "${{ github.event.pull_request.head.sha }}"


def test_nothing_of_the_head_is_installed_or_run() -> None:
    for step in steps():
        run = step.get("run", "")
        if not run:
            continue
        # Every command runs in the base's folder; the head is named only as --root and to git.
        assert step.get("working-directory") == "base", step["name"]
        for line in filter(None, (line.strip() for line in run.splitlines())):
            if line.startswith("#") or "HEAD_DIR" not in line:
                continue
            assert line.startswith(('git -C "$HEAD_DIR" fetch', 'socialcal --root "$HEAD_DIR" validate')), line
        assert "${{" not in run  # pull-request data reaches the shell through env only


@pytest.fixture
def checkouts(tmp_path: Path) -> tuple[Path, Path, str]:
    """What the two checkouts leave: base/ at the base branch's tip, and head/, a fork's clone at
    the pull request's head, which lacks that tip (main moved on after the fork)."""
    origin = copy_project(tmp_path / "origin").root
    (origin / "content" / "posts" / "ok.md").write_text(f"---\n{VALID_POST}\n---\n\nText.\n")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "main")
    head = tmp_path / "head"
    git(tmp_path, "clone", "-q", str(origin), str(head))
    # The pull request: a broken post, and a validator of its own that would hide it.
    broken = VALID_POST.replace("twitter-cern", "twiter-cern").replace("10:00", "15:00")
    (head / "content" / "posts" / "broken.md").write_text(f"---\n{broken}\n---\n\nText.\n")
    marker = tmp_path / "head-code-ran"
    (head / "generator").mkdir()
    for name in ("__init__.py", "diagnostics.py", "cli.py"):
        (head / "generator" / name).write_text(f"open({str(marker)!r}, 'w').write('pwned')\nraise SystemExit(0)\n")
    (head / "sitecustomize.py").write_text(f"open({str(marker)!r}, 'w').write('pwned')\n")
    git(head, "add", "-A")
    git(head, "commit", "-qm", "proposal")
    (origin / "content" / "posts" / "later.md").write_text(
        f"---\n{VALID_POST.replace('2027-03-02', '2027-04-06')}\n---\n\nLater.\n"
    )
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "main moves on")
    base = tmp_path / "base"
    git(tmp_path, "clone", "-q", str(origin), str(base))
    return base, head, git(base, "rev-parse", "HEAD")


def run_step(name: str, base: Path, head: Path, base_sha: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """A step's shell as the runner runs it (bash -e), with its env, socialcal being the one
    under test (this repository's code: the base's)."""
    (step,) = [s for s in steps() if s.get("name") == name]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "socialcal"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -I -c 'from generator.cli import main; main()' \"$@\"\n")
    shim.chmod(0o755)
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "PYTHONPATH": str(REPO),  # -I ignores it: the shim imports this checkout's package as installed
        "BASE_SHA": base_sha,
        "BASE_DIR": str(base),
        "HEAD_DIR": str(head),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "SOCIALCAL_JOBS": "1",
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=base if step.get("working-directory") == "base" else tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_verdict_is_the_base_validators_and_the_heads_code_never_runs(checkouts, tmp_path: Path) -> None:
    base, head, base_sha = checkouts
    proc = run_step("Validate the head's content", base, head, base_sha, tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "::error file=content/posts/broken.md" in proc.stdout and "SC201" in proc.stdout
    assert "ok.md" not in proc.stdout and "later.md" not in proc.stdout  # only what the head changed
    assert not (tmp_path / "head-code-ran").exists()
    summary = (tmp_path / "summary.md").read_text()
    assert "❌ 1 error(s)" in summary
    for path in ("generator/diagnostics.py", "sitecustomize.py"):
        row = next(line for line in summary.splitlines() if line.startswith(f"| {path.replace('_', chr(92) + '_')} "))
        assert "code: a maintainer reviews" in row


def test_a_clean_head_passes(checkouts, tmp_path: Path) -> None:
    base, head, base_sha = checkouts
    git(head, "rm", "-q", "content/posts/broken.md")
    git(head, "commit", "-qm", "fixed")
    proc = run_step("Validate the head's content", base, head, base_sha, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not (tmp_path / "head-code-ran").exists()
