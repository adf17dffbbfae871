"""`socialcal validate` replays its last result when nothing it reads has changed
(generator/validate_replay.py): the same output and exit code without loading a file; any change
to an input, to the day or to the tool runs it in full again; a result file that is committed,
linked, damaged or forged is not used."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import pipeline, validate_replay
from generator.project import Project

from .conftest import VALID_POST, post_text, run_main

pytestmark = pytest.mark.usefixtures("pinned", "_replayable")

MEDIUM = "media:\n  - src: media/2027/lhc.png\n    alt: The LHC tunnel\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def _replayable(monkeypatch) -> None:
    """The files of a test are written a moment before it validates them: the racy check would
    keep every result from being written (it is tested on its own below)."""
    monkeypatch.setattr(validate_replay, "RACY_NS", 0)
    monkeypatch.setenv("SOCIALCAL_JOBS", "1")  # the per-file cache written before the run returns


@pytest.fixture
def repo(project: Project) -> Project:
    posts = project.content / "posts"
    (posts / "good.md").write_text(post_text(VALID_POST), encoding="utf-8")
    (posts / "typo.md").write_text(post_text(VALID_POST.replace("twitter-cern", "twiter-cern")), encoding="utf-8")
    with_medium = VALID_POST.replace("10:00", "11:00") + MEDIUM
    (posts / "pictured.md").write_text(post_text(with_medium), encoding="utf-8")
    (project.root / "media" / "2027").mkdir(parents=True)
    (project.root / "media" / "2027" / "lhc.png").write_bytes(PNG)
    return project


class Loads:
    """Counts the full runs (the plan made from the files) of the commands run meanwhile."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        real = pipeline.make_plan

        def counted(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline, "make_plan", counted)


@pytest.fixture
def loads(monkeypatch) -> Loads:
    return Loads(monkeypatch)


def validate(project: Project, *args: str) -> tuple[int, str]:
    return run_main("--root", str(project.root), "validate", *args)


def fresh(project: Project, *args: str) -> tuple[int, str]:
    """What a run that replays nothing says."""
    os.environ["SOCIALCAL_NO_REPLAY"] = "1"
    try:
        return validate(project, *args)
    finally:
        del os.environ["SOCIALCAL_NO_REPLAY"]


# --- the same result, without reading the files ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [(), ("--format", "json"), ("--format", "github"), ("content/posts/typo.md",), ("content/posts",)],
    ids=["text", "json", "github", "one file", "a folder"],
)
def test_an_unchanged_repository_is_answered_from_the_last_run_with_the_same_output(
    repo, loads, args, monkeypatch
) -> None:
    monkeypatch.chdir(repo.root)
    first = validate(repo, *args)
    assert first[0] == 1 and "SC201" in first[1]  # typo.md's unknown channel: an error, exit 1
    assert loads.count == 1
    assert validate(repo, *args) == first
    assert validate(repo) == fresh(repo)
    assert loads.count == 2  # only the run with replays switched off read the files


def test_a_path_that_does_not_exist_is_still_a_usage_error_when_replayed(repo, loads) -> None:
    validate(repo)
    code, out = validate(repo, str(repo.root / "content/posts/nope.md"))
    assert code == 2 and "no such file" in out
    assert loads.count == 1


def test_changed_since_and_the_summary_always_run_in_full(repo, loads, tmp_path) -> None:
    validate(repo)
    validate(repo, "--summary", str(tmp_path / "summary.md"))
    assert loads.count == 2
    assert "good" in (tmp_path / "summary.md").read_text(encoding="utf-8")


# --- any change to what the result depends on runs it again -------------------------------------


