"""`socialcal init`: a new team's repository."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import said


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (never over a file).")
@click.option("--refresh", is_flag=True, help="Write again the files socialcal generated, for this version.")
def init_cmd(folder: str, force: bool, refresh: bool) -> None:
    """Start a team's repository in FOLDER: example registries, post and campaign, mkdocs.yml,
    workflows, CODEOWNERS, README, .gitignore and requirements.in."""
    from ..starter import NotEmpty, init

    try:
        outcome = init(Path(folder), force=force, refresh=refresh)
    except NotEmpty as exc:
        raise click.BadParameter(f"{exc}: use --force to add the missing files (none is replaced)") from exc
    for path in outcome.kept:
        click.echo(f"Kept {outcome.writes._rel(path)}: it exists", err=True)
    status = said(outcome.writes)
    if not outcome.writes.failed:
        click.echo(outcome.writes.closing())
    sys.exit(status)
