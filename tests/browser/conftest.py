"""What the browser tests share: a built site served over HTTP on a free local port, and one
headless Chromium (Debian's). Each module builds the content it needs, once per engine."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

CHROMIUM = "/usr/bin/chromium"


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A browser that leaves a page cancels the requests still under way: not an error of the
    site, and its traceback would bury the test run's log."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exception(), ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """`serve(folder)`: the folder served over HTTP until the session ends; its address."""
    servers: list[QuietServer] = []

    def start(folder: Path) -> str:
        server = QuietServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


def built_sites(root: Path, today: str, serve: Callable[[Path], str]) -> dict[str, str]:
    """The project at `root` built on first use for each engine (as of `today`) and served: the
    address of each engine's site."""

    class Sites(dict):
        def __missing__(self, engine: str) -> str:
            out = root / f"site-{engine}"
            args = ["--root", str(root), "build", "--engine", engine, "--site-dir", str(out)]
            env = {"SOCIALCAL_TODAY": today, "SOURCE_DATE_EPOCH": "1795000000"}
            result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
            assert result.exit_code == 0, result.output
            self[engine] = serve(out)
            return self[engine]

    return Sites()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        yield b
        b.close()
