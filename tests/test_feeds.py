"""iCal feeds read the same in every client: parsed with icalendar and, independently, vobject."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from typing import ClassVar

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import model
from generator.engines.mkdocs import MkDocs
from generator.project import Project
from generator.views import ical_text
from generator.views.feeds import write_feeds

from .conftest import VALID_POST

pytestmark = pytest.mark.usefixtures("pinned")


def feeds(project: Project) -> dict[str, bytes]:
    """Every feed of the project, by its path under feeds/: the calendar (history included) and the
    feed writer of a build, without the rest of the site."""
    cal, _, _ = model(project)
    out: dict[str, bytes] = {}

    def write(rel_path: str, chunks: Iterable[bytes]) -> None:
        assert rel_path not in out, rel_path
        out[rel_path] = b"".join(chunks)

    write_feeds(cal, MkDocs().site_url(project), write)
    return {path.removeprefix("feeds/"): data for path, data in out.items()}


def events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def post(front_extra: str = "", date: str = "2027-03-02 10:00", channel: str = "twitter-cern") -> str:
    return (
        VALID_POST.replace("2027-03-02 10:00", date).replace("channel: twitter-cern", f"channel: {channel}")
        + front_extra
    )


def test_every_feed_is_valid_for_an_independent_parser(example_project) -> None:
    out = feeds(example_project)
    assert {"all.ics", "channels/twitter-cern.ics", "campaigns/open-days-2027.ics", "series/gwti.ics"} <= set(out)
    for name, data in out.items():
        parsed = vobject.readOne(data.decode("utf-8"), validate=True)
        assert parsed.name == "VCALENDAR", name
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), name
        assert all(len(line) <= 75 for line in data.split(b"\r\n")), name
        assert b"METHOD:" not in data
        for key in (
            b"VERSION:2.0",
            b"PRODID:",
            b"X-WR-CALNAME:",
            b"NAME:",
            b"X-WR-CALDESC:",
            b"REFRESH-INTERVAL;VALUE=DURATION:PT6H",
            b"X-PUBLISHED-TTL:PT6H",
        ):
            assert key in data, (name, key)


def test_a_feed_without_events_is_still_a_calendar(project) -> None:
    out = feeds(project)
    assert events(out["all.ics"]) == []
    vobject.readOne(out["all.ics"].decode(), validate=True)


@pytest.mark.parametrize(
    ("date", "utc"), [("2027-03-27 10:00", "20270327T090000Z"), ("2027-03-29 10:00", "20270329T080000Z")]
)
def test_instants_across_the_spring_dst_change(project, write, date: str, utc: str) -> None:
    write("a.md", post(date=date))
    data = feeds(project)["all.ics"]
    assert f"DTSTART:{utc}".encode() in data
    start = events(data)[0].decoded("dtstart")
    assert start == dt.datetime.fromisoformat(date).replace(
        tzinfo=dt.timezone(dt.timedelta(hours=1 if "27" in date[8:10] else 2))
    )


def test_one_event_per_post_the_same_in_every_feed_with_a_stable_uid(project, write) -> None:
    write("a.md", post(channel="[twitter-cern, facebook-cern]"))
    out = feeds(project)
    (ev,) = events(out["all.ics"])
    assert str(ev["uid"]) == "a@cern.github.io"
    assert str(ev["summary"]) == "LHC restarts [X @CERN, Facebook] (proposed)"
    assert str(ev["description"]).startswith("Channels: X @CERN, Facebook\n\n")
    assert [str(c) for c in ev["categories"].cats] == ["X @CERN", "Facebook"]
    for name in ("channels/facebook-cern.ics", "channels/twitter-cern.ics", "owners/cern-social-media.ics"):
        assert [e.to_ical() for e in events(out[name])] == [ev.to_ical()], name
    assert events(out["channels/instagram-cern.ics"]) == []


def test_event_content(project, write) -> None:
    extra = "series: photo-of-the-week\nmedia:\n  - src: media/a.jpg\n    alt: A photo"
    write("a.md", post(channel="[twitter-cern, instagram-cern]", front_extra=extra), "A photo.")
    out = feeds(project)
    (ev,) = events(out["all.ics"])
    assert str(ev["summary"]) == "LHC restarts [X @CERN, Instagram] (proposed)"  # the post's title first
    description = str(ev["description"])
    assert description.index("On X @CERN:") < description.index("On Instagram:")  # each channel's own text
    assert "https://home.cern/news/lhc-restarts" in description
    assert "First comment: #LHC" in description
    assert str(ev["url"]) == "https://cern.github.io/socialcal/posts/a/"  # the post's own page
    assert ev["status"] == "TENTATIVE" and ev["transp"] == "TRANSPARENT"
    assert [str(c) for c in ev["categories"].cats] == ["X @CERN", "Instagram", "Photo of the week"]
    assert ev.decoded("dtend") - ev.decoded("dtstart") == dt.timedelta(minutes=15)
    assert [str(e["uid"]) for e in events(out["series/photo-of-the-week.ics"])] == ["a@cern.github.io"]


@pytest.mark.parametrize(
    ("status", "expected"), [("approved", "CONFIRMED"), ("cancelled", "CANCELLED"), ("draft", "TENTATIVE")]
)
def test_status(project, write, status: str, expected: str) -> None:
    write("a.md", post(front_extra=f"status: {status}"))
    assert [e["status"] for e in events(feeds(project)["all.ics"])] == [expected]


def test_a_campaign_is_an_all_day_event_with_exclusive_end(project, write) -> None:
    write("od.md", "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20", "Plan", kind="campaigns")
    out = feeds(project)
    for feed in ("all.ics", "campaigns/od.ics"):
        (ev,) = events(out[feed])
        assert ev.decoded("dtstart") == dt.date(2027, 3, 1)
        assert ev.decoded("dtend") == dt.date(2027, 3, 21)
        assert b"DTSTART;VALUE=DATE:20270301" in out[feed]


def test_hostile_text_round_trips(project, write) -> None:
    title = 'Semi; colon, comma \\ backslash "quotes" 🚀'
    body = "Line one\nLine two; with, commas \\ and emoji 👩‍🔬 " + "é" * 60
    write("a.md", post().replace("title: LHC restarts", f"title: '{title}'"), body)
    data = feeds(project)["all.ics"]
    (ev,) = events(data)
    assert str(ev["summary"]) == f"{title} [X @CERN] (proposed)"
    assert str(ev["description"]).startswith("Channels: X @CERN\n\n" + body)
    (vev,) = vobject.readOne(data.decode()).vevent_list
    assert vev.summary.value == f"{title} [X @CERN] (proposed)"
    assert vev.description.value.startswith("Channels: X @CERN\n\n" + body)
    data.decode("utf-8")  # folding never splits a character


def test_past_events_leave_all_ics_after_the_window_but_stay_in_their_feeds(project, write) -> None:
    write("old.md", post(date="2026-08-01 10:00", front_extra="series: photo-of-the-week"))
    write("recent.md", post(date="2027-01-15 10:00"))
    out = feeds(project)
    assert [str(e["uid"]).split("@")[0] for e in events(out["all.ics"])] == ["recent"]
    assert len(events(out["series/photo-of-the-week.ics"])) == 1
    assert len(events(out["channels/twitter-cern.ics"])) == 2


def test_rebuilds_are_byte_identical_and_sequence_follows_history(project, write) -> None:
    path = write("a.md", post())
    git = ["git", "-c", "user.name=Ann", "-c", "user.email=ann@example.org", "-C", str(project.root)]
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run(
        [*git, "commit", "-qm", "first", "--date", "2027-01-01T10:00:00Z"],
        check=True,
        env={"GIT_COMMITTER_DATE": "2027-01-01T10:00:00Z", "PATH": "/usr/bin:/bin"},
    )
    first = feeds(project)["all.ics"]
    assert feeds(project)["all.ics"] == first
    (ev,) = events(first)
    assert ev["sequence"] == 0
    assert ev.decoded("dtstamp") == dt.datetime(2027, 1, 1, 10, tzinfo=dt.UTC)
    path.write_text(path.read_text().replace("10:00", "11:00"))
    subprocess.run([*git, "commit", "-qam", "move", "--date", "2027-01-02T10:00:00Z"], check=True)
    (ev,) = events(feeds(project)["all.ics"])
    assert ev["sequence"] == 1
    assert ev.decoded("last-modified") == dt.datetime(2027, 1, 2, 10, tzinfo=dt.UTC)
    assert str(ev["uid"]) == "a@cern.github.io"


def test_model_is_shared_by_feeds_and_pages(example_project) -> None:
    cal, validation, _ = model(example_project)
    assert len(cal.entries) == sum(len(p.channels) for p in validation.posts)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \\^,;:é😀\u0101", min_size=50, max_size=400), st.integers(0, 80))
def test_lines_are_folded_exactly_as_icalendar_folds_them(value: str, at: int) -> None:
    from icalendar.parser.string import _foldline

    from generator.views.ical_text import fold

    ascii_only = value.encode("ascii", "ignore").decode()
    escape_at_the_edge = "x" * at + "\\" + ascii_only  # a backslash where a part would end
    for content_line in (value, "DESCRIPTION:" + value, ascii_only, escape_at_the_edge, "^" * at):
        assert fold(content_line) == _foldline(content_line)


class _BothWriters(ical_text.Event):
    """An event written by ical_text and, from the same calls, by icalendar: both outputs kept."""

    made: ClassVar[list[tuple[bytes, bytes]]] = []

    def __init__(self) -> None:
        super().__init__()
        self.reference = icalendar.Event()

    def add(self, name, value) -> None:  # type: ignore[no-untyped-def]
        super().add(name, value)
        self.reference.add(name, value)

    def to_ical(self) -> bytes:
        ours = super().to_ical()
        self.made.append((ours, self.reference.to_ical()))
        return ours


def test_every_event_of_the_example_is_serialised_as_icalendar_would(example_project, monkeypatch) -> None:
    """The feeds write their events as text (speed); each comes out byte for byte as icalendar's to_ical()."""
    monkeypatch.setattr(_BothWriters, "made", [])
    monkeypatch.setattr(ical_text, "Event", _BothWriters)
    feeds(example_project)
    made = _BothWriters.made
    assert len(made) > 50
    assert any(b"\r\n " in ours for ours, _ in made)  # long lines were folded
    for ours, theirs in made:
        assert ours == theirs


