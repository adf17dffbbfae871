"""Git provenance of content files: who proposed each one, when, its last change and revisions.

One pass over `git log` (never a log per file: that takes minutes at 10,000 files), following
renames so a moved post keeps its history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import git

SEP = "\x1e"  # record separator: cannot occur in a name or a date
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
        if not repo.head.is_valid():
            return Provenance(warnings=tuple(warnings))
        out = repo.git.log(
            "--no-color",
            "--name-status",
            "-M",
            "--no-merges",
            "-z",
            f"--format={SEP}%an{SEP}%aI",
            "--",
            pathspec,
        )
    except git.GitCommandError as exc:
        return Provenance(warnings=(*warnings, f"git log failed: {exc.stderr.strip()}"))
    return Provenance(_parse(out), tuple(warnings))


def _parse(out: str) -> dict[str, FileHistory]:
    """Walk the log newest first; a rename carries the history of the old path to the new one.

    With -z the log reads: SEP author SEP date NUL (LF status NUL path NUL [path NUL])* …
    """
    state: dict[str, list] = {}  # current path → [proposer, proposed, last author, last change, revisions]
    alias: dict[str, str] = {}  # an older path → its current path
    closed: set[str] = set()  # current paths whose older history ended (deleted, then re-added)
    chunks = out.split(SEP)
    for i in range(1, len(chunks) - 1, 2):
        author = chunks[i]
        date_text, _, changes = chunks[i + 1].partition("\0")
        when = dt.datetime.fromisoformat(date_text.strip())
        fields = changes.lstrip("\n").split("\0")
        bulk = sum(1 for f in fields if f.strip() == "A") > BULK_ADD
        j = 0
        while j < len(fields) and fields[j].strip():
            status = fields[j].strip()
            renamed = status[0] in "RC"
            old, new = (fields[j + 1], fields[j + 2]) if renamed else (fields[j + 1], fields[j + 1])
            j += 3 if renamed else 2
            current = alias.get(new, new)
            if current in closed:
                continue
            if status[0] == "D":
                closed.add(current)
                continue
            entry = state.get(current)
            if entry is None:
                entry = state[current] = [author, when, author, when, 0]
            entry[0], entry[1] = author, when  # walking back in time: the oldest commit wins
            entry[4] += 1
            if status[0] == "A":
                closed.add(current)
                if bulk:
                    entry[0] = ""
            if status[0] == "R" and old != new:
                alias[old] = current
    return {
        path: FileHistory(proposer=e[0], proposed=e[1], last_author=e[2], last_change=e[3], revisions=e[4])
        for path, e in state.items()
    }
