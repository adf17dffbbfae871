"""The Zensical engine: choosing it, its generated configuration, its output, search and serve."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator import engines
from generator.cli import cli
from generator.engines import zensical
from generator.project import Project
from generator.serve import LiveSite

from .conftest import VALID_POST, override
from .test_site_paths import assert_all_reserved

needs_zensical = pytest.mark.skipif(
    zensical.importlib.util.find_spec("zensical") is None, reason='zensical is not installed (pip install -e ".[test]")'
)


pytestmark = [pytest.mark.usefixtures("pinned"), pytest.mark.slow]  # whole builds


def build(project: Project, *extra: str):
    return CliRunner().invoke(cli, ["--root", str(project.root), "build", *extra], catch_exceptions=False)


def socialcal(project: Project, *args: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """socialcal in a process of its own, as a user runs it (exit code, stderr, no traceback)."""
    code = f"{prelude}\nfrom generator.cli import main\nmain()"
    return subprocess.run(
        [sys.executable, "-c", code, "--root", str(project.root), *args], capture_output=True, text=True
    )


def set_engine(project: Project, name: str) -> None:
    settings = project.content / "settings.yml"
    data = yaml.safe_load(settings.read_text())
    data.setdefault("site", {})["engine"] = name
    settings.write_text(yaml.safe_dump(data))


@needs_zensical
def test_zensical_builds_the_calendar_with_its_posts_spliced_and_searchable(example_project) -> None:
    (example_project.root / "pages").mkdir()
    (example_project.root / "pages" / "team.md").write_text("# Who we are\n\nSee [the rules](rules.md).\n")
    result = build(example_project, "--engine", "zensical")
    assert result.exit_code == 0, result.output
    site = example_project.site
    assert "See <a" in (site / "team" / "index.html").read_text()
    assert 'href="./team/"' in (site / "index.html").read_text()  # in the navigation
    month = (site / "calendar" / "2027-02" / "index.html").read_text()
    assert 'data-sc-slot="' not in month and 'id="2027-02-11-wis-day"' in month
    assert "zensical" in month and '<meta name="generator" content="socialcal">' in month  # our custom_dir
    assert (site / "feeds" / "all.ics").is_file() and (site / "404.html").is_file()
    items = json.loads((site / "search.json").read_text())["items"]
    qa = next(i for i in items if i["location"] == "posts/2027-02-11-wis-stories-qa/")
    # Zensical's search UI decodes &amp; &lt; &gt; only: one escape, the breadcrumb of the month page.
    assert qa["title"] == "Women in Science: stories Q&amp;A" and qa["path"] == ["February 2027"]
    # One entry per post, leading to its page; the shell the pages are written from is none.
    posts = [i["location"] for i in items if i["location"].startswith("posts/")]
    assert len(posts) == len(set(posts)) == 84 and not any("_shell" in p for p in posts)
    assert len(list((site / "posts").glob("*/index.html"))) == 84 and not (site / "posts" / "_shell").exists()
    wis = (site / "posts" / "2027-02-11-wis-day" / "index.html").read_text()
    assert "<title>International Day of Women and Girls in Science - " in wis and "scshell" not in wis
    assert not list(example_project.root.glob(".site-build-*"))
    assert not (example_project.root / zensical.CONFIG).exists()
    assert_all_reserved(example_project, site, {"team"})  # pages/ may take none of Zensical's names


@needs_zensical
def test_the_engine_comes_from_settings_and_the_option_overrides_it(example_project) -> None:
    set_engine(example_project, "zensical")
    assert build(example_project).exit_code == 0
    assert (example_project.site / "search.json").is_file()
    assert build(example_project, "--engine", "mkdocs").exit_code == 0
    assert (example_project.site / "search" / "search_index.json").is_file()
    assert not (example_project.site / "search.json").exists()


def test_an_unknown_engine_is_a_configuration_error(project) -> None:
    set_engine(project, "hugo")
    proc = socialcal(project, "build")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "settings.yml:" in proc.stderr and "SC505 site.engine:" in proc.stderr
    assert "unknown site engine 'hugo' (known: mkdocs, zensical)" in proc.stderr
    assert CliRunner().invoke(cli, ["--root", str(project.root), "build", "--engine", "hugo"]).exit_code == 2


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_missing_zensical_says_how_to_install_it(example_project, command: str) -> None:
    set_engine(example_project, "zensical")
    # sys.modules[name] = None is how Python spells "not importable" (find_spec returns None).
    proc = socialcal(example_project, command, prelude="import sys; sys.modules['zensical'] = None")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == 'socialcal: the zensical engine is not installed: pip install -e ".[zensical]"\n'
    assert not example_project.site.exists()


@needs_zensical
def test_a_failed_zensical_build_is_one_line_and_keeps_the_previous_site(example_project) -> None:
    assert build(example_project, "--engine", "zensical").exit_code == 0
    before = (example_project.site / "index.html").read_bytes()
    main = override(example_project, "overrides/main.html")
    main.write_text(main.read_text() + "{% block extrahead %}{% endblock %}\n")
    result = build(example_project, "--engine", "zensical")
    assert result.exit_code == 1
    assert "Build stopped: Zensical could not build the site: syntax error: block 'extrahead' defined twice" in (
        result.output
    )
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert (example_project.site / "index.html").read_bytes() == before


def test_the_generated_configuration(tmp_path: Path) -> None:
    project = Project(tmp_path / "repo")
    project.root.mkdir()
    project.mkdocs_yml.write_text(
        "site_name: Cal\nINHERIT: base.yml\ntheme:\n  name: material\n  custom_dir: templates/overrides\n"
        "hooks: [hooks.py]\nnav: [old.md]\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  analytics: !ENV [ANALYTICS, none]\n"
    )
    work = tmp_path / "work"
    data = zensical.config_for(project, work / "docs", work / "site", [("Home", "index.md"), (None, "team.md")])
    assert data["docs_dir"] == "docs" and data["site_dir"] == "site"
    assert data["nav"] == [{"Home": "index.md"}, "team.md"]
    assert data["theme"]["custom_dir"] == str(project.root / "templates" / "overrides")
    assert data["INHERIT"] == str(project.root / "base.yml")
    assert "hooks" not in data
    text = yaml.dump(data, Dumper=zensical._Dumper, sort_keys=False)
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in text
    assert "analytics: !ENV [ANALYTICS, none]" in text.replace("'", "")


def test_warnings_are_read_from_the_coloured_output() -> None:
    stderr = (
        "\x1b[33mWarning:\x1b[0m page does not exist\n   \x1b[38;5;246m╭\x1b[0m\x1b[38;5;246m─\x1b[0m"
        "\x1b[38;5;246m[\x1b[0m team.md:3:5 \x1b[38;5;246m]\x1b[0m\n   \x1b[38;5;246m│\x1b[0m\n"
        " \x1b[38;5;246m3 │\x1b[0m [x](nope.md)\n\x1b[38;5;246m───╯\x1b[0m\n"
        "\x1b[33mWarning:\x1b[0m something without a place\n1 issue found\n"
    )
    assert zensical.warnings_in(stderr) == ["team.md:3:5: page does not exist", "something without a place"]
    assert zensical.failure_in("Build started\n", "Traceback …\nRuntimeError: template not found\n") == (
        "template not found"
    )
    assert zensical.failure_in("", "Error: site_dir must be within project root\n") == (
        "site_dir must be within project root"
    )


def test_search_entries_are_streamed_into_zensical_items(tmp_path: Path) -> None:
    engine = engines.get("zensical") if zensical.importlib.util.find_spec("zensical") else zensical.ENGINE
    page = {"location": "calendar/2027-03/", "level": 1, "title": "March", "text": "", "path": ["March 2027"]}
    (tmp_path / "search.json").write_text(json.dumps({"config": {"lang": ["en"]}, "items": [page]}))
    entries = [
        {"location": "calendar/2027-03/#a", "title": "It&#39;s Q&amp;A", "text": "&lt;script&gt; &#34;x&#34;"},
        {"location": "calendar/2027-04/#b", "title": "B", "text": "é"},
    ]
    engine.add_search_entries(tmp_path, iter(entries))
    data = json.loads((tmp_path / "search.json").read_text())
    assert data["config"] == {"lang": ["en"]} and data["items"][0] == page
    assert data["items"][1] == {
        "location": "calendar/2027-03/#a",
        "level": 2,
        "title": "It's Q&amp;A",
        "text": '&lt;script&gt; "x"',
        "path": ["March 2027"],
        "tags": [],
    }
    assert data["items"][2]["path"] == [] and data["items"][2]["text"] == "é"
    engine.add_search_entries(tmp_path / "nothing", entries)  # no index: nothing to do


@needs_zensical
def test_serve_with_zensical_rebuilds_and_splices_everything(project, write, tmp_path) -> None:
    path = write("a.md", VALID_POST, "First text.")
    write("b.md", VALID_POST.replace("2027-03-02", "2027-04-06").replace("LHC restarts", "April post"), "April.")
    live = LiveSite(project, tmp_path / "live", "zensical")
    live.rebuild()
    march = live.site / "calendar" / "2027-03" / "index.html"
    april = live.site / "calendar" / "2027-04" / "index.html"
    # The month grid shows titles (the text is on the review queue and the post's own page).
    assert "LHC restarts" in march.read_text()

    path.write_text(path.read_text().replace("title: LHC restarts", "title: LHC second run"))
    live.rebuild()
    assert "LHC second run" in march.read_text() and "LHC restarts" not in march.read_text()
    assert "April post" in april.read_text()  # rewritten by Zensical, spliced again
    items = json.loads((live.site / "search.json").read_text())["items"]
    assert {"posts/a/", "posts/b/"} <= {i["location"] for i in items}
    assert "LHC second run" in (live.site / "posts" / "a" / "index.html").read_text()
    assert "April post" in (live.site / "posts" / "b" / "index.html").read_text()
    # Only the edited post's page was written again; the other came over from the last preview.
    assert live.shells is not None and live.shells.written == 1

    before = march.read_bytes()
    main = override(project, "overrides/main.html")
    main.write_text(main.read_text() + "{% block extrahead %}{% endblock %}\n")
    path.write_text(path.read_text().replace("First text.", "Third text."))
    with pytest.raises(engines.BuildFailed, match="defined twice"):
        live.rebuild()
    assert march.read_bytes() == before  # the preview keeps the last good build
