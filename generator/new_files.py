"""`socialcal new post|campaign` below the command: which ids a new file may name, its front-matter,
the campaign's template, the images of an issue form, and writing the file and checking it.

The command (generator/commands/new.py) asks, prints and exits; nothing here prompts or prints.
The pieces that lower layers need too (`slugify`, `render`, the placeholders, `post_stubs`) stay
in `new.py`, which imports nothing above the project's files: this module uses the whole plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ConfigError
from .new import NewFileError, existing_ids, render, slugify, target_path, write_new

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .project import Project
    from .registry import Registry

# What a new campaign file lists as comments, to uncomment: its plan's keys with an example each.
CAMPAIGN_STUBS = (
    "# Remove the '# ' in front of a line to use it:\n"
    "# objectives:\n#   - What the campaign should achieve\n"
    "# audiences:  # {audiences}\n#   - general-public\n"
    '# hashtags:\n#   - "#CERN"\n'
    "# kpis:  # targets, checked against the results on the campaign's page\n"
    "#   impressions: 100000\n#   engagement_rate: 3.5\n#   link_clicks: 2000\n"
)
CAMPAIGN_CHANNELS_STUB = "# channels:\n#   - twitter-cern\n"
# The evaluation is written after the campaign, under its own heading.
CAMPAIGN_BODY = "## Plan\n\nObjectives, audiences, messages, channels and timeline.\n\n## Evaluation\n"


def id_problem(registry: Registry, content: Path, kind: str, value: str) -> str | None:
    """Why a channel, series or campaign id cannot be used in a new post (None when it can)."""
    from .diagnostics import unknown

    if kind == "channel":
        channel = registry.channels.get(value)
        if channel is None:
            active = [c.id for c in registry.channels.values() if not c.is_retired]
            message, guess = unknown("channel", value, active)
            return message + ("" if guess else f"; channels: {', '.join(active)}")
        if channel.is_retired:
            return f"channel '{value}' was retired on {channel.retired}: choose an active channel"
        return None
    known = list(registry.series) if kind == "series" else sorted(existing_ids(content, "campaigns"))
    if value in known:
        return None
    message, guess = unknown(kind, value, known)
    if guess:
        return message
    return message + (f"; {kind} ids: {', '.join(known)}" if known else "; there are none yet")


def needs_offset(raw: str) -> bool:
    """Whether the date the user gave carries an offset (then it is kept: it may pick one side of
    a DST change)."""
    return "+" in raw[10:] or raw.endswith("Z") or "-" in raw[10:]


def post_meta(
    title: str,
    moment: dt.datetime,
    when: str,
    channels: tuple[str, ...],
    extra: dict[str, str | None],
    hashtags: tuple[str, ...],
    media: list[dict[str, str]],
    status: str,
) -> dict[str, object]:
    """A new post's front-matter, in the order a person reads it; `extra`: series, campaign, link."""
    # An offset the user gave is kept (it may pick one side of a DST change); else local time.
    date = moment.isoformat(timespec="minutes") if needs_offset(when) else f"{moment:%Y-%m-%d %H:%M}"
    meta: dict[str, object] = {"title": title, "date": date}
    meta["channel"] = channels[0] if len(channels) == 1 else list(channels)
    for key, value in extra.items():
        if value:
            meta[key] = value
    if hashtags:
        meta["hashtags"] = list(hashtags)
    if media:
        meta["media"] = media
    meta["status"] = status
    return meta


def campaign_meta(title: str, start: str, end: str, channels: tuple[str, ...], owner: str | None) -> dict[str, object]:
    meta: dict[str, object] = {"title": title, "start": start, "end": end}
    if channels:
        meta["channels"] = list(channels)
    if owner:
        meta["owner"] = owner
    meta["status"] = "planned"
    return meta


def campaign_stubs(registry: Registry, has_channels: bool) -> str:
    stubs = CAMPAIGN_STUBS.format(audiences=", ".join(registry.audiences))
    return stubs if has_channels else stubs + CAMPAIGN_CHANNELS_STUB


def post_id_for(moment: dt.datetime, title: str) -> str:
    """The default id of a post: its day and a slug of its title."""
    return f"{moment:%Y-%m-%d}-{slugify(title) or 'post'}"


@dataclass(frozen=True)
class Fetched:
    """What happened to one image of an issue form: `problem` is said on stderr, else `line`."""

    line: str
    problem: bool = False


def fetch_images(project: Project, post_id: str, media: list[dict[str, str]]) -> Iterator[Fetched]:
    """Each image pasted into the form, downloaded (attachments.py) into media/issues/<id>/ as a new
    file, and named by the post instead of its address. One that cannot be is said, and keeps its
    address: validation then refuses it (SC308) in the pull request, where it is seen."""
    from . import attachments
    from .safe_write import Writes

    writes = Writes(project.root)
    for n, medium in enumerate(media, 1):
        src = medium.get("src", "")
        if not attachments.is_attachment(src):
            continue
        try:
            data, ext = attachments.download(src, attachments.http_fetch)
        except attachments.AttachmentError as exc:
            yield Fetched(f"error: image {n} ({src}) was not downloaded: {exc}", problem=True)
            continue
        rel_path = f"media/issues/{post_id}/{n}.{ext}"
        # A new file, its folders made by safe_write without following a link; never over one.
        if writes.write(project.root / rel_path, data, None):
            medium["src"] = rel_path
            yield Fetched(f"Downloaded image {n} into {rel_path}")
    for line in writes.problems():
        yield Fetched(line, problem=True)


def write_checked(
    project: Project, kind: str, file_id: str, folder: str, meta: dict[str, object], body: str, stubs: str = ""
) -> tuple[str, list[Diagnostic]]:
    """Write the new file (never over another), then check it: its path and its diagnostics.
    Raises NewFileError (an id taken, a folder refused) or safe_write.NotWritten."""
    from .load import load_file, rel
    from .pipeline import make_plan

    if file_id in existing_ids(project.content, kind):
        raise NewFileError(f"a {kind[:-1]} with id '{file_id}' already exists: choose another with --id")
    path = target_path(project.content, kind, file_id, folder)
    write_new(path, render(meta, body, stubs), project.root)
    relpath = rel(project.root, path)
    registry = project.registry()
    _, diags = load_file(project.root, path, kind, registry.settings.tz)
    if not diags:
        # Policy and cross-file rules need the whole tree.
        diags = [d for d in make_plan(project, history=False).validation.diagnostics if d.path == relpath]
    return relpath, list(diags)


def best_time_hints(project: Project, channels: Iterable[str], day: dt.date) -> list[str]:
    """What the team's own results say of the best hour on each channel (besttimes.py), for
    `socialcal new post`: nothing when no channel has enough results, or when the content cannot
    be read (the new post is written all the same; validation says what is wrong)."""
    from .pipeline import make_plan

    try:
        calendar = make_plan(project, history=False).calendar
    except (ConfigError, OSError):
        return []
    return [tip.text for tip in calendar.best_times(channels, day)]
