"""The layers of generator/: no import cycle, and no module imports one of a higher layer.

Every import counts, at module level and inside functions (a command or check that imports when it
runs still depends on what it imports), except those under `if TYPE_CHECKING:`, which only name
types and never run. Importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` too, so it
depends on those packages as well. Imports by name at run time (`importlib.import_module`: the
engine a build asks for, `engines.get`) are not seen.

The order (docs/ARCHITECTURE.md, "Layers"), low to high; a module may import its own layer and
those below. A new module gets a row here.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

LAYERS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (name, frozenset(modules.split()))
    for name, modules in (
        # Knows no content model: text, files, processes, git, messages.
        (
            "base",
            "generator errors characters urls statuses ids engine_names cache parallel terminal diagnostics "
            "safe_write provenance issue_form attachments media_files image_decoding thumbnails published_images",
        ),
        # The rule unit and the rules the readers below report as they read (declarations only).
        ("rule declarations", "rules rules.core rules.examples rules.file rules.declared rules.scheduler_limits"),
        # Reading the repository: registries, files, models, dates, text; the editors' set-up; the
        # site engines' adapters (they read mkdocs.yml; build and serve drive them).
        (
            "registry, models, load",
            "networks networks.network networks.bluesky networks.facebook networks.googleplus networks.instagram "
            "networks.instagram_stories networks.itunesu networks.linkedin networks.mastodon networks.snapchat "
            "networks.threads networks.tiktok networks.twitter networks.youtube "
            "dates date_formats content_file registry_reading settings followers registry models project new "
            "load clashes "
            "linkcheck text_counting utm_tags outgoing_text markup json_schema "
            "editor_config engines engines.mkdocs engines.zensical sitepaths github_links docs_tree bulk_pages "
            "kpis pulls",
        ),
        # The checks that need the registries and the models, and the catalogue of all the rules.
        (
            "rule checks",
            "rules.fields rules.links rules.channel_fit rules.media_checks rules.series_format rules.planning "
            "rules.analytics "
            "rules.repository rules.catalogue",
        ),
        (
            "validate, calendar, pipeline",
            "besttimes validate validate_cache validate_replay slots calendar_model pipeline changes proposals",
        ),
        (
            "views",
            "views views.ical_text views.charts views.assets views.kpi_report views.feed_table views.feeds "
            "views.search views.summary views.pages "
            "views.pages.site_data views.pages.render views.pages.calendar_pages views.pages.campaigns "
            "views.pages.channels "
            "views.pages.hashtags views.pages.home views.pages.posts views.pages.results views.pages.review "
            "views.pages.series views.pages.subscribe views.pages.table",
        ),
        # What the commands call: building, serving, exporting, writing files, GitHub review.
        (
            "build, serve and the commands' logic",
            "prerender build serve exports results_import new_files pr_comment approval starter",
        ),
        (
            "commands",
            "commands commands.common commands.validate commands.build commands.pulls commands.serve commands.new "
            "commands.results commands.report commands.export commands.schema commands.editor_config commands.init "
            "cli __main__",
        ),
    )
)


def _name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(tree: ast.Module) -> set[int]:
    """The nodes under `if TYPE_CHECKING:` (their imports never run)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for stmt in node.body for inner in ast.walk(stmt))
    return skipped


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The modules of the package an import statement names (`from . import x`: the module x)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    target = (f"{base}.{node.module}" if base else node.module or "") if node.level else node.module or ""
    target = target if node.module or not node.level else base
    return [f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target for alias in node.names]


def import_graph(root: Path = PACKAGE) -> dict[str, dict[str, int]]:
    """Module → {module of the package it imports: the line of the first such import}."""
    files = {_name(path, root): path for path in sorted(root.rglob("*.py"))}
    known = set(files)
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        skipped = _type_only(tree)
        deps: dict[str, int] = {}
        for node in ast.walk(tree):
            if id(node) in skipped or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(module, path.name == "__init__.py", node, known):
                while target and target not in known:  # `from .x import name`: the module x
                    target = target.rpartition(".")[0]
                # The packages on the way run too (not those the importer is inside: they already ran).
                while target and target != module and not module.startswith(target + "."):
                    deps.setdefault(target, node.lineno)
                    target = target.rpartition(".")[0]
        graph[module] = deps
    return graph


