"""The pull-request summary: what a reviewer needs to decide, as GitHub-flavoured Markdown.

Each proposed post as it goes out on each channel, its media with their alt text, and the way to
its page in the built preview. User text is escaped for both HTML and Markdown: titles go in
table cells, texts in <pre>; addresses made from ids are percent-encoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import quote

from .. import urls
from ..calendar_model import Calendar
from ..clashes import clashes
from ..diagnostics import CODE_SPAN, Diagnostic
from ..models import Post, PostStatus
from ..project import CODE, MEDIA, PAGES, area_of

# The approval's wording and the statuses it changes: approval.py's (imported here without git).
WAITING = tuple(s for s in PostStatus if s.facts.approvable)
NEXT_STEP = (
    "Review the posts on the calendar (the pull request's comment links them), then approve the pull request "
    "(Files changed → Review changes → Approve). A suggestion then appears on each post's `status:` line, "
    "with your name and the day: commit it (Add suggestion to batch → Commit suggestions)."
)
HAND_NOTE = (
    "A post whose `status:` line this pull request does not change gets no suggestion (GitHub takes them on "
    "changed lines only): whoever can push to the branch (the author, on a fork) sets `status: approved`."
)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()|~])")


def md(text: str) -> str:
    """Plain text safe inside a Markdown table cell or paragraph."""
    one_line = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


def md_code(text: str) -> str:
    """Like `md`, with the code spans of a diagnostic (diagnostics.CODE_SPAN) shown as code."""
    one_line = " ".join(str(text).split())
    parts = [_MD_SPECIAL.sub(r"\\\1", html.escape(p, quote=False)) for p in CODE_SPAN.split(one_line)]
    return "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))  # odd: the spans


def pre(text: str) -> str:
    return f"<pre>{html.escape(text)}</pre>"


def post_path(post: Post) -> str:
    """Where the post's page is in the built site (`posts/<id>/`), percent-encoded."""
    return quote(urls.page_url(urls.post_page(post.id)))


def preview_link(post: Post, preview_url: str) -> str:
    """The post's page in the preview: a link when the preview has a public address, else its
    path inside the site artifact."""
    path = post_path(post)
    if preview_url.lower().startswith(("https://", "http://")) and not re.search(r"[\s<>()\[\]]", preview_url):
        return f"[its page in the preview]({preview_url.rstrip('/')}/{path})"
    return f"its page in the site preview (the build's artifact): `{path}`"


def media_lines(post: Post) -> list[str]:
    out = []
    for m in post.media:
        alt = f"alt text: “{md(m.alt)}”" if m.alt.strip() else "⚠️ no alt text"
        out.append(f"- {m.kind} {md(m.src)}: {alt}")
    return out


# GitHub drops a step summary over 1 MiB whole; ours stops well before, at a line.
MAX_SUMMARY_BYTES = 900 * 1024
# What a cut summary counts as left out (an item per row, a post per text).
DIAG, FILES, ROWS, CLASHES, TEXTS = (
    "diagnostic(s)",
    "file(s) changed outside content/",
    "row(s) of the posts' table",
    "clash(es)",
    "post(s) as they go out",
)
CODE_REVIEW = "code: a maintainer reviews"


def _normal(src: str) -> str:
    return PurePosixPath(*[part for part in PurePosixPath(src).parts if part != "."]).as_posix()


def outside_rows(cal: Calendar, outside: Sequence[tuple[str, str]]) -> list[str]:
    """One table row per file changed outside content/: what happened to it and what it affects
    (pages: published as written; media: the posts that show it; anything else is code)."""
    users: dict[str, list[Post]] = {}
    for post in cal.posts:
        for medium in post.media:
            if "://" not in medium.src:
                users.setdefault(_normal(medium.src), []).append(post)
    rows = []
    for path, what in outside:
        area = area_of(path)
        if area == PAGES:
            effect = "page of the site: published as written, unchecked"
        elif area == MEDIA:
            effect = "media"
        else:
            effect = f"⚠️ {CODE_REVIEW}"
        shown_by = users.get(path, [])
        if shown_by:
            listed = ", ".join(f"{md(p.title)} ({p.status})" for p in shown_by[:5])
            more = f" and {len(shown_by) - 5} more" if len(shown_by) > 5 else ""
            effect += f"; shown by {len(shown_by)} post(s): {listed}{more}"
        elif area == MEDIA:
            effect += ": no post shows it"
        rows.append(f"| {md(path)} | {md(what)} | {effect} |")
    return rows


