"""How a command ends when it cannot finish: each cause has its own exit code and a message that
names it (README, "Exit codes"), never a traceback, and never the code of another cause."""

from __future__ import annotations

import errno
import os
import pathlib
import resource
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest

from generator import pipeline
from generator.build import MARKER
from generator.cli import EXIT_INTERRUPTED, EXIT_IOERR
from generator.errors import WriteError, write_failure, writing
from generator.serve import LiveSite, Preview

from .conftest import VALID_POST, run_main

pytestmark = pytest.mark.usefixtures("pinned")

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a write() on a full disk: no file named


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


# --- Ctrl-C -----------------------------------------------------------------------------------


def _interrupt(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("where", "command"),
    [
        ("generator.pipeline.make_plan", ["validate"]),  # while checking
        ("generator.engines.mkdocs.MkDocs.build", ["build"]),  # while the engine writes the site
        ("generator.views.kpi_report.report", ["report"]),
    ],
)
def test_ctrl_c_exits_130_saying_so_not_1(project, write, monkeypatch, where: str, command: list[str]) -> None:
    """1 is the code of content errors: a script would take an interrupted check for a failed one."""
    write("a.md", VALID_POST)
    monkeypatch.setattr(where, _interrupt)
    code, out = run_main("--root", str(project.root), *command)
    assert code == EXIT_INTERRUPTED == 130
    assert out.strip() == "socialcal: interrupted"


def test_ctrl_c_at_a_prompt_exits_130_and_end_of_input_stays_aborted(project, monkeypatch) -> None:
    monkeypatch.setattr("generator.commands.new._interactive", lambda: True)
    monkeypatch.setattr(click, "prompt", lambda *a, **k: (_ for _ in ()).throw(click.Abort()))
    code, out = run_main("--root", str(project.root), "new", "campaign")
    assert (code, out.strip()) == (1, "Aborted!")  # end of input (Ctrl-D): click's own answer

    def ctrl_c(*args: object, **kwargs: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise click.Abort() from None  # what click.prompt does

    monkeypatch.setattr(click, "prompt", ctrl_c)
    code, out = run_main("--root", str(project.root), "new", "campaign")
    assert (code, out.strip()) == (130, "socialcal: interrupted")


def test_an_interrupted_build_leaves_the_previous_site(project, write, monkeypatch) -> None:
    write("a.md", VALID_POST)
    assert run_main("--root", str(project.root), "build")[0] == 0
    before = _snapshot(project.site)
    write("b.md", VALID_POST.replace("10:00", "12:00"))
    monkeypatch.setattr("generator.build.write_pages", _interrupt)  # after the engine ran
    assert run_main("--root", str(project.root), "build")[0] == 130
    assert _snapshot(project.site) == before
    assert not list(project.root.glob(".site-build-*"))


def test_the_real_signal_exits_130(project, write, tmp_path) -> None:
    """SIGINT delivered to the process (here at once, by itself, while it checks the files)."""
    write("a.md", VALID_POST)
    code = (
        "import os, signal, generator.pipeline as p\n"
        "real = p.make_plan\n"
        "def plan(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    return real(*a, **k)\n"
        "p.make_plan = plan\n"
        "from generator.cli import main\n"
        f"main(['--root', {str(project.root)!r}, 'validate'])\n"
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SOCIALCAL_TODAY": "2026-11-26"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 130, proc.stderr
    assert "socialcal: interrupted" in proc.stderr and "Traceback" not in proc.stderr


# --- a full disk ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (WriteError(errno.ENOSPC, "No space left on device", "/r/site/a.html"), "/r/site/a.html: disk full (No space"),
        (WriteError(errno.EDQUOT, "Disk quota exceeded", "/r/x.md"), "/r/x.md: disk quota exceeded"),
        (WriteError(errno.EROFS, "Read-only file system", "/r/s"), "/r/s: read-only file system"),
        (WriteError(errno.EACCES, "Permission denied", "/r/s/x"), "/r/s/x: permission denied"),
        (OSError(errno.EFBIG, "File too large", "/r/f"), "/r/f: file too large for the file system or the process's"),
        # shutil.copyfile names its source first: a theme file in the virtualenv, never the one written
        (OSError(errno.ENOSPC, "No space left on device", "/venv/material/x.js", None, "/r/site/x.js"), "/r/site/x.js"),
        (OSError(errno.ENOSPC, "No space left on device"), "cannot write its output: disk full"),
    ],
)
def test_a_failure_to_write_names_its_file_and_reason(error: OSError, said: str) -> None:
    text = write_failure(error)
    assert text is not None and said in text and "venv" not in text


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOENT, "No such file or directory", "content/x.md"),
        OSError(errno.EACCES, "Permission denied", "content/x.md"),  # reading: a usage problem (2)
        OSError(errno.EPIPE, "Broken pipe"),
    ],
)
def test_other_failures_are_not_failures_to_write(error: OSError) -> None:
    assert write_failure(error) is None


