"""`socialcal serve`: a live preview that rebuilds when content, templates or registries change.

Errors never stop the server: they are printed in the terminal and shown on every page as a
banner, above the posts that could still be read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from .build import BuildFailed, LiveSite
from .project import Project
from .registry import ConfigError


def rebuild(live: LiveSite) -> bool:
    try:
        outcome = live.rebuild()
    except ConfigError as exc:
        click.echo(f"configuration error: {exc} (the preview keeps the last good build)", err=True)
        return False
    except BuildFailed as exc:
        click.echo(f"build failed: {exc} (the preview keeps the last good build)", err=True)
        return False
    for d in outcome.validation.diagnostics:
        click.echo(d.to_text())
    click.echo(outcome.describe())
    return True


def serve(project: Project, host: str, port: int) -> None:
    from mkdocs.livereload import LiveReloadServer

    with tempfile.TemporaryDirectory(prefix="socialcal-serve-") as tmp:
        live = LiveSite(project, Path(tmp))
        rebuild(live)
        server = LiveReloadServer(builder=lambda: rebuild(live), host=host, port=port, root=str(live.site))
        for path in (project.content, project.templates, project.mkdocs_yml):
            if path.exists():
                server.watch(str(path))
        click.echo(f"Serving the calendar on http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
