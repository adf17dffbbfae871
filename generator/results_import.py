"""`socialcal results import`: numbers from a platform's CSV export into the matching posts.

Only the `results:` block of a post's front-matter is written; every other byte of the file stays
as it was, and importing the same export twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

from .dates import YEARS, instant
from .linkcheck import address_problem
from .load import load_bytes
from .models import MAX_COUNT, METRICS, SENTIMENTS, ChannelResults, Post, PostStatus
from .registry import Channel, ExportFormat, LinkPolicy
from .rules.links import rule_of
from .safe_write import NotWritten, Writes, read

FIELDS = (*METRICS, *(f"sentiment.{s}" for s in SENTIMENTS))
_BLOCK_KEY = re.compile(r"^results\s*:", re.MULTILINE)
_STATUS_LINE = re.compile(r"^status[ \t]*:[^\r\n]*", re.MULTILINE)
# A post with results went out; these may be set to published (a cancelled one stays cancelled).
PUBLISHABLE = frozenset(s for s in PostStatus if not s.facts.closed)
_PUBLISHED_LINE = f"status: {PostStatus.PUBLISHED.value}"


# A year of a busy account's posts is a few MB; anything far larger is not an analytics export.
MAX_EXPORT_BYTES = 50 * 1024 * 1024


class ResultsImportError(Exception):
    """The export cannot be read at all (wrong columns, not CSV): nothing is written."""


@dataclass
class Row:
    number: int  # line in the CSV
    when: dt.datetime | None
    url: str | None
    values: dict[str, int | None]


@dataclass
class ImportOutcome:
    matched: dict[str, list[int]] = field(default_factory=dict)  # post path → CSV lines
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    written: list[str] = field(default_factory=list)  # paths whose bytes changed
    published: list[str] = field(default_factory=list)  # set to `status: published` (--publish)
    unpublished: list[tuple[str, str]] = field(default_factory=list)  # (path, status) still to flip
    not_written: list[NotWritten] = field(default_factory=list)  # left as they were, and why


def _number(cell: str) -> int | None:
    text = cell.strip().replace(",", "").replace("\u202f", "").replace(" ", "")
    if text in ("", "-", "—", "N/A", "n/a"):
        return None
    if not re.fullmatch(r"\d+(\.0+)?", text):
        raise ValueError(f"{cell.strip()[:40]!r} is not a count")
    count = int(text.split(".")[0])  # exact: through a float, 17 digits were rounded and 309 overflowed
    if count > MAX_COUNT:
        raise ValueError(f"{cell.strip()[:40]!r} is more than {MAX_COUNT:,}")
    return count


def read_export(
    data: bytes, fmt: ExportFormat, tz: dt.tzinfo, links: LinkPolicy | None = None, years: tuple[int, int] = YEARS
) -> tuple[list[Row], list[tuple[int, str]]]:
    if len(data) > MAX_EXPORT_BYTES:
        raise ResultsImportError(
            f"the export is {len(data) // 1024 // 1024} MB; at most {MAX_EXPORT_BYTES // 1024 // 1024} MB is read "
            "(export a shorter period)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ResultsImportError("the export is not UTF-8 text (save it as CSV UTF-8)") from exc
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _rows(reader, fmt, tz, links, years)
    except csv.Error as exc:
        raise ResultsImportError(f"the export is not a readable CSV file: {exc}") from exc


def _rows(
    reader: csv.DictReader, fmt: ExportFormat, tz: dt.tzinfo, links: LinkPolicy | None, years: tuple[int, int]
) -> tuple[list[Row], list[tuple[int, str]]]:
    header = reader.fieldnames or []
    needed = [fmt.time.column, *fmt.metrics.values()]
    missing = [c for c in needed if c not in header]
    if missing:
        raise ResultsImportError(
            "the export has no column "
            + ", ".join(repr(c) for c in missing)
            + f" (its columns: {', '.join(header[:12]) or 'none'}); is it the right platform? "
            "The mapping is in content/analytics.yml"
        )
    rows: list[Row] = []
    bad: list[tuple[int, str]] = []
    for i, record in enumerate(reader, start=2):
        try:
            raw_time = (record.get(fmt.time.column) or "").strip()
            when = dt.datetime.strptime(raw_time, fmt.time.format)
            when = when.replace(tzinfo=tz) if when.tzinfo is None else when
            # No post lies outside the calendar's years, and 0001 or 9999 overflow once in UTC.
            if not years[0] <= when.year <= years[1]:
                raise ValueError(f"{raw_time[:40]!r} is outside the calendar's years {years[0]} to {years[1]}")
            values = {name: _number(record.get(column) or "") for name, column in fmt.metrics.items()}
        except ValueError as exc:
            bad.append((i, f"unreadable row: {exc}"))
            continue
        url = (record.get(fmt.url) or "").strip() if fmt.url else ""
        # The same address check as every other URL: an export is a file from outside too.
        found = address_problem(url, links) if url else None
        if found:
            bad.append((i, f"url refused ({rule_of(found).code}): {found.reason}"))
            continue
        rows.append(Row(i, when, url or None, values))
    return rows, bad


def _url_key(url: str) -> str:
    """The same post whatever the spelling: scheme, www., twitter.com/x.com, trailing slash."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.").replace("twitter.com", "x.com")
    return host + parts.path.rstrip("/")


