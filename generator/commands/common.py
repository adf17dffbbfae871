"""What every command shares: the exit codes, the project a command runs on, how diagnostics and
written files are reported, and the options several commands take.

Light on purpose: `socialcal --help` imports every command module, so nothing here loads the
models, MkDocs or git; a command imports what it uses when it runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..engines import ENGINES  # light: no engine is imported until one is used
from ..project import Project, find_project

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..safe_write import Writes

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: socialcal itself failed
EXIT_IOERR = 74  # EX_IOERR: an output could not be written (disk full, read-only, no permission)
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what shells report for a command stopped by Ctrl-C


def project_of(ctx: click.Context) -> Project:
    """The repository the command works on: `--root`, else the one found from here."""
    root = ctx.obj.get("root")
    return Project(Path(root).resolve()) if root else find_project(Path.cwd())


def print_diagnostics(
    diagnostics: Iterable[Diagnostic], files: int, fmt: str, only: Collection[str] | None = None
) -> list[Diagnostic]:
    """The diagnostics of `files` checked files (of those in `only`, when given), as `fmt` says."""
    from .. import diagnostics as diag

    shown = [d for d in diagnostics if only is None or d.path in only]
    click.echo(diag.FORMATTERS[fmt](shown, files if only is None else len(only)))
    return shown


def said(writes: Writes) -> int:
    """Say which files were not written and why, then which were and were not; the exit code."""
    if not writes.failed:
        return EXIT_OK
    for line in writes.problems():
        click.echo(line, err=True)
    click.echo(writes.closing(), err=True)
    return EXIT_USAGE if writes.usage else EXIT_CONTENT


def days(start: str | None, end: str | None) -> list[dt.date | None]:
    """--from and --to as days (either may be absent), or a usage error."""
    found = []
    for name, value in (("--from", start), ("--to", end)):
        try:
            found.append(dt.date.fromisoformat(value) if value else None)
        except ValueError as exc:
            raise click.BadParameter(f"{value!r} is not YYYY-MM-DD", param_hint=name) from exc
    if found[0] and found[1] and found[0] > found[1]:
        raise click.BadParameter(f"{start} is after --to {end}: the period would be empty", param_hint="--from")
    return found


engine_option = click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    default=None,
    help="The site builder (default: site.engine in content/settings.yml, else mkdocs).",
)


def version_notices(project: Project) -> None:
    """Generated files an older socialcal wrote (workflows, editor set-up): a notice on standard
    error, never an error (the exit code is the content's)."""
    from ..starter import version_notices as notices

    for line in notices(project.root):
        click.echo(line, err=True)
