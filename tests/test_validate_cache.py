"""`socialcal validate` keeps each file's parse and file-rule results between runs
(generator/validate_cache.py): the same results as a run without it, plain JSON only, and a
cache that is damaged, hostile, linked elsewhere or committed is not used."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import validate as validate_module
from generator import validate_cache
from generator.project import Project
from generator.validate import Validation, validate

from .conftest import VALID_POST, post_text, run_main

pytestmark = pytest.mark.usefixtures("pinned", "_in_process")


@pytest.fixture
def _in_process(monkeypatch) -> None:
    """The cache written before the run returns (otherwise by a forked child, meanwhile)."""
    monkeypatch.setenv("SOCIALCAL_JOBS", "1")


BROKEN = "---\ntitle: [oops\n---\n"  # SC003: cannot be parsed
GOOD = post_text(VALID_POST)
CAMPAIGN = (  # YAML dates: JSON has none, so this file is checked every time
    "---\ntitle: Spring\nstart: 2027-03-01\nend: 2027-03-31\nchannels: [twitter-cern]\n---\n\nPlan.\n"
)


def _project(project: Project) -> Project:
    posts = project.content / "posts"
    files = {
        "good.md": GOOD,
        "other.md": post_text(VALID_POST.replace("10:00", "11:00"), "Text.\n\nA second paragraph."),
        "broken.md": BROKEN,
        "channel.md": post_text(VALID_POST.replace("channel: twitter-cern", "channel: twiter-cern")),  # SC1xx
        "Bad Name.md": post_text(VALID_POST.replace("10:00", "12:00")),  # SC111
        "numbers.md": post_text(VALID_POST.replace("10:00", "13:00") + "results: {1: 2}\n"),  # JSON has no int keys
    }
    for name, text in files.items():
        (posts / name).write_text(text, encoding="utf-8")
    (project.content / "campaigns" / "spring.md").write_text(CAMPAIGN, encoding="utf-8")
    return project


def _run(project: Project, cached: bool = True) -> Validation:
    return validate(project.root, project.registry(), file_cache=cached)


def _same(a: Validation, b: Validation) -> None:
    assert a.diagnostics == b.diagnostics
    assert a.posts == b.posts and a.campaigns == b.campaigns and a.files == b.files


def _cache_file(project: Project) -> Path:
    return project.root / ".socialcal-cache" / validate_cache.NAME


def _parses(monkeypatch) -> list[str]:
    """The paths parsed from their bytes from now on (not taken from the cache)."""
    parsed: list[str] = []
    real = validate_module.read_source

    def counting(path: str, data: bytes):
        parsed.append(path)
        return real(path, data)

    monkeypatch.setattr(validate_module, "read_source", counting)
    return parsed


def test_a_second_run_takes_unchanged_files_from_the_cache_with_the_same_results(project, monkeypatch) -> None:
    cold = _run(_project(project), cached=False)
    assert {d.code for d in cold.diagnostics} >= {"SC003", "SC111"} and not cold.ok
    assert not _cache_file(project).exists()  # only `validate` asks for it
    first = _run(project)
    data = json.loads(_cache_file(project).read_text(encoding="utf-8"))  # plain JSON
    assert set(data) == {"format", "tool", "registries", "files"} and len(data["files"]) == 5
    parsed = _parses(monkeypatch)
    second = _run(project)
    assert sorted(parsed) == ["content/campaigns/spring.md", "content/posts/numbers.md"]  # what JSON cannot keep
    for run in (first, second):
        _same(run, cold)


def test_files_checked_by_the_forked_child_are_kept_too(project, monkeypatch) -> None:
    """On two cores a forked child checks part of the files (parallel.split_map): what it took
    from the cache crosses back to the parent, which writes every file's entry again."""
    from generator import parallel

    monkeypatch.delenv("SOCIALCAL_JOBS")
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    monkeypatch.setattr(validate_cache.ValidateCache, "save", lambda self: self._write())  # before returning
    _project(project)
    cold = _run(project, cached=False)
    for _ in range(3):
        _same(_run(project), cold)
        files = json.loads(_cache_file(project).read_text(encoding="utf-8"))["files"]
        assert len(files) == 5 and all(set(entry) == {"source", "read", "checked"} for entry in files.values())