def find_cycle(graph: dict[str, dict[str, int]]) -> list[str]:
    """One import cycle as a path (first module repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for dep in sorted(graph.get(module, {})):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def _shown(cycle: list[str], graph: dict[str, dict[str, int]]) -> str:
    return "\n".join(f"  {a} (line {graph[a][b]}) imports {b}" for a, b in itertools.pairwise(cycle))


def test_there_is_no_import_cycle_in_the_package() -> None:
    graph = import_graph()
    cycle = find_cycle(graph)
    assert not cycle, "import cycle:\n" + _shown(cycle, graph)


def test_every_module_of_the_package_has_a_layer_and_one_only() -> None:
    placed = [f"generator.{m}" if m != "generator" else m for _, modules in LAYERS for m in modules]
    assert len(placed) == len(set(placed)), sorted(m for m in placed if placed.count(m) > 1)
    assert sorted(set(import_graph())) == sorted(placed)


def test_no_module_imports_one_of_a_higher_layer() -> None:
    layer = {(f"generator.{m}" if m != "generator" else m): i for i, (_, modules) in enumerate(LAYERS) for m in modules}
    graph = import_graph()
    upward = [
        f"{module} ({LAYERS[layer[module]][0]}) imports {dep} ({LAYERS[layer[dep]][0]}) at line {line}"
        for module, deps in sorted(graph.items())
        for dep, line in sorted(deps.items())
        if module in layer and dep in layer and layer[dep] > layer[module]
    ]
    assert not upward, "\n".join(upward)


# --- the graph itself, on a package made for it ------------------------------------------------------


@pytest.fixture
def package(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "low.py": "import os\n",
        "high.py": "from . import low\n",
        "lazy.py": "def run():\n    from .high import thing\n",
        "typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .lazy import run\n",
        "sub/__init__.py": "from ..low import x\n",
        "sub/deep.py": "from .. import typed\nimport pkg.low\n",
        "user.py": "from .sub.deep import y\n",
    }
    root = tmp_path / "pkg"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_graph_sees_imports_in_functions_and_relative_ones_but_not_type_only_ones(package: Path) -> None:
    graph = import_graph(package)
    assert graph["pkg.high"] == {"pkg.low": 1}  # `from . import low` is the module low
    assert graph["pkg.lazy"] == {"pkg.high": 2}  # inside a function
    assert graph["pkg.typed"] == {}  # under TYPE_CHECKING
    assert graph["pkg.sub"] == {"pkg.low": 1}
    assert graph["pkg.sub.deep"] == {"pkg.typed": 1, "pkg.low": 2}  # its own package has already run
    assert graph["pkg.user"] == {"pkg.sub.deep": 1, "pkg.sub": 1}  # importing sub.deep runs sub/__init__


def test_a_cycle_is_found_whatever_its_length_and_shown_as_a_path(package: Path) -> None:
    graph = import_graph(package)
    assert find_cycle(graph) == []
    (package / "low.py").write_text("def later():\n    from .lazy import run\n", encoding="utf-8")
    cycle = find_cycle(import_graph(package))
    assert cycle == ["pkg.high", "pkg.low", "pkg.lazy", "pkg.high"]
    (package / "low.py").write_text("from .user import z\n", encoding="utf-8")  # through a package's __init__
    cycle = find_cycle(import_graph(package))
    assert cycle[0] == cycle[-1] and "pkg.sub" in cycle


# Names that say what a module is: no two modules share a name (a command's module bears its
# command's name, as `socialcal build` is commands/build.py, and is the one exception), and none
# takes the name of a module of Python's standard library (`calendar` would read as that one).


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" and "__pycache__" not in p.parts)


def test_no_two_modules_share_a_name_outside_the_commands() -> None:
    seen: dict[str, list[str]] = {}
    for path in _modules():
        if path.parent.name != "commands":
            seen.setdefault(path.stem, []).append(str(path.relative_to(PACKAGE.parent)))
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


def test_no_module_takes_the_name_of_a_standard_library_module() -> None:
    import sys

    taken = {p.stem for p in _modules() if p.stem in sys.stdlib_module_names}
    taken |= {p.name for p in PACKAGE.rglob("*") if p.is_dir() and p.name in sys.stdlib_module_names}
    assert taken == set()
