"""`socialcal build`: the calendar site and the iCal feeds (the work is `build.build`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..engines import EngineUnavailable
from ..errors import write_failure
from .common import EXIT_CONTENT, EXIT_IOERR, EXIT_USAGE, engine_option, print_diagnostics, project_of, version_notices


@click.command("build")
@click.option("--site-dir", type=click.Path(file_okay=False), default=None, help="Output folder (default: site/).")
# Accepted and ignored: there is no on-disk cache any more; older workflows still pass it.
@click.option("--no-cache", is_flag=True, hidden=True)
@engine_option
@click.option(
    "--pull-requests",
    "pull_requests",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also show the posts of open pull requests: FILE is what `gh pr list --state open --limit 1000 --json "
    "number,title,url,author,headRefOid,isDraft,reviewDecision,headRefName,headRepositoryOwner,isCrossRepository,"
    "maintainerCanModify` prints (their head commits fetched into this repository).",
)
@click.pass_context
def build_cmd(
    ctx: click.Context, site_dir: str | None, no_cache: bool, engine: str | None, pull_requests: str | None
) -> None:
    """Validate, then build the calendar site and the iCal feeds into site/ (atomically).

    The output folder is replaced whole, so it may not be the repository, a folder above it,
    content/ or templates/, nor a non-empty folder that socialcal did not build.
    """
    from ..build import BuildFailed, UnsafeSiteDir, build

    project = project_of(ctx)
    try:
        outcome = build(
            project,
            Path(site_dir) if site_dir else None,
            engine_name=engine,
            pull_requests=Path(pull_requests) if pull_requests else None,
        )
    except UnsafeSiteDir as exc:
        raise click.BadParameter(str(exc), param_hint="--site-dir") from exc
    except EngineUnavailable as exc:
        click.echo(f"socialcal: {exc}", err=True)
        ctx.exit(EXIT_USAGE)
    except BuildFailed as exc:
        if exc.validation is not None:
            print_diagnostics(exc.validation.diagnostics, exc.validation.files, "text")
        click.echo(f"Build stopped: {exc}. The previous site was left as it was.", err=True)
        ctx.exit(EXIT_CONTENT)
    except OSError as exc:
        said = write_failure(exc)
        if said is None:
            raise
        click.echo(f"Build stopped: {said}. The previous site was left as it was.", err=True)
        ctx.exit(EXIT_IOERR)
    warnings = [d for d in outcome.validation.diagnostics if not d.is_error]
    for d in warnings:
        click.echo(d.to_text())
    version_notices(project)
    click.echo(outcome.describe())
