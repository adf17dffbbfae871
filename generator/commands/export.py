"""`socialcal export`: posts ahead for a scheduling tool's bulk upload (the work is `exports.make_export`)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .common import EXIT_CONTENT, days, project_of, said


@click.command("export")
@click.argument("tool", type=click.Choice(["buffer", "hootsuite", "sprout", "json"]))
@click.option("--channel", "channel_id", help="Only this channel (the CSV exports write one file per channel).")
@click.option("--from", "start", help="First day, YYYY-MM-DD (default: from now; an earlier day exports passed slots).")
@click.option("--to", "end", help="Last day, YYYY-MM-DD.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="The file to write (several: FILE-<channel>.csv). Default: standard output, when there is one file.",
)
@click.option(
    "--scheduled",
    default=0,
    type=click.IntRange(0, 350),
    help="Hootsuite: posts already scheduled there (its 350 per account include them).",
)
@click.pass_context
def export_cmd(
    ctx: click.Context,
    tool: str,
    channel_id: str | None,
    start: str | None,
    end: str | None,
    out: str | None,
    scheduled: int,
) -> None:
    """Approved and scheduled posts ahead, for a scheduling tool's bulk upload (or JSON).

    The text exactly as it goes out, the public addresses of the images, the time in the tool's
    format in the calendar's zone. What the tool would refuse is a diagnostic per post, and then
    nothing is written.
    """
    from ..exports import ExportError, file_name, make_export
    from ..safe_write import Writes

    period = days(start, end)
    try:
        made = make_export(project_of(ctx), tool, channel_id, period[0], period[1], scheduled)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from exc
    for d in made.diagnostics:
        click.echo(d.to_text(), err=True)
    if made.refused:
        click.echo("Nothing was exported: the tool would refuse the posts above.", err=True)
        ctx.exit(EXIT_CONTENT)
    for note in made.notes:
        click.echo(f"note: {note}", err=True)
    if not made.files:
        click.echo("No post to export.", err=True)
        return
    several = len(made.files) > 1
    if out is None:
        if several:
            names = ", ".join(suffix for suffix, _ in made.files)
            raise click.UsageError(f"{len(made.files)} files ({names}): give --out FILE (or --channel ID)")
        from ..terminal import write_data

        write_data(made.files[0][1])
        return
    target = Path(os.path.normpath(Path.cwd() / out))
    writes = Writes(target.parent)
    for suffix, data in made.files:
        path = Path(file_name(str(target), suffix, several))
        writes.put(path, data)
    for path in writes.written:
        click.echo(f"Wrote {path}", err=True)
    ctx.exit(said(writes))
