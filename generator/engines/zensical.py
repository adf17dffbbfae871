"""Zensical, the successor of Material for MkDocs: everything that knows about it is here.

Tested with zensical 0.0.73 (README, "Engines"). Zensical reads the same mkdocs.yml, but differs
from MkDocs in ways this adapter absorbs:

* It takes docs_dir, site_dir and nav only from its configuration file, wants both folders
  inside that file's folder and keeps its render cache there (`.cache`). So every build writes a
  configuration of its own, `.socialcal-zensical.yml`, beside the docs tree: mkdocs.yml with the
  generator's folders and navigation, and theme.custom_dir (and INHERIT) made absolute. Tags
  such as `!!python/name:` or `!ENV` are carried over as written, for Zensical to read.
* It takes one custom_dir: the build writes the layered overrides (mkdocs.yml's custom_dir, the
  repository's templates/overrides/, the package's, first found wins) into `.socialcal-overrides`
  beside the docs tree and names that folder.
* It runs as a child process (`python -m zensical build`): its Rust core prints warnings straight
  to the terminal's file descriptors, keeps its configuration in module globals, and its peak
  memory then stays out of socialcal's.
* It has no dirty build: it empties site_dir and writes every page each time (`incremental` is
  False: every page is spliced again and the search entries added again after each build).
* Its search index is `search.json` (`items`), and its search UI shows only &amp; &lt; &gt; as
  entities, so the post entries are re-escaped to that convention.
* It reads every relative href and src of a page's Markdown, raw HTML included, from the folder
  of the page's file and rewrites it for the page's address (one more `../` on a page not named
  index.md): `links_from_file`, for which the pages' Markdown links are made (`urls.href`).
"""

from __future__ import annotations

import html
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from ..content_file import SafeLoader
from ..project import Project, layered_files
from . import BuildFailed, EngineUnavailable, NavItem, override_dirs, theme_names
from .mkdocs import ENGINE as MKDOCS
from .mkdocs import theme_setting

TESTED = "0.0.73"  # the version pinned in pyproject.toml's extras
CONFIG = ".socialcal-zensical.yml"
OVERRIDES = ".socialcal-overrides"
SEARCH_INDEX = "search.json"
STATIC_TEMPLATES = ("404.html", "sitemap.xml")  # what zensical.config sets theme.static_templates to
INSTALL = 'pip install -e ".[zensical]"'

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_WARNING = re.compile(r"\s*Warning:\s*(.*)")
_WHERE = re.compile(r"\[\s*([^\]\s][^\]]*?:\d+:\d+)\s*\]")  # an ariadne frame: ╭─[ index.md:6:10 ]


class _Tagged:
    """A YAML node with a tag we do not construct (!!python/name:…, !ENV …), kept as written."""

    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _Loader(SafeLoader):  # type: ignore[misc,valid-type]
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: _Tagged(node))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(node))
_Dumper.add_representer(_Tagged, lambda dumper, value: value.node)


def _nav(nav: Sequence[NavItem]) -> list[object]:
    return [path if title is None else {title: path} for title, path in nav]


def config_for(project: Project, docs_dir: Path, site_dir: Path, nav: Sequence[NavItem]) -> dict[str, Any]:
    """mkdocs.yml as Zensical must read it from the common parent of docs_dir and site_dir."""
    try:
        with project.mkdocs_yml.open("rb") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except OSError as exc:
        raise BuildFailed(f"{project.mkdocs_yml}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise BuildFailed(f"{project.mkdocs_yml}: not valid YAML: {exc}") from exc
    data = data if data is not None else {}
    if not isinstance(data, dict):
        raise BuildFailed(f"{project.mkdocs_yml}: expected a mapping of settings")
    home = docs_dir.parent
    data["docs_dir"] = os.path.relpath(docs_dir, home)
    data["site_dir"] = os.path.relpath(site_dir, home)
    data["nav"] = _nav(nav)
    data.pop("hooks", None)  # Zensical ignores them; our logic lives in the generator anyway
    base = project.mkdocs_yml.parent
    if isinstance(data.get("INHERIT"), str):
        data["INHERIT"] = str((base / data["INHERIT"]).resolve())
    theme = data.get("theme")
    if isinstance(theme, str):
        theme = data["theme"] = {"name": theme}
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        theme["custom_dir"] = str((base / theme["custom_dir"]).resolve())
    return data


def layer_overrides(project: Project, data: dict[str, Any], dest: Path) -> None:
    """Zensical reads one custom_dir: write into `dest` every file of mkdocs.yml's custom_dir and
    of the override folders (`override_dirs`), the first found winning, and name `dest` instead."""
    theme = data.setdefault("theme", {})
    if not isinstance(theme, dict):
        return
    custom = theme.get("custom_dir")
    dirs = [Path(custom)] if isinstance(custom, str) else []
    shutil.rmtree(dest, ignore_errors=True)
    files = layered_files([*dirs, *override_dirs(project)], "")
    for name, path in files.items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / name)
    dest.mkdir(parents=True, exist_ok=True)
    theme["custom_dir"] = str(dest)


def warnings_in(stderr: str) -> list[str]:
    """'Warning: page does not exist' and its frame '╭─[ index.md:6:10 ]' (in colour, always)
    → 'index.md:6:10: page does not exist'."""
    lines = _ANSI.sub("", stderr).splitlines()
    found = []
    for i, line in enumerate(lines):
        warning = _WARNING.match(line)
        if not warning:
            continue
        where = next((m.group(1) for m in map(_WHERE.search, lines[i + 1 : i + 4]) if m), None)
        found.append(f"{where}: {warning.group(1).strip()}" if where else warning.group(1).strip())
    return found


