"""The pull-request summary: what a reviewer needs to decide, as GitHub-flavoured Markdown.

User text is escaped for both HTML and Markdown: titles go in table cells, texts in <pre>.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

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


def pr_summary(
    cal: Calendar,
    changed: Sequence[str],
    base_posts: Sequence[Post],
    diagnostics: Sequence[Diagnostic],
    artifact_url: str = "",
) -> str:
    posts = [p for p in cal.posts if p.path in set(changed)]
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
            out += ["", f"#### {md(p.title)}", "", f"{md(p.path)} · {p.date:%A %d %B %Y, %H:%M} ({cal.tz.key})", ""]
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
        out.append("### Clashes with what is planned on the base branch")
        out.append("")
        minutes = cal.registry.settings.clash_minutes
        rows = [(p, cid, other) for p in posts for cid, other in clashes(p, base_posts, minutes)]
        if rows:
            out += ["| proposed | channel | already planned | at |", "|---|---|---|---|"]
            for p, cid, other in rows:
                out.append(f"| {md(p.title)} | {cid} | {md(other.title)} | {other.date:%Y-%m-%d %H:%M} |")
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
