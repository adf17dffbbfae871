"""MkDocs + Material: everything that knows about them is here.

mkdocs.yml holds the site's own settings (name, address, theme, extensions); the docs folder,
the output folder and the navigation come from the generator and override whatever it says.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import yaml

from ..content_file import SafeLoader
from ..errors import ConfigError, writing
from ..project import Project
from . import BuildFailed, NavItem, override_dirs, theme_names


class _TagBlindLoader(SafeLoader):
    """Reads mkdocs.yml for its plain values: tags such as !!python/name (Material's extensions)
    or !ENV become None instead of being constructed."""


_TagBlindLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TagBlindLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@contextmanager
def _quiet() -> Iterator[list[str]]:
    """Collect MkDocs' warnings instead of letting its INFO chatter reach the terminal."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            # The dirty build of `serve` is deliberate: MkDocs' warning about it is not news.
            if record.levelno >= logging.WARNING and "'dirty' build" not in record.getMessage():
                messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


@contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    """Set an environment variable for the duration of a block (MkDocs reads it, we don't keep it)."""
    before = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _nav(nav: Sequence[NavItem]) -> list[object]:
    return [path if title is None else {title: path} for title, path in nav]


def _write_json_value(fh: TextIO, value: object) -> None:
    fh.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


_ENTRY_KEYS = ("location", "title", "text")  # what Material's index holds of a search entry
SEARCH_INDEX = "search/search_index.json"  # written by the search plugin
# MkDocs writes a compressed copy of its sitemap (the sitemap itself is a template of its theme).
SITEMAP_GZ = "sitemap.xml.gz"


def theme_setting(project: Project, config: object) -> tuple[str | None, Path | None]:
    """mkdocs.yml's theme: its name and custom_dir, from `theme: name` or a mapping. A custom_dir
    outside the repository is left out (its names are listed in messages: read nothing else)."""
    theme = config.get("theme") if isinstance(config, dict) else None
    if isinstance(theme, str):
        return theme, None
    if not isinstance(theme, dict):
        return None, None
    name, custom = theme.get("name"), theme.get("custom_dir")
    folder = (project.mkdocs_yml.parent / custom).resolve() if isinstance(custom, str) else None
    if folder is not None and not folder.is_relative_to(project.root.resolve()):
        folder = None
    return (name if isinstance(name, str) else None), folder


def _line_of(path: Path, key: str) -> int | None:
    """The line of a top-level key in a YAML file; None when it is not there (an INHERIT'ed file's)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, 1) if line.split(":", 1)[0].strip("'\" ") == key), None)


def _shown(value: object) -> str:
    from ..diagnostics import one_line

    return one_line(str(value).lower() if isinstance(value, bool) else repr(value))[:60]


class MkDocs:
    name = "mkdocs"
    incremental = True
    links_from_file = False  # raw HTML is left as written

    def check(self) -> None:
        pass  # a dependency of socialcal itself

    def _config(self, project: Project) -> object:
        """mkdocs.yml's plain values, merged over those of the file it INHERITs as MkDocs merges
        them (its own reader, given the tag-blind loader); None when absent or unreadable."""
        from mkdocs.exceptions import ConfigurationError
        from mkdocs.utils.yaml import yaml_load

        try:
            with project.mkdocs_yml.open("rb") as fh:
                return yaml_load(fh, _TagBlindLoader)
        except (OSError, yaml.YAMLError, ConfigurationError, RecursionError, AttributeError, TypeError, ValueError):
            return None

    def _setting(self, project: Project, key: str) -> str:
        """A plain value of mkdocs.yml ("" when absent or unreadable)."""
        config = self._config(project)
        value = config.get(key) if isinstance(config, dict) else None
        return str(value).strip() if isinstance(value, str) else ""

    def reserved(self, project: Project) -> frozenset[str]:
        """The theme's folders as MkDocs finds them (custom_dir, the theme, MkDocs' own templates:
        the sitemap), the search plugin's folder and the compressed sitemap."""
        import mkdocs
        from mkdocs.theme import Theme

        name, custom = theme_setting(project, self._config(project))
        custom_dir = str(custom) if custom else None
        try:
            theme = Theme(name=name, custom_dir=custom_dir)
            dirs, static = [*theme.dirs, *override_dirs(project)], theme.static_templates
        except Exception:  # an unknown theme: the build reports it; its own folders are still known
            dirs = [d for d in (custom_dir, *override_dirs(project), Path(mkdocs.__file__).parent / "templates") if d]
            static = set(os.listdir(Path(mkdocs.__file__).parent / "templates"))
        return frozenset(theme_names(dirs, static) | {SEARCH_INDEX.split("/")[0], SITEMAP_GZ})

    def check_settings(self, project: Project) -> None:
        config = self._config(project)
        # Every page is a folder's index.html, and every link (the pages', the feeds', the
        # spliced posts') is made to that folder: a site of page.html files would have none.
        if isinstance(config, dict) and config.get("use_directory_urls", True) is not True:
            line = _line_of(project.mkdocs_yml, "use_directory_urls")
            where = f"{project.mkdocs_yml.name}:{line or 1}: " + ("" if line else "(in the file it INHERITs) ")
            raise BuildFailed(
                f"{where}use_directory_urls: {_shown(config['use_directory_urls'])} is not supported: socialcal "
                "gives every page its own folder (posts/<id>/); remove the line"
            )

    def site_url(self, project: Project) -> str:
        value = self._setting(project, "site_url")
        if not value:
            return "http://127.0.0.1:8000/"
        try:
            parts = urlsplit(value)
            usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # https://[::1/ : an address Python cannot take apart
            usable = False
        if not usable:  # every feed link, UID and export address would be made from it
            line = _line_of(project.mkdocs_yml, "site_url") or 1
            raise ConfigError(
                f"{project.mkdocs_yml.name}:{line}: site_url {_shown(value)} is not a web address; "
                "write the site's public address, e.g. https://cern.github.io/socialcal/"
            )
        return value.rstrip("/") + "/"

    def repo_url(self, project: Project) -> str:
        """`repo_url` when it is a web address (https), without a trailing '/' or '.git'."""
        from ..linkcheck import SECURE, form_problem

        value = self._setting(project, "repo_url").rstrip("/").removesuffix(".git")
        # The one address check (linkcheck), and no quote or bracket: the theme writes it too.
        return "" if form_problem(value, SECURE) or any(c in value for c in "\"'<>`") else value

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
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        with _quiet() as warnings, _environment("SOURCE_DATE_EPOCH", epoch):
            try:
                config = load_config(
                    str(project.mkdocs_yml), docs_dir=str(docs_dir), site_dir=str(site_dir), nav=_nav(nav)
                )
                # The overrides (the repository's, then the package's) right above the theme.
                at = 1 if config.theme.custom_dir else 0
                config.theme.dirs[at:at] = [str(d) for d in override_dirs(project)]
                config.plugins.on_startup(command="build", dirty=dirty)
                try:
                    mkdocs_build(config, dirty=dirty)
                finally:
                    config.plugins.on_shutdown()
            except MkDocsException as exc:
                said = "; ".join(warnings)
                raise BuildFailed(f"MkDocs could not build the site: {exc}" + (f" ({said})" if said else "")) from exc
        return warnings

    def page_file(self, site_dir: Path, url: str) -> Path:
        return site_dir / url / "index.html"

    def add_search_entries(self, site_dir: Path, entries: Iterable[dict[str, str]]) -> None:
        """Material's index (search/search_index.json; absent with another theme: skipped),
        rewritten with the entries streamed into its `docs` list."""
        index = site_dir / SEARCH_INDEX
        if not index.is_file():
            return
        data = json.loads(index.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            return
        data.setdefault("docs", [])
        tmp = index.with_name(index.name + ".tmp")
        with writing(index), tmp.open("w", encoding="utf-8") as fh:
            fh.write("{")
            for i, (key, value) in enumerate(data.items()):
                if i:
                    fh.write(",")
                _write_json_value(fh, key)
                fh.write(":")
                if key != "docs":
                    _write_json_value(fh, value)
                    continue
                fh.write("[")
                first = True
                ours = ({k: entry[k] for k in _ENTRY_KEYS if k in entry} for entry in entries)
                for doc in itertools.chain(value, ours):
                    if not first:
                        fh.write(",")
                    _write_json_value(fh, doc)
                    first = False
                fh.write("]")
            fh.write("}")
        tmp.replace(index)


ENGINE = MkDocs()
