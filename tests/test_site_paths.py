"""pages/ is published as written, so it may not take a name the build writes at the top of the
site (SC504): a script at pages/assets/javascripts/bundle….min.js would replace the theme's on
every page, a pages/index.md the home page, a pages/posts/<id>.md a post's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildFailed
from generator.project import Project
from generator.serve import LiveSite
from generator.sitepaths import generated_names, page_conflicts, published, reserved
from generator.views.pages.table import PAGES

from .conftest import VALID_POST, run_main

# The theme's bundle as Material 9 names it, and as a pull request would plant it.
SHADOWS = [
    "assets/javascripts/bundle.a5f9d56c.min.js",
    "assets/stylesheets/main.css",
    "Assets/javascripts/bundle.min.js",  # a case-insensitive checkout writes it over assets/
    "assets/socialcal.js",  # socialcal's own script
    "index.md",  # the home page
    "INDEX.html",
    "README.md",  # read as the folder's index.md by the engines
    "posts/2027-03-02-lhc.md",  # a post's page (posts/<id>/)
    "posts/evil/index.html",
    "calendar/2027-03.md",
    "review/index.html",
    "rules.md",
    "feeds/all.ics",
    "search/search_index.json",
    "sitemap.xml",
    "sitemap.txt",
    "404.html",
]
ALLOWED = ["team.md", "guides/tone.md", "guides/logo.svg", "team/bundle.min.js", "blog.md", "main.md"]


def plant(project: Project, names: list[str]) -> None:
    for name in names:
        path = project.root / "pages" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"<script>alert(document.domain)</script>\n")


@pytest.mark.parametrize("name", SHADOWS)
def test_a_page_taking_a_name_of_the_generated_site_is_refused(project: Project, name: str) -> None:
    plant(project, [name])
    (conflict,) = page_conflicts(project)
    path, message, hint = conflict
    assert path == f"pages/{name}"
    assert f"would be published at {published(name)}" in message and "written by" in message
    assert "pages/team/" in hint


def test_pages_with_names_of_their_own_are_published(project: Project) -> None:
    plant(project, ALLOWED)
    assert page_conflicts(project) == []


def test_the_theme_folders_and_search_index_of_every_installed_engine_are_reserved(project: Project) -> None:
    from generator.engines import zensical

    taken = reserved(project)
    assert {"assets", "search", "sitemap", "404", "index", "posts", "calendar", "feeds", "week"} <= set(taken)
    assert "mkdocs" in taken["search"] and "socialcal" in taken["assets"]
    if zensical.importlib.util.find_spec("zensical") is not None:
        assert "zensical" in taken["search"]  # search.json
    # Templates that no engine publishes (Material's blog.html, main.html) leave their names free.
    assert "blog" not in taken and "main" not in taken


def test_validate_reports_it_at_the_file_with_its_rule_and_exits_1(project: Project) -> None:
    plant(project, ["assets/javascripts/bundle.a5f9d56c.min.js", "team.md"])
    status, output = run_main("--root", str(project.root), "validate")
    assert status == 1
    assert "pages/assets/javascripts/bundle.a5f9d56c.min.js: error SC504" in output
    assert "pages/team.md" not in output


def test_serve_which_builds_despite_errors_never_publishes_such_a_page(project: Project, tmp_path: Path) -> None:
    (project.content / "posts" / "a.md").write_text(f"---\n{VALID_POST}\n---\n\nText.\n")
    plant(project, ["assets/javascripts/bundle.a5f9d56c.min.js"])
    live = LiveSite(project, tmp_path / "live")
    with pytest.raises(BuildFailed, match="SC504"):
        live.rebuild()
    assert not (live.docs / "assets" / "javascripts").exists()


def assert_all_reserved(project: Project, site: Path, own: set[str]) -> None:
    """Every name at the top of a real build is reserved, but the team's own pages: the
    reservation is derived from what the build writes, and this keeps it so."""
    from generator.sitepaths import _key

    taken = reserved(project)
    missing = [p.name for p in site.iterdir() if not p.name.startswith(".") and p.name not in own]
    assert [name for name in missing if _key(name) not in taken] == []


def test_everything_a_build_writes_at_the_top_is_reserved(example_project: Project) -> None:
    plant(example_project, ["team.md"])
    status, output = run_main("--root", str(example_project.root), "build")
    assert status == 0, output
    assert_all_reserved(example_project, example_project.site, {"team"})


def test_every_row_of_the_table_of_pages_writes_under_a_reserved_name(example_calendar) -> None:
    """sitepaths sits below the table of pages (SC504 checks with it), so it reads the pages'
    addresses from urls.TOP_PAGES: a new row under a folder of its own must be listed there."""
    from generator.views.pages.site_data import SiteData

    site = SiteData(example_calendar, "https://example.org/")
    top = generated_names()
    for page in PAGES:
        paths = [page.path] if isinstance(page.path, str) else [page.path(item) for item in page.items(site)]
        for src in [*paths, *([page.shell] if isinstance(page.shell, str) else [])]:
            assert published(src).split("/", 1)[0] in top, (page.template, src)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("# Café\n".encode("latin-1"), "pages/team.md:1: the page is not UTF-8 text (byte 0xe9)"),
        ("# Team\n".encode("utf-16"), "pages/team.md:1: the page is not UTF-8 text (byte 0xff)"),
        (b"# Team\n\nfine\n\x80\x81 binary\n", "pages/team.md:4: the page is not UTF-8 text (byte 0x80)"),
    ],
)
def test_a_page_not_saved_as_utf8_stops_the_build_at_its_line(project: Project, write, data: bytes, said: str) -> None:
    """The engine reads a page as UTF-8 and stopped inside, reported as a bug in socialcal (exit 70);
    an image beside it is bytes and published as they are."""
    write("a.md", VALID_POST)
    (project.root / "pages").mkdir()
    (project.root / "pages" / "team.md").write_bytes(data)
    (project.root / "pages" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x80\xff")
    status, output = run_main("--root", str(project.root), "build")
    assert status == 1 and said in output and "save it as UTF-8" in output, output
    assert "bug in socialcal" not in output
