"""Caches and incremental rebuilds never change a result."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Memo
from generator.serve import LiveSite

from .conftest import VALID_POST

pytestmark = [pytest.mark.usefixtures("pinned"), pytest.mark.slow]  # whole builds


def digest_tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_warm_in_memory_cache_gives_the_same_pages_and_feeds(example_project) -> None:
    from generator.build import model, render_all

    cache = Memo()
    plain = render_all(example_project, model(example_project)[0])
    cold = render_all(example_project, model(example_project, cache=cache)[0], cache=cache)
    edited = example_project.content / "posts" / "2027" / "02" / "2027-02-11-wis-day.md"
    edited.write_text(edited.read_text().replace("Today is", "Today, 11 February, is"))
    warm = render_all(example_project, model(example_project, cache=cache)[0], cache=cache)
    plain_after = render_all(example_project, model(example_project)[0])
    assert plain.files == cold.files and plain.fragments == cold.fragments
    assert plain_after.files == warm.files and plain_after.fragments == warm.fragments
    assert plain.files != plain_after.files


def test_serve_rebuilds_what_changed_and_shows_errors_without_stopping(project, write, tmp_path) -> None:
    # The month grid shows a post's title (its text is on the post's own page and in the feeds).
    path = write("a.md", VALID_POST.replace("LHC restarts", "First title"), "First text.")
    write("b.md", VALID_POST.replace("2027-03-02", "2027-04-06").replace("LHC restarts", "April post"), "April.")
    live = LiveSite(project, tmp_path / "live")
    live.rebuild()
    march = live.site / "calendar" / "2027-03" / "index.html"
    april = live.site / "calendar" / "2027-04" / "index.html"
    assert "First title" in march.read_text()
    april_before = april.read_bytes()

    path.write_text(path.read_text().replace("First title", "Second title").replace("First text.", "Second text."))
    outcome = live.rebuild()
    assert "Second title" in march.read_text() and "First title" not in march.read_text()
    assert "Second text." in (live.site / "feeds" / "all.ics").read_text()
    assert april.read_bytes() == april_before

    path.write_text(path.read_text().replace("channel: twitter-cern", "channel: twiter-cern"))
    outcome = live.rebuild()
    assert any(d.code == "SC201" for d in outcome.validation.errors)
    home = (live.site / "index.html").read_text()
    assert "The content has errors" in home and "SC201" in home


def test_a_build_reads_and_writes_no_cache_file(example_project, tmp_path, monkeypatch) -> None:
    """A planted pickle is never loaded, signed or not: the build keeps nothing on disk but the
    thumbnails of the repository's images, plain image files named by their content's hash."""
    import pickle

    marker = tmp_path / "pwned"
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))

    class Exploit:
        def __reduce__(self):
            return (marker.write_text, ("x",))

    planted = example_project.root / ".socialcal-cache"
    planted.mkdir()
    (planted / "cache.pickle").write_bytes(b"\0" * 32 + pickle.dumps(Exploit()))
    build(example_project, tmp_path / "site")
    assert not marker.exists()
    assert [p.name for p in planted.iterdir() if p.name != "thumbs"] == ["cache.pickle"]
    assert {p.suffix for p in (planted / "thumbs").iterdir()} <= {".jpg", ".png"}
    assert not home.exists(), "no key or cache file in the user's home either"
    assert not list(example_project.root.rglob("*.pickle"))[1:]


def test_no_cache_is_still_accepted_and_hidden(example_project) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["--root", str(example_project.root), "build", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "--no-cache" not in runner.invoke(cli, ["build", "--help"]).output


def test_serve_loads_and_checks_again_only_the_files_that_changed(project, write, monkeypatch) -> None:
    import generator.validate as validate_module

    for i in range(3):
        write(f"p{i}.md", VALID_POST.replace("10:00", f"1{i}:00"))
    seen: list[str] = []
    real = validate_module.load_bytes

    def counting(path: str, *args: object):
        seen.append(path.rsplit("/", 1)[1])
        return real(path, *args)

    monkeypatch.setattr(validate_module, "load_bytes", counting)
    memo = Memo()
    registry = project.registry()
    first = validate_module.validate(project.root, registry, memo)
    assert sorted(seen) == ["p0.md", "p1.md", "p2.md"]

    seen.clear()
    memo.new_round()
    edited = project.content / "posts" / "p1.md"
    edited.write_text(edited.read_text().replace("LHC restarts", "LHC restarts today"))
    again = validate_module.validate(project.root, registry, memo)
    assert seen == ["p1.md"]
    assert [p.title for p in again.posts] == ["LHC restarts", "LHC restarts today", "LHC restarts"]
    assert first.diagnostics == again.diagnostics

    seen.clear()
    memo.new_round()
    hashtags = project.content / "hashtags.yml"
    hashtags.write_text(hashtags.read_text() + "\n# a comment changes no policy\n")
    validate_module.validate(project.root, project.registry(), memo)
    assert seen == []

    memo.new_round()
    hashtags.write_text(hashtags.read_text().replace('  - "#LHC"\n', ""))
    changed = validate_module.validate(project.root, project.registry(), memo)  # new policy: all again
    assert sorted(seen) == ["p0.md", "p1.md", "p2.md"]
    new_codes = {d.code for d in changed.diagnostics} - {d.code for d in first.diagnostics}
    assert new_codes == {"SC306"}  # #LHC is no longer an active hashtag


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


def test_serve_shows_an_edited_title_on_the_results_and_review_pages_the_engine_did_not_rewrite(
    project, write, tmp_path
) -> None:
    """Results and Review hand the engine only their headings and lead: a new title changes their
    spliced lists, not their Markdown, so the dirty build leaves the pages and the lists are
    replaced inside them (between the splice markers)."""
    missed = VALID_POST.replace("2027-03-02 10:00", "2026-11-20 10:00") + "status: approved"
    waiting = VALID_POST.replace("2027-03-02 10:00", "2026-12-01 10:00") + "status: proposed"
    a = write("a.md", missed.replace("LHC restarts", "Missed first"))
    b = write("b.md", waiting.replace("LHC restarts", "Waiting first"))
    live = LiveSite(project, tmp_path / "live")
    live.rebuild()
    results = live.site / "results" / "index.html"
    review = live.site / "review" / "index.html"
    assert "Missed first" in results.read_text() and "Waiting first" in review.read_text()

    a.write_text(a.read_text().replace("Missed first", "Missed again"))
    b.write_text(b.read_text().replace("Waiting first", "Waiting again"))
    live.rebuild()
    assert live.tree is not None and not {"results.md", "review.md"} & live.tree.changed  # not rebuilt by MkDocs
    for page, old, new in ((results, "Missed first", "Missed again"), (review, "Waiting first", "Waiting again")):
        text = page.read_text()
        assert new in text and old not in text, page
        assert "data-sc-slot=" not in text and "<h1>" in text
    assert results.read_text().count('href="../posts/a/"') == 1  # the list once, not spliced twice
