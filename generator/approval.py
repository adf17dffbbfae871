"""Approval without editing YAML (`socialcal pr-approve`): when a reviewer approves a pull request
in GitHub, a suggested change on each proposed post's `status:` line records it in the file.

The publishing workflow runs this after a review (workflow_run): GitHub's own list of the pull
request's reviews says who approved its head commit and when; for each post file the pull request
proposes that still says `status: proposed` (or no status), the suggestion replaces that line with

    status: approved
    approved_by: <the reviewer's login>
    approved_at: <the day of the approval>

which the reviewer (or the author, on a fork that does not allow maintainers' edits) commits with
one click. GitHub only takes suggestions on lines of the diff: a file whose `status:` line the
pull request does not change, or that has none, gets a note instead, asking for the line to be
set by hand. Nothing of the pull request runs: its files are read from git objects (proposals.py)
and the reviews are GitHub's answer, checked like the pull-request list (pulls.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .diagnostics import one_line
from .errors import ConfigError
from .models import GITHUB_LOGIN, MAX_GITHUB_LOGIN
from .views.summary import NEXT_STEP, WAITING

__all__ = ["NEXT_STEP", "WAITING", "Approval", "Plan", "Suggestion", "approval_of", "plan", "status_line"]

if TYPE_CHECKING:
    import git

    from .project import Project
    from .proposals import OpenPullRequest, Proposal

MARKER = "<!-- socialcal:approve {path} -->"  # one suggestion per file and head commit
BOT = "github-actions[bot]"  # who posts them (the workflow's token)
MAX_BYTES = 4 * 1024 * 1024
BY_HAND = "its `status:` line is not part of this pull request's changes, so no suggestion can sit on it"
SET_BY_HAND = "once approved, whoever can push to the branch (the author, on a fork) sets `status: approved`"
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)
_STATUS = re.compile(r"^status:[ \t]*(?P<value>[^#\r\n]*?)[ \t]*(?:#.*)?$")


class _User(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    login: str = Field(max_length=MAX_GITHUB_LOGIN + 5)  # a bot's ends in "[bot]"

    @property
    def person(self) -> bool:
        """A user whose name may go into a file (`approved_by`): no bot, nothing but a login."""
        return re.fullmatch(GITHUB_LOGIN, self.login) is not None and len(self.login) <= MAX_GITHUB_LOGIN


class _Review(BaseModel):
    """One review as `gh api repos/{repo}/pulls/{n}/reviews` returns it; other fields ignored."""

    model_config = ConfigDict(extra="ignore")
    user: _User | None = None  # null for a deleted account
    state: str
    submitted_at: dt.datetime | None = None
    commit_id: str = ""


class _Comment(BaseModel):
    model_config = ConfigDict(extra="ignore")
    user: _User | None = None
    body: str = ""
    commit_id: str = ""


@dataclass(frozen=True)
class Approval:
    login: str
    day: dt.date


@dataclass(frozen=True)
class Suggestion:
    """A review comment on one line of the head's file, as GitHub's API takes it."""

    path: str
    line: int
    commit_id: str
    body: str

    def payload(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "side": "RIGHT", "commit_id": self.commit_id, "body": self.body}


def _read_list(data: bytes, model: type[BaseModel], name: str) -> list:
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{name}: more than {MAX_BYTES:,} bytes")
    try:
        raw = json.loads(data.decode("utf-8"))
        return TypeAdapter(list[model]).validate_python(raw)  # type: ignore[valid-type]
    except (UnicodeDecodeError, ValueError, RecursionError, ValidationError) as exc:
        said = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise ConfigError(f"{name}: not what GitHub's API returns ({one_line(said)[:200]})") from None


def approval_of(reviews: bytes, head: str, name: str = "--reviews") -> Approval | None:
    """Who approved the head commit, from the pull request's reviews (GitHub's JSON), the latest
    such approval of a reviewer whose own last word is still an approval; None when there is none.
    An approval of an earlier commit does not count: what it approved has changed."""
    last: dict[str, _Review] = {}
    dated = [r for r in _read_list(reviews, _Review, name) if r.submitted_at is not None and r.user is not None]
    for review in sorted(dated, key=lambda r: r.submitted_at.timestamp()):
        if review.user.person and review.state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            last[review.user.login] = review
    approved = [r for r in last.values() if r.state == "APPROVED" and r.commit_id == head]
    if not approved:
        return None
    latest = max(approved, key=lambda r: r.submitted_at.timestamp())  # type: ignore[union-attr]
    assert latest.user is not None and latest.submitted_at is not None
    return Approval(latest.user.login, latest.submitted_at.date())


def status_line(text: str) -> tuple[int, str] | None:
    """(line number, its value) of the front-matter's top-level `status:` key; None without one."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for number, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            return None
        found = _STATUS.match(line)
        if found:
            return number, found["value"].strip("'\"")
    return None


