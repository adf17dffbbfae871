"""Dates as the content contract writes them, read in the calendar's time zone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from .rules.core import Rule
from .rules.declared import SC104, SC105, SC106, SC113

_NAIVE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_OFFSET = re.compile(r"(Z|[+-]\d{2}(:?\d{2})?)$")

UTC = dt.UTC
# The years a date may fall in (content/settings.yml `years`). Checked before any arithmetic on
# the date, so a date near year 1 or 9999 is a diagnostic, never an overflow.
YEARS = (2000, 2100)


class DateError(ValueError):
    """A date that cannot be used, with the rule it breaks (SC104, SC105 or SC106)."""

    def __init__(self, rule: Rule, message: str, hint: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.hint = hint

    @property
    def code(self) -> str:
        return self.rule.code


def instant(moment: dt.datetime) -> dt.datetime:
    """An aware moment in UTC: the one clock that durations and order are measured on. Python
    subtracts and compares two datetimes that share a tzinfo by their wall clocks, offsets
    ignored: on the spring night in Europe/Zurich 01:40 and 03:10 are 90 minutes apart for it and
    30 in fact; on the autumn night 02:40 (+02:00) comes after 02:10 (+01:00) for it and 30
    minutes before in fact."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment} has no time zone: it is no moment")
    return moment.astimezone(UTC)


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """The real time from `start` to `end` (negative when `end` comes first), whatever the clocks did."""
    return instant(end) - instant(start)


def calendar_order(moment: dt.datetime) -> tuple[dt.date, dt.datetime]:
    """Sort key of a moment in the calendar: its day in the calendar's zone, then when it really
    happens. (By instant alone a day could come back where the clocks go back at midnight.)"""
    return moment.date(), instant(moment)


def _format_hint() -> str:
    return "write YYYY-MM-DD HH:MM (e.g. 2027-03-26 10:00), or ISO 8601 with an offset (2027-03-26T10:00+01:00)"


def localize(naive: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Attach the zone, refusing wall times that do not exist or happen twice."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    shown = naive.strftime("%Y-%m-%d %H:%M")
    if round_trip != naive:
        raise DateError(
            SC105,
            f"{shown} does not exist in {tz.key}: the clocks go forward that night",
            f"pick a time outside the skipped hour, e.g. {(naive + dt.timedelta(hours=1)).strftime('%H:%M')}",
        )
    a = first.strftime("%z")
    b = second.strftime("%z")
    raise DateError(
        SC106,
        f"{shown} happens twice in {tz.key}: the clocks go back that night",
        f"add the offset to say which: {naive.strftime('%Y-%m-%dT%H:%M')}{a[:3]}:{a[3:]} "
        f"or {naive.strftime('%Y-%m-%dT%H:%M')}{b[:3]}:{b[3:]}",
    )


def check_year(text: str, year: int, years: tuple[int, int]) -> None:
    first, last = years
    if not first <= year <= last:
        raise DateError(
            SC113,
            f"{text!r} is in the year {year}, outside the calendar's years {first} to {last}",
            "check the year for a typo; the range is `years` in content/settings.yml",
        )


def parse_datetime(raw: str, tz: ZoneInfo, years: tuple[int, int] = YEARS) -> dt.datetime:
    """A post's `date`: naive in the calendar's zone, or ISO 8601 with an offset."""
    text = raw.strip()
    match = _NAIVE.match(text)
    if match:
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
        try:
            naive = dt.datetime(y, mo, d, h, mi, s)
        except ValueError as exc:
            raise DateError(SC104, f"date {text!r} is not a real date or time: {exc}", _format_hint()) from exc
        check_year(text, y, years)
        return localize(naive, tz)
    if _DAY.match(text):
        raise DateError(
            SC104,
            f"date {text!r} has no time of day",
            f"add the time it goes out, e.g. {text} 10:00",
        )
    if _OFFSET.search(text):
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise DateError(SC104, f"date {text!r} is not a valid ISO 8601 date: {exc}", _format_hint()) from exc
        if value.tzinfo is not None:
            check_year(text, value.year, years)
            return value.astimezone(tz)
    raise DateError(SC104, f"date {text!r} is not in a known form", _format_hint())


def parse_day(raw: str, years: tuple[int, int] = YEARS) -> dt.date:
    """A campaign's `start` or `end`: a calendar day."""
    text = raw.strip()
    if not _DAY.match(text):
        raise DateError(SC104, f"{text!r} is not a day", "write YYYY-MM-DD, e.g. 2027-02-11")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise DateError(SC104, f"{text!r} is not a real day: {exc}", "write YYYY-MM-DD, e.g. 2027-02-11") from exc
    check_year(text, day.year, years)
    return day
