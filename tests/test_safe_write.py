"""Every file socialcal writes is written whole or not at all, never over an edit saved meanwhile,
never through a symbolic link; a command with several files says which were written and which not."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import safe_write
from generator.results_import import import_results
from generator.validate import validate

from .conftest import VALID_POST, cli_build, run_main

pytestmark = pytest.mark.usefixtures("pinned")

HEADER = (
    "Tweet id,Tweet permalink,Tweet text,time,impressions,engagements,engagement rate,retweets,replies,likes,"
    "user profile clicks,url clicks,hashtag clicks,detail expands,media views,media engagements\n"
)
PUBLISHED = VALID_POST + "status: published\n"


def listing(folder: Path) -> dict[str, bytes | str]:
    """Every entry below `folder` (temporary files included) with its bytes, or where a link points."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = path.read_bytes()
    return found


def failing(real: Callable, errno_: int, after: int = 0, only: Callable[..., bool] = lambda *a, **k: True):
    """`real`, which works `after` times (among the calls `only` selects), then fails like a full disk."""
    calls = {"n": 0}

    def fake(*args, **kwargs):
        if only(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] > after:
                raise OSError(errno_, os.strerror(errno_))
        return real(*args, **kwargs)

    return fake


def half_then_fail(errno_: int) -> Callable[[int, bytes], int]:
    """os.write that writes half of what it is given once, then fails: a file cut short."""
    real, state = os.write, {"first": True}

    def fake(fd: int, data) -> int:
        if state["first"]:
            state["first"] = False
            return real(fd, bytes(data[: max(1, len(data) // 2)]))
        raise OSError(errno_, os.strerror(errno_))

    return fake


# --- the writer ------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    (root / "content" / "a.md").write_bytes(b"---\ntitle: the original\n---\n\nIts text.\n")
    return root


@pytest.mark.parametrize(
    ("what", "errno_"),
    [("write", errno.ENOSPC), ("write", errno.EFBIG), ("fsync", errno.EIO), ("replace", errno.ENOSPC)],
)
def test_a_failed_write_leaves_the_file_as_it_was_and_nothing_beside_it(folder, monkeypatch, what, errno_) -> None:
    target = folder / "content" / "a.md"
    before = listing(folder)
    fakes = {
        "write": half_then_fail(errno_),
        "fsync": failing(os.fsync, errno_),
        "replace": failing(os.replace, errno_),
    }
    monkeypatch.setattr(os, what, fakes[what])
    with pytest.raises(safe_write.NotWritten) as caught:
        safe_write.write(target, b"x" * 100_000, folder, expected=target.read_bytes())
    assert os.strerror(errno_) in caught.value.reason and not caught.value.usage
    assert listing(folder) == before  # byte-identical, and no temporary file left


def test_a_file_keeps_its_permissions(folder) -> None:
    target = folder / "content" / "a.md"
    target.chmod(0o640)
    safe_write.write(target, b"new", folder, expected=target.read_bytes())
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("edit", [b"---\ntitle: an editor's edit\n---\n", b"", None])
def test_a_file_changed_since_it_was_read_is_left_with_the_change(folder, monkeypatch, edit) -> None:
    """An editor saves (or empties, or deletes) the file while the command writes its new version."""
    target = folder / "content" / "a.md"
    read = safe_write.read(target, folder)
    real = safe_write._write_all

    def editor_saves_meanwhile(fd: int, data: bytes) -> None:
        real(fd, data)
        if edit is None:
            target.unlink()
        else:
            target.write_bytes(edit)

    monkeypatch.setattr(safe_write, "_write_all", editor_saves_meanwhile)
    with pytest.raises(safe_write.NotWritten) as caught:
        safe_write.write(target, b"the command's version", folder, expected=read)
    assert "since socialcal read it" in caught.value.reason and not caught.value.usage
    assert (target.read_bytes() if edit is not None else target.exists()) == (edit if edit is not None else False)
    assert [p.name for p in target.parent.iterdir()] == ([] if edit is None else ["a.md"])


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_new_file_never_replaces_one_that_appeared_meanwhile(folder, monkeypatch, links) -> None:
    target = folder / "content" / "new.md"
    real = safe_write._write_all
    if not links:  # a file system without hard links: the file is created exclusively in place
        monkeypatch.setattr(os, "link", failing(os.link, errno.EPERM))

    def another_command_writes_it(fd: int, data: bytes) -> None:
        real(fd, data)
        if not target.exists():
            target.write_bytes(b"someone else's")

    monkeypatch.setattr(safe_write, "_write_all", another_command_writes_it)
    with pytest.raises(safe_write.Exists):
        safe_write.write(target, b"mine", folder, expected=None)
    assert target.read_bytes() == b"someone else's"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.md", "new.md"]


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_a_new_file_cut_short_leaves_nothing_that_blocks_the_next_try(folder, monkeypatch, links) -> None:
    target = folder / "content" / "new.md"
    if not links:
        monkeypatch.setattr(os, "link", failing(os.link, errno.EPERM))
    with monkeypatch.context() as m:
        # The temporary file is written whole; the second write (in place, without links) fails.
        m.setattr(os, "write", half_then_fail(errno.ENOSPC) if links else failing(os.write, errno.ENOSPC, after=1))
        with pytest.raises(safe_write.NotWritten):
            safe_write.write(target, b"x" * 10_000, folder, expected=None)
        assert sorted(p.name for p in target.parent.iterdir()) == ["a.md"]
    safe_write.write(target, b"second try", folder, expected=None)
    assert target.read_bytes() == b"second try"


# Hostile layouts: (what is committed in the repository, the file written). `outside` is a folder
# outside the repository with a file `x` in it.
LINKED = {
    "the file": ({"content/a.md": "../../outside/x"}, "content/a.md"),
    "a dangling file": ({"content/new.md": "../../outside/none"}, "content/new.md"),
    "its folder": ({"schemas": "../outside"}, "schemas/x"),
    "a folder above": ({"content/posts": "../../outside"}, "content/posts/2027/03/x"),
    "a link to a link": ({"content/b": "../content/c", "content/c": "../../outside"}, "content/b/x"),
    "an absolute link": ({"schemas": "{outside}"}, "schemas/x"),
}


@pytest.mark.parametrize("case", sorted(LINKED))
def test_nothing_is_read_or_written_through_a_link(folder, tmp_path, case) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x").write_bytes(b"precious")
    links, name = LINKED[case]
    for where, to in links.items():
        (folder / where).unlink(missing_ok=True)
        (folder / where).symlink_to(to.format(outside=outside))
    target = folder / name
    for attempt in (
        lambda: safe_write.read(target, folder),
        lambda: safe_write.write(target, b"planted", folder, expected=None),
        lambda: safe_write.write(target, b"planted", folder, expected=b"precious"),
    ):
        with pytest.raises(safe_write.NotWritten) as caught:
            attempt()
        assert caught.value.usage and "symbolic link" in caught.value.reason and caught.value.path == target
    assert listing(outside) == {"x": b"precious"}


def test_a_fifo_where_a_file_goes_is_refused_not_waited_on(folder) -> None:
    fifo = folder / "frontmatter.json"
    os.mkfifo(fifo)
    with pytest.raises(safe_write.NotWritten, match="not a regular file"):
        safe_write.read(fifo, folder)


# --- results import ------------------------------------------------------------------------


@pytest.fixture
def two_posts(project, write) -> tuple[Path, Path, Path]:
    """Two published posts and an export with a row for each."""
    a = write("a.md", PUBLISHED, "The LHC restarts!")
    notes = "".join(f"# a note the import keeps, line {n}\n" for n in range(100))  # 3 KB
    b = write("b.md", PUBLISHED.replace("2027-03-02", "2027-03-03") + notes, "A longer text.")
    export = project.root.parent / "export.csv"
    export.write_text(
        HEADER
        + "1,https://x.com/CERN/status/1,a,2027-03-02 09:00 +0000,100,1,0,1,1,1,0,1,0,0,0,0\n"
        + "2,https://x.com/CERN/status/2,b,2027-03-03 09:00 +0000,200,2,0,2,2,2,0,2,0,0,0,0\n",
        encoding="utf-8",
    )
    return a, b, export


def test_an_import_that_fails_part_way_says_which_posts_were_written(project, two_posts, monkeypatch) -> None:
    a, b, export = two_posts
    b_before = b.read_bytes()
    monkeypatch.setattr(os, "replace", failing(os.replace, errno.ENOSPC, after=1))  # the disk fills after a.md
    code, out = run_main("--root", str(project.root), "results", "import", str(export), "--channel", "twitter-cern")
    assert code == 1, out
    assert "content/posts/b.md: not written: No space left on device" in out and "hint: make room" in out
    assert out.rstrip().endswith("Written: content/posts/a.md. Not written: content/posts/b.md.")
    assert "impressions: 100" in a.read_text() and b.read_bytes() == b_before
    assert sorted(p.name for p in a.parent.iterdir()) == ["a.md", "b.md"]


def test_an_import_under_a_file_size_limit_leaves_the_posts_it_cannot_write_whole(project, two_posts) -> None:
    """A real limit (RLIMIT_FSIZE) in a real process: b.md, over the limit, was cut short before."""
    import resource

    a, b, export = two_posts
    a_before, b_before = a.read_bytes(), b.read_bytes()
    limit = len(a_before) + 1000  # a.md with its results fits; b.md (3 KB of notes) does not

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    argv = ["--root", str(project.root), "results", "import", str(export), "--channel", "twitter-cern"]
    run = subprocess.run(
        [sys.executable, "-m", "generator", *argv],
        capture_output=True,
        text=True,
        preexec_fn=limited,  # one call, no threads to deadlock
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "content/posts/b.md: not written: File too large" in run.stderr
    assert "Written: content/posts/a.md. Not written: content/posts/b.md." in run.stderr
    assert b.read_bytes() == b_before and a.read_bytes() != a_before
    assert sorted(p.name for p in a.parent.iterdir()) == ["a.md", "b.md"]


def _import(project, export: Path, posts):
    registry = project.registry()
    from generator.registry import load_analytics

    analytics = load_analytics(project.content)
    channel = registry.channels["twitter-cern"]
    return import_results(
        export.read_bytes(),
        analytics.platforms[channel.platform],
        channel,
        posts,
        project.root,
        registry.settings.tz,
        analytics.match_window_minutes,
    )


def test_an_edit_saved_after_validation_is_merged_not_lost(project, two_posts) -> None:
    a, _, export = two_posts
    posts = validate(project.root, project.registry()).posts  # the import's model, read first
    hand_written = "results:\n  facebook-cern: {impressions: 7}\n"
    edited = a.read_text().replace("---\n\nThe LHC", hand_written + "---\n\nThe LHC, again")
    a.write_text(edited, encoding="utf-8")  # saved by an editor while the import runs
    outcome = _import(project, export, posts)
    text = a.read_text()
    assert "The LHC, again restarts!" in text and "impressions: 7" in text and "impressions: 100" in text
    assert "content/posts/a.md" in outcome.written and not outcome.not_written


def test_an_edit_saved_while_the_post_is_written_is_kept(project, two_posts, monkeypatch) -> None:
    a, b, export = two_posts
    real = safe_write._write_all

    def editor_saves_b(fd: int, data: bytes) -> None:
        real(fd, data)
        if b"impressions: 200" in data:
            b.write_text(b.read_text().replace("A longer text.", "Edited.", 1), encoding="utf-8")

    monkeypatch.setattr(safe_write, "_write_all", editor_saves_b)
    code, out = run_main("--root", str(project.root), "results", "import", str(export), "--channel", "twitter-cern")
    assert code == 1 and "content/posts/b.md: not written: it changed since socialcal read it" in out
    assert "Edited." in b.read_text() and "results:" not in b.read_text()
    assert "impressions: 100" in a.read_text()


# --- the other commands ---------------------------------------------------------------------


def test_editor_config_cut_short_keeps_the_old_file_and_works_next_time(project, monkeypatch) -> None:
    config = project.root / "frontmatter.json"
    assert run_main("--root", str(project.root), "editor-config")[0] == 0
    old = config.read_bytes().replace(b"twitter-cern", b"twitter-old")  # out of date: to be rewritten
    config.write_bytes(old)
    with monkeypatch.context() as m:
        m.setattr(os, "write", half_then_fail(errno.ENOSPC))
        code, out = run_main("--root", str(project.root), "editor-config")
    assert code == 1 and "frontmatter.json: not written: No space left on device" in out, out
    assert config.read_bytes() == old
    code, out = run_main("--root", str(project.root), "editor-config")
    assert code == 0 and "Wrote frontmatter.json" in out  # not refused as "not written by socialcal"


@pytest.mark.parametrize(
    "links",
    [
        {"frontmatter.json": "{outside}/x"},
        {".frontmatter": "{outside}"},
        {".frontmatter/templates": "{outside}"},
    ],
)
def test_editor_config_writes_through_no_link(project, tmp_path, links) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x").write_bytes(b"precious")
    for where, to in links.items():
        (project.root / where).parent.mkdir(parents=True, exist_ok=True)
        (project.root / where).symlink_to(to.format(outside=outside))
    code, out = run_main("--root", str(project.root), "editor-config")
    assert code == 2 and "is a symbolic link" in out and "Not written:" in out, out
    assert listing(outside) == {"x": b"precious"}


@pytest.mark.parametrize("link", ["schemas", "schemas/channels.schema.json"])
def test_schema_all_writes_through_no_link(project, tmp_path, link) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "channels.schema.json").write_bytes(b"precious")
    (project.root / "schemas").mkdir(exist_ok=link != "schemas")
    (project.root / link).rmdir() if link == "schemas" else None
    (project.root / link).symlink_to(outside if link == "schemas" else outside / "channels.schema.json")
    code, out = run_main("--root", str(project.root), "schema", "--all")
    assert code == 2 and "schemas/channels.schema.json: not written:" in out, out
    assert "Not written: schemas/channels.schema.json" in out
    assert listing(outside) == {"channels.schema.json": b"precious"}


def test_schema_all_cut_short_leaves_the_old_schemas(project, monkeypatch) -> None:
    assert run_main("--root", str(project.root), "schema", "--all")[0] == 0
    schemas = project.root / "schemas"
    (schemas / "series.schema.json").write_bytes(b"{}\n")
    before = listing(schemas)
    # The disk fills after the first file: every file is whole, old or new.
    monkeypatch.setattr(os, "replace", failing(os.replace, errno.ENOSPC, after=1))
    code, out = run_main("--root", str(project.root), "schema", "--all")
    assert code == 1 and "Written: schemas/channels.schema.json. Not written: schemas/series.schema.json" in out
    assert listing(schemas) == before


NEW_POST = ("new", "post", "--title", "LHC restarts", "--date", "2027-03-02 10:00", "--channel", "twitter-cern")


def test_new_post_on_a_full_disk_leaves_no_empty_file_behind(project, monkeypatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(os, "write", half_then_fail(errno.ENOSPC))
        code, out = run_main("--root", str(project.root), *NEW_POST, "--text", "The LHC is back.")
    assert code == 1 and "not written: No space left on device" in out, out
    assert listing(project.content / "posts") == {}
    code, out = run_main("--root", str(project.root), *NEW_POST, "--text", "The LHC is back.")
    assert "Wrote content/posts/2027/03/2027-03-02-lhc-restarts.md" in out, out


@pytest.mark.parametrize("link", ["content/posts/2027", "content/posts/2027/03", "content/posts"])
def test_new_post_writes_through_no_link(project, tmp_path, link) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = project.root / link
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rmdir()
    target.symlink_to(outside, target_is_directory=True)
    code, out = run_main("--root", str(project.root), *NEW_POST)
    assert code == 2 and f"{link} is a symbolic link" in out, out
    assert listing(outside) == {}


def test_new_post_from_an_issue_writes_through_no_link(project, tmp_path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (project.content / "posts").rmdir()
    (project.content / "posts").symlink_to(outside)
    issue = tmp_path / "issue.md"
    issue.write_text("### Title\n\nLHC\n\n### Date and time\n\n2027-03-02 10:00\n\n### Channels\n\ntwitter-cern\n")
    code, out = run_main("--root", str(project.root), "new", "post", "--from-issue", str(issue))
    assert code == 2 and "content/posts is a symbolic link" in out, out
    assert listing(outside) == {}


# --- build --------------------------------------------------------------------------------


@pytest.mark.parametrize("given", [None, "site", "out/site", "out/../out/site"])
def test_build_never_replaces_a_folder_through_a_link(example_project, tmp_path, monkeypatch, given) -> None:
    """A committed `site` (or `out`) link pointing outside: the folder it points to stays as it is."""
    outside = tmp_path / "outside"
    (outside / "site").mkdir(parents=True)
    (outside / "site" / "keep.txt").write_text("precious")
    (outside / "site" / ".socialcal-site").write_text("looks like a site")  # even one that says so
    (example_project.root / "site").symlink_to(outside / "site")
    (example_project.root / "out").symlink_to(outside)
    monkeypatch.chdir(example_project.root)
    before = listing(outside)
    result = cli_build(example_project, *(["--site-dir", given] if given else []))
    assert result.exit_code == 2 and "is a symbolic link" in result.output, result.output
    assert listing(outside) == before