def _same_size_edit(project: Project) -> None:
    file = project.content / "posts" / "typo.md"
    text = file.read_text(encoding="utf-8")
    before = os.stat(file)
    file.write_text(text.replace("twiter-cern", "twiter-cerm"), encoding="utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))  # its time put back: only ctime tells


def _symlink_in_templates(project: Project) -> None:
    (project.root / "templates").mkdir(exist_ok=True)
    (project.root / "templates" / "x.md").symlink_to("/etc/passwd")


def _medium_replaced_by_a_link(project: Project) -> None:
    medium = project.root / "media" / "2027" / "lhc.png"
    medium.unlink()
    medium.symlink_to("/etc/hostname")


def _media_folder_replaced_by_a_link(project: Project) -> None:
    shutil.rmtree(project.root / "media" / "2027")
    (project.root / "elsewhere").mkdir()
    (project.root / "elsewhere" / "lhc.png").write_bytes(PNG)
    (project.root / "media" / "2027").symlink_to(project.root / "elsewhere")


CHANGES = {
    "a post edited": lambda p: (p.content / "posts" / "good.md").write_text(
        post_text(VALID_POST.replace("channel: twitter-cern", "channel: nowhere")), encoding="utf-8"
    ),
    "a post edited, same size and time": _same_size_edit,
    "a post added": lambda p: (p.content / "posts" / "new.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8"),
    "a post removed": lambda p: (p.content / "posts" / "typo.md").unlink(),
    "a post in a new folder": lambda p: (
        (p.content / "posts" / "2027").mkdir()
        or (p.content / "posts" / "2027" / "x.md").write_text("no front matter\n", encoding="utf-8")
    ),
    "a stray file in content/": lambda p: (p.content / "post.md").write_text("x", encoding="utf-8"),
    "a registry edited": lambda p: (p.content / "hashtags.yml").write_text(
        (p.content / "hashtags.yml").read_text(encoding="utf-8") + "\n# a comment\nbroken: [\n", encoding="utf-8"
    ),
    "a link in templates/": _symlink_in_templates,
    "the medium removed": lambda p: (p.root / "media" / "2027" / "lhc.png").unlink(),
    "the medium replaced by a link": _medium_replaced_by_a_link,
    "the media folder replaced by a link": _media_folder_replaced_by_a_link,
    "frontmatter.json written": lambda p: (p.root / "frontmatter.json").write_text(
        '{"socialcal.generated": true, "frontMatter.taxonomy.contentTypes": []}', encoding="utf-8"
    ),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_to_an_input_is_seen_by_the_next_run(repo, loads, change) -> None:
    validate(repo)
    change(repo)
    after = validate(repo)
    assert loads.count == 2
    assert after == fresh(repo)


def test_another_day_runs_in_full(repo, loads, monkeypatch) -> None:
    validate(repo)
    monkeypatch.setenv("SOCIALCAL_TODAY", "2026-11-27")
    validate(repo)
    assert loads.count == 2


def test_another_socialcal_runs_in_full(repo, loads, monkeypatch) -> None:
    validate(repo)
    monkeypatch.setattr(validate_replay, "tool_digest", lambda: "another version of the code")
    validate(repo)
    assert loads.count == 2


def test_a_repository_with_pages_of_its_own_runs_in_full(repo, loads) -> None:
    (repo.root / "pages").mkdir()
    (repo.root / "pages" / "team.md").write_text("# Team\n", encoding="utf-8")
    validate(repo)
    validate(repo)
    assert loads.count == 2


def test_files_changed_a_moment_before_the_run_leave_no_result(repo, loads, monkeypatch) -> None:
    """Within one tick of a coarse file-system clock, a second edit would leave every time as it
    was: a run that began so soon after a change records nothing."""
    monkeypatch.setattr(validate_replay, "RACY_NS", 3600 * 10**9)
    validate(repo)
    validate(repo)
    assert loads.count == 2
    assert not (repo.root / ".socialcal-cache" / validate_replay.NAME).exists()


# --- a result file that may not be trusted is not used -------------------------------------------


def _result(project: Project) -> Path:
    return project.root / ".socialcal-cache" / validate_replay.NAME


def _forged(project: Project, **changes: object) -> None:
    file = _result(project)
    data = json.loads(file.read_text(encoding="utf-8"))
    data.update(changes)
    file.write_text(json.dumps(data), encoding="utf-8")


HOSTILE = {
    "not JSON": lambda p: _result(p).write_text("{", encoding="utf-8"),
    "a list": lambda p: _result(p).write_text("[]", encoding="utf-8"),
    "deep nesting": lambda p: _result(p).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8"),
    "no errors, key kept": lambda p: _forged(p, diagnostics=[], text="", failed=False),
    "the text as a list": lambda p: _forged(p, text=["x"]),
    "failed as text": lambda p: _forged(p, failed="no"),
    "a diagnostic of the wrong shape": lambda p: _forged(p, diagnostics=[["x", 1]]),
    "an unknown severity": lambda p: _forged(p, diagnostics=[["x", 1, 1, "fatal", "SC1", "m", "h"]]),
    "a negative line": lambda p: _forged(p, diagnostics=[["x", -1, 1, "error", "SC1", "m", "h"]]),
    "files as text": lambda p: _forged(p, files="3"),
    "known as a mapping": lambda p: _forged(p, known={"a": 1}),
    "media as numbers": lambda p: _forged(p, media=[1, 2]),
    "a zone that does not exist": lambda p: _forged(p, tz="../../etc/passwd"),
    "another format": lambda p: _forged(p, format=99),
}


@pytest.mark.parametrize("damage", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_damaged_or_forged_result_is_not_used(repo, loads, damage) -> None:
    """A forged file keeping the key could only change what is printed if every field were of
    the right type; "no errors, key kept" shows the limit: a local user who can write the cache
    can also edit the posts. What a pull request can do is covered by the tests below."""
    first = validate(repo)
    damage(repo)
    again = validate(repo)
    if damage is HOSTILE["no errors, key kept"]:
        assert loads.count == 1 and again[0] == 0  # well-formed: trusted, as the repository's own files are
        return
    assert again == first
    assert loads.count == 2


def test_a_result_committed_to_the_repository_is_never_used(repo, loads) -> None:
    git = ["git", "-C", str(repo.root), "-c", "user.email=a@b.c", "-c", "user.name=A"]
    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)
    validate(repo)
    _forged(repo, diagnostics=[])  # a pull request would commit a result saying "no errors"
    subprocess.run([*git, "add", "-f", ".socialcal-cache"], check=True)
    subprocess.run([*git, "commit", "-qm", "cache"], check=True)
    code, out = validate(repo)
    assert code == 1 and "twiter-cern" in out
    assert loads.count == 2


def test_a_result_file_that_is_a_link_is_neither_read_nor_written(repo, loads, tmp_path) -> None:
    validate(repo)
    elsewhere = tmp_path / "elsewhere.json"
    shutil.move(_result(repo), elsewhere)
    _result(repo).symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    validate(repo)
    validate(repo)
    assert loads.count == 3
    assert elsewhere.read_bytes() == before


def test_a_cache_folder_that_is_a_link_is_not_used(repo, loads, tmp_path) -> None:
    validate(repo)
    shutil.move(repo.root / ".socialcal-cache", tmp_path / "cache")
    (repo.root / ".socialcal-cache").symlink_to(tmp_path / "cache")
    validate(repo)
    assert loads.count == 2


def test_the_snapshot_walks_a_tree_deeper_than_the_recursion_limit(repo) -> None:
    made = [repo.content / "posts"]
    for _ in range(1200):
        try:
            (made[-1] / "d").mkdir()
        except OSError:  # the path grew past the system's limit first: deep enough
            break
        made.append(made[-1] / "d")
    try:
        before = validate_replay.snapshot(repo.root)
        (made[-1] / "x.md").write_text("x", encoding="utf-8")
        assert validate_replay.snapshot(repo.root).files != before.files
    finally:  # pytest's clean-up removes folders recursively: it would fail on this one
        (made[-1] / "x.md").unlink(missing_ok=True)
        for folder in reversed(made[1:]):
            folder.rmdir()