def changed_lines(repo: git.Repo, base: str, head: str, path: str) -> set[int]:
    """The lines of the head's file that GitHub shows in the diff (its hunks, context included),
    the only lines a suggestion may sit on."""
    diff = repo.git.diff("-U3", "--no-color", "--no-ext-diff", "--end-of-options", base, head, "--", path)
    lines: set[int] = set()
    for hunk in _HUNK.finditer(diff):
        start, count = int(hunk[1]), int(hunk[2] if hunk[2] is not None else 1)
        lines.update(range(start, start + count))
    return lines


def suggestion_body(path: str, approval: Approval) -> str:
    return "\n".join(
        [
            MARKER.format(path=path.replace("--", "-\u2060-")),
            f"Approved by {approval.login} on {approval.day.isoformat()}. To record it in the file, commit this "
            "suggestion (or add it to a batch with the other posts' and commit them together):",
            "",
            "```suggestion",
            "status: approved",
            f"approved_by: {approval.login}",
            f"approved_at: {approval.day.isoformat()}",
            "```",
        ]
    )


@dataclass(frozen=True)
class Plan:
    suggestions: tuple[Suggestion, ...]
    notes: tuple[tuple[str, str], ...]  # (path, why) of the waiting posts that get no suggestion
    waiting: tuple[str, ...]  # paths of the posts still waiting for approval


def _waiting(p: Proposal) -> bool:
    return p.post is not None and p.complete and p.post.status in WAITING


def plan(repo: git.Repo, opened: OpenPullRequest, approval: Approval | None, posted: Sequence[str] = ()) -> Plan:
    """The suggestions to post for the pull request's waiting posts (none without an approval, none
    already `posted` on this head commit), and the posts that need a hand."""
    import git as gitpython

    head = opened.pr.head
    waiting = [p for p in opened.proposals if _waiting(p)]
    suggestions, notes = [], []
    try:
        base = repo.git.merge_base("--end-of-options", head, "HEAD").strip()
    except gitpython.GitCommandError:
        return Plan((), (), tuple(p.path for p in waiting))
    for p in waiting:
        if p.errors:
            notes.append((p.path, f"it has {p.errors} error(s): they are fixed before it is approved"))
            continue
        blob = repo.commit(head).tree / p.path
        found = status_line(blob.data_stream.read().decode("utf-8", errors="replace"))
        if found is None:
            notes.append((p.path, f"it has no `status:` line: {SET_BY_HAND}"))
            continue
        if found[0] not in changed_lines(repo, base, head, p.path):
            notes.append((p.path, f"{BY_HAND}: {SET_BY_HAND}"))
            continue
        body = suggestion_body(p.path, approval) if approval else ""
        if approval and body.split("\n", 1)[0] not in posted:
            suggestions.append(Suggestion(p.path, found[0], head, body))
    return Plan(tuple(suggestions), tuple(notes), tuple(p.path for p in waiting))


def posted_markers(comments: bytes, head: str, name: str = "--comments") -> list[str]:
    """The markers of the suggestions socialcal already posted on this head commit."""
    return [
        c.body.split("\n", 1)[0]
        for c in _read_list(comments, _Comment, name)
        if c.user is not None and c.user.login == BOT and c.commit_id == head and c.body.startswith(MARKER[:23])
    ]


def make_plan_for(
    project: Project,
    pulls_file: Path,
    number: int | None,
    head: str | None,
    reviews: bytes | None,
    comments: bytes | None,
) -> tuple[int, Plan, Approval | None] | None:
    """The pull request's number, its approval plan and the approval it records; None when no
    open pull request of `pulls_file` has that number or head commit."""
    from . import pipeline as planning
    from .engines import engine_for
    from .pr_comment import find
    from .proposals import _repo, read_proposals
    from .pulls import read_pull_requests

    engine = engine_for(project)
    pr = find(read_pull_requests(pulls_file, engine.repo_url(project) or ""), number, head)
    if pr is None:
        return None
    made = planning.make_plan(project, history=False, keep_files=True)
    (opened,) = read_proposals(project.root, [pr], made.validation, made.registry, None)
    approval = approval_of(reviews, pr.head) if reviews is not None else None
    posted = posted_markers(comments, pr.head) if comments is not None else []
    repo = _repo(project.root)
    try:
        return pr.number, plan(repo, opened, approval, posted), approval
    finally:
        repo.close()
