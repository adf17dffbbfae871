"""No content file is skipped in silence (SC012): a post saved as x.MD, x.markdown, x.txt, a copy
x.md.bak, a post directly in content/ or in a folder that is not read would drop out of the
calendar unseen. What editors and systems leave beside files is left alone without a word."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.project import Project, content_files, content_strays

from .conftest import VALID_POST, codes, post_text, run_main


def _touch(project: Project, name: str, text: str = "") -> Path:
    path = project.content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text or post_text(VALID_POST), encoding="utf-8")
    return path


def _strays(project: Project) -> dict[str, str]:
    """content/-relative path → hint, from the one listing of content files."""
    strays = content_strays(project.root)
    for kind in ("posts", "campaigns"):
        content_files(project.root, kind, strays)
    return {s.path.relative_to(project.content).as_posix(): s.hint for s in strays}


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("posts/x.MD", "rename it to x.md"),
        ("posts/x.Md", "rename it to x.md"),
        ("posts/x.markdown", "rename it to x.md"),
        ("posts/2027/03/x.MARKDOWN", "rename it to x.md"),  # nested folders too
        ("posts/x.txt", "rename it to x.md"),
        ("posts/x.md.bak", "rename it to x.md"),
        ("posts/x.md.orig", "rename it to x.md"),
        ("posts/x.yml", "rename it to x.md"),
        ("posts/x.yaml", "rename it to x.md"),
        ("campaigns/open-days.MD", "rename it to open-days.md"),
        ("campaigns/open-days.yml", "rename it to open-days.md"),
        ("posts/photo.jpg", "content/posts/ holds posts only (<id>.md): move it out (images go in media/)"),
        ("posts/x", "content/posts/ holds posts only"),
        ("x.md", "move it to content/posts/x.md"),
        ("x.MD", "move it to content/posts/x.md"),
        ("x.markdown", "move it to content/posts/x.md"),
        ("settings.yaml", "rename it to settings.yml"),
        ("Channels.yml", "rename it to channels.yml"),
        ("notes.yml", "it is not a registry (analytics.yml, audiences.yml, channels.yml,"),
        ("logo.png", "content/ holds the registries (<name>.yml), posts/ and campaigns/ only"),
        ("post/x.md", "nothing in content/post/ is read: move its files to content/posts/"),
        ("Campaign/x.md", "nothing in content/Campaign/ is read: move its files to content/campaigns/"),
    ],
)
def test_a_file_that_is_not_read_is_a_stray_with_what_to_do(project: Project, name: str, hint: str) -> None:
    _touch(project, name)
    where = name if name.count("/") < 1 or name.startswith(("posts/", "campaigns/")) else name.split("/")[0]
    assert list(_strays(project)) == [where]
    assert hint in _strays(project)[where]


def test_a_copy_beside_its_post_says_so(project: Project) -> None:
    _touch(project, "posts/x.md")
    _touch(project, "posts/x.md.bak")
    assert _strays(project) == {"posts/x.md.bak": "x.md is beside it: delete this copy, or merge it into x.md"}


@pytest.mark.parametrize(
    "name",
    [
        "posts/.x.md.swp",  # vim
        "posts/.#x.md",  # emacs' lock
        "posts/#x.md#",  # emacs' autosave
        "posts/x.md~",  # backups
        "posts/.DS_Store",
        "posts/Thumbs.db",
        "posts/desktop.ini",
        "posts/.gitkeep",
        "posts/README.md",
        "posts/readme.txt",
        "posts/_template.md",  # templates: `_`
        "posts/_drafts/x.MD",  # nothing under a `_` or `.` folder is read or reported
        "posts/.trash/x.markdown",
        "README.md",
        ".DS_Store",
        "_notes.md",
    ],
)
def test_what_tools_leave_is_left_alone(project: Project, name: str) -> None:
    _touch(project, name)
    assert _strays(project) == {}


def test_validate_reports_each_stray_as_an_error_and_reads_the_rest(project, write, check) -> None:
    write("a.md", VALID_POST)
    _touch(project, "posts/b.MD")
    _touch(project, "posts/c.md.bak")
    _touch(project, "d.md")
    result = check()
    found = {d.path: d for d in result.diagnostics if d.code == "SC012"}
    assert sorted(found) == ["content/d.md", "content/posts/b.MD", "content/posts/c.md.bak"]
    assert all(d.severity == "error" for d in found.values())
    assert found["content/posts/b.MD"].message == "the file 'content/posts/b.MD' is not read"
    assert [p.id for p in result.posts] == ["a"] and codes(result) == ["SC012"] * 3


def test_the_command_says_what_to_rename(project) -> None:
    _touch(project, "posts/lhc-restarts.markdown")
    status, output = run_main("--root", str(project.root), "validate")
    assert status == 1, output
    assert "content/posts/lhc-restarts.markdown" in output and "error SC012 " in output
    assert "hint: rename it to lhc-restarts.md" in output


@pytest.mark.parametrize(
    "error",
    [PermissionError(13, "Permission denied"), OSError(5, "Input/output error")],
)
def test_a_folder_that_cannot_be_listed_is_said_not_skipped(project, write, check, monkeypatch, error) -> None:
    """os.walk passes over a folder it cannot list: its posts left the calendar without a word (a
    folder made by `sudo git pull`, a failing disk). Root may list anything, so listing is refused here."""
    import os

    write("2027/03/a.md", VALID_POST)
    write("2027/04/b.md", VALID_POST)
    hidden = project.content / "posts" / "2027" / "04"
    real = os.scandir

    def scandir(path="."):
        if Path(path) == hidden:
            raise type(error)(error.errno, error.strerror, str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert _strays(project) == {"posts/2027/04": f"it cannot be listed ({error.strerror}): check its permissions"}
    result = check()
    (said,) = [d for d in result.diagnostics if d.code == "SC012"]
    assert said.path == "content/posts/2027/04" and said.message == "the folder 'content/posts/2027/04' is not read"
    assert [p.id for p in result.posts] == ["a"]


def test_a_missing_posts_folder_is_no_stray(tmp_path) -> None:
    (tmp_path / "content").mkdir()
    strays: list = []
    assert content_files(tmp_path, "posts", strays) == [] and strays == []


@pytest.mark.parametrize("where", ["content/posts/2027/piped.md", "content/channels.yml"])
def test_a_pipe_in_place_of_a_file_is_refused_not_waited_on(project, where: str) -> None:
    """Nothing writes to it: reading it would wait for ever. (Git cannot commit a pipe, so only a
    local copy can have one; the command still ends with what it is.)"""
    import subprocess
    import sys

    fifo = project.root / where
    fifo.parent.mkdir(parents=True, exist_ok=True)
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "validate"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    said = done.stdout + done.stderr
    assert done.returncode in (1, 2) and "Traceback" not in said, said
    assert f"{where}" in said and "not a regular file" in said, said
