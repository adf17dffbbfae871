"""`socialcal report`: KPIs for the monthly report (the work is `views.report.report`)."""

from __future__ import annotations

import click

from .common import days, project_of


@click.command("report")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Text for reading, JSON or CSV for other tools.",
)
@click.option("--from", "start", help="First day, YYYY-MM-DD.")
@click.option("--to", "end", help="Last day, YYYY-MM-DD.")
@click.pass_context
def report_cmd(ctx: click.Context, fmt: str, start: str | None, end: str | None) -> None:
    """KPIs per channel, campaign, series and month, for the monthly report."""
    from ..pipeline import make_plan
    from ..views.kpi_report import report

    period = days(start, end)
    plan = make_plan(project_of(ctx), history=False)
    result = plan.validation
    # Like `build`: files that could not be read are named, on stderr (stdout stays JSON or CSV).
    broken = sorted({d.path for d in result.errors})
    if broken:
        click.echo(f"note: {len(broken)} file(s) with errors are left out of the report:", err=True)
        for d in result.errors:
            click.echo(f"  {d.to_text().splitlines()[0]}", err=True)
    click.echo(report(plan.calendar, period[0], period[1], fmt), nl=False)
