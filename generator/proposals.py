"""The posts of open pull requests (`socialcal build --pull-requests FILE`): what each proposes,
read from git objects and checked like any committed file.

For each pull request (pulls.py), the post files its head commit adds or changes against the
merge base with HEAD are read from the object database, never checked out: no path from a pull
request names a file on disk. Each is loaded and checked by the same loader and rules as a
committed file, as if merged into what HEAD has (validate.check_proposed), with the media its
posts name looked up in the same commit under the same limits (media_files.tree_file, 20 MB, the
image decoded only to make a thumbnail). A broken file is a proposal with its diagnostics; a
pull request whose head commit is not in the repository is one with a problem: neither stops
the build.

The model here is what the views show and what later work (comments on the pull request,
approval) can read: `OpenPullRequest` (the pull request and its `Proposal`s).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .calendar_model import Entry, entries_of
from .changes import name_status
from .content_file import MAX_FILE_BYTES
from .diagnostics import WHOLE_FILE, Diagnostic, one_line
from .errors import ConfigError
from .image_decoding import BadImage
from .media_files import MAX_BYTES, is_remote, tree_file, tree_medium_problem
from .models import Post
from .project import content_kind, is_valid_id
from .pulls import PullRequest
from .registry import Registry
from .rules.file import SC001, SC009
from .thumbnails import Thumb, Thumbnailer
from .validate import Validation, check_proposed

if TYPE_CHECKING:
    import git

MAX_POSTS = 200  # post files read per pull request; more are counted, not shown
Found = Thumb | BadImage | str | None  # a medium's thumbnail, or why there is none; None: not a local image


@dataclass(frozen=True)
class Proposal:
    """One post file a pull request adds or changes, as its head commit has it."""

    number: int  # the pull request's
    path: str
    post: Post | None  # the post; for a file with errors, what could be read of it (None: nothing)
    complete: bool  # the post loaded without errors (else `post` is partial, or None)
    dated: bool  # the post's date is its own (not a placeholder for a date that failed to load)
    diagnostics: tuple[Diagnostic, ...]  # everything the checks say about the file, warnings included
    entries: tuple[Entry, ...]  # the post on each of its (known) channels, as it goes out
    media: tuple[Found, ...]  # per medium of the post
    before: Post | None  # the merged post of the same id it changes; None: a new post

    @property
    def id(self) -> str:
        return self.post.id if self.post is not None else PurePosixPath(self.path).stem

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def shown(self) -> bool:
        """It has a post with a date of its own: it goes on the grids, the feed and a page."""
        return self.post is not None and self.dated

    @property
    def page(self) -> bool:
        """It has a page of its own: a new post with an id that can be an address."""
        return self.shown and self.before is None and is_valid_id(self.id)


@dataclass(frozen=True)
class OpenPullRequest:
    pr: PullRequest
    proposals: tuple[Proposal, ...] = ()
    others: tuple[str, ...] = ()  # the other files it changes (registries, campaigns, media, code)
    more: int = 0  # post files beyond MAX_POSTS, not read
    problem: str = ""  # why its files could not be read ("": they were)

    @property
    def number(self) -> int:
        return self.pr.number


def _repo(root: Path) -> git.Repo:
    import git

    try:
        return git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ConfigError(f"--pull-requests needs a git repository, and {root} is not one") from exc


def read_proposals(
    root: Path,
    pulls: Sequence[PullRequest],
    base: Validation,
    registry: Registry,
    media: Thumbnailer | None = None,
) -> tuple[OpenPullRequest, ...]:
    """Every pull request with what it proposes; `base` is the validation of HEAD's files, made
    with `keep_files`. `media` makes the thumbnails of the images the proposals name."""
    if not pulls:
        return ()
    repo = _repo(root)
    try:
        merged = {p.id: p for p in base.posts}
        return tuple(_one(repo, pr, base, registry, merged, media) for pr in pulls)
    finally:
        repo.close()


def _one(
    repo: git.Repo,
    pr: PullRequest,
    base: Validation,
    registry: Registry,
    merged: dict[str, Post],
    media: Thumbnailer | None,
) -> OpenPullRequest:
    import git

    try:
        commit = repo.commit(repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{pr.head}^{{commit}}"))
    except (git.GitCommandError, ValueError):
        return OpenPullRequest(
            pr,
            problem=f"its head commit {pr.head[:12]} is not in this repository "
            "(fetch +refs/pull/*/head:refs/pull/*/head first)",
        )
    try:
        merge_base = repo.git.merge_base("--end-of-options", commit.hexsha, "HEAD").strip()
    except git.GitCommandError:
        return OpenPullRequest(pr, problem="it has no history in common with this branch")
    listing = repo.git.diff("--name-status", "-M", "-z", "--no-color", "--end-of-options", merge_base, commit.hexsha)
    changed, deleted = name_status(listing)
    posts = sorted(p for p in changed if content_kind(p) == "posts")
    others = tuple(sorted(p for p in changed if content_kind(p) != "posts"))
    tree = commit.tree
    files = [_read(tree, path) for path in posts[:MAX_POSTS]]
    gone = {p for p in deleted if content_kind(p) == "posts"}
    loaded, diagnostics = check_proposed(base, files, gone, registry, None, partial(tree_medium_problem, tree))
    by_path: dict[str, list[Diagnostic]] = {path: [] for path in loaded}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    proposals = []
    for path, result in loaded.items():
        post = result.post or result.partial
        proposals.append(
            Proposal(
                number=pr.number,
                path=path,
                post=post,
                complete=result.post is not None,
                dated=post is not None and (result.post is not None or not result.partial_date),
                diagnostics=tuple(by_path[path]),
                entries=_entries(post, registry),
                media=_media(tree, post, media),
                before=merged.get(post.id if post else PurePosixPath(path).stem),
            )
        )
    proposals.sort(key=lambda p: (p.post is None, p.post.date if p.post else None, p.path))  # type: ignore[arg-type]
    return OpenPullRequest(pr, tuple(proposals), others, max(0, len(posts) - MAX_POSTS))


def _read(tree: Any, path: str) -> tuple[str, bytes | None, list[Diagnostic]]:
    """A post file of the commit's tree: its bytes (at most one more than a content file may
    hold, as on disk), or why it cannot be read."""
    blob, problem = tree_file(tree, path)
    if blob is None:
        rule, hint = (SC009, "commit the file itself") if "symbolic link" in (problem or "") else (SC001, "")
        return path, None, [rule.at(path, WHOLE_FILE, f"'{one_line(path)}': {problem}", hint)]
    return path, blob.data_stream.read(MAX_FILE_BYTES + 1), []


def _entries(post: Post | None, registry: Registry) -> tuple[Entry, ...]:
    """The post as merging it would publish it: tagged as the settings say, as the calendar's
    posts are and as SC301 counts it."""
    return () if post is None else entries_of(post, registry, registry.settings.utm)


def _media(tree: Any, post: Post | None, media: Thumbnailer | None) -> tuple[Found, ...]:
    """Each medium's thumbnail made from the commit's file, under the limits of files on disk."""
    if post is None:
        return ()
    out: list[Found] = []
    for m in post.media:
        if m.kind != "image" or is_remote(m.src) or media is None:
            out.append(None)
            continue
        blob, problem = tree_file(tree, m.src)
        if blob is None:
            out.append(problem or "the file cannot be used")
        elif blob.size > MAX_BYTES:
            out.append(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        else:
            out.append(media.thumb_of(m.src, blob.data_stream.read()))
    return tuple(out)
