"""iCal events written as text: the bytes `icalendar` writes for the same calls, without its
objects (its `content_lines` was a fifth of a 10,000-post build).

`Event.add(name, value)` takes what `icalendar.Event.add` takes in the feeds (text, a URI, an
integer, a UTC date-time, a date, a list of categories); `Event.to_ical()` gives the same bytes
as icalendar: its property order, its TEXT escaping, folding at 75 octets, CRLF. The feed tests
compare the two on hostile text (tests/test_feeds.py) and parse every feed with icalendar.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["Event", "escape", "fold"]

# icalendar's order of a VEVENT's properties (`icalendar.Event.canonical_order`); the others
# follow in alphabetical order.
_CANONICAL = (
    "SUMMARY",
    "DTSTART",
    "DTEND",
    "DURATION",
    "DTSTAMP",
    "UID",
    "RECURRENCE-ID",
    "SEQUENCE",
    "RRULE",
    "RDATE",
    "EXDATE",
)
_RANK = {name: i for i, name in enumerate(_CANONICAL)}
_URI = frozenset({"URL"})  # values written as they are (icalendar's vUri): no TEXT escaping
_BOM = "\ufeff"
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # RFC 5545 3.3.8, which icalendar enforces


def escape(value: str) -> str:
    """A TEXT value escaped as icalendar escapes it (RFC 5545 3.3.11), replacements in its order:
    a written `\\N` is a line break first; then backslash, `;`, `,`; CRLF, LF and a lone CR
    become `\\n`."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(content_line: str, limit: int = 75) -> str:
    """A content line folded as icalendar folds it (RFC 5545: lines under 75 octets, continued
    after CRLF and a space; an escape's backslash or caret never ends a part), in slices for an
    ASCII line. icalendar's own loop goes character by character: with it, folding was a fifth
    of a 10,000-post build."""
    if content_line.isascii():
        width = limit - 1
        if len(content_line) <= width:
            return content_line
        parts, start = [], 0
        while len(content_line) - start > width:
            end = start + width
            if content_line[end - 1] in "\\^":
                end -= 1
            parts.append(content_line[start:end])
            start = end
        parts.append(content_line[start:])
        return "\r\n ".join(parts)
    folded: list[str] = []
    current: list[str] = []
    size = 0
    for char in content_line:
        n = len(char.encode("utf-8"))
        if current and size + n >= limit:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                folded.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += n
    if current:
        folded.append("".join(current))
    return "\r\n ".join(folded)


def _utc(moment: dt.datetime) -> str:
    if moment.utcoffset() != dt.timedelta(0):
        raise ValueError(f"an event's date-time is written in UTC, not {moment.isoformat()}")
    day = f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
    return f"{day}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"


class Event:
    """One VEVENT, property by property; each property once."""

    def __init__(self) -> None:
        self._lines: dict[str, str] = {}

    def add(self, name: str, value: str | int | dt.datetime | dt.date | list[str]) -> None:
        key = name.upper()
        if key in self._lines:
            raise ValueError(f"{key} is already set")
        if isinstance(value, bool):
            raise TypeError(f"{key}: a boolean is no iCal value")
        if isinstance(value, dt.datetime):  # before date: a datetime is a date too
            written, params = _utc(value), ""
        elif isinstance(value, dt.date):
            written, params = f"{value.year:04d}{value.month:02d}{value.day:02d}", ";VALUE=DATE"
        elif isinstance(value, int):
            if not _INT_MIN <= value <= _INT_MAX:
                raise ValueError(f"{key}: {value} is outside RFC 5545's integers")
            written, params = str(value), ""
        elif isinstance(value, list):
            written, params = ",".join(escape(str(v)) for v in value), ""
        elif isinstance(value, str):
            if key in _URI and ("\r" in value or "\n" in value):
                raise ValueError(f"{key}: a URI cannot hold a line break")  # nor would icalendar write it
            written, params = (value if key in _URI else escape(value)), ""
        else:
            raise TypeError(f"{key}: {type(value).__name__} is not written by this module")
        # icalendar reads the encoded value back as utf-8-sig: a leading byte-order mark goes.
        self._lines[key] = f"{key}{params}:{written.removeprefix(_BOM)}"

    def to_ical(self) -> bytes:
        ordered = sorted(self._lines, key=lambda k: (_RANK.get(k, len(_RANK)), k))
        body = "".join(fold(self._lines[k]) + "\r\n" for k in ordered)
        return f"BEGIN:VEVENT\r\n{body}END:VEVENT\r\n".encode()
