"""frontmatter.json for the Front Matter CMS extension of VS Code, generated from the registries.

Front Matter CMS (eliostruyf.vscode-front-matter) reads `frontmatter.json` at the repository
root: content types with their fields (the editor panel's form), and the page folders it lists
and creates content in. Its format is documented at https://frontmatter.codes/docs (content
types, fields, content folders) and in the extension's package.json.

Choices mirror the registries: a new channel, series, audience or campaign must reach the editor
in the same pull request, so `socialcal validate` warns (SC501) when the generated file is out of
date. A file someone wrote by hand (no marker key) is never overwritten without --force.

Front Matter's own choices shape what it writes, and the contract refuses unknown keys:
- A file created from a content type other than "default" gets an `fmContentType` key, so posts
  are the "default" type; campaigns are recognised by their folder (a page folder with a single
  content type) and created with `socialcal new campaign`, not from the editor.
- Its list-of-objects fields (block, json) add a `fieldGroup` or `dataType` key to every item,
  so `media` and `results` are declared (the panel knows them) but hidden: they are written as
  YAML in the text.
- Its own validation would read `date` as RFC 3339 and a single `channel` as a wrong type, so it
  is switched off: `socialcal validate` (the VS Code task) is the check.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .json_schema import CAMPAIGN_DOCS, POST_DOCS
from .models import CAMPAIGN_STATUSES, DEFAULT_CAMPAIGN_STATUS, DEFAULT_POST_STATUS, POST_STATUSES
from .new import TEMPLATE_TEXT, TEMPLATE_TITLE
from .registry import Registry
from .safe_write import NotWritten, read
from .safe_write import write as write_file

FILE = "frontmatter.json"
MARKER = "socialcal.generated"
VERSION_KEY = "socialcal-version"
MARKER_TEXT = "by `socialcal editor-config` from content/*.yml and content/campaigns/: run it again after changing them"
TEMPLATE = ".frontmatter/templates/post.md"
POST_TYPE = "default"  # see the module's docstring
CAMPAIGN_TYPE = "campaign"


def _choice(registry_items: dict[str, str]) -> list[dict[str, str]]:
    return [{"id": key, "title": title} for key, title in registry_items.items()]


def _field(name: str, ftype: str, docs: dict[str, str], title: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "name": name, "type": ftype, "description": docs[name], **extra}


def post_fields(registry: Registry, campaigns: list[str]) -> list[dict[str, Any]]:
    active = {c.id: f"{c.name} ({c.handle})" for c in registry.channels.values() if not c.is_retired}
    d = POST_DOCS
    return [
        _field("title", "string", d, "Title", single=True, required=True),
        _field(
            "date",
            "datetime",
            d,
            "Date and time",
            required=True,
            default="{{now}}",
            isPublishDate=True,
            dateFormat="yyyy-MM-dd HH:mm",
        ),
        _field("channel", "choice", d, "Channels", choices=_choice(active), multiple=True, required=True),
        _field("series", "choice", d, "Series", choices=_choice({s.id: s.name for s in registry.series.values()})),
        _field("campaign", "choice", d, "Campaign", choices=list(campaigns)),
        _field("hashtags", "tags", d, "Hashtags"),
        _field("link", "string", d, "Link", single=True),
        _field("status", "choice", d, "Status", choices=list(POST_STATUSES), default=DEFAULT_POST_STATUS.value),
        _field("audiences", "choice", d, "Audiences", choices=_choice(dict(registry.audiences)), multiple=True),
        _field("answer_to", "string", d, "Answers the question (post id)", single=True),
        _field(
            "variants",
            "fields",
            d,
            "Text per channel",
            fields=[{"title": name, "name": cid, "type": "string"} for cid, name in active.items()],
        ),
        _field("partnership", "string", d, "Partnership (external media only)", single=True),
        _field("approved_by", "string", d, "Approved by (GitHub user)", single=True),
        _field("approved_at", "datetime", d, "Approved on", dateFormat="yyyy-MM-dd"),
        _field("media", "json", d, "Media (write src and alt in the text)", hidden=True),
        _field("results", "json", d, "Results", hidden=True),
    ]


def campaign_fields(registry: Registry) -> list[dict[str, Any]]:
    d = CAMPAIGN_DOCS
    channels = {c.id: c.name for c in registry.channels.values()}
    return [
        _field("title", "string", d, "Title", single=True, required=True),
        _field("start", "datetime", d, "Start", required=True, dateFormat="yyyy-MM-dd"),
        _field("end", "datetime", d, "End", required=True, dateFormat="yyyy-MM-dd"),
        _field("objectives", "list", d, "Objectives"),
        _field("audiences", "choice", d, "Audiences", choices=_choice(dict(registry.audiences)), multiple=True),
        _field("channels", "choice", d, "Channels", choices=_choice(channels), multiple=True),
        _field("hashtags", "tags", d, "Hashtags"),
        _field("owner", "string", d, "Owner", single=True),
        _field("partners", "list", d, "Partners"),
        _field("kpis", "json", d, "KPI targets", hidden=True),
        _field("status", "choice", d, "Status", choices=list(CAMPAIGN_STATUSES), default=DEFAULT_CAMPAIGN_STATUS.value),
    ]


def generate(registry: Registry, campaigns: list[str]) -> dict[str, Any]:
    """The whole frontmatter.json, a pure function of the registries and the campaign ids."""
    from . import __version__

    return {
        "$schema": "https://frontmatter.codes/frontmatter.schema.json",
        MARKER: MARKER_TEXT,
        VERSION_KEY: __version__,  # which socialcal wrote it: `validate` says when an older one did
        "frontMatter.framework.id": "other",
        "frontMatter.content.pageFolders": [
            {"title": "Posts", "path": "[[workspace]]/content/posts", "contentTypes": [POST_TYPE]},
            {
                "title": "Campaigns",
                "path": "[[workspace]]/content/campaigns",
                "contentTypes": [CAMPAIGN_TYPE],
                "disableCreation": True,
            },
        ],
        "frontMatter.taxonomy.contentTypes": [
            {
                "name": POST_TYPE,
                "pageBundle": False,
                "previewPath": None,
                "fileType": "md",
                "template": TEMPLATE,
                "fields": post_fields(registry, campaigns),
            },
            {
                "name": CAMPAIGN_TYPE,
                "pageBundle": False,
                "previewPath": None,
                "fileType": "md",
                "fields": campaign_fields(registry),
            },
        ],
        "frontMatter.taxonomy.tags": sorted({*registry.hashtags.active, *registry.hashtags.instagram}),
        "frontMatter.taxonomy.dateFormat": "yyyy-MM-dd HH:mm",
        "frontMatter.templates.folder": ".frontmatter/templates",
        "frontMatter.content.autoUpdateDate": False,
        "frontMatter.validation.enabled": False,
    }


def dumps(config: dict[str, Any]) -> str:
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


POST_TEMPLATE = f"""\
---
title: "{TEMPLATE_TITLE}"
date: 2027-01-01 10:00
channel:
  - twitter-cern
