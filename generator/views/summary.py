"""The pull-request summary: what a reviewer needs to decide, as GitHub-flavoured Markdown.

Each proposed post as it goes out on each channel, its media with their alt text, and the way to
its page in the built preview. User text is escaped for both HTML and Markdown: titles go in
table cells, texts in <pre>; addresses made from ids are percent-encoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import quote

from .. import urls
from ..calendar import Calendar
from ..clashes import clashes
from ..diagnostics import Diagnostic
from ..models import Post

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()|~])")


def md(text: str) -> str:
    """Plain text safe inside a Markdown table cell or paragraph."""
    one_line = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))


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


def pr_summary(
    cal: Calendar,
    changed: Sequence[str],
    base_posts: Sequence[Post],
    diagnostics: Sequence[Diagnostic],
    artifact_url: str = "",
    preview_url: str = "",
) -> str:
    changed_paths = set(changed)
    posts = [p for p in cal.posts if p.path in changed_paths]
    out = ["## socialcal: proposed posts", ""]
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    verdict = (
        "✅ no problems" if not diagnostics else f"{'❌' if errors else '⚠️'} {errors} error(s), {warnings} warning(s)"
    )
    out.append(f"{len(posts)} post(s) added or changed · {verdict}")
    if artifact_url:
        out.append(f"· [preview of the site]({artifact_url})")
    out.append("")
    if posts:
        out += ["| date | time | channels | series | campaign | status | title |", "|---|---|---|---|---|---|---|"]
        for p in posts:
            out.append(
                f"| {p.date:%a %Y-%m-%d} | {p.date:%H:%M} | {md(', '.join(p.channels))} | {md(p.series or '')} "
                f"| {md(p.campaign or '')} | {p.status} | {md(p.title)} |"
            )
        out.append("")
        out.append("### As it will go out")
        for p in posts:
            out += [
                "",
                f"#### {md(p.title)}",
                "",
                f"{md(p.path)} · {p.date:%A %d %B %Y, %H:%M} ({cal.tz.key}) · {preview_link(p, preview_url)}",
                "",
            ]
            for e in cal.entries_by_post.get(p.id, ()):
                over = " ❌ over the limit" if e.outgoing.over else ""
                out.append(
                    f"**{md(e.channel.name)}**: {e.outgoing.length} / {e.outgoing.limit} {e.outgoing.unit}{over}"
                )
                out.append("")
                out.append(pre(e.outgoing.text))
                if e.outgoing.first_comment:
                    out.append(f"First comment: {md(e.outgoing.first_comment)}")
                out.append("")
            if p.media:
                out += ["**Media**", "", *media_lines(p), ""]
        out.append("### Clashes with what is planned on the base branch")
        out.append("")
        minutes = cal.registry.settings.clash_minutes
        rows = [(p, cid, other) for p in posts for cid, other in clashes(p, base_posts, minutes)]
        if rows:
            out += ["| proposed | channel | already planned | at |", "|---|---|---|---|"]
            for p, cid, other in rows:
                out.append(f"| {md(p.title)} | {md(cid)} | {md(other.title)} | {other.date:%Y-%m-%d %H:%M} |")
        else:
            out.append(f"None: no other post on the same account within {minutes} minutes.")
        out.append("")
    out.append("### Diagnostics")
    out.append("")
    if diagnostics:
        out += ["| where | severity | code | message | hint |", "|---|---|---|---|---|"]
        for d in diagnostics:
            out.append(f"| {md(d.location())} | {d.severity} | {d.code} | {md(d.message)} | {md(d.hint)} |")
    else:
        out.append("None.")
    return "\n".join(out) + "\n"
