"""Validation split over two processes gives exactly what one process gives, and never less."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import pytest

from generator import parallel
from generator.parallel import split_map
from generator.project import Project
from generator.validate import validate
from tests.conftest import VALID_POST, post_text, run_main


def test_split_map_keeps_the_order_of_the_items() -> None:
    items = list(range(50))
    assert split_map(items, lambda chunk: [i * i for i in chunk], min_items=10) == [i * i for i in items]


def test_the_child_does_its_share_in_another_process() -> None:
    parent = os.getpid()
    pids = split_map(list(range(20)), lambda chunk: [os.getpid() for _ in chunk], min_items=10)
    assert pids[0] == parent
    assert pids[-1] != parent  # the last items came from the forked child


def test_a_failing_child_costs_time_not_results() -> None:
    parent = os.getpid()

    def work(chunk: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("the child breaks")
        return [i + 1 for i in chunk]

    assert split_map(list(range(30)), work, min_items=10) == list(range(1, 31))


def test_an_error_in_the_parents_share_is_raised_and_the_child_reaped() -> None:
    def work(chunk: Sequence[int]) -> list[int]:
        if 0 in chunk:
            raise ValueError("bad item")
        return list(chunk)

    with pytest.raises(ValueError, match="bad item"):
        split_map(list(range(30)), work, min_items=10)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def _corpus(project: Project, n: int) -> None:
    """`n` posts, some broken in ways each stage reports: YAML, schema, file rules, corpus rules."""
    folder = project.root / "content" / "posts" / "2026"
    folder.mkdir(parents=True)
    for i in range(n):
        date = f"2027-{1 + i % 12:02d}-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d}"
        text = post_text(VALID_POST.replace("2027-03-02 10:00", date))
        if i % 97 == 0:
            text = text.replace("title:", "title: [unclosed\nx:")  # malformed YAML
        elif i % 89 == 0:
            text = text.replace("twitter-cern", "twitter-nope")  # unknown channel
        elif i % 83 == 0:
            text = text.replace("https://home.cern", "https://evil.example")  # link off policy
        (folder / f"post-{i:04d}.md").write_text(text, encoding="utf-8")


def test_validation_in_two_processes_equals_validation_in_one(project: Project, monkeypatch) -> None:
    _corpus(project, 400)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 100)
    forked = validate(project.root, project.registry())
    monkeypatch.setenv("SOCIALCAL_JOBS", "1")
    alone = validate(project.root, project.registry())

    assert forked.diagnostics == alone.diagnostics
    assert [p.model_dump() for p in forked.posts] == [p.model_dump() for p in alone.posts]
    assert forked.files == alone.files == 400
    codes = {d.code for d in forked.diagnostics}
    assert {"SC003", "SC201", "SC308"} <= codes, codes
    # Problems of files in the child's share (the last ones) are reported too.
    assert any(d.path.endswith("post-0388.md") for d in forked.diagnostics)


def test_validate_command_output_is_the_same_either_way(project: Project, monkeypatch) -> None:
    """A whole run on more files than the fork threshold, as users run it."""
    _corpus(project, parallel.MIN_ITEMS + 50)
    code_forked, forked = run_main("--root", str(project.root), "validate")
    monkeypatch.setenv("SOCIALCAL_JOBS", "1")
    code_alone, alone = run_main("--root", str(project.root), "validate")
    assert code_forked == code_alone == 1
    assert forked == alone
    reported = {int(n) for n in re.findall(r"post-(\d{4})\.md", forked)}
    assert max(reported) >= 1000  # late files, in the child's share, are reported


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork here")
def test_a_fork_kept_frozen_leaves_the_parents_objects_frozen_until_the_caller_unfreezes() -> None:
    import gc

    assert gc.get_freeze_count() == 0
    pid = parallel.fork()
    if pid == 0:  # pragma: no cover - the child
        os._exit(0)
    os.waitpid(pid, 0)
    assert gc.get_freeze_count() == 0  # unfrozen in the parent at once
    pid = parallel.fork(keep_frozen=True)
    if pid == 0:  # pragma: no cover - the child
        os._exit(0)
    try:
        assert gc.get_freeze_count() > 0  # its collector leaves the pages the child shares alone
    finally:
        os.waitpid(pid, 0)
        gc.unfreeze()


@pytest.mark.skipif(not parallel.can_fork(), reason="no fork here")
@pytest.mark.parametrize("end", ["read", "cancelled"])
def test_the_post_pages_child_keeps_the_parent_frozen_only_while_it_lives(tmp_path, end: str) -> None:
    import gc

    from generator.bulk_pages import ShellPage
    from generator.prerender import Ahead

    def pages():
        for i in range(3):
            yield ShellPage("posts/_shell.md", f"posts/p{i}.md", lambda i=i: (f"T{i}", "", f"<p>{i}</p>"))

    ahead = Ahead(pages, tmp_path, None)
    ahead.start()
    assert gc.get_freeze_count() > 0
    if end == "read":
        assert [p.make()[0] for p in ahead.pages(tmp_path / "site")] == ["T0", "T1", "T2"]
    else:
        ahead.cancel()
    assert gc.get_freeze_count() == 0