def test_a_changed_file_or_registry_is_checked_again(project, monkeypatch) -> None:
    _run(_project(project))
    (project.content / "posts" / "broken.md").write_text(
        post_text(VALID_POST.replace("10:00", "14:00")), encoding="utf-8"
    )
    parsed = _parses(monkeypatch)
    after = _run(project)
    assert sorted(parsed) == ["content/campaigns/spring.md", "content/posts/broken.md", "content/posts/numbers.md"]
    _same(after, _run(project, cached=False))
    settings = project.content / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    parsed.clear()
    _run(project)
    assert len(parsed) == 7  # another registry: every file again


def test_the_validate_command_reads_and_writes_the_cache(project) -> None:
    _project(project)
    code, cold = run_main("--root", str(project.root), "validate")
    assert code == 1 and _cache_file(project).is_file()
    assert run_main("--root", str(project.root), "validate") == (code, cold)


def _forge(project: Project) -> None:
    """A well-formed cache that says the broken file is fine: trusted, it would hide SC003."""
    _run(project)
    cache = _cache_file(project)
    data = json.loads(cache.read_text(encoding="utf-8"))
    key = validate_cache.file_key("content/posts/broken.md", "posts", BROKEN.encode())
    data["files"][key] = {"source": None, "read": [], "checked": []}
    cache.write_text(json.dumps(data), encoding="utf-8")


def test_a_forged_entry_is_what_the_cache_would_hide(project) -> None:
    """The probe of the tests below: a forged cache that may be used changes the results."""
    _project(project)
    _forge(project)
    assert "SC003" not in {d.code for d in _run(project).diagnostics}


def _deep(n: int) -> list:
    value: list = []
    for _ in range(n):
        value = [value]
    return value


def _entry(data: dict) -> dict:
    key = validate_cache.file_key("content/posts/good.md", "posts", GOOD.encode())
    return data["files"][key]


HOSTILE: dict[str, Callable[[dict], object]] = {
    "meta as a list": lambda d: _entry(d)["source"].update(meta=["title"]),
    "a value nested too deep": lambda d: _entry(d)["source"]["meta"].update(title=_deep(100)),
    "a position as text": lambda d: _entry(d)["source"]["keys"].update(title="1:1"),
    "a position of three numbers": lambda d: _entry(d)["source"]["keys"].update(title=[1, 1, 1]),
    "a boolean for a line": lambda d: _entry(d)["source"].update(body_line=True),
    "a negative line": lambda d: _entry(d)["source"]["values"].update(title=[-1, 3]),
    "a diagnostic of no rule": lambda d: _entry(d)["checked"].append(["SC999", 1, 1, "x", ""]),
    "a cross-file rule's diagnostic": lambda d: _entry(d)["checked"].append(["SC401", 1, 1, "x", ""]),
    "a diagnostic of four fields": lambda d: _entry(d)["checked"].append(["SC301", 1, 1, "x"]),
    "an entry as a list": lambda d: d["files"].update({k: [] for k in d["files"]}),
    "files as a list": lambda d: d.update(files=[]),
    "another format": lambda d: d.update(format=validate_cache.FORMAT + 1),
    "another socialcal": lambda d: d.update(tool="0" * 64),
    "other registries": lambda d: d.update(registries="0" * 64),
}


@pytest.mark.parametrize("damage", list(HOSTILE), ids=list(HOSTILE))
def test_a_damaged_or_hostile_cache_is_not_used(project, damage: str) -> None:
    """Whatever was changed, the results are those of a run without a cache: a damaged entry is
    made again from the file, a file of another format, socialcal or registries set aside."""
    _project(project)
    cold = _run(project, cached=False)
    _run(project)
    cache = _cache_file(project)
    data = json.loads(cache.read_text(encoding="utf-8"))
    HOSTILE[damage](data)
    cache.write_text(json.dumps(data), encoding="utf-8")
    _same(_run(project), cold)
    _same(_run(project), cold)  # and what it wrote back is sound


