"""Exports for the scheduling tools (Buffer, Hootsuite, Sprout) and for any other tool (JSON).

socialcal never publishes and holds no network password: it writes the files the tools' bulk
uploads take, with the text exactly as it goes out (`calendar.Entry.outgoing`: variants, hashtags,
the link, UTM tags), the public addresses of the images (`published_images.publish_original`, published by
the build under `assets/media/`) and the time in the format each tool expects, in the calendar's
zone. What a tool would refuse is a diagnostic per post (SC601–SC603), before anything is written.

Each tool's format is data, in `TOOLS`: a correction is one line there. Sources, and the day they
were read, are in the README ("Exports").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .calendar_model import Calendar, Entry
from .diagnostics import Diagnostic, Pos, one_line
from .image_decoding import BadImage
from .published_images import publish_original
from .rules.core import Rule
from .rules.scheduler_limits import SC601, SC602, SC603
from .statuses import PostStatus
from .views.kpi_report import FORMULA_START, safe_cell

# The statuses that go to a scheduling tool: reviewed, not yet out. Drafts, proposals, published
# and cancelled posts never do.
EXPORTABLE = frozenset(s for s in PostStatus if s.facts.exported)


@dataclass(frozen=True)
class Tool:
    """One scheduling tool's bulk upload, as its documentation describes it."""

    name: str
    columns: tuple[tuple[str, str], ...]  # (header, field); fields: text link image tags datetime date time
    header_row: bool  # False: the file starts with the first post
    time_format: str  # strftime of the `datetime` field (or of `date` and `time` separately)
    date_format: str
    max_rows: int  # per file
    split: bool  # more rows: True, several files; False, refused beyond max_rows (SC602)
    lead_minutes: int  # the tool refuses a post sooner than this after the upload (SC603)
    gap_minutes: int  # posts of one file at least this far apart (SC602)
    minute_step: int  # times on this step of minutes (SC602)
    images: bool  # the file takes an image address
    image_suffixes: tuple[str, ...]  # what the address may end in
    max_images: int
    unique_text: bool  # the same message twice in one file is refused (SC601)
    source: str  # where the format is documented


TOOLS: dict[str, Tool] = {
    "buffer": Tool(
        name="Buffer",
        columns=(("Text", "text"), ("Image URL", "image"), ("Tags", "tags"), ("Posting Time", "datetime")),
        header_row=True,
        time_format="%Y-%m-%d %H:%M",
        date_format="",
        max_rows=100,
        split=True,
        lead_minutes=0,
        gap_minutes=0,
        minute_step=1,
        images=True,
        image_suffixes=(".jpg", ".jpeg", ".png"),
        max_images=1,
        unique_text=False,
        source="Buffer's bulk-upload CSV template as issue 24 quotes it (no Buffer page was found to confirm it)",
    ),
    "hootsuite": Tool(
        name="Hootsuite",
        columns=(("", "datetime"), ("", "text"), ("", "link")),
        header_row=False,
        time_format="%d/%m/%Y %H:%M",
        date_format="",
        max_rows=350,
        split=False,
        lead_minutes=10,
        gap_minutes=0,
        minute_step=5,
        images=False,
        image_suffixes=(),
        max_images=0,
        unique_text=True,
        source="Hootsuite's bulk composer: https://kim-iverson-headlee.blogspot.com/2016/08/"
        "the-business-of-writing-using-hootsuite.html (columns, 350 less those scheduled); the step, lead and "
        "duplicates from Hootsuite's help as known to the author, not re-checked",
    ),
    "sprout": Tool(
        name="Sprout Social",
        columns=(
            ("date", "date"),
            ("time_24hr", "time"),
            ("message_text", "text"),
            ("link", "link"),
            ("image_url", "image"),
        ),
        header_row=True,
        time_format="%H:%M",
        date_format="%d/%m/%Y",
        max_rows=350,
        split=False,
        lead_minutes=10,
        gap_minutes=10,
        minute_step=1,
        images=True,
        image_suffixes=(".jpg", ".jpeg", ".png", ".gif"),
        max_images=1,
        unique_text=False,
        source="https://support.sproutsocial.com/hc/en-us/articles/115005864203-How-do-I-use-bulk-scheduling",
    ),
}
JSON_SCHEMA = "socialcal-export/1"


class ExportError(Exception):
    """A usage problem (exit code 2): no public site address, nothing to write to."""


@dataclass(frozen=True)
class Row:
    entry: Entry
    local: dt.datetime  # in the calendar's zone
    text: str
    link: str
    images: tuple[str, ...]  # public addresses
    tags: str


