"""`socialcal serve` answers only requests addressed to it: a page of another site whose name was
made to resolve to 127.0.0.1 (DNS rebinding) must not read the preview."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.serve import LiveSite, Preview, Watcher, host_allowed, make_server

SECRET = "<html><body>unpublished post: embargoed until Friday</body></html>"


@pytest.fixture
def server(project, tmp_path: Path) -> Iterator[int]:
    """A real preview server on 127.0.0.1 and an ephemeral port, serving a one-page site (no
    rebuild: the Host check comes before any page); yields the port."""
    live = LiveSite(project, tmp_path / "live")
    live.site.mkdir(parents=True)
    (live.site / "index.html").write_text(SECRET, encoding="utf-8")
    srv = make_server(project, Preview(live), "127.0.0.1", 0)
    srv.server_bind()
    srv.server_activate()
    srv.serve_thread.start()
    try:
        yield srv.server_address[1]
    finally:
        srv.shutdown(wait=False)
        srv.serve_thread.join(timeout=10)


def get(port: int, host: str | None) -> tuple[int, str]:
    """GET / with exactly this Host header (None: no Host header at all)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", "/", skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_the_preview_answers_its_own_address_and_the_local_names(server: int) -> None:
    for host in (f"127.0.0.1:{server}", f"localhost:{server}", f"LOCALHOST:{server}", f"[::1]:{server}", "localhost"):
        status, body = get(server, host)
        assert status == 200 and "embargoed" in body, host


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1:{other}",  # the right name on another port: not this server's address
        "[::1]:{other}",
        "[::1",  # malformed
        "::1:{port}",  # an IPv6 address without brackets is not a Host
        "localhost:{port}@evil.example",
        "",
        None,  # no Host header at all
    ],
)
def test_any_other_host_gets_403_and_none_of_the_preview(server: int, host: str | None) -> None:
    header = None if host is None else host.format(port=server, other=server + 1 if server < 65535 else 1)
    status, body = get(server, header)
    assert status == 403
    assert "embargoed" not in body and "answers only requests for localhost" in body


def test_host_allowed_is_the_rule() -> None:
    # Bound to one address: that address and the local names, on its port.
    assert host_allowed("127.0.0.1:8000", "127.0.0.1", 8000)
    assert host_allowed("[::1]:8000", "::1", 8000)
    assert host_allowed("localhost.:8000", "127.0.0.1", 8000)  # the absolute form of the name
    assert host_allowed("preview.lan:8000", "preview.lan", 8000)  # --host given as a name
    assert not host_allowed("10.0.0.5:8000", "127.0.0.1", 8000)
    assert not host_allowed("localhost:8001", "127.0.0.1", 8000)
    assert not host_allowed("localhost:x", "127.0.0.1", 8000)
    # Bound to every interface: also any IP address (what other devices use), never a name.
    assert host_allowed("192.168.1.20:8000", "0.0.0.0", 8000)
    assert host_allowed("[fe80::1]:8000", "::", 8000)
    assert not host_allowed("evil.example:8000", "0.0.0.0", 8000)
    assert not host_allowed("0.0.0.0.evil.example:8000", "0.0.0.0", 8000)


class _Recorder:
    """A handler as MkDocs' (any event on a file asks for a rebuild), recording them."""

    def __init__(self) -> None:
        import threading

        self.events: list[object] = []
        self.seen = threading.Event()

    def dispatch(self, event) -> None:  # type: ignore[no-untyped-def]
        if not event.is_directory:
            self.events.append(event)
            self.seen.set()


def _watching(folder: Path) -> tuple[Watcher, _Recorder]:
    from watchdog.observers.polling import PollingObserver

    recorder = _Recorder()
    watcher = Watcher(PollingObserver(timeout=0.1))
    watcher.schedule(recorder, str(folder), recursive=True)
    watcher.start()
    return watcher, recorder


def test_the_watcher_starts_a_rebuild_on_a_change_never_on_a_read(project) -> None:
    """The rebuild reads every post: with the kernel's notifications a read is an event too, and
    would start the next rebuild, for ever. Only writes, new, moved and deleted files count."""
    from watchdog.observers.inotify import InotifyObserver

    post = project.content / "posts" / "a.md"
    post.write_text("first", encoding="utf-8")
    watcher, recorder = _watching(project.content)
    try:
        assert isinstance(watcher.active, InotifyObserver)  # seen at once, not at the next poll
        for _ in range(3):
            post.read_text(encoding="utf-8")
        assert not recorder.seen.wait(1.0), recorder.events
        post.write_text("edited", encoding="utf-8")
        assert recorder.seen.wait(10)
        recorder.seen.clear()
        (project.content / "posts" / "b.md").write_text("new", encoding="utf-8")
        post.unlink()
        assert recorder.seen.wait(10)
    finally:
        watcher.stop()
        watcher.join(10)


def test_without_the_kernel_s_notifications_the_watcher_polls(project, monkeypatch) -> None:
    """inotify missing or over the system's limit of watches: MkDocs' polling, as before."""
    import watchdog.observers.inotify
    from watchdog.observers.polling import PollingObserver

    def refused(*args, **kwargs):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers.inotify, "InotifyObserver", refused)
    post = project.content / "posts" / "a.md"
    post.write_text("first", encoding="utf-8")
    watcher, recorder = _watching(project.content)
    try:
        assert isinstance(watcher.active, PollingObserver)
        post.write_text("edited, and longer", encoding="utf-8")
        assert recorder.seen.wait(10)
    finally:
        watcher.stop()
        watcher.join(10)
