"""Links from the site into the repository on GitHub: edit a file, see its history.

They exist only when mkdocs.yml names the repository (`repo_url`, Material's own key, read by
the engine: `Engine.repo_url`). The branch is `site.branch` in content/settings.yml, else the
repository's default branch as git knows it (origin/HEAD), else the branch checked out, else
`main`. The addresses themselves come from `urls.edit_url` and `urls.history_url`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import urls
from .project import Project
from .settings import Settings

if TYPE_CHECKING:
    from .engines import Engine


@dataclass(frozen=True)
class RepoLinks:
    url: str  # https://github.com/owner/name, no trailing slash
    branch: str

    def edit(self, path: str) -> str:
        """The web editor of a file (a path from the repository root)."""
        return urls.edit_url(self.url, self.branch, path)

    def history(self, path: str) -> str:
        """The commits that changed a file."""
        return urls.history_url(self.url, self.branch, path)

    def pull_request(self, number: int) -> str:
        return urls.pull_request_url(self.url, number)

    def new_file(self, path: str, value: str) -> str:
        """GitHub's new-file page with the path and the text filled in."""
        return urls.new_file_url(self.url, self.branch, path, value)

    def propose(self, fields: dict[str, str]) -> str:
        """The "Propose a post" issue form with its fields filled in."""
        return urls.issue_form_url(self.url, fields)

    @property
    def propose_form(self) -> str:
        """The "Propose a post" issue form, empty (the site's header)."""
        return urls.issue_form_url(self.url, {})

    def head(self, branch: str, fork_owner: str = "") -> RepoLinks:
        """The links into a pull request's head branch: in this repository, or in the fork of
        `fork_owner` (the branch and owner checked by `pulls`)."""
        return RepoLinks(urls.fork_url(self.url, fork_owner) if fork_owner else self.url, branch)


def _git(root: Path, *args: str) -> str | None:
    try:
        # git's output is UTF-8 whatever the locale (a branch name with an accent under LC_ALL=C).
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return out if done.returncode == 0 and out else None


def default_branch(root: Path) -> str:
    """origin/HEAD (the remote's default branch), else the current branch, else 'main'."""
    remote = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if remote and remote.startswith("origin/"):
        return remote.removeprefix("origin/")
    current = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    return current or "main"


def repo_links(project: Project, settings: Settings, engine: Engine | None = None) -> RepoLinks | None:
    """The links into the repository, or None when mkdocs.yml has no usable `repo_url`."""
    if engine is None:
        from .engines.mkdocs import ENGINE as engine  # both engines read the same mkdocs.yml
    url = engine.repo_url(project)
    return links(url, settings, default_branch(project.root)) if url else None


def links(url: str, settings: Settings, default: str) -> RepoLinks | None:
    """Links into the repository at `url` ("": none), opening `site.branch`, else `default`."""
    url = url.rstrip("/")
    return RepoLinks(url, settings.site.branch or default) if url else None