# Text an event may carry: the characters iCal escapes or folds at, controls, a byte-order mark
# (icalendar drops one that starts a value), a written `\N`, multibyte characters at fold edges.
_PIECES = ["\\", ";", ",", "\n", "\r", "\r\n", "N", "\\N", ":", '"', "^", " ", "a", "é", "😀", "\u0101", "\ufeff"]
_PIECES += ["\x00", "\x0b", "\x1f", "\x7f", "\u2028", "\u0085"]
_HOSTILE = (
    st.lists(st.sampled_from(_PIECES), max_size=200).map("".join)
    | st.text(max_size=200)
    | st.builds(lambda n, tail: "x" * n + tail, st.integers(0, 150), st.text(max_size=20))  # at a fold's edge
)


@settings(max_examples=400, deadline=None)
@given(
    summary=_HOSTILE,
    description=_HOSTILE,
    uid=_HOSTILE,
    url=_HOSTILE,
    categories=st.lists(_HOSTILE, max_size=4),
    stamp=st.datetimes(min_value=dt.datetime(1000, 1, 1), timezones=st.just(dt.UTC)),
    day=st.dates(min_value=dt.date(1000, 1, 1)),
    sequence=st.integers(0, 2**31),
)
def test_events_are_written_byte_for_byte_as_icalendar_writes_them(
    summary: str,
    description: str,
    uid: str,
    url: str,
    categories: list[str],
    stamp: dt.datetime,
    day: dt.date,
    sequence: int,
) -> None:
    # In the feeds' order of calls, which icalendar reorders (SUMMARY, DTSTART, … first).
    calls = [
        ("uid", uid),
        ("dtstamp", stamp),
        ("last-modified", stamp),
        ("sequence", sequence),
        ("dtstart", day),
        ("dtend", stamp),
        ("summary", summary),
        ("description", description),
        ("url", url),
        ("categories", categories),
        ("status", "TENTATIVE"),
        ("transp", "TRANSPARENT"),
        ("class", "PUBLIC"),
    ]

    def written(event: icalendar.Event | ical_text.Event) -> bytes:
        for name, value in calls:
            event.add(name, value)
        return event.to_ical()

    try:
        theirs = written(icalendar.Event())
    except ValueError:  # a URL with a line break, an integer out of range: refused by both
        with pytest.raises(ValueError):
            written(ical_text.Event())
        return
    ours = written(ical_text.Event())
    assert ours == theirs
    ours.decode("utf-8")  # folding never splits a character
    assert all(len(line) <= 75 for line in ours.split(b"\r\n"))


