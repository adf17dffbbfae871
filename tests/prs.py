"""Open pull requests for the tests: a bare "origin" in a temporary folder whose refs/pull/N/head
commits propose posts, a clone of it that fetched them as the workflow does, and the JSON that
`gh pr list --json …` prints for them."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from generator.project import Project

from .conftest import copy_project

REPO_URL = "https://github.com/cern-sm/calendar"
MISSING = "0123456789abcdef0123456789abcdef01234567"  # a head commit the clone does not have
# The merged post PR 2 edits (an example post), and its text before.
EDITED = "content/posts/2026/12/2026-12-03-fcc-feasibility-update.md"
EDITED_ID = "2026-12-03-fcc-feasibility-update"
BEFORE = "The Future Circular Collider feasibility study feeds the update"
AFTER = "Pending text: the FCC study, in one sentence for the reviewers."
UNREADABLE = "content/posts/2026/12/pr-unreadable.md"
HOSTILE_TITLE = '<img src=x onerror="alert(1)">\u202eDrop\x1b[31m tables ' + "x" * 400

NEW_POST = """---
title: "PR post <b>bold</b>"
date: 2026-12-10 11:00
channel: [twitter-cern, twitter-cern-fr]
link: https://home.cern/news/pr-post
hashtags: ["#CERN"]
status: proposed
media:
  - src: media/pr/new-picture.png
    alt: A blue test picture added in the pull request
variants:
  twitter-cern-fr: "Le texte en français de la proposition."
---

The English text of the proposal.
"""
BROKEN_POST = """---
title: A broken proposal
date: 2026-12-11 10:00
channel: [twiter-cern]
status: proposed
---

Text of a broken proposal.
"""
FORK_POST = """---
title: From a fork
date: 2026-12-12 09:00
channel: twitter-cern
link: https://home.cern/news/fork
hashtags: ["#CERN"]
status: proposed
---

A post proposed from a fork.
"""


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_DATE": "2026-11-20T10:00:00Z",
        "GIT_COMMITTER_DATE": "2026-11-20T10:00:00Z",
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    cmd = ["git", "-C", str(root), "-c", "user.name=Ann", "-c", "user.email=a@example.org"]
    cmd += ["-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def png(colour: tuple[int, int, int] = (30, 60, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (96, 64), colour).save(out, "PNG")
    return out.getvalue()


def _propose(work: Path, number: int, files: dict[str, bytes | None], message: str) -> str:
    """A commit on its own branch from main, pushed to origin as refs/pull/N/head; its sha."""
    git(work, "checkout", "-q", "-b", f"pr-{number}", "main")
    for rel, data in files.items():
        path = work / rel
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    git(work, "add", "-A")
    git(work, "commit", "-qm", message)
    sha = git(work, "rev-parse", "HEAD").strip()
    git(work, "push", "-q", "origin", f"HEAD:refs/pull/{number}/head")
    git(work, "checkout", "-q", "main")
    return sha


def entry(number: int, sha: str, **extra: object) -> dict[str, object]:
    """A pull request as gh prints it (with a field gh adds that socialcal ignores)."""
    out: dict[str, object] = {
        "author": {"id": "MDQ6VXNlcjE=", "is_bot": False, "login": "ann", "name": "Ann"},
        "headRefName": f"pr-{number}",
        "headRefOid": sha,
        "headRepositoryOwner": {"id": "O_1", "login": "cern-sm"},
        "isCrossRepository": False,
        "isDraft": False,
        "maintainerCanModify": False,
        "number": number,
        "reviewDecision": "REVIEW_REQUIRED",
        "title": f"Pull request {number}",
        "url": f"{REPO_URL}/pull/{number}",
    }
    out.update(extra)
    return out


def make(tmp: Path) -> tuple[Project, Path, dict[int, str]]:
    """The clone (a project with the example content and `repo_url`), the gh JSON, and the head
    commit of each pull request: 1 adds a post and its picture, 2 edits a merged post, 3 adds a
    broken post, 4 comes from a fork, 5's head commit was never fetched."""
    work = copy_project(tmp / "work", with_examples=True).root
    mkdocs = work / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + f"\nrepo_url: {REPO_URL}\n", encoding="utf-8")
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "the calendar")
    origin = tmp / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "--initial-branch=main", str(origin)], check=True)
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main")
    edited = (work / EDITED).read_text(encoding="utf-8").replace(BEFORE, AFTER)
    heads = {
        1: _propose(
            work,
            1,
            {"content/posts/2026/12/pr-new-post.md": NEW_POST.encode(), "media/pr/new-picture.png": png()},
            "propose a post",
        ),
        2: _propose(work, 2, {EDITED: edited.encode()}, "edit a merged post"),
        3: _propose(
            work,
            3,
            {"content/posts/2026/12/pr-broken.md": BROKEN_POST.encode(), UNREADABLE: b"---\ntitle: [unclosed\n---\n"},
            "a broken post, and one that cannot be read",
        ),
        4: _propose(work, 4, {"content/posts/2026/12/pr-fork.md": FORK_POST.encode()}, "from a fork"),
    }
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    git(clone, "fetch", "-q", "origin", "+refs/pull/*/head:refs/pull/*/head")
    listed = [
        entry(1, heads[1], title=HOSTILE_TITLE, author={"login": "<script>alert(1)</script>"}, reviewDecision=""),
        entry(2, heads[2], reviewDecision="CHANGES_REQUESTED", url="javascript:alert(1)"),
        entry(3, heads[3], isDraft=True, reviewDecision="APPROVED"),
        entry(
            4,
            heads[4],
            headRefName="patch-1",
            headRepositoryOwner={"id": "U_2", "login": "forker"},
            isCrossRepository=True,
            maintainerCanModify=True,
        ),
        entry(5, MISSING),
    ]
    listing = tmp / "prs.json"
    listing.write_text(json.dumps(listed, indent=2), encoding="utf-8")
    return Project(clone), listing, heads
