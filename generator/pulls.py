"""Open pull requests, as `gh pr list --state open --json number,title,url,author,headRefOid,
isDraft,reviewDecision,headRefName,headRepositoryOwner,isCrossRepository,maintainerCanModify`
prints them (`socialcal build --pull-requests FILE`).

Every field is written by whoever opened the pull request, or can be: the file is checked as a
whole (pydantic, bounded in bytes and in entries: a file that is not such a list is a usage
error, exit code 2), then each value is made safe to show. Titles and logins keep what they say
but lose line breaks and control characters and are cut to a length; a branch name or a fork's
owner that git or GitHub would not accept gives no link; the pull request's address is ours
(`repo_url` and its number), shown only when the file's `url` is that very address.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from . import urls
from .diagnostics import one_line
from .errors import ConfigError
from .models import GITHUB_LOGIN, MAX_GITHUB_LOGIN

MAX_BYTES = 4 * 1024 * 1024  # `gh pr list --limit 1000` prints about 600 bytes a pull request
MAX_PULL_REQUESTS = 1000  # gh's own --limit in the workflow
MAX_TITLE = 256  # GitHub's limit on a title; anything longer is cut for display
MAX_LOGIN = 100

# What `reviewDecision` says, as the desk shows it. "": the branch requires no review.
REVIEW = {
    "REVIEW_REQUIRED": "review required",
    "CHANGES_REQUESTED": "changes requested",
    "APPROVED": "approved",
    "": "awaiting review",
}
# A GitHub user or organisation (what may stand in a fork's address): letters, digits, inner hyphens.
_OWNER = re.compile(GITHUB_LOGIN)
_SHA = r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$"  # SHA-1, or SHA-256 repositories
# What `git check-ref-format --branch` refuses, simplified to be stricter: controls, spaces and
# ~^:?*[\ anywhere, "..", "@{", "//", a leading "-" or "/" or ".", a trailing "/", "." or ".lock".
_BAD_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|^[-/.]|/\.|[/.]$|\.lock$|^@$")


class _Login(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    login: str = ""


class _Listed(BaseModel):
    """One pull request as gh prints it; other fields are ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)
    number: int = Field(gt=0, lt=2**31)
    title: str
    url: str = ""
    author: _Login | None = None  # null for a deleted account
    headRefOid: str = Field(pattern=_SHA)
    isDraft: bool = False
    reviewDecision: Literal["", "REVIEW_REQUIRED", "CHANGES_REQUESTED", "APPROVED"] | None = ""
    headRefName: str = ""
    headRepositoryOwner: _Login | None = None  # null when the fork was deleted
    isCrossRepository: bool = False
    maintainerCanModify: bool = False


_LIST = TypeAdapter(list[_Listed])


@dataclass(frozen=True)
class PullRequest:
    """An open pull request, its values safe to show (see the module's text)."""

    number: int
    title: str  # one line, at most MAX_TITLE characters
    author: str  # one line; "" when unknown
    head: str  # the head commit (hex), looked up in the local repository
    draft: bool
    review: str  # a key of REVIEW
    branch: str  # the head branch; "" when no link may be made to it
    fork_owner: str  # the fork's owner for a pull request from a fork; "" otherwise or when unusable
    fork: bool
    maintainer_can_modify: bool
    url: str  # its page on GitHub, built from repo_url; "" when the file's url is not that address

    @property
    def review_text(self) -> str:
        return REVIEW[self.review]


def clean(text: str, limit: int) -> str:
    """A value to show on one line: line breaks and controls shown as escapes, cut at `limit`."""
    text = one_line(text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def usable_branch(name: str) -> str:
    """The branch name if a link into it may be made, else ""."""
    return name if 0 < len(name) <= 255 and not _BAD_BRANCH.search(name) else ""


def usable_owner(login: str) -> str:
    return login if len(login) <= MAX_GITHUB_LOGIN and _OWNER.fullmatch(login) else ""


def _url(given: str, repo_url: str, number: int) -> str:
    """Our own address of the pull request, when the file's `url` is exactly it (any case)."""
    ours = urls.pull_request_url(repo_url, number)
    if not ours.startswith("https://github.com/") or given.casefold() != ours.casefold():
        return ""
    return ours


def _pull_request(raw: _Listed, repo_url: str) -> PullRequest:
    owner = raw.headRepositoryOwner.login if raw.headRepositoryOwner else ""
    return PullRequest(
        number=raw.number,
        title=clean(raw.title, MAX_TITLE) or f"Pull request {raw.number}",
        author=clean(raw.author.login, MAX_LOGIN) if raw.author else "",
        head=raw.headRefOid,
        draft=raw.isDraft,
        review=raw.reviewDecision or "",
        branch=usable_branch(raw.headRefName),
        fork_owner=usable_owner(owner) if raw.isCrossRepository else "",
        fork=raw.isCrossRepository,
        maintainer_can_modify=raw.maintainerCanModify,
        url=_url(raw.url, repo_url, raw.number),
    )


def _where(loc: tuple[int | str, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)


def parse_pull_requests(data: bytes, repo_url: str = "", name: str = "--pull-requests") -> tuple[PullRequest, ...]:
    """The pull requests of `gh pr list --json …` output, in the order of their numbers, or a
    ConfigError that says what is wrong with the file (`name`) and where."""
    expected = "expected what `gh pr list --state open --json number,title,url,author,headRefOid,…` prints"
    if len(data) > MAX_BYTES:
        raise ConfigError(f"{name}: more than {MAX_BYTES:,} bytes; {expected}")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ConfigError(f"{name}: not JSON ({one_line(str(exc))[:200]}); {expected}") from None
    if not isinstance(raw, list):
        raise ConfigError(f"{name}: not a list of pull requests; {expected}")
    if len(raw) > MAX_PULL_REQUESTS:
        raise ConfigError(f"{name}: {len(raw):,} pull requests; at most {MAX_PULL_REQUESTS:,} are read")
    try:
        listed = _LIST.validate_python(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _where(tuple(err["loc"]))
        raise ConfigError(f"{name}: {where}: {one_line(err['msg'])[:200]}; {expected}") from None
    numbers = [p.number for p in listed]
    if len(set(numbers)) != len(numbers):
        raise ConfigError(f"{name}: a pull request is listed twice; {expected}")
    return tuple(sorted((_pull_request(p, repo_url) for p in listed), key=lambda p: p.number))


def read_pull_requests(path: Path, repo_url: str = "") -> tuple[PullRequest, ...]:
    """`parse_pull_requests` of a file, read no further than its size limit."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"--pull-requests {path}: {exc.strerror or exc}") from None
    return parse_pull_requests(data, repo_url, f"--pull-requests {path}")
