"""The sticky comment on a pull request (`socialcal pr-comment`): where its posts are on the
published calendar, as they will go out.

The publishing workflow builds main with every open pull request's posts and deploys the site;
this comment, one per pull request and edited on each push (found again by `MARKER`), links the
review desk filtered to the pull request and each proposed post's page there, with every
channel's text and the post's thumbnail as the published site serves it.

Everything in it except our own addresses comes from the pull request: titles, logins, texts, alt
texts, file names. All of it is data: one-line values are escaped for Markdown and HTML (`md`)
and cannot mention anyone or reference an issue (`neutral`); texts go in `<pre>` (escaped; GitHub
neither links nor mentions there); the only images are thumbnails on the site's own address
(`site_url`, https), never an address the pull request wrote. The body stays under GitHub's
limit on a comment (`MAX_CHARS`), cut between blocks with a note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import urls
from .errors import ConfigError
from .thumbnails import Thumb
from .views.summary import NEXT_STEP, WAITING, Capped, md, pre

if TYPE_CHECKING:
    from .calendar_model import Calendar
    from .project import Project
    from .proposals import OpenPullRequest, Proposal
    from .pulls import PullRequest

MARKER = "<!-- socialcal:preview -->"  # the first line: how the workflow finds the comment to edit
MAX_CHARS = 65_536  # GitHub refuses a longer comment body
# Ours, in bytes (never fewer than characters), with room for GitHub counting differently.
MAX_BYTES = 60_000
MAX_DIAGNOSTICS = 10  # per post; the desk and the verdict's annotations have them all

_NOTE = (
    "\n---\n\n✂️ **This comment stops here**: GitHub takes at most 65,536 characters in a comment. "
    "Not shown: {cut}. Every post is on the review desk (the link above).\n"
)
_TOP = "\n✂️ Too long for one comment: cut at {limit} KiB (see the end).\n\n"
# `@name` (a user or a team) notifies, `#12` cross-references an issue, `https://…` and `www.…`
# become links: a word joiner (U+2060, invisible) after the sign breaks each. GitHub looks for
# mentions after it has decoded entities, so `&#64;` would not do.
_NOTIFIES = re.compile(r"(?<=@)(?=[A-Za-z0-9])|(?<=#)(?=\d)|(?<=:)(?=//)|(?<=www)(?=\.)", re.IGNORECASE)
_SAFE_SITE = re.compile(r"https://[^\s<>()\[\]\"'`\\]+/")


def neutral(text: str) -> str:
    """A one-line value of the pull request, shown as text: no markup, link, mention or reference."""
    return _NOTIFIES.sub("\u2060", md(text))


def site_base(site_url: str) -> str:
    """The published site's address for links and images: https, ending in '/', nothing that
    could end a Markdown link; else a usage error."""
    if not _SAFE_SITE.fullmatch(site_url):
        raise ConfigError(
            f"mkdocs.yml's site_url {site_url!r} is not an https address: the comment links the published site"
        )
    return site_url


def find(pulls: Sequence[PullRequest], number: int | None = None, head: str | None = None) -> PullRequest | None:
    """The pull request of that number, or whose head is that commit (a fork's workflow run does
    not say its pull request: it is found by its head commit)."""
    for pr in pulls:
        if (number is not None and pr.number == number) or (head is not None and pr.head == head.lower()):
            return pr
    return None


def _post_line(p: Proposal, cal: Calendar, site: str) -> str:
    parts = [neutral(p.path)]
    if p.post is not None and p.dated:
        parts.append(f"{p.post.date.astimezone(cal.tz):%a %d %B %Y, %H:%M} ({cal.tz.key})")
    if p.post is not None:
        parts.append(f"status: {neutral(p.post.status)}")
    page = site + urls.page_url(urls.post_page(p.id))
    if p.page:
        parts.append(f"[its page]({page})")
    elif p.shown and p.before is not None:
        parts.append(f"[the pending change on its page]({page}#{urls.pending_anchor(p.number)})")
    return " · ".join(parts)


def _problems(p: Proposal) -> list[str]:
    if not p.diagnostics:
        return []
    errors = p.errors
    head = f"{'❌' if errors else '⚠️'} {errors} error(s), {len(p.diagnostics) - errors} warning(s)"
    lines = [head, ""]
    for d in p.diagnostics[:MAX_DIAGNOSTICS]:
        lines.append(f"- {d.severity} {d.code}: {neutral(d.message)}")
    if len(p.diagnostics) > MAX_DIAGNOSTICS:
        lines.append(f"- … and {len(p.diagnostics) - MAX_DIAGNOSTICS} more, on the review desk")
    return [*lines, ""]


def _pictures(p: Proposal, site: str) -> list[str]:
    """Thumbnails as the published site serves them: only those made from the pull request's own
    files (`Thumb`), on our address; a remote medium is named, never shown."""
    if p.post is None:
        return []
    lines = []
    for medium, found in zip(p.post.media, p.media, strict=False):
        alt = neutral(medium.alt) if medium.alt.strip() else "⚠️ no alt text"
        if isinstance(found, Thumb):
            lines.append(f"![{alt}]({site}{found.path})")
        else:
            why = f": {neutral(str(found))}" if found is not None else " (not shown here)"
            lines.append(f"{neutral(medium.kind)} {neutral(medium.src)}{why} · alt text: {alt}")
    return [*lines, ""] if lines else []


def _texts(p: Proposal) -> list[list[str]]:
    blocks = []
    for e in p.entries:
        over = " ❌ over the limit" if e.outgoing.over else ""
        lines = [
            f"**{neutral(e.channel.name)}** · {e.outgoing.length} / {e.outgoing.limit} {e.outgoing.unit}{over}",
            "",
            pre(e.outgoing.text),
        ]
        if e.outgoing.first_comment:
            lines += ["", "First comment:", pre(e.outgoing.first_comment)]
        blocks.append([*lines, ""])
    return blocks


def render(opened: OpenPullRequest, cal: Calendar, site_url: str, limit: int = MAX_BYTES) -> str:
    """The comment's Markdown for one pull request, at most `limit` bytes."""
    site = site_base(site_url)
    pr = opened.pr
    desk = site + urls.page_url(urls.REVIEW) + urls.desk_for(pr.number)
    said = [f"**{neutral(pr.title)}**"]
    if pr.author:
        said.append(f"by {neutral(pr.author)}")
    said.append(pr.review_text + (" · draft" if pr.draft else ""))
    body = Capped(limit, note=_NOTE, top=_TOP)
    body.add(
        [
            MARKER,
            f"### 📅 Pull request #{pr.number} on the calendar",
            "",
            " · ".join(said),
            "",
            f"**[Review its posts on the desk]({desk})** · [the calendar]({site}) — built from `main` with every "
            "open pull request; this comment follows each push.",
            "",
        ]
    )
    if opened.problem:
        body.add([f"⚠️ Its posts could not be read: {neutral(opened.problem)}.", ""])
    if not opened.proposals and not opened.problem:
        body.add(["It proposes no post (no file under `content/posts/`).", ""])
    for p in opened.proposals:
        title = neutral(p.post.title) if p.post is not None else f"{neutral(p.path)} (cannot be read)"
        head = ["", f"#### {title}", "", _post_line(p, cal, site), "", *_problems(p), *_pictures(p, site)]
        body.add(head, "post(s)", p.path)
        for block in _texts(p):
            body.add(block, "post(s)", p.path)
    waiting = [p for p in opened.proposals if p.post is not None and p.post.status in WAITING]
    if waiting:
        body.add(["", f"**{len(waiting)} post(s) still `proposed`.** {NEXT_STEP}", ""])
    if opened.more:
        body.add([f"… and {opened.more} more post file(s), not read (at most 200 per pull request).", ""])
    if opened.others:
        body.add([f"It also changes {len(opened.others)} other file(s): the verdict check lists them.", ""])
    body.add(
        ["---", f"<sub>Head commit `{pr.head[:12]}`. Made by main's socialcal: nothing of the pull request ran.</sub>"]
    )
    return body.text()


@dataclass(frozen=True)
class Comment:
    number: int
    body: str


def make_comment(project: Project, pulls_file: Path, number: int | None, head: str | None) -> Comment | None:
    """The comment for the pull request of that number or head commit, read from `pulls_file`
    (`gh pr list --json …`) and the repository (its head fetched); None when none is listed."""
    from .engines import engine_for
    from .pipeline import make_plan
    from .proposals import read_proposals
    from .pulls import read_pull_requests
    from .thumbnails import Thumbnailer

    engine = engine_for(project)
    site = site_base(engine.site_url(project))
    pr = find(read_pull_requests(pulls_file, engine.repo_url(project) or ""), number, head)
    if pr is None:
        return None
    plan = make_plan(project, history=False, keep_files=True)
    (opened,) = read_proposals(
        project.root, [pr], plan.validation, plan.registry, Thumbnailer(project.root, project.thumbs)
    )
    return Comment(pr.number, render(opened, plan.calendar, site))
