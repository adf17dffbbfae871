"""What a pull request changes: the files changed since the merge-base with a ref, and the
content as it was there, so old problems on main are never blamed on a proposal."""

from __future__ import annotations

import io
import tarfile
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import git

from .diagnostics import Diagnostic
from .errors import ConfigError
from .models import Post
from .pipeline import make_plan
from .project import CACHE_DIR, Project, is_content
from .validate import Validation


@dataclass(frozen=True)
class ChangeSet:
    base: str  # the merge-base commit
    changed: frozenset[str]  # added, modified or renamed-to paths under content/, relative to the root
    deleted: frozenset[str]
    # Every other changed file, with what happened to it ("added", "modified", "deleted", "renamed
    # from …"): pages, media, templates, workflows, code. Review must see them (the PR summary).
    outside: tuple[tuple[str, str], ...] = ()


def _repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ConfigError(f"--changed-since needs a git repository, and {root} is not one") from exc


def _commit(repo: git.Repo, ref: str) -> str:
    # A ref from pull-request data must never be read as an option: refuse a leading dash, and
    # end the options before it anyway.
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise ConfigError(f"{ref!r} is not a git reference")
    try:
        return repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip()
    except git.GitCommandError as exc:
        raise ConfigError(
            f"unknown git reference {ref!r} (in CI, fetch it first: actions/checkout with fetch-depth: 0)"
        ) from exc


_STATUS = {"A": "added", "M": "modified", "D": "deleted", "T": "type changed", "C": "copied from"}


def _name_status(out: str) -> list[tuple[str, str, str]]:
    """`git diff --name-status -z` as (status letter, path, old path or "")."""
    fields = out.split("\0")
    found = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status[0] in "RC":
            found.append((status[0], fields[i + 2], fields[i + 1]))
            i += 3
        else:
            found.append((status[0], fields[i + 1], ""))
            i += 2
    return found


def name_status(out: str) -> tuple[set[str], set[str]]:
    """(changed, deleted) paths from `git diff --name-status -M -z`: a renamed file is deleted
    under its old name and changed under its new one."""
    changed: set[str] = set()
    deleted: set[str] = set()
    for status, path, old in _name_status(out):
        if status == "R":
            deleted.add(old)
        (deleted if status == "D" else changed).add(path)
    return changed, deleted


def changes_since(root: Path, ref: str) -> ChangeSet:
    repo = _repo(root)
    target = _commit(repo, ref)
    try:
        base = repo.git.merge_base("--end-of-options", target, "HEAD").strip()
    except git.GitCommandError as exc:
        raise ConfigError(f"{ref!r} and HEAD have no common history (is this a shallow clone?)") from exc
    # Against the working tree: committed and uncommitted changes alike (pre-commit, local runs).
    out = repo.git.diff("--name-status", "-M", "-z", "--no-color", "--end-of-options", base, "--")
    changed: set[str] = set()
    deleted: set[str] = set()
    outside: dict[str, str] = {}
    for status, path, old in _name_status(out):
        if status == "R":
            for side, what in ((old, "deleted: renamed to " + path), (path, "renamed from " + old)):
                if is_content(side):
                    (deleted if side == old else changed).add(side)
                else:
                    outside[side] = what
            continue
        what = _STATUS.get(status, "changed") + (f" {old}" if old else "")
        if is_content(path):
            (deleted if status == "D" else changed).add(path)
        else:
            outside[path] = what
    untracked = repo.git.ls_files("--others", "--exclude-standard", "-z")
    for path in filter(None, untracked.split("\0")):
        if path.startswith(CACHE_DIR + "/"):
            continue  # what socialcal itself keeps there, not yet git-ignored (a committed file is listed)
        if is_content(path):
            changed.add(path)
        else:
            outside[path] = "added (not committed)"
    return ChangeSet(
        base=base, changed=frozenset(changed), deleted=frozenset(deleted), outside=tuple(sorted(outside.items()))
    )


def checkout_content(root: Path, commit: str, dest: Path) -> Path:
    """The content/ folder as it was at `commit`, extracted into dest (a plain folder)."""
    repo = _repo(root)
    buffer = io.BytesIO()
    repo.archive(buffer, treeish=commit, format="tar", path="content")
    buffer.seek(0)
    with tarfile.open(fileobj=buffer) as tar:
        tar.extractall(dest, filter="data")
    return dest


class BaseTree:
    """A temporary copy of the base commit's content, removed on exit."""

    def __init__(self, root: Path, commit: str) -> None:
        self.root, self.commit = root, commit
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        self._tmp = tempfile.TemporaryDirectory(prefix="socialcal-base-")
        dest = Path(self._tmp.name)
        checkout_content(self.root, self.commit, dest)
        return dest

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def since(
    root: Path, result: Validation, ref: str
) -> tuple[list[str], list[Diagnostic], list[Post], tuple[tuple[str, str], ...]]:
    """What a proposal is answerable for: diagnostics on the files it changed, plus new ones
    elsewhere (a change can break another file), never problems the base already had.

    Returns the changed content paths, those diagnostics, the posts planned on the base, and the
    files changed outside content/ with what happened to them (for the summary)."""
    changes = changes_since(root, ref)
    with BaseTree(root, changes.base) as base_root:
        try:
            base = make_plan(Project(base_root), history=False).validation
            before = {(d.path, d.code, d.message) for d in base.diagnostics}
            base_posts = list(base.posts)
        except ConfigError:  # the base had no usable registry: everything is new
            before, base_posts = set(), []
    shown = [d for d in result.diagnostics if d.path in changes.changed or (d.path, d.code, d.message) not in before]
    return sorted(changes.changed), shown, base_posts, changes.outside


def pull_request_files(root: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """In a pull request's own build, the files it changes and its address (path → URL), so the
    preview's review queue links each of its posts to it. The workflow says which pull request
    (SOCIALCAL_PULL_REQUEST, its https address) and its base (SOCIALCAL_BASE); elsewhere, or
    when git cannot tell, nothing is known and no link is shown."""
    url = environ.get("SOCIALCAL_PULL_REQUEST", "").strip()
    base = environ.get("SOCIALCAL_BASE", "").strip()
    if not base or not url.startswith("https://") or any(c in url for c in "\"'<> \\"):
        return {}
    try:
        changes = changes_since(root, base)
    except ConfigError:
        return {}
    return {path: url for path in sorted(changes.changed)}
