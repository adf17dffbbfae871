"""Git provenance of content files: who proposed each one, when, its last change and revisions.

One pass over `git log` (never a log per file: that takes minutes at 10,000 files), following
renames so a moved post keeps its history.

Everything git says about a commit is data a contributor chose: an author name may hold any
byte but NUL, newline and '<' (controls, invalid UTF-8, 100 KB of it), and a crafted commit can
have an ident git cannot parse at all (then its date reads "%aI"). So the fields are separated
by NUL, the one byte no field can hold; names are decoded as UTF-8 whatever the locale, their
controls shown as escapes and their length bounded; a commit whose date cannot be read is left
out; paths are decoded as the file system's names are, so they match the files found on disk.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import one_line

# Each commit starts with an empty field: NUL, its date, NUL, its author's name; then -z's list
# of changes (status NUL path NUL [path NUL]), the first status after a line break.
FORMAT = "%x00%aI%x00%an"
_STATUS = re.compile(rb"\n?([ACDMRTUXB])[0-9]{0,3}")
MAX_NAME = 100  # characters of an author's name shown; a longer one is cut, with an ellipsis
NO_NAME = "(no name)"  # an empty author name ("" means a bulk import, which names no proposer)
# A commit that adds more content files than this is an import (a migration, a seed), not a
# proposal: it names no proposer.
BULK_ADD = 25


@dataclass(frozen=True, slots=True)
class FileHistory:
    proposer: str  # author of the commit that added the file; "" when that commit was a bulk import
    proposed: dt.datetime
    last_author: str
    last_change: dt.datetime
    revisions: int


@dataclass(frozen=True)
class Provenance:
    files: dict[str, FileHistory] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def get(self, path: str) -> FileHistory | None:
        return self.files.get(path)


def read_provenance(root: Path, pathspec: str = "content") -> Provenance:
    import git  # here: GitPython costs 40 ms to import, which commands without history never need

    try:
        repo = git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return Provenance(warnings=(f"{root} is not a git repository: no history (proposer, revisions) is shown",))
    except git.GitCommandNotFound:
        return Provenance(warnings=("git is not installed: no history is shown",))
    warnings = []
    if (Path(repo.git_dir) / "shallow").exists():
        warnings.append(
            "this is a shallow clone: proposers and revision counts only cover the fetched history "
            "(fetch with fetch-depth: 0)"
        )
    try:
        # Asked of git, not of GitPython's reading of .git/HEAD: that fails on a branch name with
        # an accent under an ASCII locale, and the history was then silently empty.
        repo.git.rev_parse("--verify", "--quiet", "HEAD")
    except git.GitCommandError:
        return Provenance(warnings=tuple(warnings))  # no commit yet
    try:
        out = repo.git.log(
            "--no-color",
            "--name-status",
            "-M",
            "--no-merges",
            "-z",
            f"--format={FORMAT}",
            "--",
            pathspec,
            stdout_as_string=False,  # bytes: names are UTF-8 and paths file-system names, whatever the locale
        )
    except git.GitCommandError as exc:
        return Provenance(warnings=(*warnings, f"git log failed: {exc.stderr.strip()}"))
    return Provenance(_parse(out), tuple(warnings))


def author_name(raw: bytes) -> str:
    """An author's name as shown: decoded as UTF-8 (a wrong byte becomes U+FFFD, never a
    surrogate that fails when the page is written), controls as escapes, at most MAX_NAME long."""
    name = one_line(raw.decode("utf-8", errors="replace").strip())
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - 1] + "…"
    return name or NO_NAME


def _when(raw: bytes) -> dt.datetime | None:
    """A commit's date, or None when git could not read it (a crafted ident) or it is absurd."""
    try:
        when = dt.datetime.fromisoformat(raw.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        return None
    # Far from the ends of datetime's range: the site converts it to other time zones.
    return when if when.tzinfo is not None and 1900 <= when.year <= 9000 else None


Change = tuple[str, str, str]  # status letter, old path, new path (the same unless renamed or copied)


def _records(out: bytes) -> Iterator[tuple[bytes, bytes, list[Change]]]:
    """(date, author, changes) per commit, newest first, from `git log -z --format=FORMAT`. The
    fields are read by position, never by content: a field that is not where it should be is
    skipped, not parsed as something else."""
    tokens = out.split(b"\0")
    i, n = 0, len(tokens)
    while i + 2 < n:
        if tokens[i]:  # not the empty field that starts a commit: never expected, skipped
            i += 1
            continue
        date, author = tokens[i + 1], tokens[i + 2]
        i += 3
        changes: list[Change] = []
        while i < n and (match := _STATUS.fullmatch(tokens[i])):
            letter = match[1].decode("ascii")
            count = 2 if letter in "RC" else 1
            if i + count >= n:
                break
            old, new = os.fsdecode(tokens[i + 1]), os.fsdecode(tokens[i + count])
            changes.append((letter, old, new))
            i += 1 + count
        yield date, author, changes


def _parse(out: bytes) -> dict[str, FileHistory]:
    """Walk the log newest first; a rename carries the history of the old path to the new one."""
    state: dict[str, list] = {}  # current path → [proposer, proposed, last author, last change, revisions]
    alias: dict[str, str] = {}  # an older path → its current path
    closed: set[str] = set()  # current paths whose older history ended (deleted, then re-added)
    for date, raw_author, changes in _records(out):
        when = _when(date)
        if when is None:
            continue
        author = author_name(raw_author)
        bulk = sum(1 for letter, _, _ in changes if letter == "A") > BULK_ADD
        for letter, old, new in changes:
            current = alias.get(new, new)
            if current in closed:
                continue
            if letter == "D":
                closed.add(current)
                continue
            entry = state.get(current)
            if entry is None:
                entry = state[current] = [author, when, author, when, 0]
            entry[0], entry[1] = author, when  # walking back in time: the oldest commit wins
            entry[4] += 1
            if letter == "A":
                closed.add(current)
                if bulk:
                    entry[0] = ""
            if letter == "R" and old != new:
                alias[old] = current
    return {
        path: FileHistory(proposer=e[0], proposed=e[1], last_author=e[2], last_change=e[3], revisions=e[4])
        for path, e in state.items()
    }
