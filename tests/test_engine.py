"""The engine adapter, the docs tree on disk, and pages of the team's own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from generator import engines
from generator.build import MARKER
from generator.cli import cli
from generator.docs_tree import DocsTree, cut, page_of, piece_slot, slot, splice, split
from generator.errors import ConfigError
from generator.project import Project

from .conftest import run_main

pytestmark = pytest.mark.usefixtures("pinned")


def test_engines_are_found_by_name() -> None:
    assert engines.get("mkdocs").name == "mkdocs"
    with pytest.raises(engines.BuildFailed, match="unknown site engine 'hugo'"):
        engines.get("hugo")


def test_the_site_address_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    engine = engines.get("mkdocs")
    project = Project(tmp_path)
    assert engine.site_url(project) == "http://127.0.0.1:8000/"
    project.mkdocs_yml.write_text(
        "site_url: https://example.org/cal\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    assert engine.site_url(project) == "https://example.org/cal/"


def test_search_entries_are_streamed_into_the_index(tmp_path: Path) -> None:
    index = tmp_path / "search" / "search_index.json"
    index.parent.mkdir()
    data = {"config": {"lang": ["en"]}, "docs": [{"location": "", "title": "Home", "text": "é"}]}
    index.write_text(json.dumps(data))
    entries = [{"location": f"calendar/2027-03/#p{i}", "title": "T", "text": "x"} for i in range(3)]
    engines.get("mkdocs").add_search_entries(tmp_path, iter(entries))
    expected = {"config": data["config"], "docs": data["docs"] + entries}
    assert index.read_text() == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
    engines.get("mkdocs").add_search_entries(tmp_path / "nothing", entries)  # no index: nothing to do


def test_a_docs_tree_rewrites_only_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
    first = DocsTree(tmp_path / "docs", tmp_path / "fragments")
    first.write("a.md", "A")
    first.write("feeds/all.ics", [b"BEGIN", b"END"])
    first.write("b.md", "B")
    first.fragment("a.md", "<p>a</p>")
    first.finish()
    assert first.changed == {"a.md", "b.md", "feeds/all.ics"} and first.pages == 2
    assert (tmp_path / "docs" / "feeds" / "all.ics").read_bytes() == b"BEGINEND"
    os.utime(tmp_path / "docs" / "a.md", (1, 1))

    second = DocsTree(tmp_path / "docs", tmp_path / "fragments", previous=first)
    second.write("a.md", "A")
    second.write("feeds/all.ics", [b"BEGIN", b"END"])
    second.fragment("a.md", "<p>a, again</p>")
    second.finish()
    assert second.changed == set()
    assert (tmp_path / "docs" / "a.md").stat().st_mtime == 1  # untouched: a dirty build skips it
    assert not (tmp_path / "docs" / "b.md").exists()
    assert second.stale_fragments(everything=False) == ["a.md"]
    assert second.read_fragment("a.md") == "<p>a, again</p>"
    with pytest.raises(engines.BuildFailed, match="two files"):
        second.write("a.md", "again")


def test_a_fragment_is_spliced_and_replaced_later(tmp_path: Path) -> None:
    markdown, html = split("calendar/2027-03.md", "---\ntitle: March\n---\n<h1>March</h1>\n")
    assert html == "<h1>March</h1>\n" and "title: March" in markdown
    page = tmp_path / "index.html"
    page.write_text("<main>" + markdown.split("\n")[-2] + "</main>")
    splice(page, {"calendar/2027-03.md": "<h1>March</h1>"})
    splice(page, {"calendar/2027-03.md": "<h1>March!</h1>"})
    assert page.read_text() == (
        "<main><!--sc-slot:calendar/2027-03.md--><h1>March!</h1><!--/sc-slot:calendar/2027-03.md--></main>"
    )
    page.write_text("<main></main>")
    with pytest.raises(engines.BuildFailed, match="placeholder"):
        splice(page, {"calendar/2027-03.md": "x"})


def test_a_piece_leaves_its_placeholder_on_the_same_lines_and_white_space_is_no_piece() -> None:
    pieces: list[str] = []
    assert cut(pieces, "results.md", "\n  <ul>\n<li>x</li>\n</ul>\n\n") == (
        '\n  <div data-sc-slot="results.md#1"></div>\n\n'
    )
    assert cut(pieces, "results.md", "<p>y</p>") == '<div data-sc-slot="results.md#2"></div>'
    assert cut(pieces, "results.md", " \n\t") == " \n\t"
    assert pieces == ["<ul>\n<li>x</li>\n</ul>", "<p>y</p>"]
    assert [piece_slot("results.md", 2), page_of("results.md#2"), page_of("calendar/2027-03.md")] == [
        "results.md#2",
        "results.md",
        "calendar/2027-03.md",
    ]


def test_what_a_template_hands_to_spliced_is_escaped_as_anything_it_writes(tmp_path: Path, example_calendar) -> None:
    from generator.views.pages import Renderer

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "t.md.j2").write_text(
        "<h1>{{ raw }}</h1>\n{{ spliced(raw) }}\n{% call spliced() %}\n<b>{{ raw }}</b>\n{% endcall %}\nend\n"
    )
    hostile = '<div data-sc-slot="t.md#1"></div><!--sc-slot:t.md#2-->'
    pieces: list[str] = []
    renderer = Renderer([tmp_path])
    text = renderer.render("t.md.j2", "t.md", example_calendar, pieces, raw=hostile, row_title=None)
    escaped = str(escape(hostile))
    assert text == (f'<h1>{escaped}</h1>\n<div data-sc-slot="t.md#1"></div>\n<div data-sc-slot="t.md#2"></div>\nend\n')
    assert pieces == [escaped, f"<b>{escaped}</b>"]
    whole = renderer.render("t.md.j2", "t.md", example_calendar, raw=hostile, row_title=None)  # no list: in the text
    assert whole == f"<h1>{escaped}</h1>\n{escaped}\n<b>{escaped}</b>\nend\n"


def test_the_pieces_of_a_page_are_spliced_together_and_again_when_the_engine_rewrote_it(tmp_path: Path) -> None:
    first = DocsTree(tmp_path / "docs", tmp_path / "fragments")
    first.write("a.md", "A <slot 1> <slot 2>")
    first.fragment("a.md#1", "<ul>one</ul>")
    first.fragment("a.md#2", "<ul>two</ul>")
    first.finish()
    page = tmp_path / "a.html"
    page.write_text(f"<main>{slot('a.md#1')}<p>between</p>{slot('a.md#2')}</main>")
    splice(page, {s: first.read_fragment(s) for s in first.stale_fragments(everything=True)})
    assert page.read_text() == (
        "<main><!--sc-slot:a.md#1--><ul>one</ul><!--/sc-slot:a.md#1--><p>between</p>"
        "<!--sc-slot:a.md#2--><ul>two</ul><!--/sc-slot:a.md#2--></main>"
    )

    second = DocsTree(tmp_path / "docs", tmp_path / "fragments", previous=first)
    second.write("a.md", "A <slot 1> <slot 2>")
    second.fragment("a.md#1", "<ul>one</ul>")
    second.fragment("a.md#2", "<ul>two, again</ul>")
    second.finish()
    assert second.stale_fragments(everything=False) == ["a.md#2"]  # the page was not rebuilt
    splice(page, {"a.md#2": second.read_fragment("a.md#2")})
    assert "<ul>one</ul>" in page.read_text() and "<ul>two, again</ul><!--/sc-slot:a.md#2-->" in page.read_text()

    third = DocsTree(tmp_path / "docs", tmp_path / "fragments", previous=second)
    third.write("a.md", "A changed <slot 1> <slot 2>")
    third.fragment("a.md#1", "<ul>one</ul>")
    third.fragment("a.md#2", "<ul>two, again</ul>")
    third.finish()
    assert third.stale_fragments(everything=False) == ["a.md#1", "a.md#2"]  # the engine wrote it again
    page.write_text(f"<main>{slot('a.md#1')}</main>")
    with pytest.raises(engines.BuildFailed, match=r"placeholder for a\.md#2 was not found"):
        splice(page, {"a.md#1": "x", "a.md#2": "y"})


def test_pages_of_the_team_are_built_and_added_to_the_navigation(example_project: Project) -> None:
    pages = example_project.root / "pages"
    (pages / "guides").mkdir(parents=True)
    (pages / "team.md").write_text("# Who we are\n\nThe social-media team.\n")
    (pages / "guides" / "tone.md").write_text("# Tone of voice\n")
    (pages / "guides" / "logo.svg").write_text("<svg/>")
    result = CliRunner().invoke(cli, ["--root", str(example_project.root), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    site = example_project.site
    assert "The social-media team." in (site / "team" / "index.html").read_text()
    assert (site / "guides" / "logo.svg").is_file()
    home = (site / "index.html").read_text()
    assert 'href="team/"' in home and "Who we are" in home and "Tone of voice" in home
    assert "Built 142 pages" in result.output  # 58 pages (months through the planning horizon) and 84 post pages


def test_a_page_of_the_team_cannot_replace_a_generated_one_nor_be_a_link(example_project: Project) -> None:
    pages = example_project.root / "pages"
    pages.mkdir()
    (pages / "rules.md").write_text("# Our rules\n")
    result = CliRunner().invoke(cli, ["--root", str(example_project.root), "build"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "pages/rules.md: error SC504 would be published at rules/index.html" in result.output
    (pages / "rules.md").unlink()
    (pages / "secret.md").symlink_to("/etc/hostname")
    result = CliRunner().invoke(cli, ["--root", str(example_project.root), "build"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "secret.md is a symbolic link (SC009); pages are never followed" in result.output
    assert not example_project.site.exists()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("written", ["false", "no", "'false'", "0", "[]"])
def test_pages_not_in_folders_are_refused_at_the_line_and_the_previous_site_stays(
    example_project: Project, engine: str, written: str
) -> None:
    """Every page and link is a folder's (posts/<id>/): a site of posts/<id>.html files would have
    no working link, so the setting is refused before anything is written."""
    if engine == "zensical":
        pytest.importorskip("zensical")
    site = example_project.site
    site.mkdir()
    (site / MARKER).write_text("built by socialcal")
    (site / "index.html").write_text("the previous site")
    yml = example_project.mkdocs_yml
    yml.write_text(yml.read_text() + f"use_directory_urls: {written}\n")
    line = yml.read_text().splitlines().index(f"use_directory_urls: {written}") + 1
    result = CliRunner().invoke(cli, ["--root", str(example_project.root), "build", "--engine", engine])
    assert result.exit_code == 1, result.output
    assert f"mkdocs.yml:{line}: use_directory_urls: " in result.output
    assert "remove the line" in result.output and "Traceback" not in result.output
    assert (site / "index.html").read_text() == "the previous site"


def test_pages_in_folders_said_in_so_many_words_are_built(example_project: Project) -> None:
    yml = example_project.mkdocs_yml
    yml.write_text(yml.read_text() + "use_directory_urls: true\n")
    engines.get("mkdocs").check_settings(example_project)  # raises nothing


def test_settings_come_through_inherit_as_mkdocs_merges_them(tmp_path: Path) -> None:
    engine, project = engines.get("mkdocs"), Project(tmp_path)
    (tmp_path / "base.yml").write_text(
        "site_url: https://example.org/base\nrepo_url: https://github.com/cern/base\nuse_directory_urls: false\n"
    )
    project.mkdocs_yml.write_text("INHERIT: base.yml\nsite_name: Cal\nrepo_url: https://github.com/cern/cal\n")
    assert engine.site_url(project) == "https://example.org/base/"  # the parent's
    assert engine.repo_url(project) == "https://github.com/cern/cal"  # the file's own wins
    with pytest.raises(engines.BuildFailed, match=r"^mkdocs.yml:1: \(in the file it INHERITs\) use_directory_urls"):
        engine.check_settings(project)


@pytest.mark.parametrize(
    "written",
    [
        "INHERIT: missing.yml\nsite_url: https://example.org/x\n",  # a parent that is not there
        "INHERIT: mkdocs.yml\n",  # itself, for ever
        "INHERIT: base.yml\n",  # base.yml inherits this file back
        "just INHERIT as text\n",
        "- INHERIT\n",
        "INHERIT: [a, b]\n",
        "INHERIT: !ENV X\n",
    ],
)
def test_an_inherit_that_cannot_be_followed_reads_as_no_settings(tmp_path: Path, written: str) -> None:
    engine, project = engines.get("mkdocs"), Project(tmp_path)
    (tmp_path / "base.yml").write_text("INHERIT: mkdocs.yml\nsite_url: https://example.org/base\n")
    project.mkdocs_yml.write_text(written)
    assert engine.site_url(project) == "http://127.0.0.1:8000/"
    engine.check_settings(project)  # nothing to refuse in what could not be read


@pytest.mark.parametrize(
    "written", ["'https://[::1/'", "example.org/cal", "ftp://example.org/", "'https://'", "'javascript:alert(1)//'"]
)
def test_a_site_url_that_is_no_web_address_is_refused_at_its_line(example_project: Project, written: str) -> None:
    """Every feed link, event UID and exported image address is made from it."""
    yml = example_project.mkdocs_yml
    kept = [line for line in yml.read_text().splitlines() if not line.startswith("site_url:")]
    yml.write_text("\n".join([*kept, f"site_url: {written}"]) + "\n")
    with pytest.raises(ConfigError, match=rf"^mkdocs.yml:{len(kept) + 1}: site_url .* is not a web address"):
        engines.get("mkdocs").site_url(example_project)
    for command in (["build"], ["export", "buffer"]):
        status, output = run_main("--root", str(example_project.root), *command)
        assert status == 2 and "is not a web address" in output and "Traceback" not in output, output
