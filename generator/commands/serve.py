"""`socialcal serve`: the live preview (the work is `serve.serve`)."""

from __future__ import annotations

import click

from ..engines import EngineUnavailable
from .common import EXIT_USAGE, engine_option, project_of


@click.command("serve")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: visible to the network)."
)
@engine_option
@click.pass_context
def serve_cmd(ctx: click.Context, port: int, host: str, engine: str | None) -> None:
    """Live preview: rebuild when content, templates or registries change."""
    from ..serve import serve

    try:
        serve(project_of(ctx), host, port, engine)
    except EngineUnavailable as exc:
        click.echo(f"socialcal: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