def pr_summary(
    cal: Calendar,
    changed: Sequence[str],
    base_posts: Sequence[Post],
    diagnostics: Sequence[Diagnostic],
    artifact_url: str = "",
    preview_url: str = "",
    outside: Sequence[tuple[str, str]] = (),
    limit: int = MAX_SUMMARY_BYTES,
) -> str:
    """The summary, most important first: the verdict, the problems, the files changed outside
    content/, the posts and their clashes, then each post as it goes out. Cut at `limit` bytes
    (a table row or a post's channel at a time), saying what was left out and where it is."""
    changed_paths = set(changed)
    posts = [p for p in cal.posts if p.path in changed_paths]
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    verdict = (
        "✅ no problems" if not diagnostics else f"{'❌' if errors else '⚠️'} {errors} error(s), {warnings} warning(s)"
    )
    head = f"{len(posts)} post(s) added or changed · {verdict}"
    code = sum(area_of(path) == CODE for path, _ in outside)
    if outside:
        head += f" · ⚠️ {len(outside)} file(s) changed outside content/" + (f", {code} of them code" if code else "")
    if artifact_url:
        head += f"\n· [preview of the site]({artifact_url})"
    summary = Capped(limit)
    summary.add(["## socialcal: proposed posts", "", head, ""])

    summary.add(["### Diagnostics", ""])
    if diagnostics:
        summary.add(["| where | severity | code | message | hint |", "|---|---|---|---|---|"])
        for d in diagnostics:
            summary.add(
                [f"| {md(d.location())} | {d.severity} | {d.code} | {md_code(d.message)} | {md_code(d.hint)} |"], DIAG
            )
        summary.add([""])
    else:
        summary.add(["None.", ""])

    if outside:
        summary.add(
            [
                "### Files changed outside content/",
                "",
                "Not checked by socialcal: a reviewer reads each one.",
                "",
                "| file | change | what it affects |",
                "|---|---|---|",
            ],
        )
        for row in outside_rows(cal, outside):
            summary.add([row], FILES)
        summary.add([""])

    if posts:
        summary.add(
            [
                "### Proposed posts",
                "",
                "| date | time | channels | series | campaign | status | title |",
                "|---" * 7 + "|",
            ]
        )
        for p in posts:
            summary.add(
                [
                    f"| {p.date:%a %Y-%m-%d} | {p.date:%H:%M} | {md(', '.join(p.channels))} | {md(p.series or '')} "
                    f"| {md(p.campaign or '')} | {p.status} | {md(p.title)} |"
                ],
                ROWS,
            )
        summary.add([""])
        waiting = [p for p in posts if p.status in WAITING]
        summary.add(["### Approval", ""])
        if waiting:
            summary.add([f"{len(waiting)} post(s) still `proposed`:", ""])
            for p in waiting:
                summary.add([f"- {md(p.title)} ({md(p.path)})"], ROWS)
            summary.add(["", f"**Next**: {NEXT_STEP} {HAND_NOTE}", ""])
        else:
            summary.add(["No post waits for approval.", ""])
        summary.add(["### Clashes with what is planned on the base branch", ""])
        minutes = cal.registry.settings.clash_minutes
        rows = [(p, cid, other) for p in posts for cid, other in clashes(p, base_posts, minutes)]
        if rows:
            summary.add(["| proposed | channel | already planned | at |", "|---|---|---|---|"])
            for p, cid, other in rows:
                summary.add(
                    [f"| {md(p.title)} | {md(cid)} | {md(other.title)} | {other.date:%Y-%m-%d %H:%M} |"], CLASHES
                )
        else:
            summary.add([f"None: no other post on the same account within {minutes} minutes."])
        summary.add([""])
        summary.add(["### As it will go out"])
        for p in posts:
            summary.add(
                [
                    "",
                    f"#### {md(p.title)}",
                    "",
                    f"{md(p.path)} · {p.date:%A %d %B %Y, %H:%M} ({cal.tz.key}) · {preview_link(p, preview_url)}",
                    "",
                ],
                TEXTS,
                p.id,
            )
            for e in cal.entries_by_post.get(p.id, ()):
                over = " ❌ over the limit" if e.outgoing.over else ""
                lines = [
                    f"**{md(e.channel.name)}**: {e.outgoing.length} / {e.outgoing.limit} {e.outgoing.unit}{over}",
                    "",
                    pre(e.outgoing.text),
                ]
                if e.outgoing.first_comment:
                    lines.append(f"First comment: {md(e.outgoing.first_comment)}")
                summary.add([*lines, ""], TEXTS, p.id)
            if p.media:
                summary.add(["**Media**", "", *media_lines(p), ""], TEXTS, p.id)
    return summary.text()


_NOTE = (
    "\n---\n\n✂️ **The summary stops here**: GitHub drops a job summary over 1 MiB, so this one is cut at "
    "{limit} KiB. Not shown: {cut}. Every diagnostic is in this job's log and as annotations on the "
    "changed lines; every post is in the site preview.\n"
)


_TOP = "\n✂️ Cut at {limit} KiB (GitHub's limit for a summary): see the end.\n\n"


class Capped:
    """Markdown added in blocks (a table row, a post's channel), each whole or not at all: once
    one does not fit, nothing more is added, and what was left out is counted by kind. `note` and
    `top` (formatted with `limit` in KiB and what was `cut`) say so at the end and after the first
    block."""

    def __init__(self, limit: int, note: str = _NOTE, top: str = _TOP) -> None:
        self.limit = limit - 1024  # room for the note
        self.note, self.top = note, top
        self.size = 0
        self.parts: list[str] = []
        self.cut: dict[str, set[object]] = {}

    def add(self, lines: list[str], kind: str = "", item: object = None) -> None:
        """Add a block; `kind` (with `item`, when several blocks make one item) counts it if cut."""
        block = "".join(line + "\n" for line in lines)
        size = len(block.encode("utf-8"))
        if self.cut or self.size + size > self.limit:
            self.cut.setdefault(kind, set()).add(item if item is not None else len(self.cut.get(kind, ())))
            return
        self.parts.append(block)
        self.size += size

    def text(self) -> str:
        if not self.cut:
            return "".join(self.parts)
        cut = ", ".join(f"{len(items)} {kind}" for kind, items in self.cut.items() if kind)
        kib = (self.limit + 1024) // 1024
        # Said at the top too (in the room kept for the note), under the verdict.
        first = self.parts[0] + self.top.format(limit=kib, cut=cut or "the rest")
        return first + "".join(self.parts[1:]) + self.note.format(limit=kib, cut=cut or "the rest")