def test_writing_names_the_file_being_written_and_leaves_other_errors(tmp_path) -> None:
    with pytest.raises(WriteError) as caught, writing(tmp_path / "page.html"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert (caught.value.errno, caught.value.filename) == (errno.ENOSPC, str(tmp_path / "page.html"))
    with pytest.raises(FileNotFoundError), writing(tmp_path / "site", only={errno.ENOSPC}):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "content/a.md")


@pytest.mark.parametrize("writer", ["pathlib.Path.write_bytes", "generator.bulk_pages.os.write"])
def test_a_full_disk_stops_the_build_with_74_naming_the_file_and_keeps_the_site(
    project, write, monkeypatch, writer: str
) -> None:
    """The docs tree (Path.write_bytes) or a post page (os.write): a write that fails, not its open."""
    write("a.md", VALID_POST)
    assert run_main("--root", str(project.root), "build")[0] == 0
    before = _snapshot(project.site)
    write("b.md", VALID_POST.replace("10:00", "12:00"))
    monkeypatch.setattr(writer, _full_disk)
    code, out = run_main("--root", str(project.root), "build")
    monkeypatch.undo()
    assert code == EXIT_IOERR == 74, out
    assert f"Build stopped: cannot write {project.root}/.site-build-" in out
    assert ": disk full (No space left on device). The previous site was left as it was." in out
    assert "bug" not in out and "Traceback" not in out
    assert _snapshot(project.site) == before and (project.site / MARKER).exists()
    assert not list(project.root.glob(".site-build-*"))


def test_a_file_size_limit_stops_a_real_build_with_74(project, write, tmp_path) -> None:
    """RLIMIT_FSIZE: every write past 64 KB fails (EFBIG), in the engine, its copies of the theme
    and the children alike; the file named is one being written, not the theme's in the virtualenv."""
    write("a.md", VALID_POST)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SOCIALCAL_TODAY": "2026-11-26"}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "build"],
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=limit,
    )
    assert proc.returncode == 74, proc.stderr
    assert f"Build stopped: cannot write {project.root}/.site-build-" in proc.stderr
    assert "file too large" in proc.stderr and "Traceback" not in proc.stderr
    assert not project.site.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_summary_on_a_full_disk_exits_74(project, write) -> None:
    """/dev/full: every write fails with ENOSPC, as on a full disk."""
    write("a.md", VALID_POST)
    code, out = run_main("--root", str(project.root), "validate", "--summary", "/dev/full")
    assert code == 74
    assert "socialcal: cannot write /dev/full: disk full (No space left on device)" in out


def test_serve_on_a_full_disk_says_so_and_keeps_the_preview(project, write, tmp_path, monkeypatch, capsys) -> None:
    path = write("a.md", VALID_POST.replace("LHC restarts", "First title"))
    preview = Preview(LiveSite(project, tmp_path / "live"))
    assert preview.rebuild()
    march = preview.live.site / "calendar" / "2027-03" / "index.html"
    before = march.read_bytes()
    path.write_text(path.read_text().replace("First title", "Second title"))
    monkeypatch.setattr(pathlib.Path, "write_bytes", _full_disk)
    assert not preview.rebuild()
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "cannot rebuild: cannot write " in err and "disk full" in err and "keeps the last good build" in err
    assert "bug" not in err
    assert preview.failure is None  # the pages are served, not the page of a bug
    assert march.read_bytes() == before
    assert preview.rebuild() and "Second title" in march.read_text()  # room again: all rebuilt


def test_serve_still_shows_a_bug_as_a_bug(project, write, tmp_path, monkeypatch, capsys) -> None:
    write("a.md", VALID_POST)
    preview = Preview(LiveSite(project, tmp_path / "live"))
    monkeypatch.setattr(pipeline, "make_plan", lambda *a, **k: 1 / 0)
    monkeypatch.setattr("generator.build.make_plan", lambda *a, **k: 1 / 0)
    assert not preview.rebuild()
    assert preview.failure == "ZeroDivisionError: division by zero"
    assert b"bug in socialcal" in preview.error_page()
