"""`socialcal schema`: the JSON Schemas of front-matter and registries, for editors."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .common import project_of, said


@click.command("schema")
@click.argument("kind", required=False, default="post", metavar="[post|campaign|REGISTRY]")
@click.option("--all", "write_all", is_flag=True, help="Write the registries' schemas (content/*.yml) to --out.")
@click.option(
    "--out", type=click.Path(file_okay=False), default="schemas", show_default=True, help="Relative to the repository."
)
@click.pass_context
def schema_cmd(ctx: click.Context, kind: str, write_all: bool, out: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a post's or a campaign's front-matter.

    Generated from the models and the registries, for editors; `socialcal validate` stays the
    authority. A registry name (channels, series, hashtags, links, audiences, settings,
    analytics) prints the schema of content/NAME.yml; --all writes them all to --out.
    """
    from .. import json_schema
    from ..load import rel

    project = project_of(ctx)
    if write_all:
        # As written, not resolved: no link below the repository is followed (safe_write). A
        # folder outside it is the user's own choice, made if missing.
        target = Path(os.path.normpath(project.root / out))
        root = project.root
        if not target.is_relative_to(root):
            target.mkdir(parents=True, exist_ok=True)
            root = target
        writes = json_schema.write_registry_schemas(target, root)
        for path in writes.written:
            click.echo(f"Wrote {rel(project.root, path)}")
        ctx.exit(said(writes))
    if kind == "post":
        result = json_schema.post_schema(project.registry(), json_schema.campaign_ids(project.root))
    elif kind == "campaign":
        result = json_schema.campaign_schema(project.registry())
    elif kind in json_schema.REGISTRY_FILES:
        result = json_schema.registry_schema(kind)
    else:
        choices = ", ".join(("post", "campaign", *json_schema.REGISTRY_FILES))
        raise click.BadParameter(f"{kind!r} is not one of {choices}", param_hint="KIND")
    click.echo(json_schema.dumps(result), nl=False)
