"""What socialcal prints, whatever the locale and whatever the text it quotes (terminal.py)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.terminal import SafeStream, printable

from .conftest import VALID_POST
from .test_git import git

# A character a terminal would act on instead of showing (line feeds and tabs are layout).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# (payload, how it is shown): window title (OSC), clear screen (CSI), the 8-bit CSI, a carriage
# return that lets the rest of the line overwrite its start, a right-to-left override.
PAYLOADS = [
    ("\x1b]0;pwned\x07", "\\u001b]0;pwned\\u0007"),
    ("\x1b[2J", "\\u001b[2J"),
    ("\x9b31m", "\\u009b31m"),
    ("ok\rFAKE", "ok\\u000dFAKE"),
    ("\u202eevil", "\\u202eevil"),
]
NON_ASCII_CHANNEL = "twïtter-łódź-日本"


def _main_into(stream: io.TextIOBase, *argv: str) -> int:
    """The command as a user runs it, its output and errors going to `stream`."""
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
        try:
            main(list(argv))
        except SystemExit as exc:
            return int(exc.code or 0)
    return 0


class _Terminal(io.StringIO):
    """What a terminal receives: click strips CSI sequences from what goes elsewhere, not from this."""

    def isatty(self) -> bool:
        return True


def _on_terminal(*argv: str) -> tuple[int, str]:
    out = _Terminal()
    return _main_into(out, *argv), out.getvalue()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A minimal environment: no PYTHONIOENCODING or UTF-8 mode inherited from the test runner."""
    return {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SOCIALCAL_TODAY": "2026-11-26", **extra}


# --- the stream -------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS)
def test_a_control_character_is_printed_as_an_escape(payload: str, shown: str) -> None:
    assert printable(f"a {payload} b") == f"a {shown} b"


def test_line_feeds_tabs_and_plain_text_pass_unchanged() -> None:
    text = "content/posts/a.md:4:10: error SC201 unknown channel 'twïtter'\n\thint: ½ 日本 🙂\n"
    assert printable(text) is text


def test_the_stream_takes_text_only_and_has_no_way_around_it() -> None:
    """click writes bytes to a stream's `buffer` when it finds one, and tells a binary stream by
    writing b"" to it: neither may bypass the escaping."""
    stream = SafeStream(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    with pytest.raises(TypeError):
        stream.write(b"")  # type: ignore[arg-type]
    assert not hasattr(stream, "buffer")
    stream.writelines(["\x1b[2J", "x\n"])
    stream.flush()
    assert stream.wrapped.buffer.getvalue() == b"\\u001b[2Jx\n"  # type: ignore[attr-defined]


# --- locale -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_output_never_fails_on_the_terminals_encoding(project, write, encoding: str) -> None:
    """A non-ASCII channel id under a Latin-1 or ASCII terminal made validate exit 70."""
    write("a.md", VALID_POST.replace("twitter-cern", NON_ASCII_CHANNEL))
    raw = io.BytesIO()
    terminal = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
    code = _main_into(terminal, "--root", str(project.root), "validate")
    terminal.flush()
    out = raw.getvalue().decode(encoding)
    assert code == 1, out
    assert "error SC201 unknown channel 'tw" in out and "-\\u0142" in out and "d\\u017a-\\u65e5\\u672c'" in out
    assert terminal.errors == "strict"  # the stream is given back as it was


@pytest.mark.parametrize(
    "locale",
    [
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},  # ASCII
        {"PYTHONIOENCODING": "latin-1"},  # a Latin-1 terminal (C.ISO-8859-1 is seldom installed)
    ],
)
def test_validate_and_build_under_a_latin1_or_ascii_locale(project, write, tmp_path, locale) -> None:
    write("a.md", VALID_POST.replace("twitter-cern", NON_ASCII_CHANNEL))
    for command in ("validate", "build"):
        proc = subprocess.run(
            [sys.executable, "-m", "generator", "--root", str(project.root), command],
            env=_env(tmp_path, **locale),
            capture_output=True,
        )
        said = (proc.stdout + proc.stderr).decode("latin-1")
        assert proc.returncode == 1, said
        assert "error SC201 unknown channel" in said
        assert "internal error" not in said and "Traceback" not in said


def test_git_names_and_branches_are_utf8_whatever_the_locale(project, write, tmp_path) -> None:
    """Under LC_ALL=C git's output was decoded as ASCII: names became surrogates (the build
    failed writing them) and a branch with an accent hid the whole history."""
    write("a.md", VALID_POST)
    git(project.root, "init", "-q")
    git(project.root, "switch", "-qc", "entwürfe")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "propose", author="Zoë Łukasz 日本")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "build"],
        env=_env(tmp_path, LC_ALL="C", LANG="C", PYTHONUTF8="0", SOURCE_DATE_EPOCH="1795000000"),
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr.decode("ascii", "replace")
    page = (project.site / "posts" / "a" / "index.html").read_text(encoding="utf-8")
    assert "<dt>Proposed by</dt><dd>Zoë Łukasz 日本," in page


# --- terminal escapes -------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS)
def test_an_exports_header_reaches_the_terminal_as_text(project, write, tmp_path, payload, shown) -> None:
    """`results import` quotes the columns of an export that lacks one it needs."""
    write("a.md", VALID_POST + "status: published")
    export = tmp_path / "export.csv"
    export.write_text(f'time,impressions,"{payload}"\n2027-03-02 10:00 +0000,1,2\n', encoding="utf-8")
    code, out = _on_terminal("--root", str(project.root), "results", "import", str(export), "--channel", "twitter-cern")
    assert code == 1
    assert "the export has no column" in out and shown in out
    assert not RAW_CONTROL.search(out)


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS)
def test_an_exports_name_and_rows_reach_the_terminal_as_text(project, write, tmp_path, payload, shown) -> None:
    """Each unmatched row is listed after the export's file name, with the cell it could not read."""
    write("a.md", VALID_POST + "status: published")
    header = (Path(__file__).parent / "fixtures" / "analytics" / "twitter.csv").read_text().splitlines()[0]
    row = ["1", "", "text", "2027-03-02 10:00 +0000", f'"1{payload}"', *["0"] * 11]
    export = tmp_path / f"export{payload.replace('/', '')}.csv"
    export.write_text(f"{header}\n{','.join(row)}\n", encoding="utf-8")
    code, out = _on_terminal("--root", str(project.root), "results", "import", str(export), "--channel", "twitter-cern")
    assert code == 0, out
    assert "1 row(s) not matched" in out and f"export{shown}.csv:2: unreadable row" in out
    assert not RAW_CONTROL.search(out)


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS)
def test_a_path_on_the_command_line_reaches_the_terminal_as_text(project, payload, shown) -> None:
    """click's own usage errors go through the same stream (`validate` naming a missing file)."""
    code, out = _on_terminal("--root", str(project.root), "validate", f"content/posts/{payload}.md")
    assert code == 2
    assert f"content/posts/{shown}.md: no such file or folder" in out
    assert not RAW_CONTROL.search(out)