link: https://home.cern/
hashtags: []
status: proposed
---

{TEMPLATE_TEXT}
"""


@dataclass(frozen=True)
class Written:
    path: Path
    action: str  # "wrote", "unchanged", "kept" (hand-written, left alone), "not written" (see `problem`)
    problem: NotWritten | None = None


def _ours(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and MARKER in data


def _write_one(root: Path, path: Path, text: str, replaceable: Callable[[str], bool]) -> Written:
    """Write `path` unless it holds `text` already or is not `replaceable`; whole or not at all
    (safe_write: no link followed, an edit saved meanwhile kept)."""
    data = text.encode("utf-8")
    try:
        current = read(path, root)
        if current == data:
            return Written(path, "unchanged")
        if current is not None and not replaceable(current.decode("utf-8", errors="replace")):
            return Written(path, "kept")
        write_file(path, data, root, current)
    except NotWritten as exc:
        return Written(path, "not written", exc)
    return Written(path, "wrote")


def write(root: Path, registry: Registry, campaigns: list[str], force: bool = False) -> list[Written]:
    """Write frontmatter.json and the post template, never over a hand-written file unless forced."""
    config = _write_one(root, root / FILE, dumps(generate(registry, campaigns)), lambda now: force or _ours(now))
    return [config, _write_one(root, root / TEMPLATE, POST_TEMPLATE, lambda now: force)]


def _choices_of(config: dict[str, Any]) -> dict[tuple[str, str], list[str]]:
    """(content type, field) → the ids it offers, for a readable difference."""
    found: dict[tuple[str, str], list[str]] = {}
    for ctype in config.get("frontMatter.taxonomy.contentTypes") or []:
        if not isinstance(ctype, dict):
            continue
        for field in ctype.get("fields") or []:
            if isinstance(field, dict) and isinstance(field.get("choices"), list):
                found[(str(ctype.get("name")), str(field.get("name")))] = [
                    str(c.get("id")) if isinstance(c, dict) else str(c) for c in field["choices"]
                ]
    return found


def difference(current: dict[str, Any], expected: dict[str, Any]) -> str:
    """What is out of date, in a few words ('' when nothing is). The version that wrote the file
    is not a difference of content: an upgrade is told as a notice (starter.version_notices)."""
    current, expected = ({k: v for k, v in c.items() if k != VERSION_KEY} for c in (current, expected))
    if current == expected:
        return ""
    have, want = _choices_of(current), _choices_of(expected)
    for key, ids in want.items():
        missing = [i for i in ids if i not in have.get(key, [])]
        extra = [i for i in have.get(key, []) if i not in ids]
        what = f"the {key[1]} choices of {'posts' if key[0] == POST_TYPE else key[0] + 's'}"
        if missing:
            return f"{what} lack {', '.join(repr(i) for i in missing)}"
        if extra:
            return f"{what} still offer {', '.join(repr(i) for i in extra)}"
    return "it differs from what the registries give"


def stale(root: Path, registry: Registry, campaigns: list[str]) -> str | None:
    """How a generated frontmatter.json differs from what the registries give, or None when it
    is current, absent, unreadable or written by hand (rule SC501, generator/rules/repository.py)."""
    path = root / FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError, OSError):
        return None
    try:
        current = json.loads(text)
    except ValueError:
        return None
    if not isinstance(current, dict) or MARKER not in current:
        return None  # written by hand: its owner keeps it
    return difference(current, generate(registry, campaigns)) or None
