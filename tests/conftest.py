"""Shared fixtures: real projects in temporary folders, built from the repository's registries."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.calendar_model import Calendar
from generator.models import Post
from generator.project import PACKAGE_TEMPLATES, Project
from generator.rules.examples import VALID_POST as VALID_POST  # re-exported for the tests
from generator.validate import Validation, validate

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _hermetic_git(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads the user's or the machine's git configuration (name, hooks, aliases,
    safe.directory, a default branch): git, in this process and in every child, sees an empty one."""
    empty = tmp_path_factory.mktemp("git-config") / "config"
    empty.write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GIT_CONFIG_GLOBAL", str(empty))
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        env.delenv("GIT_DIR", raising=False)
        env.delenv("GIT_WORK_TREE", raising=False)
        yield


def copy_project(dest: Path, with_examples: bool = False) -> Project:
    (dest / "content").mkdir(parents=True)
    for yml in (REPO / "content").glob("*.yml"):
        shutil.copy(yml, dest / "content" / yml.name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    if with_examples:
        shutil.copytree(REPO / "content" / "posts", dest / "content" / "posts")
        shutil.copytree(REPO / "content" / "campaigns", dest / "content" / "campaigns")
        shutil.copytree(REPO / "media", dest / "media")
    else:
        (dest / "content" / "posts").mkdir()
        (dest / "content" / "campaigns").mkdir()
    return Project(dest)


def override(project: Project, rel: str) -> Path:
    """The package's template `rel` (e.g. "pages/home.md.j2") copied into the repository's own
    templates/, where it overrides the package's: the file a test then edits."""
    path = project.templates / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PACKAGE_TEMPLATES / rel, path)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty content repository with the real registries."""
    return copy_project(tmp_path / "repo")


@pytest.fixture
def example_project(tmp_path: Path) -> Project:
    """The repository's example content, copied."""
    return copy_project(tmp_path / "examples", with_examples=True)


def post_text(front: str, body: str = "Text of the post.") -> str:
    return f"---\n{textwrap.dedent(front).strip()}\n---\n\n{body}\n"


@pytest.fixture
def write(project: Project) -> Callable[..., Path]:
    """write(name, front, body=…, kind='posts') creates a content file and returns its path."""

    def _write(name: str, front: str, body: str = "Text of the post.", kind: str = "posts") -> Path:
        path = project.content / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(post_text(front, body), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def check(project: Project) -> Callable[[], Validation]:
    return lambda: validate(project.root, project.registry())


def codes(result: Validation, path_part: str = "") -> list[str]:
    return [d.code for d in result.diagnostics if path_part in d.path]


def run_main(*argv: str) -> tuple[int, str]:
    """The whole command as a user runs it (exit code and combined output), in this process."""
    import contextlib
    import io

    from generator.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            main(list(argv))
        except SystemExit as exc:
            return int(exc.code or 0), out.getvalue()
    return 0, out.getvalue()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests are slow by nature; other modules mark themselves (`pytest.mark.slow`)."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.slow)


# The one clock of the tests: "today" for every calendar they make, and the build's timestamps.
TODAY = dt.date(2026, 11, 26)


def post_at(post_id: str, when: dt.datetime, channels=("twitter-cern",), status="proposed", **extra) -> Post:
    """A post made in memory at `when` (wall time in Zurich), for tests of the model and its views."""
    from zoneinfo import ZoneInfo

    return Post(
        id=post_id,
        path=f"content/posts/{post_id}.md",
        title=extra.pop("title", f"Post {post_id}"),
        date=when.replace(tzinfo=ZoneInfo("Europe/Zurich")),
        channels=channels,
        status=status,
        link="https://home.cern/x",
        body=extra.pop("body", f"Text of {post_id}."),
        **extra,
    )


def small_calendar(cal: Calendar, posts: list[Post], campaigns=(), diagnostics=(), today=TODAY) -> Calendar:
    """`cal`'s registries with only these posts and campaigns."""
    posts_in_order = tuple(sorted(posts, key=lambda p: (p.date, p.id)))
    return Calendar(cal.registry, posts_in_order, tuple(campaigns), today, diagnostics=tuple(diagnostics))
EPOCH = "1795000000"


@pytest.fixture(scope="session")
def example_calendar() -> Calendar:
    """The repository's example content as one calendar on TODAY, read once (do not change it)."""
    registry = Project(REPO).registry()
    result = validate(REPO, registry)
    assert result.ok, [d.to_text() for d in result.errors]
    return Calendar(registry, result.posts, result.campaigns, TODAY, diagnostics=result.diagnostics)


@pytest.fixture
def pinned(monkeypatch) -> None:
    """A reproducible build: today and the timestamps pinned (`pytestmark = pytest.mark.usefixtures("pinned")`)."""
    monkeypatch.setenv("SOCIALCAL_TODAY", TODAY.isoformat())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def invoke(project: Project, *args: str, **kwargs):
    """`socialcal --root PROJECT ARGS…` as a user runs it, in this process (a click Result).

    Never the `socialcal` on PATH: the code under test, whatever is installed or activated."""
    from click.testing import CliRunner

    from generator.cli import cli

    return CliRunner().invoke(cli, ["--root", str(project.root), *args], catch_exceptions=False, **kwargs)


def cli_build(project: Project, *extra: str):
    """`socialcal build` as a user runs it, in this process (a click Result)."""
    return invoke(project, "build", *extra)