def how_far(delta: dt.timedelta) -> str:
    """A time difference as a person says it: '25 min', '3 h 10 min', '2 days 4 h'."""
    minutes = round(abs(delta.total_seconds()) / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' * (days != 1)}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {mins} min" if mins else "")
    return f"{mins} min"


def _unmatched(
    row: Row, on_channel: list[Post], times: list[dt.datetime], channel: Channel, window_minutes: int, tz: dt.tzinfo
) -> str:
    """Why no post matches a row, in the calendar's zone, with the nearest post and how far it is:
    a wrong zone in the export (an hour or two off) or a wrong channel shows at once."""
    if row.when is None:
        return f"no post on {channel.id} with url {row.url}, and the row has no time to match by"
    when = row.when.astimezone(tz)
    said = f"no post on {channel.id} within {window_minutes} minutes of {when:%Y-%m-%d %H:%M} ({_zone(tz)})"
    if row.url:
        said += f" or with url {row.url}"
    i = bisect_left(times, row.when)
    near = [on_channel[j] for j in (i - 1, i) if 0 <= j < len(on_channel)]
    if not near:
        return said + f"; {channel.id} has no post to match"
    nearest = min(near, key=lambda p: abs(p.date - row.when))
    side = "before" if nearest.date < row.when else "after"
    return (
        said + f"; the nearest is {nearest.id} at {nearest.date.astimezone(tz):%Y-%m-%d %H:%M}, "
        f"{how_far(nearest.date - row.when)} {side}"
    )


def _zone(tz: dt.tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


def match(
    rows: list[Row], posts: list[Post], channel: Channel, window_minutes: int, tz: dt.tzinfo = dt.UTC
) -> tuple[dict[str, list[Row]], list[tuple[int, str]]]:
    # Indexed once, so an export of thousands of rows against years of posts stays fast. In UTC:
    # the window is real minutes, also on the night the clocks change.
    on_channel = sorted(
        (p for p in posts if channel.id in p.channels and not p.status.cancelled), key=lambda p: instant(p.date)
    )
    times = [instant(p.date) for p in on_channel]
    by_url: dict[str, list[Post]] = {}
    for p in on_channel:
        r = p.results.get(channel.id)
        if r is not None and r.url:
            by_url.setdefault(_url_key(r.url), []).append(p)
    window = dt.timedelta(minutes=window_minutes)
    found: dict[str, list[Row]] = {}
    unmatched: list[tuple[int, str]] = []
    for row in rows:
        candidates = by_url.get(_url_key(row.url), []) if row.url else []
        if not candidates and row.when:
            when = instant(row.when)
            candidates = on_channel[bisect_left(times, when - window) : bisect_right(times, when + window)]
        if len(candidates) == 1:
            found.setdefault(candidates[0].path, []).append(row)
        elif not candidates:
            unmatched.append((row.number, _unmatched(row, on_channel, times, channel, window_minutes, tz)))
        else:
            ids = ", ".join(p.id for p in candidates[:4])
            unmatched.append((row.number, f"several posts could match ({ids}): add the published url to one"))
    return found, unmatched


def merged(post: Post, channel: Channel, rows: list[Row]) -> dict[str, ChannelResults]:
    """The post's results with this channel's numbers replaced by the export's (the last row wins)."""
    current = post.results.get(channel.id)
    data = current.model_dump(exclude_none=True) if current else {}
    for row in rows:
        if row.url:
            data["url"] = row.url
        for name, value in row.values.items():
            if value is None:
                continue
            if name.startswith("sentiment."):
                data.setdefault("sentiment", {})[name.split(".", 1)[1]] = value
            else:
                data[name] = value
    results = dict(post.results)
    results[channel.id] = ChannelResults.model_validate(data)
    return results


def results_block(post: Post, results: dict[str, ChannelResults], newline: str) -> str:
    order = [c for c in post.channels if c in results] + sorted(c for c in results if c not in post.channels)
    data = {c: results[c].model_dump(exclude_none=True) for c in order}
    text = yaml.safe_dump({"results": data}, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return text.replace("\n", newline)


def rewrite(text: str, block: str) -> str:
    """Replace (or add) the top-level `results:` block of the front-matter, touching nothing else."""
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    first = body.index(newline) + len(newline)  # after the opening ---
    close = re.compile(r"^-{3,}\s*$", re.MULTILINE).search(body, first)
    if close is None:
        raise ValueError("no closing --- line")
    front = body[first : close.start()]
    found = _BLOCK_KEY.search(front)
    if found is None:
        if front and not front.endswith(newline):
            front += newline
        front += block
    else:
        lines = front[found.start() :].split(newline)
        n = 1
        while n < len(lines) and (
            lines[n].startswith((" ", "\t"))
            or (lines[n] == "" and n + 1 < len(lines) and lines[n + 1].startswith((" ", "\t")))
        ):
            n += 1
        rest = newline.join(lines[n:])
        front = front[: found.start()] + block + rest
    return bom + body[:first] + front + body[close.start() :]


def set_published(text: str) -> str:
    """Set the front-matter's `status:` to published (added when absent), touching nothing else."""
    newline = "\r\n" if "\r\n" in text else "\n"
    first = text.index("\n") + 1  # after the opening ---
    close = re.compile(r"^-{3,}[ \t]*\r?$", re.MULTILINE).search(text, first)
    if close is None:
        raise ValueError("no closing --- line")
    front = text[first : close.start()]
    if _STATUS_LINE.search(front):
        front = _STATUS_LINE.sub(_PUBLISHED_LINE, front, count=1)
    else:
        front += ("" if not front or front.endswith("\n") else newline) + _PUBLISHED_LINE + newline
    return text[:first] + front + text[close.start() :]


def _reloaded(file: Path, path: str, raw: bytes | None, tz: ZoneInfo, years: tuple[int, int]) -> Post | NotWritten:
    """The post as it is on disk now: what an editor saved since validation is merged, not lost."""
    if raw is None:
        return NotWritten(file, "it was removed since socialcal read it", "run the import again")
    loaded, diags = load_bytes(path, file.stem, raw, "posts", tz, years)
    if loaded.post is None or any(d.is_error for d in diags):
        return NotWritten(file, "it was changed since validation and no longer loads", "run socialcal validate")
    return loaded.post


def import_results(
    data: bytes,
    fmt: ExportFormat,
    channel: Channel,
    posts: list[Post],
    root: Path,
    tz: ZoneInfo,
    window_minutes: int,
    dry_run: bool = False,
    links: LinkPolicy | None = None,
    publish: bool = False,
    years: tuple[int, int] = YEARS,
) -> ImportOutcome:
    """Match the export's rows to `posts` (as validated), then write each matched file's results,
    merged into the file as it is now; each file whole or left as it was (safe_write)."""
    rows, bad = read_export(data, fmt, tz, links, years)
    found, unmatched = match(rows, posts, channel, window_minutes, tz)
    outcome = ImportOutcome(unmatched=sorted(bad + unmatched))
    writes = Writes(root)
    for path, post_rows in sorted(found.items()):
        outcome.matched[path] = [r.number for r in post_rows]
        file = root / path
        try:
            raw = read(file, root)
        except NotWritten as exc:
            outcome.not_written.append(exc)
            continue
        post = _reloaded(file, path, raw, tz, years)
        if isinstance(post, NotWritten):
            outcome.not_written.append(post)
            continue
        assert raw is not None
        text = raw.decode("utf-8")
        newline = "\r\n" if "\r\n" in text else "\n"
        new = rewrite(text, results_block(post, merged(post, channel, post_rows), newline))
        to_publish = publish and post.status in PUBLISHABLE
        if to_publish:
            new = set_published(new)
        if new != text and not dry_run and not writes.write(file, new.encode("utf-8"), raw):
            outcome.not_written.append(writes.failed[-1])
            continue
        if new != text:
            outcome.written.append(path)
        if to_publish:
            outcome.published.append(path)
        elif post.status in PUBLISHABLE:
            outcome.unpublished.append((path, post.status))
    return outcome
