"""Durations and order are real time: measured in UTC, also on the two nights a year the clocks
change. (Python subtracts and compares two datetimes that share a tzinfo by their wall clocks.)

In Europe/Zurich in 2027 the clocks go forward on 2027-03-28 at 02:00 (to 03:00: 02:30 does not
exist, SC105) and back on 2027-10-31 at 03:00 (to 02:00: 02:30 happens twice, SC106; an offset
says which, as SC106's hint proposes)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.clashes import clashes, consecutive_clashes
from generator.dates import calendar_order, elapsed, instant, parse_datetime
from generator.results_import import Row, match

from .conftest import VALID_POST

ZURICH = ZoneInfo("Europe/Zurich")


def at(text: str) -> dt.datetime:
    return parse_datetime(text, ZURICH)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        ("2027-03-28 01:35", "2027-03-28 03:25", 50),  # spring: 110 on the wall clock
        ("2027-03-28 01:59", "2027-03-28 03:00", 1),
        ("2027-10-31 01:50", "2027-10-31T02:20+01:00", 90),  # autumn: 30 on the wall clock
        ("2027-10-31T02:40+02:00", "2027-10-31T02:10+01:00", 30),  # autumn: -30 on the wall clock
        ("2027-10-31T02:30+02:00", "2027-10-31T02:30+01:00", 60),  # the same wall time twice: 0
        ("2027-10-31 01:00", "2027-10-31 04:00", 240),
        ("2027-06-01 10:00", "2027-06-01 11:00", 60),  # an ordinary day
    ],
)
def test_elapsed_is_real_time_across_both_changes(start: str, end: str, minutes: int) -> None:
    assert elapsed(at(start), at(end)) == dt.timedelta(minutes=minutes)
    assert elapsed(at(end), at(start)) == -dt.timedelta(minutes=minutes)
    assert (instant(at(start)) < instant(at(end))) is (minutes > 0)


def test_a_moment_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        instant(dt.datetime(2027, 3, 28, 2, 30))


def test_calendar_order_is_by_day_then_by_real_time() -> None:
    first, second = at("2027-10-31T02:40+02:00"), at("2027-10-31T02:10+01:00")  # 00:40 and 01:10 UTC
    assert first > second  # what Python says, comparing wall clocks: why the helper exists
    assert calendar_order(first) < calendar_order(second)
    assert calendar_order(at("2027-10-30 23:59")) < calendar_order(at("2027-10-31T02:40+02:00"))


def _posts(write, check, dates: dict[str, str]):
    for name, date in dates.items():
        write(f"{name}.md", VALID_POST.replace("2027-03-02 10:00", f"'{date}'"))
    result = check()
    return result, {p.id: p for p in result.posts}


def _clashes(result) -> list[str]:
    return sorted(d.message for d in result.diagnostics if d.code == "SC401")


def test_spring_posts_50_minutes_apart_clash(write, check) -> None:
    result, _ = _posts(write, check, {"a": "2027-03-28 01:35", "b": "2027-03-28 03:25"})
    assert _clashes(result) == ["'b' and 'a' both go out on twitter-cern around 2027-03-28 03:25"]


def test_autumn_posts_90_minutes_apart_do_not_clash(write, check) -> None:
    result, _ = _posts(write, check, {"a": "2027-10-31 01:50", "b": "2027-10-31T02:20+01:00"})
    assert _clashes(result) == []


def test_clashes_pair_posts_in_real_order_in_the_repeated_hour(write, check) -> None:
    # Real order a (00:40 UTC), b (01:10 UTC), c (01:50 UTC): a–b 30 and b–c 40 minutes apart.
    # On the wall clock b (02:10), a (02:40), c (02:50): a–c would seem 10 minutes apart.
    result, posts = _posts(
        write,
        check,
        {"a": "2027-10-31T02:40+02:00", "b": "2027-10-31T02:10+01:00", "c": "2027-10-31T02:50+01:00"},
    )
    assert _clashes(result) == [
        "'b' and 'a' both go out on twitter-cern around 2027-10-31 02:10",
        "'c' and 'b' both go out on twitter-cern around 2027-10-31 02:50",
    ]
    assert [p.id for p in result.posts] == ["a", "b", "c"]  # the calendar's order, too
    window = 60
    pairs = [(before.id, after.id) for _, before, after in consecutive_clashes(list(posts.values()), window)]
    assert pairs == [("a", "b"), ("b", "c")]
    # The pull-request summary's question: what competes with this post?
    assert sorted(other.id for _, other in clashes(posts["a"], list(posts.values()), window)) == ["b"]
    assert sorted(other.id for _, other in clashes(posts["c"], list(posts.values()), window)) == ["b"]


@pytest.mark.parametrize(
    ("date", "code", "says"),
    [
        ("2027-03-28 02:30", "SC105", "does not exist in Europe/Zurich"),
        ("2027-03-28 02:00", "SC105", "does not exist in Europe/Zurich"),
        ("2027-10-31 02:30", "SC106", "happens twice in Europe/Zurich"),
        ("2027-10-31 02:00", "SC106", "happens twice in Europe/Zurich"),
    ],
)
def test_a_local_time_the_clocks_skip_or_repeat_is_a_located_error(write, check, date, code, says) -> None:
    path = write("a.md", VALID_POST.replace("2027-03-02 10:00", date))
    [diag] = [d for d in check().diagnostics if d.code == code]
    assert diag.severity == "error" and says in diag.message and diag.hint
    assert diag.line == path.read_text().splitlines().index(f"date: {date}") + 1


def test_the_offsets_sc106_proposes_are_an_hour_apart(write, check) -> None:
    write("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-10-31 02:30"))
    [hint] = [d.hint for d in check().diagnostics if d.code == "SC106"]
    first, second = (part.strip().split()[0] for part in hint.split(":", 1)[1].split(" or "))
    assert elapsed(at(first), at(second)) == dt.timedelta(hours=1)


def test_results_are_matched_within_real_minutes(project, write, check) -> None:
    """An export row is matched to the post within `match_window_minutes` of real time: in the
    repeated hour the posts' wall clocks are not in time order."""
    _, posts = _posts(write, check, {"a": "2027-10-31T02:40+02:00", "b": "2027-10-31T02:10+01:00"})
    channel = project.registry().channels["twitter-cern"]
    rows = [
        Row(2, dt.datetime(2027, 10, 31, 0, 20, tzinfo=dt.UTC), None, {}),  # a: 20 minutes; b: 50
        Row(3, dt.datetime(2027, 10, 31, 1, 35, tzinfo=dt.UTC), None, {}),  # b: 25 minutes; a: 55
        Row(4, at("2027-10-31T02:30+01:00"), None, {}),  # the export's own zone, second 02:30: b, 20
    ]
    found, unmatched = match(rows, list(posts.values()), channel, 30)
    assert unmatched == []
    assert {path: [r.number for r in got] for path, got in found.items()} == {
        posts["a"].path: [2],
        posts["b"].path: [3, 4],
    }


@pytest.mark.usefixtures("pinned")
def test_pages_and_feeds_list_posts_in_real_order(project, write) -> None:
    from generator.pipeline import make_plan
    from generator.views.feeds import _ordered

    for name, date in {"b": "2027-10-31T02:10+01:00", "a": "2027-10-31T02:40+02:00"}.items():
        write(f"{name}.md", VALID_POST.replace("2027-03-02 10:00", f"'{date}'"))
    cal = make_plan(project, history=False).calendar
    assert [p.id for p in cal.posts] == ["a", "b"]
    assert [p.id for p in cal.restricted([cal.post_by_id["b"], cal.post_by_id["a"]]).posts] == ["a", "b"]
    assert [item.id for _, item in _ordered(cal)] == ["a", "b"]