@pytest.mark.parametrize(
    "payload",
    [b"", b"\x00\xff not json", b"[" * 100_000 + b"]" * 100_000, b'{"format": 1, "files": {}}' + b" " * 10, b"null"],
    ids=["empty", "binary", "nested too deep", "no stamp", "null"],
)
def test_a_cache_file_that_is_not_ours_is_ignored_and_replaced(project, payload: bytes) -> None:
    _project(project)
    cold = _run(project, cached=False)
    cache = _cache_file(project)
    cache.parent.mkdir(parents=True)
    cache.write_bytes(payload)
    _same(_run(project), cold)
    assert json.loads(cache.read_text(encoding="utf-8"))["format"] == validate_cache.FORMAT


def test_a_huge_cache_file_is_not_read(project, monkeypatch) -> None:
    _project(project)
    _forge(project)
    monkeypatch.setattr(validate_cache, "MAX_BYTES", _cache_file(project).stat().st_size - 1)
    assert "SC003" in {d.code for d in _run(project).diagnostics}


def test_a_cache_folder_that_is_a_link_is_neither_read_nor_written(project, tmp_path) -> None:
    _project(project)
    _forge(project)
    elsewhere = tmp_path / "elsewhere"
    (project.root / ".socialcal-cache").rename(elsewhere)
    (project.root / ".socialcal-cache").symlink_to(elsewhere, target_is_directory=True)
    before = (elsewhere / validate_cache.NAME).read_bytes()
    assert "SC003" in {d.code for d in _run(project).diagnostics}
    assert sorted(p.name for p in elsewhere.iterdir()) == [validate_cache.NAME]
    assert (elsewhere / validate_cache.NAME).read_bytes() == before


def test_a_cache_file_that_is_a_link_is_not_read(project, tmp_path) -> None:
    _project(project)
    _forge(project)
    cache = _cache_file(project)
    target = tmp_path / "planted.json"
    cache.rename(target)
    cache.symlink_to(target)
    assert "SC003" in {d.code for d in _run(project).diagnostics}
    assert cache.is_symlink()  # not written through either


def _git(root: Path, *args: str) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=x", "-c", "user.email=x@example.org"]
    subprocess.run([*git, *args], check=True, capture_output=True)


def test_a_committed_cache_is_not_used(project) -> None:
    _project(project)
    _forge(project)
    _git(project.root, "init", "-q")
    _git(project.root, "add", "-f", ".")
    _git(project.root, "commit", "-qm", "a pull request plants a cache")
    before = _cache_file(project).read_bytes()
    assert "SC003" in {d.code for d in _run(project).diagnostics}
    assert _cache_file(project).read_bytes() == before  # nor rewritten


def test_a_cache_git_cannot_vouch_for_is_not_used(project) -> None:
    _project(project)
    _forge(project)
    _git(project.root, "init", "-q")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PATH", str(project.root / "no-bin"))  # git is not installed
        assert "SC003" in {d.code for d in _run(project).diagnostics}
    (project.root / ".git" / "HEAD").write_bytes(b"\x00garbage\xff")  # git fails
    assert "SC003" in {d.code for d in _run(project).diagnostics}


def test_a_cache_write_that_fails_never_fails_validation(project, monkeypatch) -> None:
    _project(project)
    cold = _run(project, cached=False)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(validate_cache.json, "dumps", full)
    _same(_run(project), cold)
    assert not _cache_file(project).exists()
    assert not [p for p in (project.root / ".socialcal-cache").iterdir() if p.name.endswith(".tmp")]
    assert os.listdir(project.root / ".socialcal-cache") == []