@dataclass(frozen=True)
class Export:
    files: tuple[tuple[str, bytes], ...]  # (name suffix, e.g. "twitter-cern" or "twitter-cern-2"; content)
    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[str, ...]

    @property
    def refused(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def publish_media(root: Path, cal: Calendar, site: Path) -> None:
    """Write into the site the originals of the images of every post a tool may be given (the
    addresses exports point at). Failures are the thumbnails' own (SC316) and the export's (SC601)."""
    for post in cal.posts:
        if post.status in EXPORTABLE:
            for medium in post.media:
                if medium.kind == "image" and "://" not in medium.src:
                    publish_original(root, medium.src, site)


def selected(
    cal: Calendar, now: dt.datetime, start: dt.date | None, end: dt.date | None, channel: str | None
) -> list[Entry]:
    """The channel posts to export: approved or scheduled, ahead of `now` unless `start` asks for
    earlier days, up to `end` (inclusive), on `channel` if given; in time order."""
    tz = cal.tz
    out = []
    for entry in cal.entries:
        post = entry.post
        if post.status not in EXPORTABLE or (channel is not None and entry.channel.id != channel):
            continue
        day = post.date.astimezone(tz).date()
        if (start is None and post.date < now) or (start is not None and day < start):
            continue
        if end is not None and day > end:
            continue
        out.append(entry)
    return sorted(out, key=lambda e: (e.post.date, e.channel.id, e.post.id))


def _key_pos(root: Path, path: str, key: str) -> Pos:
    """The line of a front-matter key (the diagnostics of an export point at it), else line 1."""
    try:
        lines = (root / path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return Pos(1, 1)
    for number, line in enumerate(lines[:200], 1):
        if line.startswith(f"{key}:"):
            return Pos(number, 1)
    return Pos(1, 1)


class _Images:
    """Public addresses of a post's media, the originals published by the build."""

    def __init__(self, root: Path, site_url: str) -> None:
        self.root, self.site_url = root, site_url

    def addresses(self, entry: Entry, tool: Tool) -> tuple[list[str], list[tuple[str, str]]]:
        """(addresses, [(why, hint)]) of the entry's media for `tool`."""
        urls, problems = [], []
        for medium in entry.post.media:
            if medium.kind == "video":
                problems.append((f"{tool.name}'s bulk upload takes no video ({one_line(medium.src)})", _BY_HAND))
                continue
            if "://" in medium.src:
                url = medium.src
            else:
                found = publish_original(self.root, medium.src)
                if isinstance(found, (BadImage, str)):
                    problems.append((f"media '{one_line(medium.src)}' cannot be published: {found}", _FIX_IMAGE))
                    continue
                url = self.site_url + found.path
            if tool.image_suffixes and not url.lower().split("?")[0].endswith(tool.image_suffixes):
                kinds = "/".join(s.lstrip(".").upper() for s in tool.image_suffixes)
                problems.append((f"{tool.name} takes {kinds} image addresses, not '{one_line(url)}'", _FIX_IMAGE))
                continue
            urls.append(url)
        return urls, problems


_BY_HAND = "schedule this post in the tool by hand, or export it with another tool"
_FIX_IMAGE = "commit the image as a JPEG or PNG in the repository (media/…): the site publishes it for the tools"


def rows_for(entries: Sequence[Entry], tz: dt.tzinfo) -> list[Row]:
    out = []
    for e in entries:
        post = e.post
        tags = ",".join(t for t in (post.campaign, post.series) if t)
        out.append(Row(e, post.date.astimezone(tz), e.outgoing.text, "", (), tags))
    return out


def refusals(
    tool: Tool, rows: Sequence[Row], images: _Images, now: dt.datetime, root: Path, scheduled: int = 0
) -> tuple[list[Row], list[Diagnostic]]:
    """The rows with their image addresses, and a diagnostic for each thing `tool` would refuse."""
    out, diags = [], []
    seen_text: dict[str, str] = {}
    last: dict[str, dt.datetime] = {}
    capacity = tool.max_rows - scheduled if not tool.split else None
    for index, row in enumerate(rows):
        post, channel = row.entry.post, row.entry.channel
        at_date = _key_pos(root, post.path, "date")
        at_text = Pos(_key_pos(root, post.path, "title").line, 1)

        refuse = partial(_refuse, diags, f"{tool.name}, {channel.id}: ", post.path)
        urls, problems = images.addresses(row.entry, tool)
        if tool.images:
            for why, hint in problems:
                refuse(SC601, _key_pos(root, post.path, "media"), why, hint)
            if len(urls) > tool.max_images:
                refuse(
                    SC601,
                    _key_pos(root, post.path, "media"),
                    f"{len(urls)} images, and {tool.name}'s file takes {tool.max_images}",
                    _BY_HAND,
                )
        elif post.media:
            refuse(
                SC603,
                _key_pos(root, post.path, "media"),
                f"{tool.name}'s file has no image column: add the post's media in {tool.name} after the upload",
                "or export this channel with Buffer or Sprout, which take image addresses",
            )
        if row.entry.outgoing.first_comment:
            refuse(
                SC603,
                _key_pos(root, post.path, "hashtags"),
                f"the first comment ({one_line(row.entry.outgoing.first_comment)}) is not part of the file: "
                f"add it in {tool.name} after the upload",
                "the JSON export (socialcal export json) carries it",
            )
        if row.text.startswith(FORMULA_START):
            refuse(
                SC601,
                at_text,
                f"the text begins with {row.text[0]!r}, which a spreadsheet would run as a formula; the CSV cell "
                "gets a leading apostrophe, which the tool would publish",
                "begin the text with a word",
            )
        if tool.unique_text:
            first = seen_text.setdefault(row.text, post.id)
            if first != post.id:
                refuse(SC601, at_text, f"the same message as '{first}', which {tool.name} refuses", "vary the text")
        if row.local < now:
            refuse(SC602, at_date, f"{row.local:%Y-%m-%d %H:%M} has passed", "export posts ahead only")
        elif row.local - now < dt.timedelta(minutes=tool.lead_minutes):
            refuse(
                SC603,
                at_date,
                f"{tool.name} refuses a post less than {tool.lead_minutes} minutes after the upload "
                f"({row.local:%Y-%m-%d %H:%M})",
                f"upload the file before {row.local - dt.timedelta(minutes=tool.lead_minutes):%Y-%m-%d %H:%M}",
            )
        if row.local.minute % tool.minute_step:
            refuse(
                SC602,
                at_date,
                f"{row.local:%H:%M} is not on {tool.name}'s {tool.minute_step}-minute step",
                f"move the post to a minute ending in 0 or 5, e.g. {_rounded(row.local, tool.minute_step):%H:%M}",
            )
        previous = last.get(channel.id)
        if tool.gap_minutes and previous is not None and row.local - previous < dt.timedelta(minutes=tool.gap_minutes):
            refuse(
                SC602,
                at_date,
                f"{tool.name} wants the posts of one import at least {tool.gap_minutes} minutes apart; the previous "
                f"one on {channel.id} is at {previous:%H:%M}",
                "move one of the two posts",
            )
        last[channel.id] = row.local
        if capacity is not None and index >= capacity:
            refuse(
                SC602,
                at_date,
                f"beyond {tool.name}'s {tool.max_rows} posts per import"
                + (f" (less the {scheduled} already scheduled)" if scheduled else ""),
                "export the rest later, from a later day (--from)",
            )
        out.append(Row(row.entry, row.local, row.text, row.link, tuple(urls[: tool.max_images]), row.tags))
    return out, diags


def _refuse(diags: list[Diagnostic], prefix: str, path: str, rule: Rule, pos: Pos, message: str, hint: str) -> None:
    diags.append(rule.at(path, pos, prefix + message, hint))


def _rounded(moment: dt.datetime, step: int) -> dt.datetime:
    return moment + dt.timedelta(minutes=(step - moment.minute % step) % step)


def _cell(row: Row, name: str, tool: Tool) -> str:
    values = {
        "text": row.text,
        "link": row.link,
        "image": row.images[0] if row.images else "",
        "tags": row.tags,
        "datetime": row.local.strftime(tool.time_format),
        "date": row.local.strftime(tool.date_format),
        "time": row.local.strftime(tool.time_format),
    }
    return str(safe_cell(values[name]))  # every cell: the report's one neutralisation


def to_csv(tool: Tool, rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if tool.header_row:
        writer.writerow([header for header, _ in tool.columns])
    for row in rows:
        writer.writerow([_cell(row, name, tool) for _, name in tool.columns])
    return out.getvalue().encode("utf-8")


def export_tool(
    cal: Calendar,
    tool_name: str,
    entries: Sequence[Entry],
    now: dt.datetime,
    root: Path,
    site_url: str,
    scheduled: int = 0,
) -> Export:
    """The files of one tool's export: one per channel (Buffer: at most 100 rows each, split)."""
    tool = TOOLS[tool_name]
    images = _Images(root, site_url)
    by_channel: dict[str, list[Row]] = {}
    for row in rows_for(entries, cal.tz):
        by_channel.setdefault(row.entry.channel.id, []).append(row)
    files, diags, notes = [], [], []
    for channel_id, rows in by_channel.items():
        checked, found = refusals(tool, rows, images, now, root, scheduled)
        diags += found
        chunks = (
            [checked[i : i + tool.max_rows] for i in range(0, len(checked), tool.max_rows)] if tool.split else [checked]
        )
        if len(chunks) > 1:
            notes.append(
                f"{channel_id}: {len(checked)} posts, more than {tool.name}'s {tool.max_rows} per file: "
                f"split into {len(chunks)} files"
            )
        for n, chunk in enumerate(chunks, 1):
            files.append((channel_id if len(chunks) == 1 else f"{channel_id}-{n}", to_csv(tool, chunk)))
    return Export(tuple(files), tuple(diags), tuple(notes))


def export_json(cal: Calendar, entries: Sequence[Entry], root: Path, site_url: str) -> Export:
    """The calendar in a stable schema (JSON_SCHEMA, documented in the README) for any other tool."""
    from . import urls

    posts: dict[str, dict] = {}
    diags: list[Diagnostic] = []
    for entry in entries:
        post = entry.post
        item = posts.get(post.id)
        if item is None:
            item = posts[post.id] = {
                "id": post.id,
                "title": post.title,
                "status": post.status,
                "date": post.date.astimezone(cal.tz).isoformat(),
                "date_utc": post.date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "campaign": post.campaign,
                "series": post.series,
                "hashtags": list(post.hashtags),
                "page": site_url + urls.page_url(urls.post_page(post.id)),
                "channels": [],
            }
        media = []
        for medium in post.media:
            url = medium.src
            if "://" not in medium.src:
                found = publish_original(root, medium.src)
                if isinstance(found, (BadImage, str)):
                    diags.append(
                        SC601.at(
                            post.path,
                            _key_pos(root, post.path, "media"),
                            f"media '{one_line(medium.src)}' cannot be published: {found}",
                            _FIX_IMAGE,
                        )
                    )
                    continue
                url = site_url + found.path
            media.append({"url": url, "alt": medium.alt, "kind": medium.kind})
        item["channels"].append(
            {
                "channel": entry.channel.id,
                "platform": entry.channel.platform,
                "handle": entry.channel.handle,
                "text": entry.outgoing.text,
                "first_comment": entry.outgoing.first_comment,
                "length": entry.outgoing.length,
                "limit": entry.outgoing.limit,
                "unit": entry.outgoing.unit,
                "media": media,
            }
        )
    document = {"schema": JSON_SCHEMA, "timezone": cal.registry.settings.timezone, "posts": list(posts.values())}
    data = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return Export((("", data.encode("utf-8")),), tuple(diags), ())


def file_name(out: str, suffix: str, several: bool) -> str:
    """FILE for a single file; FILE's stem, the channel (and part) and its extension for several."""
    if not several or not suffix:
        return out
    path = Path(out)
    return str(path.with_name(f"{path.stem}-{suffix}{path.suffix or '.csv'}"))


def make_export(
    project,
    tool_name: str,
    channel: str | None,
    start: dt.date | None,
    end: dt.date | None,
    scheduled: int = 0,
) -> Export:
    """The export of the project for `tool_name` (or "json"): the selected posts checked as the
    tool would, with the validation errors of those posts (a post that does not validate is not
    exported either)."""
    from .engines import engine_for
    from .pipeline import make_plan, resolve_now

    plan = make_plan(project, history=False)
    cal = plan.calendar
    if channel is not None and channel not in cal.registry.channels:
        raise ExportError(f"unknown channel {channel!r}")
    site_url = engine_for(project).site_url(project)
    if not site_url.startswith("https://"):
        raise ExportError(
            "mkdocs.yml has no https `site_url`: the tools need the public address of the images the site publishes"
        )
    entries = selected(cal, resolve_now(cal.tz), start, end, channel)
    paths = {e.post.path for e in entries}
    broken = tuple(d for d in plan.validation.errors if d.path in paths)
    if tool_name == "json":
        made = export_json(cal, entries, project.root, site_url)
    else:
        made = export_tool(cal, tool_name, entries, resolve_now(cal.tz), project.root, site_url, scheduled)
    return Export(made.files, broken + made.diagnostics, made.notes)
