"""Caches and incremental rebuilds never change a result."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Cache
from generator.serve import LiveSite

from .conftest import VALID_POST


@pytest.fixture(autouse=True)
def _pinned(monkeypatch) -> None:
    monkeypatch.setenv("SOCIALCAL_TODAY", "2026-11-26")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_builds_with_a_cold_or_warm_cache_equal_a_build_without(example_project, tmp_path) -> None:
    build(example_project, tmp_path / "plain")
    build(example_project, tmp_path / "cold", cache=Cache(example_project.cache))
    assert (example_project.cache / "cache.pickle").is_file()
    edited = example_project.content / "posts" / "2027" / "02" / "2027-02-11-wis-day.md"
    edited.write_text(edited.read_text().replace("Today is", "Today, 11 February, is"))
    build(example_project, tmp_path / "plain-after", cache=None)
    build(example_project, tmp_path / "warm-after", cache=Cache(example_project.cache))
    assert digest_tree(tmp_path / "plain") == digest_tree(tmp_path / "cold")
    assert digest_tree(tmp_path / "plain-after") == digest_tree(tmp_path / "warm-after")
    assert digest_tree(tmp_path / "plain") != digest_tree(tmp_path / "plain-after")


def test_a_corrupt_cache_is_ignored(example_project, tmp_path) -> None:
    example_project.cache.mkdir()
    (example_project.cache / "cache.pickle").write_bytes(b"not a pickle")
    build(example_project, tmp_path / "a", cache=Cache(example_project.cache))
    build(example_project, tmp_path / "b")
    assert digest_tree(tmp_path / "a") == digest_tree(tmp_path / "b")


def test_serve_rebuilds_what_changed_and_shows_errors_without_stopping(project, write, tmp_path) -> None:
    path = write("a.md", VALID_POST, "First text.")
    write("b.md", VALID_POST.replace("2027-03-02", "2027-04-06").replace("LHC restarts", "April post"), "April.")
    live = LiveSite(project, tmp_path / "live")
    live.rebuild()
    march = live.site / "calendar" / "2027-03" / "index.html"
    april = live.site / "calendar" / "2027-04" / "index.html"
    assert "First text." in march.read_text()
    april_before = april.read_bytes()

    path.write_text(path.read_text().replace("First text.", "Second text."))
    outcome = live.rebuild()
    assert "Second text." in march.read_text() and "First text." not in march.read_text()
    assert "Second text." in (live.site / "feeds" / "all.ics").read_text()
    assert april.read_bytes() == april_before

    path.write_text(path.read_text().replace("channel: twitter-cern", "channel: twiter-cern"))
    outcome = live.rebuild()
    assert any(d.code == "SC201" for d in outcome.validation.errors)
    home = (live.site / "index.html").read_text()
    assert "The content has errors" in home and "SC201" in home


def test_a_cache_file_not_signed_by_this_user_is_never_unpickled(example_project, tmp_path) -> None:
    import pickle

    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (marker.write_text, ("x",))

    example_project.cache.mkdir()
    planted = pickle.dumps(Exploit())
    for data in (planted, b"\0" * 32 + planted, planted[:32] + planted):
        (example_project.cache / "cache.pickle").write_bytes(data)
        assert Cache(example_project.cache).get("anything") is None
        assert not marker.exists()
    build(example_project, tmp_path / "site", cache=Cache(example_project.cache))
    assert not marker.exists()


def test_serve_writes_again_only_the_post_pages_that_changed(project, write, tmp_path) -> None:
    a = write("a.md", VALID_POST, "First text.")
    write("b.md", VALID_POST.replace("2027-03-02", "2027-04-06").replace("LHC restarts", "April post"), "April.")
    write("c.md", VALID_POST.replace("2027-03-02", "2027-05-04").replace("LHC restarts", "May post"), "May.")
    live = LiveSite(project, tmp_path / "live")
    live.rebuild()
    page_a, page_b = (live.site / "posts" / name / "index.html" for name in ("a", "b"))
    assert "First text." in page_a.read_text() and "April." in page_b.read_text()
    b_before = (page_b.stat().st_mtime_ns, page_b.read_bytes())

    a.write_text(a.read_text().replace("First text.", "Second text."))
    live.rebuild()
    assert live.shells is not None and live.shells.written == 1
    assert "Second text." in page_a.read_text() and "First text." not in page_a.read_text()
    assert (page_b.stat().st_mtime_ns, page_b.read_bytes()) == b_before
    assert not (live.site / "posts" / "_shell").exists()
    assert "posts/a/</loc>" in (live.site / "sitemap.xml").read_text()

    (project.content / "posts" / "c.md").unlink()
    live.rebuild()
    assert not (live.site / "posts" / "c").exists()
    assert "posts/c/</loc>" not in (live.site / "sitemap.xml").read_text()
