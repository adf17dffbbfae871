"""`--site-dir` never replaces a folder it should not, and the swap never leaves readers without a site."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import build as build_module
from generator.build import MARKER, _lock, check_site_dir, clean_leftovers, discard, swap_in

from .conftest import cli_build as build
from .conftest import run_main

pytestmark = [pytest.mark.usefixtures("pinned"), pytest.mark.slow]  # whole builds


def snapshot(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "target",
    [
        ".",
        "..",
        "../..",
        "/",
        "content",
        "content/posts",
        "content/campaigns/x",
        "templates",
        "templates/pages",
        "pages",
        "pages/guides",
        ".git",
    ],
)
def test_the_repository_its_parents_and_its_sources_are_refused(example_project, target: str, monkeypatch) -> None:
    (example_project.root / ".git").mkdir()
    (example_project.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = snapshot(example_project.root)
    monkeypatch.chdir(example_project.root)
    result = build(example_project, "--site-dir", target)
    assert result.exit_code == 2, result.output
    assert "--site-dir" in result.output
    assert snapshot(example_project.root) == before


@pytest.mark.parametrize(
    "target", ["content/channels.yml", "content/settings.yml", "content/posts/new.md", "mkdocs.yml", "pages/team.md"]
)
def test_a_summary_is_never_appended_to_a_file_socialcal_reads(example_project, target: str, monkeypatch) -> None:
    """The summary is appended: to a registry, a post, mkdocs.yml or a page it broke or published
    what it reports on (`--summary content/channels.yml` was exit 0, the registry left unreadable)."""
    (example_project.root / "pages").mkdir()
    (example_project.root / "pages" / "team.md").write_text("# Team\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in example_project.root.rglob("*") if p.is_file()}
    monkeypatch.chdir(example_project.root)
    code, out = run_main("--root", str(example_project.root), "validate", "--summary", target)
    assert code == 2 and "--summary" in out and "socialcal reads" in out, out
    assert {p: p.read_bytes() for p in example_project.root.rglob("*") if p.is_file()} == before


def test_a_symlink_to_the_repository_is_refused(example_project, tmp_path) -> None:
    link = tmp_path / "innocent"
    link.symlink_to(example_project.root)
    assert build(example_project, "--site-dir", str(link)).exit_code == 2
    assert (example_project.content / "channels.yml").is_file()


def test_a_non_empty_folder_socialcal_did_not_build_is_refused(example_project, tmp_path) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "thesis.tex").write_text("years of work")
    result = build(example_project, "--site-dir", str(docs))
    assert result.exit_code == 2 and "not a site socialcal built" in result.output
    assert (docs / "thesis.tex").read_text() == "years of work"


def test_new_empty_and_previously_built_folders_are_accepted(example_project, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(example_project, "--site-dir", str(empty)).exit_code == 0
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()
    legacy = tmp_path / "legacy"  # built before the marker existed
    (legacy / "feeds").mkdir(parents=True)
    (legacy / "assets").mkdir()
    (legacy / "feeds" / "all.ics").write_text("BEGIN:VCALENDAR")
    (legacy / "assets" / "channels.css").write_text("")
    # The build above went through the check; these folders are shown on the check alone.
    for accepted in (empty, tmp_path / "new" / "deeper", example_project.site, legacy):
        assert check_site_dir(example_project, accepted) == accepted.resolve()


def test_the_swap_never_leaves_readers_without_a_site(tmp_path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0")
    missing: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            if not (site / "index.html").exists():
                missing.append(1)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(200):
            work = tmp_path / f".site-build-{i}"
            (work / "site").mkdir(parents=True)
            (work / "site" / "index.html").write_text(str(i))
            swap_in(work / "site", site, work)
            assert (site / "index.html").read_text() == str(i)
    finally:
        stop.set()
        thread.join()
    if sys.platform == "linux":
        assert not missing


def test_leftovers_of_killed_builds_are_removed_but_running_builds_kept(tmp_path) -> None:
    old = time.time() - 3600
    for name in (".site-build-killed", "site.old-4242"):
        (tmp_path / name / "site").mkdir(parents=True)
        os.utime(tmp_path / name, (old, old))
    locked = tmp_path / ".site-build-killed-with-lock"
    locked.mkdir()
    (locked / ".lock").touch()
    running = tmp_path / ".site-build-running"
    running.mkdir()
    held = _lock(running / ".lock")
    fresh = tmp_path / ".site-build-starting"  # created a moment ago, lock not yet taken
    fresh.mkdir()
    try:
        clean_leftovers(tmp_path, "site")
    finally:
        held.close()  # type: ignore[union-attr]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-build-running", ".site-build-starting"]


def test_the_previous_site_is_removed_after_the_build_returns_never_the_new_one(example_project, monkeypatch) -> None:
    """The user waits for the swap, not for deleting the previous site: the build folder holding it
    is renamed `site.old-*` beside the site and handed to `discard`, which removes it afterwards."""
    handed: list[Path] = []
    monkeypatch.setattr(build_module, "discard", handed.append)  # kept, to look at it
    assert build(example_project).exit_code == 0
    (example_project.site / "first-build").write_text("1")
    assert build(example_project).exit_code == 0
    assert len(handed) == 2 and all(p.parent == example_project.site.parent for p in handed)
    old = handed[1]
    assert old.name.startswith("site.old-") and (old / "site" / "first-build").is_file()  # the previous site
    assert (example_project.site / MARKER).is_file() and not (example_project.site / "first-build").exists()
    assert not list(example_project.root.glob(".site-build-*"))

    processes: list[subprocess.Popen[bytes] | None] = []
    monkeypatch.setattr(build_module, "discard", lambda folder: processes.append(discard(folder)))
    assert build(example_project).exit_code == 0
    assert processes[0] is not None and processes[0].wait(timeout=60) == 0
    site_files = snapshot(example_project.site)
    assert "index.html" in site_files and not list(example_project.root.glob("site.old-*"))
    clean_leftovers(example_project.root, "site")  # what the detached process did not finish, the next build does
    assert snapshot(example_project.site) == site_files


@pytest.mark.parametrize("name", ["plain", "-rf", "with space", "new\nline", "ünï"])
def test_discard_removes_the_folder_and_never_what_its_links_point_to(tmp_path, name: str) -> None:
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "keep.txt").write_text("kept")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("new site")
    folder = tmp_path / name
    (folder / "site" / "posts").mkdir(parents=True)
    (folder / "site" / "posts" / "index.html").write_text("old")
    for link, target in [("to-outside", outside), ("to-site", site), ("to-parent", tmp_path), ("to-root", Path("/"))]:
        (folder / link).symlink_to(target, target_is_directory=True)
    (folder / "site" / "file-link").symlink_to(outside / "deep" / "keep.txt")
    process = discard(folder)
    assert process is not None and process.wait(timeout=60) == 0
    assert not os.path.lexists(folder)
    assert (outside / "deep" / "keep.txt").read_text() == "kept" and (site / "index.html").read_text() == "new site"


def test_leftovers_are_git_ignored() -> None:
    from .conftest import REPO

    ignored = (REPO / ".gitignore").read_text().splitlines()
    assert ".site-*/" in ignored and "site.old-*/" in ignored


def test_concurrent_builds_both_succeed(example_project) -> None:
    env = dict(os.environ)  # with the pinned clock
    command = [sys.executable, "-m", "generator", "--root", str(example_project.root), "build"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outputs = [(p.wait(timeout=120), p.stdout.read().decode()) for p in runs]  # type: ignore[union-attr]
    assert all(code == 0 for code, _ in outputs), outputs
    assert (example_project.site / "index.html").is_file()
    assert not list(example_project.root.glob(".site-build-*"))
