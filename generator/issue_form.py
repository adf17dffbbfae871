"""Reading a "Propose a post" issue (GitHub issue form) into a post's front-matter and text.

The issue body is untrusted: it only ever becomes YAML values written by a safe dumper and a
slugged file name; nothing of it is executed or used as a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .statuses import DEFAULT_POST_STATUS

MAX_BODY = 64 * 1024  # GitHub allows 65,536 characters in an issue body
NO_RESPONSE = "_No response_"

# Form labels (.github/ISSUE_TEMPLATE/propose-post.yml) → front-matter keys.
LABELS = {
    "title": "title",
    "date and time": "date",
    "channels": "channel",
    "series": "series",
    "campaign": "campaign",
    "link": "link",
    "hashtags": "hashtags",
    "audiences": "audiences",
    "text of the post": "text",
    "images": "media",
    "alt text of the images": "alt",
}
LISTS = {"channel", "hashtags", "audiences"}


class IssueFormError(ValueError):
    pass


@dataclass(frozen=True)
class Proposal:
    meta: dict[str, object]
    text: str


def _list(value: str) -> list[str]:
    items = []
    for line in value.splitlines():
        line = line.strip()
        checked = re.match(r"^- \[[xX]\] (.+)$", line)
        if checked:
            items.append(checked[1].strip())
        elif line.startswith("- [ ]"):
            continue
        else:
            items += [part for part in re.split(r"[,\s]+", line) if part]
    return list(dict.fromkeys(items))  # a channel or tag written twice is meant once (SC212)


def _media(value: str, alts: str = "") -> list[dict[str, str]]:
    """Images pasted into the form (GitHub writes `![image](https://github.com/user-attachments/…)`
    or an `<img>` tag), their alt texts a line each in the alt-text field, in the same order; or
    one a line written as `path | alt text`. A pasted image's address is kept as it is: the
    workflow downloads it (attachments.py) and names the file instead."""
    from .attachments import ATTACHMENT

    alt_lines = [line.strip() for line in alts.splitlines() if line.strip()]
    media = []
    for line in value.splitlines():
        pasted = ATTACHMENT.findall(line)
        if pasted:
            after = line.rpartition("|")[2].strip() if "|" in line and len(pasted) == 1 else ""
            for src in pasted:
                alt = after or (alt_lines[0] if alt_lines else "")
                alt_lines = alt_lines[1:] if not after else alt_lines
                media.append({"src": src, "alt": alt})
            continue
        if not line.strip():
            continue
        src, _, alt = line.partition("|")
        media.append({"src": src.strip(), "alt": alt.strip()})
    return media


def parse_issue(body: str) -> Proposal:
    if len(body) > MAX_BODY:
        raise IssueFormError(f"the issue is {len(body)} characters long; at most {MAX_BODY} are read")
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        heading = re.match(r"^###\s+(.+?)\s*$", line)
        if heading and heading[1].strip().lower() in LABELS:
            if current:
                sections[current] = "\n".join(lines).strip()
            current, lines = LABELS[heading[1].strip().lower()], []
        elif current:
            lines.append(line)
    if current:
        sections[current] = "\n".join(lines).strip()
    values = {k: v for k, v in sections.items() if v and v != NO_RESPONSE}
    missing = [label for label, key in LABELS.items() if key in ("title", "date", "channel") and key not in values]
    if missing:
        raise IssueFormError("the issue does not say: " + ", ".join(missing))
    meta: dict[str, object] = {}
    for key in ("title", "date", "channel", "series", "campaign", "link", "hashtags", "audiences", "media"):
        if key not in values:
            continue
        raw = values[key]
        if key in LISTS:
            meta[key] = _list(raw)
        elif key == "media":
            meta[key] = _media(raw, values.get("alt", ""))
        else:
            meta[key] = " ".join(raw.split())  # one line: a title or a date never spans lines
    if isinstance(meta.get("channel"), list) and len(meta["channel"]) == 1:
        meta["channel"] = meta["channel"][0]
    meta["status"] = DEFAULT_POST_STATUS.value
    return Proposal(meta=meta, text=values.get("text", ""))
