"""`socialcal serve` writes an edited post's own page before the round that rebuilds everything
(`LiveSite.show_edits`): the page it writes is the very page the round writes, and anything it
cannot show exactly (a diagnostic, a post moved, a registry changed) is left to the round."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from watchdog.events import FileClosedEvent, FileCreatedEvent, FileModifiedEvent, FileMovedEvent

from generator.calendar_model import Calendar
from generator.serve import Edits, LiveSite, Preview, make_server

from .conftest import VALID_POST, post_at, small_calendar

pytestmark = [pytest.mark.usefixtures("pinned"), pytest.mark.slow]  # whole builds

SECOND = VALID_POST.replace("2027-03-02 10:00", "2027-03-09 10:00").replace("LHC restarts", "Second post")


@pytest.fixture
def live(project, write, tmp_path) -> LiveSite:
    write("first.md", VALID_POST.replace("LHC restarts", "First title"), "First text.")
    write("second.md", SECOND, "Second text.")
    site = LiveSite(project, tmp_path / "live")
    site.rebuild()
    return site


def _page(live: LiveSite, post_id: str) -> Path:
    return live.site / "posts" / post_id / "index.html"


def _edit(live: LiveSite, name: str, old: str, new: str) -> str:
    file = live.project.content / "posts" / name
    file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return f"content/posts/{name}"


def test_an_edited_post_s_page_is_written_first_and_is_the_page_the_round_writes(live) -> None:
    before_other = _page(live, "second").read_bytes()
    changed = _edit(live, "first.md", "First title", "A <b>new</b> title & more")
    _edit(live, "first.md", "First text.", "New text with https://home.cern/news.")

    assert live.show_edits([changed]) == ["posts/first.md"]
    first = _page(live, "first").read_bytes()
    assert b"A &lt;b&gt;new&lt;/b&gt; title &amp; more" in first and b"New text" in first
    assert b"<b>new</b>" not in first
    assert _page(live, "second").read_bytes() == before_other
    march = (live.site / "calendar" / "2027-03" / "index.html").read_text(encoding="utf-8")
    assert "First title" in march  # what lists it waits for the round

    live.rebuild()
    assert _page(live, "first").read_bytes() == first
    assert "A &lt;b&gt;new&lt;/b&gt; title" in (live.site / "calendar" / "2027-03" / "index.html").read_text()
    assert not list(live.site.rglob("*.tmp"))


def test_the_round_after_writes_the_page_again_even_when_the_edit_was_undone(live) -> None:
    original = _page(live, "first").read_bytes()
    changed = _edit(live, "first.md", "First title", "Briefly this")
    assert live.show_edits([changed])
    _edit(live, "first.md", "Briefly this", "First title")
    live.rebuild()
    assert _page(live, "first").read_bytes() == original


NOT_FIRST = {
    "a new error": ("channel: twitter-cern", "channel: twiter-cern"),
    "a new warning": ('hashtags: ["#LHC"]', 'hashtags: ["#NotInTheRegistry"]'),
    "moved to another day": ("2027-03-02 10:00", "2027-03-03 10:00"),
    "another status": ("channel: twitter-cern", "channel: twitter-cern\nstatus: draft"),
    "unreadable YAML": ("title: First title", "title: [First"),
}


@pytest.mark.parametrize("old,new", NOT_FIRST.values(), ids=NOT_FIRST.keys())
def test_an_edit_that_changes_more_than_the_post_s_own_page_waits_for_the_round(live, old, new) -> None:
    before = _page(live, "first").read_bytes()
    file = live.project.content / "posts" / "first.md"
    assert old in file.read_text(encoding="utf-8")
    changed = _edit(live, "first.md", old, new)
    assert live.show_edits([changed]) == []
    assert _page(live, "first").read_bytes() == before


def test_nothing_is_written_first_for_a_new_file_a_post_with_diagnostics_or_after_a_failed_round(live, write) -> None:
    write("third.md", SECOND.replace("2027-03-09", "2027-03-16").replace("Second post", "Third"), "Third.")
    assert live.show_edits(["content/posts/third.md"]) == []  # not in the last round: no page yet
    live.rebuild()
    write("warned.md", SECOND.replace("2027-03-09", "2027-03-23").replace('"#LHC"', '"#Nope"'), "Text.")
    live.rebuild()
    assert live.show_edits([_edit(live, "warned.md", "Second post", "Renamed")]) == []
    live.full = True  # as after a failed round
    assert live.show_edits([_edit(live, "first.md", "First title", "Other")]) == []


def test_a_post_replaced_by_a_link_is_left_to_the_round(live, tmp_path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text((live.project.content / "posts" / "first.md").read_text().replace("First", "Secret"))
    file = live.project.content / "posts" / "first.md"
    file.unlink()
    file.symlink_to(outside)
    assert live.show_edits(["content/posts/first.md"]) == []
    assert b"Secret" not in _page(live, "first").read_bytes()


# --- what the watcher saw ------------------------------------------------------------------------


def test_edits_are_content_files_and_what_editors_leave_beside_them(tmp_path) -> None:
    root = tmp_path
    edits = Edits(root)
    post = str(root / "content/posts/a.md")
    edits.seen(FileModifiedEvent(post))
    edits.seen(FileCreatedEvent(str(root / "content/posts/.a.md.swp")))
    edits.seen(FileMovedEvent(str(root / "content/posts/a.md~"), post))
    edits.seen(FileClosedEvent(post))
    assert edits.take() == {"content/posts/a.md"}
    assert edits.take() is None  # nothing since


@pytest.mark.parametrize(
    "other", ["content/channels.yml", "templates/pages/post.html.j2", "mkdocs.yml", "content/posts/notes.txt"]
)
def test_any_other_change_means_no_page_is_written_first(tmp_path, other) -> None:
    edits = Edits(tmp_path)
    edits.seen(FileModifiedEvent(str(tmp_path / "content/posts/a.md")))
    edits.seen(FileModifiedEvent(str(tmp_path / other)))
    assert edits.take() is None


# --- the calendar with one post edited in place --------------------------------------------------


def test_a_calendar_with_one_post_edited_is_the_calendar_made_with_it(example_calendar) -> None:
    import datetime as dt

    posts = [
        post_at(f"p{i}", dt.datetime(2027, 3, 2 + i, 10, 0), channels=("twitter-cern", "facebook-cern"))
        for i in range(3)
    ]
    cal = small_calendar(example_calendar, posts)
    edited = posts[1].model_copy(
        update={"title": "Edited", "body": "New https://home.cern/x text", "hashtags": ("#CERN",)}
    )
    made = small_calendar(example_calendar, [posts[0], edited, posts[2]])
    quick = cal.with_post(edited)
    assert quick.posts == made.posts
    assert quick.entries_by_post == made.entries_by_post
    assert quick.entries == made.entries
    assert quick.post_by_id["p1"] is edited


@pytest.mark.parametrize(
    "change",
    [{"date": None}, {"channels": ("facebook-cern",)}, {"status": "approved"}, {"campaign": "x"}, {"answer_to": "p0"}],
    ids=["moment", "channels", "status", "campaign", "question"],
)
def test_an_edit_that_moves_a_post_among_the_others_is_refused(example_calendar, change) -> None:
    import datetime as dt

    posts = [post_at(f"p{i}", dt.datetime(2027, 3, 2 + i, 10, 0)) for i in range(2)]
    cal: Calendar = small_calendar(example_calendar, posts)
    if "date" in change:
        change = {"date": posts[1].date + dt.timedelta(hours=1)}
    with pytest.raises(ValueError):
        cal.with_post(posts[1].model_copy(update=change))


# --- the server: the page is served while the round goes on ---------------------------------------


def test_the_server_serves_the_edited_page_while_the_round_is_still_running(live, monkeypatch) -> None:
    import http.client

    server = make_server(live.project, Preview(live), "127.0.0.1", 0)
    server.server_bind()
    server.server_activate()
    server.serve_thread.start()
    port = server.server_address[1]
    in_round, release = threading.Event(), threading.Event()
    real = live.rebuild

    def slow_round():
        in_round.set()
        assert release.wait(30)
        return real()

    monkeypatch.setattr(live, "rebuild", slow_round)

    def get(path: str) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
            return conn.getresponse().read().decode("utf-8")
        finally:
            conn.close()

    try:
        server.edits.paths.add(_edit(live, "first.md", "First title", "Shown first"))  # as the watcher would
        with server._rebuild_cond:  # what the build loop does before it calls the builder
            server._wanted_epoch += 1
        epoch = server._wanted_epoch
        builder = threading.Thread(target=server.builder)
        builder.start()
        assert in_round.wait(30)
        assert "Shown first" in get("/posts/first/")  # answered during the round, not after it
        assert "Shown first" not in get("/calendar/2027-03/")
        release.set()
        builder.join(30)
        assert server._wanted_epoch > epoch  # browsers are told again once the round is done
        with server._epoch_cond:  # what the build loop does after the builder returns
            server._visible_epoch = server._wanted_epoch
        assert "Shown first" in get("/calendar/2027-03/")
    finally:
        release.set()
        server.shutdown(wait=False)
        server.serve_thread.join(timeout=10)


def test_on_zensical_too_the_page_written_first_is_the_page_the_round_writes(project, write, tmp_path) -> None:
    """Zensical rebuilds the whole site beside the preview and swaps it in: the page written
    first into the preview is written again into the new site."""
    write("first.md", VALID_POST.replace("LHC restarts", "First title"), "First text.")
    write("second.md", SECOND, "Second text.")
    live = LiveSite(project, tmp_path / "live", "zensical")
    live.rebuild()
    changed = _edit(live, "first.md", "First title", "Zensical title")
    assert live.show_edits([changed]) == ["posts/first.md"]
    first = _page(live, "first").read_bytes()
    assert b"Zensical title" in first
    live.rebuild()
    assert _page(live, "first").read_bytes() == first
    assert "Zensical title" in (live.site / "calendar" / "2027-03" / "index.html").read_text(encoding="utf-8")


# --- a round composes again only the texts of the posts that changed ------------------------------


def test_a_round_reuses_the_texts_of_unchanged_posts_and_composes_the_others(example_calendar) -> None:
    import datetime as dt

    posts = [
        post_at(f"p{i}", dt.datetime(2027, 3, 2 + i, 10, 0), channels=("twitter-cern", "facebook-cern"))
        for i in range(3)
    ]
    last = small_calendar(example_calendar, posts)
    edited = posts[1].model_copy(update={"body": "Changed https://home.cern/y text"})
    now = small_calendar(example_calendar, [posts[0], edited, posts[2]])
    again = now.composed_again(last)
    assert again.entries == now.entries and again.entries_by_post == now.entries_by_post
    assert again.entries_by_post["p0"] is last.entries_by_post["p0"]  # the same objects: not composed again
    assert again.entries_by_post["p1"] is not last.entries_by_post["p1"]
    assert "Changed" in again.entries_by_post["p1"][0].outgoing.text


def test_other_registries_compose_every_text_again(example_calendar) -> None:
    import datetime as dt

    posts = [post_at("p0", dt.datetime(2027, 3, 2, 10, 0))]
    last = small_calendar(example_calendar, posts)
    settings = last.registry.settings.model_copy(
        update={
            "utm": last.registry.settings.utm.model_copy(update={"enabled": not last.registry.settings.utm.enabled})
        }
    )
    other = Calendar(last.registry.model_copy(update={"settings": settings}), tuple(posts), (), last.today)
    assert other.composed_again(last).entries_by_post["p0"] is not last.entries_by_post["p0"]


def test_an_answer_edited_first_is_the_page_the_round_writes(project, write, tmp_path) -> None:
    """The page of an answer shows its question, and the question's page its answers: what the
    first page takes over from the last round (`Calendar.with_post`) gives the round's page."""
    from generator.rules.examples import QUESTION

    write("q.md", QUESTION, "What is it?")
    answer = QUESTION.replace("2027-03-05 16:00", "2027-03-08 16:00").replace("GWTI question", "GWTI answer")
    answer = answer.replace("series: gwti", "series: gwti-answer")
    write("a.md", answer + "answer_to: q\n", "It is a magnet.")
    live = LiveSite(project, tmp_path / "live")
    outcome = live.rebuild()
    assert not [d for d in outcome.validation.diagnostics if d.path.endswith(("q.md", "a.md"))]
    changed = _edit(live, "a.md", "It is a magnet.", "It is a superconducting magnet.")
    assert live.show_edits([changed]) == ["posts/a.md"]
    first = _page(live, "a").read_bytes()
    assert b"superconducting" in first and b"GWTI question" in first
    live.rebuild()
    assert _page(live, "a").read_bytes() == first
