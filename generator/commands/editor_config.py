"""`socialcal editor-config`: Front Matter CMS's configuration written from the registries."""

from __future__ import annotations

import click

from .common import EXIT_USAGE, project_of, said


@click.command("editor-config")
@click.option("--force", is_flag=True, help="Overwrite frontmatter.json even if it was written by hand.")
@click.pass_context
def editor_config_cmd(ctx: click.Context, force: bool) -> None:
    """Write frontmatter.json (Front Matter CMS for VS Code) and the post template from the registries.

    A frontmatter.json written by hand is left alone unless --force is given.
    """
    from ..editor_config import write
    from ..json_schema import campaign_ids
    from ..load import rel
    from ..safe_write import Writes

    project = project_of(ctx)
    outcome = write(project.root, project.registry(), campaign_ids(project.root), force=force)
    writes = Writes(project.root)
    for item in outcome:
        where = rel(project.root, item.path)
        if item.problem is not None:
            writes.failed.append(item.problem)
        elif item.action == "kept":
            click.echo(f"Kept {where}: it was not written by socialcal (use --force to replace it)", err=True)
        else:
            click.echo(f"{item.action.capitalize()} {where}")
            if item.action == "wrote":
                writes.written.append(item.path)
    code = said(writes)
    ctx.exit(EXIT_USAGE if outcome[0].action == "kept" else code)
