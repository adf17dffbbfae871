"""The templates ship in the package; a repository's templates/ overrides them file by file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import engines, urls
from generator.engines import zensical
from generator.project import PACKAGE_TEMPLATES, Project, layered_files
from generator.views.assets import static_assets
from generator.views.pages.render import Renderer

from .conftest import override


def test_a_repository_without_templates_uses_the_packages(project: Project) -> None:
    assert not project.templates.exists()
    assert project.template_dirs == (project.templates, PACKAGE_TEMPLATES)
    pages = layered_files(project.template_dirs, "pages")
    assert pages["home.md.j2"] == PACKAGE_TEMPLATES / "pages" / "home.md.j2"
    assert engines.override_dirs(project) == [PACKAGE_TEMPLATES / "overrides"]


def test_the_repositorys_file_wins_and_the_others_come_from_the_package(project: Project) -> None:
    mine = override(project, "pages/home.md.j2")
    (project.templates / "pages" / "extra.j2").write_text("mine alone\n")
    pages = layered_files(project.template_dirs, "pages")
    assert pages["home.md.j2"] == mine
    assert pages["extra.j2"] == project.templates / "pages" / "extra.j2"
    assert pages["month.md.j2"] == PACKAGE_TEMPLATES / "pages" / "month.md.j2"
    assert engines.override_dirs(project) == [PACKAGE_TEMPLATES / "overrides"]  # none of its own yet
    override(project, "overrides/main.html")
    assert engines.override_dirs(project) == [project.templates / "overrides", PACKAGE_TEMPLATES / "overrides"]


def test_an_overridden_page_template_renders_and_includes_still_come_from_the_package(
    project: Project, example_calendar
) -> None:
    base = Renderer(project.template_dirs).render("rules.md.j2", urls.RULES, example_calendar, rules=[])
    page = project.templates / "pages" / "rules.md.j2"
    page.parent.mkdir(parents=True)
    # An include the repository does not have: found in the package (_macros.j2).
    page.write_text('{% import "_macros.j2" as m %}OUR RULES PAGE\n')
    renderer = Renderer(project.template_dirs)
    assert renderer.render("rules.md.j2", urls.RULES, example_calendar, rules=[]) == "OUR RULES PAGE\n"
    assert base != "OUR RULES PAGE\n"


def test_an_override_added_after_a_first_render_is_seen_and_changes_the_digest(
    project: Project, example_calendar
) -> None:
    # serve keeps one process: Jinja's reload watches the file it loaded, not a new one above it.
    first = Renderer(project.template_dirs)
    first.render("rules.md.j2", urls.RULES, example_calendar, rules=[])
    override(project, "pages/rules.md.j2").write_text("NEW OVERRIDE\n")
    second = Renderer(project.template_dirs)
    assert second.templates_digest != first.templates_digest
    assert second.render("rules.md.j2", urls.RULES, example_calendar, rules=[]) == "NEW OVERRIDE\n"


def test_an_edited_template_is_seen_by_the_next_round_without_a_look_at_the_disk_per_page(
    project: Project, example_calendar
) -> None:
    # Pages do not stat their templates (10,000 post pages): a round's Renderer has the
    # environment of its files' digest, so an edit (even one keeping the size and the time) is a
    # new environment.
    page = override(project, "pages/rules.md.j2")
    page.write_text("FIRST\n")
    first = Renderer(project.template_dirs)
    assert first.render("rules.md.j2", urls.RULES, example_calendar, rules=[]) == "FIRST\n"
    assert not first.env.auto_reload
    stat = page.stat()
    page.write_text("OTHER\n")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert first.render("rules.md.j2", urls.RULES, example_calendar, rules=[]) == "FIRST\n"  # within a round
    second = Renderer(project.template_dirs)
    assert second.render("rules.md.j2", urls.RULES, example_calendar, rules=[]) == "OTHER\n"


def test_assets_are_looked_up_file_by_file(project: Project) -> None:
    registry = project.registry()
    package = static_assets(project.template_dirs, registry)
    override(project, "assets/socialcal.css").write_text("/* ours */\n")
    (project.templates / "assets" / "team.js").write_text("// ours too\n")
    mine = static_assets(project.template_dirs, registry)
    assert mine["assets/socialcal.css"] == "/* ours */\n"
    assert mine["assets/team.js"] == "// ours too\n"
    assert mine["assets/socialcal.js"] == package["assets/socialcal.js"]
    # The pull requests' stylesheet is still appended to the repository's own.
    with_prs = static_assets(project.template_dirs, registry, proposals=True)
    assert with_prs["assets/socialcal.css"].startswith("/* ours */\n") and len(with_prs["assets/socialcal.css"]) > 20


def test_zensical_gets_one_folder_with_the_layers_merged(project: Project, tmp_path: Path) -> None:
    override(project, "overrides/main.html").write_text("REPO MAIN\n")
    custom = project.root / "custom"
    (custom / "partials").mkdir(parents=True)
    (custom / "partials" / "source.html").write_text("CUSTOM SOURCE\n")
    data: dict = {"theme": {"name": "material", "custom_dir": str(custom)}}
    dest = tmp_path / "work" / zensical.OVERRIDES
    (dest / "stale.html").parent.mkdir(parents=True)
    (dest / "stale.html").write_text("from the last build\n")
    zensical.layer_overrides(project, data, dest)
    assert data["theme"]["custom_dir"] == str(dest)
    assert (dest / "partials" / "source.html").read_text() == "CUSTOM SOURCE\n"  # mkdocs.yml's custom_dir first
    assert (dest / "main.html").read_text() == "REPO MAIN\n"  # then the repository's templates/overrides/
    assert not (dest / "stale.html").exists()
    assert not (project.templates / "overrides" / "partials").exists()  # nothing written into the repository
    assert (PACKAGE_TEMPLATES / "overrides" / "main.html").read_text() != "REPO MAIN\n"


@pytest.mark.slow
def test_a_repository_override_changes_the_built_site_and_its_absence_does_not(project, write) -> None:
    from .conftest import VALID_POST, cli_build

    write("ok.md", VALID_POST)
    assert cli_build(project).exit_code == 0
    before = (project.site / "index.html").read_text()
    home = override(project, "pages/home.md.j2")
    home.write_text(home.read_text() + "\nOUR-HOME-MARKER\n")
    main = override(project, "overrides/main.html")
    main.write_text(main.read_text().replace("{% block extrahead %}", "{% block extrahead %}<!-- OUR-THEME -->", 1))
    assert cli_build(project).exit_code == 0
    after = (project.site / "index.html").read_text()
    assert "OUR-HOME-MARKER" in after and "OUR-HOME-MARKER" not in before
    assert "<!-- OUR-THEME -->" in after and "<!-- OUR-THEME -->" not in before


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("Hello\n{{ nope.nope }}", "home.md.j2:2: template error: 'nope' is undefined"),
        ("{{ 1 / 0 }}", "home.md.j2:1: template error: division by zero"),
        ("{% include 'home.md.j2' %}", "home.md.j2:1: template error: maximum recursion depth exceeded"),
        ("{% if %}", "home.md.j2:1: template error: Expected an expression"),  # as before: the syntax
    ],
)
def test_an_overridden_page_template_that_fails_is_named_with_its_line(project, write, body: str, said: str) -> None:
    """A team's override that fails while rendering (not only one that does not parse) stops the
    build at its file and line (exit 1), not as "a bug in socialcal" (exit 70)."""
    from .conftest import VALID_POST, cli_build

    write("ok.md", VALID_POST)
    override(project, "pages/home.md.j2").write_text(body, encoding="utf-8")
    result = cli_build(project)
    assert result.exit_code == 1 and said in result.output, result.output
    assert "bug in socialcal" not in result.output and not project.site.exists()
