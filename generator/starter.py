"""`socialcal init`: a new team's repository, from the files under generator/templates/init/.

The starter files are data: registries with one commented example of each kind, a post and a
campaign that validate, mkdocs.yml, the workflows and issue form, CODEOWNERS, a README for the
team, .gitignore and requirements.in. A path part `dot-x` is written as `.x` (package data leaves
hidden names out); `@@VERSION@@` becomes the installed version, so the workflows pin the socialcal
that wrote them and say so on their `socialcal-version:` line (`version_notices` reads it back).

Nothing is ever written over an existing file, except with `refresh`: then the files that carry
a version line (what socialcal generated: workflows, issue form, requirements.in) are written
again for the installed version. Every file goes through `safe_write` (no link followed, whole
or not at all, never over an edit made meanwhile).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .project import PACKAGE_TEMPLATES, REGISTRY_FILES, layered_files
from .safe_write import Exists, Writes

STARTER = PACKAGE_TEMPLATES / "init"
VERSION_TOKEN = "@@VERSION@@"
# The line generated files carry: `# socialcal-version: 0.1.0 (…)` (a comment in YAML, JSON's
# `"socialcal-version": "0.1.0"` in schemas and frontmatter.json).
VERSION_LINE = re.compile(r"""socialcal-version["']?:\s*["']?([0-9][0-9A-Za-z.+-]*)""")
# The files socialcal generates and the command that writes them again.
GENERATED = {
    ".github/workflows/check.yml": "socialcal init --refresh .",
    ".github/workflows/publish.yml": "socialcal init --refresh .",
    ".github/workflows/propose-post.yml": "socialcal init --refresh .",
    ".github/ISSUE_TEMPLATE/propose-post.yml": "socialcal init --refresh .",
    "frontmatter.json": "socialcal editor-config",
    **{f"schemas/{name}.schema.json": "socialcal schema --all" for name in REGISTRY_FILES},
}


class NotEmpty(Exception):
    """The folder has files and --force was not given (a usage error, exit 2)."""


@dataclass(frozen=True)
class Outcome:
    writes: Writes
    kept: list[Path]  # files that existed and were left as they were


def installed_version() -> str:
    from . import __version__

    return __version__


def repo_path(package_path: str) -> str:
    """Where a starter file goes: `dot-github/CODEOWNERS` → `.github/CODEOWNERS`."""
    return "/".join("." + part[4:] if part.startswith("dot-") else part for part in package_path.split("/"))


def starter_files(version: str) -> Iterator[tuple[str, bytes]]:
    """Every starter file as (repository path, bytes), `version` filled in."""
    for name, path in layered_files([STARTER], "").items():
        yield repo_path(name), path.read_bytes().replace(VERSION_TOKEN.encode(), version.encode())


def init(folder: Path, force: bool = False, refresh: bool = False, version: str | None = None) -> Outcome:
    """Write the starter repository into `folder` (made if missing). A folder with anything in it
    is refused unless `force` or `refresh`; an existing file is never replaced, except a
    generated one (with a version line) under `refresh`."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (force or refresh) and any(folder.iterdir()):
        raise NotEmpty(f"{folder} is not empty")
    writes, kept = Writes(folder), []
    for rel, data in starter_files(version or installed_version()):
        path = folder / rel
        if refresh and VERSION_LINE.search(data.decode("utf-8")):
            writes.put(path, data)
            continue
        if not writes.write(path, data, None) and isinstance(writes.failed[-1], Exists):
            kept.append(writes.failed.pop().path)  # a new file only: one that is there is kept
    return Outcome(writes, kept)


def version_of(text: str) -> str | None:
    """The version on a generated file's `socialcal-version` line, if any."""
    found = VERSION_LINE.search(text[:2000])
    return found.group(1) if found else None


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3])


def version_notices(root: Path, installed: str | None = None) -> list[str]:
    """One line per generated file that an older socialcal wrote, naming the command that writes
    it again (a notice: the file still works, the new version may want it changed; CHANGELOG.md)."""
    notices = []
    for rel, command in GENERATED.items():
        path = root / rel
        if path.is_symlink() or not path.is_file():
            continue
        try:
            with path.open("rb") as fh:  # the version line is near the top: read no further
                written = version_of(fh.read(4096).decode("utf-8", errors="replace"))
        except OSError:
            continue
        if written and _key(written) < _key(installed := installed or installed_version()):
            notices.append(
                f"notice: {rel} was written by socialcal {written}; {installed} is installed: run {command} "
                "(CHANGELOG.md says what changed)"
            )
    return notices
