"""`socialcal results import`: a platform's analytics export written into the posts' `results`."""

from __future__ import annotations

import click

from .common import EXIT_CONTENT, project_of, said


@click.group("results")
def results_group() -> None:
    """Results of published posts, from the platforms' analytics."""


@results_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--channel", "channel_id", required=True, help="The channel the export comes from.")
@click.option("--dry-run", is_flag=True, help="Say what would change, write nothing.")
@click.option(
    "--publish",
    is_flag=True,
    help="Also set the matched posts to `status: published` (they went out: they have results).",
)
@click.pass_context
def results_import_cmd(ctx: click.Context, csv_file: str, channel_id: str, dry_run: bool, publish: bool) -> None:
    """Write the numbers of a platform's CSV export into the matching posts' `results`."""
    from ..pipeline import make_plan
    from ..registry import load_analytics
    from ..results_import import MAX_EXPORT_BYTES, ResultsImportError, import_results

    project = project_of(ctx)
    plan = make_plan(project, history=False)
    registry = plan.registry
    analytics = load_analytics(project.content)
    channel = registry.channels.get(channel_id)
    if channel is None:
        raise click.BadParameter(f"unknown channel {channel_id!r}", param_hint="--channel")
    fmt = analytics.platforms.get(channel.platform)
    if fmt is None:
        raise click.UsageError(f"content/analytics.yml has no export format for {channel.platform!r}")
    result = plan.validation
    broken = {d.path for d in result.errors}
    posts = [p for p in result.posts if p.path not in broken]
    try:
        with open(csv_file, "rb") as fh:
            data = fh.read(MAX_EXPORT_BYTES + 1)  # never more than the limit is read into memory
        outcome = import_results(
            data,
            fmt,
            channel,
            posts,
            project.root,
            registry.settings.tz,
            analytics.match_window_minutes,
            dry_run,
            registry.links,
            publish,
            registry.settings.years.range,
        )
    except ResultsImportError as exc:
        click.echo(f"{csv_file}: error: {exc}", err=True)
        ctx.exit(EXIT_CONTENT)
    rows = sum(len(v) for v in outcome.matched.values())
    verb = "would update" if dry_run else "updated"
    click.echo(f"{rows} row(s) matched {len(outcome.matched)} post(s); {verb} {len(outcome.written)} file(s).")
    for path in outcome.written:
        click.echo(f"  {verb}: {path}")
    if outcome.published:
        set_ = "would set" if dry_run else "set"
        click.echo(f"{set_.capitalize()} {len(outcome.published)} post(s) to `status: published`.")
    if outcome.unpublished:
        click.echo(
            f"{len(outcome.unpublished)} post(s) now have results but are not published (warning SC312): "
            "set `status: published` in each, or import again with --publish:"
        )
        for path, status in outcome.unpublished:
            click.echo(f"  {path} (status: {status})")
    if outcome.unmatched:
        click.echo(f"{len(outcome.unmatched)} row(s) not matched:")
        for line, why in outcome.unmatched:
            click.echo(f"  {csv_file}:{line}: {why}")
    if not dry_run:
        from ..safe_write import Writes

        # Last, so that a failure part-way is what the user reads: which posts have their numbers.
        ctx.exit(said(Writes(project.root, [project.root / p for p in outcome.written], outcome.not_written)))