def test_an_event_refuses_what_icalendar_would_write_otherwise() -> None:
    event = ical_text.Event()
    event.add("summary", "once")
    with pytest.raises(ValueError, match="already set"):
        event.add("SUMMARY", "twice")  # icalendar would write two lines
    with pytest.raises(ValueError, match="UTC"):
        event.add("dtstart", dt.datetime(2027, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    with pytest.raises(TypeError):
        event.add("sequence", True)


def test_the_review_feed_has_drafts_and_proposals_with_overdue_ones_marked(project, write) -> None:
    write("late.md", post(date="2026-11-20 10:00", front_extra="status: draft"))  # TODAY is 26 November
    write("next.md", post(date="2027-01-10 10:00"))  # proposed by default
    write("ok.md", post(date="2027-01-11 10:00", front_extra="status: approved"))
    write("gone.md", post(date="2027-01-12 10:00", front_extra="status: cancelled"))
    out = feeds(project)
    review = {str(e["uid"]): e for e in events(out["review.ics"])}
    assert set(review) == {"late@cern.github.io", "next@cern.github.io"}
    assert str(review["late@cern.github.io"]["summary"]) == "LHC restarts [X @CERN] (draft, overdue)"
    assert "Overdue:" in str(review["late@cern.github.io"]["description"])
    assert str(review["next@cern.github.io"]["summary"]) == "LHC restarts [X @CERN] (proposed)"
    everything = {str(e["uid"]): str(e["summary"]) for e in events(out["all.ics"])}
    assert everything["ok@cern.github.io"] == "LHC restarts [X @CERN]"  # confirmed: nothing to add
    assert everything["gone@cern.github.io"] == "LHC restarts [X @CERN] (cancelled)"


def test_one_feed_per_owner_the_registries_name(project, write) -> None:
    write("press.md", post(channel="twitter-cernpress"))
    write("kt.md", post(channel="[linkedin-cern, twitter-cern]", date="2027-03-03 10:00"))
    out = feeds(project)
    owners = {name for name in out if name.startswith("owners/")}
    assert "owners/cern-press-office.ics" in owners and "owners/cern-knowledge-transfer.ics" in owners
    uids = {name: [str(e["uid"]) for e in events(out[name])] for name in owners}
    assert uids["owners/cern-press-office.ics"] == ["press@cern.github.io"]
    assert uids["owners/cern-knowledge-transfer.ics"] == ["kt@cern.github.io"]
    assert uids["owners/cern-social-media.ics"] == ["press@cern.github.io", "kt@cern.github.io"]  # once each
    calendar = icalendar.Calendar.from_ical(out["owners/cern-press-office.ics"])
    assert str(calendar["x-wr-calname"]) == "Social media: @cern/press-office"


@pytest.mark.parametrize("owner", ["'@cern/social media'", "'@CERN/Social-Media'", "'!!!'", "'../../x'"])
def test_owners_whose_names_make_one_file_share_it_and_hostile_names_stay_in_owners(project, write, owner: str) -> None:
    channels = project.content / "channels.yml"
    text = channels.read_text()
    channels.write_text(text.replace('owners: ["@cern/press-office", "@cern/social-media"]', f"owners: [{owner}]"))
    write("press.md", post(channel="twitter-cernpress"))
    out = feeds(project)  # no path written twice (the writer asserts it)
    assert all(not name.startswith("owners/") or name.count("/") == 1 for name in out)
    assert all(".." not in name for name in out)


def test_retired_channels_have_no_feed_but_their_posts_stay_in_all_ics(project, write) -> None:
    write("old.md", post(date="2016-06-01 10:00", channel="googleplus-cern"))
    write("new.md", post())
    out = feeds(project)
    assert not any(name.startswith(("channels/googleplus", "channels/snapchat", "channels/itunesu")) for name in out)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOCIALCAL_TODAY", "2016-06-01")
        (ev,) = [e for e in events(feeds(project)["all.ics"]) if str(e["uid"]).startswith("old@")]
    assert str(ev["summary"]) == "LHC restarts [Google+] (proposed)"
