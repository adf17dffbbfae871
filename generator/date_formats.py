"""How pages and messages write a day, a month, a week and a time: the few display formats, one
function each, also the templates' filters (views/pages/render.py). Names are English whatever the
machine's locale (strftime's %B and the calendar module follow it): the months from the table here,
the weekdays from the registry's one table of weekdays."""

from __future__ import annotations

import datetime as dt

from .registry import WEEKDAY_NAMES

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAY_NAMES = tuple(WEEKDAY_NAMES.values())  # Monday first, as date.weekday() counts


def day_name(d: dt.date) -> str:
    """'Monday'."""
    return _DAY_NAMES[d.weekday()]


def day(d: dt.date) -> str:
    """A day in full: 'Monday 4 January 2027'."""
    return f"{day_name(d)} {d.day} {MONTHS[d.month - 1]} {d.year}"


def short_day(d: dt.date) -> str:
    """A day in a list or a heading of the week: 'Mon 4 Jan'."""
    return f"{day_name(d)[:3]} {d.day} {MONTHS[d.month - 1][:3]}"


def day_month(d: dt.date) -> str:
    """A day of this year's plan: '4 January'."""
    return f"{d.day} {MONTHS[d.month - 1]}"


def long_date(d: dt.date) -> str:
    """A day without its weekday: '4 January 2027'."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def month_day(d: dt.date) -> str:
    """A day as the networks' previews date a post: 'Jan 4'."""
    return f"{MONTHS[d.month - 1][:3]} {d.day}"


def month_title(year: int, month: int) -> str:
    """A month's page title and link: 'January 2027'."""
    return f"{MONTHS[month - 1]} {year}"


def short_month(year: int, month: int) -> str:
    """A month as a chart's axis reads it: 'Jan 2027' (never 'Jan 27', which reads as a day)."""
    return f"{MONTHS[month - 1][:3]} {year}"


def week_title(monday: dt.date) -> str:
    """A week's page title: 'Week 1 of 2027' (ISO weeks: the year is the week's own)."""
    year, week, _ = monday.isocalendar()
    return f"Week {week} of {year}"


def time(moment: dt.datetime | dt.time) -> str:
    """A time of day, 24-hour: '09:30'."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


# The templates' filters: name → function (`{{ post.date|short_day }}`, `{{ ym|ym_name }}`).
FILTERS = {
    "day": day,
    "short_day": short_day,
    "day_name": day_name,
    "day_month": day_month,
    "time": time,
    "ym_name": lambda ym: month_title(*ym),
    "week_title": week_title,
}
