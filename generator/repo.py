"""Links from the site into the repository on GitHub: edit a file, see its history.

They exist only when mkdocs.yml names the repository (`repo_url`, Material's own key). The
branch is `site.branch` in content/settings.yml, else the repository's default branch as git
knows it (origin/HEAD), else the branch checked out, else `main`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from .project import Project
from .registry import Settings


def _segments(path: str) -> str:
    return "/".join(quote(part, safe="") for part in path.split("/"))


@dataclass(frozen=True)
class RepoLinks:
    url: str  # https://github.com/owner/name, no trailing slash
    branch: str

    def edit(self, path: str) -> str:
        """The web editor of a file (a path from the repository root)."""
        return f"{self.url}/edit/{_segments(self.branch)}/{_segments(path)}"

    def history(self, path: str) -> str:
        """The commits that changed a file."""
        return f"{self.url}/commits/{_segments(self.branch)}/{_segments(path)}"


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10, check=False)
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


def repo_url(project: Project) -> str | None:
    """`repo_url` from mkdocs.yml when it is a web address; anything else gives no links."""
    value = project.site_config().get("repo_url")
    if not isinstance(value, str) or not value.strip():
        return None
    url = value.strip().rstrip("/").removesuffix(".git")
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or not parts.hostname or any(c in url for c in "\"'<> \t\n"):
        return None
    return url


def repo_links(project: Project, settings: Settings) -> RepoLinks | None:
    url = repo_url(project)
    if url is None:
        return None
    return RepoLinks(url, settings.site.branch or default_branch(project.root))