def failure_in(stdout: str, stderr: str) -> str:
    """Why a build failed: the last line of Zensical's traceback ('RuntimeError: …') or click's
    'Error: …' for configuration errors; else the last thing it said."""
    lines = [line.strip() for line in _ANSI.sub("", stderr).splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith(("RuntimeError:", "Error:", "zensical.config.ConfigurationError:")):
            return line.split(":", 1)[1].strip()
    said = [line.strip() for line in _ANSI.sub("", stdout).splitlines() if line.strip()]
    return (lines or said or ["it said nothing"])[-1]


def search_text(value: str) -> str:
    """An entry's HTML (escaped with markupsafe: &#39; and &#34; too) as Zensical's search UI
    shows it: it decodes only &amp; &lt; &gt;, so anything else would show as written."""
    return html.escape(html.unescape(value), quote=False)


class Zensical:
    name = "zensical"
    incremental = False
    links_from_file = True  # every relative href and src of a page's Markdown, raw HTML included

    def check(self) -> None:
        if importlib.util.find_spec("zensical") is None:
            raise EngineUnavailable(f"the zensical engine is not installed: {INSTALL}")

    def check_settings(self, project: Project) -> None:
        MKDOCS.check_settings(project)  # the same mkdocs.yml

    def site_url(self, project: Project) -> str:
        return MKDOCS.site_url(project)  # the same mkdocs.yml

    def repo_url(self, project: Project) -> str:
        return MKDOCS.repo_url(project)

    def reserved(self, project: Project) -> frozenset[str]:
        """Zensical's theme folder (it bundles its own Material: assets/, 404.html, sitemap.xml)
        with the custom_dir, and its search index (it writes no compressed sitemap)."""
        spec = importlib.util.find_spec("zensical")
        dirs = [Path(p) / "templates" for p in (spec.submodule_search_locations or [])] if spec else []
        try:
            with project.mkdocs_yml.open("rb") as fh:
                _, custom = theme_setting(project, yaml.load(fh, Loader=_Loader))
        except (OSError, yaml.YAMLError):
            custom = None
        dirs += [*([custom] if custom else []), *override_dirs(project)]
        return frozenset(theme_names(dirs, STATIC_TEMPLATES) | {SEARCH_INDEX})

    def build(
        self,
        project: Project,
        docs_dir: Path,
        site_dir: Path,
        nav: Sequence[NavItem],
        *,
        dirty: bool = False,
        epoch: str | None = None,
    ) -> list[str]:
        """A whole build, always (`dirty` is ignored); `epoch` is passed on, though Zensical 0.0.73
        writes no timestamps (its sitemap has no lastmod)."""
        docs_dir, site_dir = docs_dir.resolve(), site_dir.resolve()
        if site_dir.parent != docs_dir.parent:
            raise BuildFailed(f"Zensical needs {docs_dir} and {site_dir} in one folder")
        config = docs_dir.parent / CONFIG
        data = config_for(project, docs_dir, site_dir, nav)
        layer_overrides(project, data, docs_dir.parent / OVERRIDES)
        config.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
        env = {**os.environ, "NO_COLOR": "1", **({"SOURCE_DATE_EPOCH": epoch} if epoch else {})}
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "zensical", "build", "-f", str(config)],
                cwd=config.parent,
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except OSError as exc:
            raise BuildFailed(f"cannot run Zensical: {exc}") from exc
        warnings = warnings_in(proc.stderr)
        if proc.returncode != 0:
            if "No module named zensical" in proc.stderr:
                raise EngineUnavailable(f"the zensical engine is not installed: {INSTALL}")
            said = "; ".join(warnings)
            why = failure_in(proc.stdout, proc.stderr)
            raise BuildFailed(f"Zensical could not build the site: {why}" + (f" ({said})" if said else ""))
        if not (site_dir / "index.html").is_file():
            raise BuildFailed(f"Zensical said it built the site but wrote no {site_dir / 'index.html'}")
        version = importlib.metadata.version("zensical")
        if version != TESTED:
            warnings.append(f"Zensical {version} is installed; socialcal is tested with {TESTED} ({INSTALL})")
        return warnings

    def page_file(self, site_dir: Path, url: str) -> Path:
        return site_dir / url / "index.html"

    def add_search_entries(self, site_dir: Path, entries: Iterable[dict[str, str]]) -> None:
        """Zensical's index ({"config": …, "items": [{location, level, title, text, path, tags}]}),
        rewritten with the entries streamed into its items. An entry's `path` (the breadcrumb under
        a result) is its page's, when that page is in the index, else that of the page it is
        `under` (a post's page is not in the index: its month's)."""
        index = site_dir / SEARCH_INDEX
        if not index.is_file():
            return
        data = json.loads(index.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            return
        items = data.pop("items", [])
        crumbs = {item.get("location"): item.get("path", []) for item in items if "#" not in item.get("location", "#")}
        tmp = index.with_name(index.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            head = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            fh.write(head[:-1] + (',"items":[' if data else '"items":['))
            for i, item in enumerate(items):
                fh.write("," if i else "")
                fh.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
            first = not items
            for entry in entries:
                location = entry["location"]
                item = {
                    "location": location,
                    "level": 2 if "#" in location else 1,
                    "title": search_text(entry.get("title", "")),
                    "text": search_text(entry.get("text", "")),
                    "path": crumbs.get(location.split("#", 1)[0]) or crumbs.get(entry.get("under", ""), []),
                    "tags": [],
                }
                fh.write("" if first else ",")
                fh.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
                first = False
            fh.write("]}")
        tmp.replace(index)


ENGINE = Zensical()
