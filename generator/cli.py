"""The `socialcal` command line: the group that assembles the commands of generator/commands/,
and `main`, which turns every failure into a message and an exit code."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import click

from .commands import build, editor_config, export, init, new, pulls, report, results, schema, serve, validate
from .commands.common import (
    EXIT_CONTENT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_IOERR,
    EXIT_OK,
    EXIT_USAGE,
)
from .errors import ConfigError, write_failure
from .terminal import safe_output

# Commands import what they use when they run: `socialcal --help` loads no models, MkDocs or git.
__all__ = ["EXIT_CONTENT", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_IOERR", "EXIT_OK", "EXIT_USAGE", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), help="The repository (default: found from here).")
@click.version_option(package_name="socialcal")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """Plan, check and publish a social-media calendar kept as Markdown files in Git."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


for command in (
    validate.validate_cmd,
    build.build_cmd,
    pulls.pr_comment_cmd,
    pulls.pr_approve_cmd,
    serve.serve_cmd,
    new.new_group,
    results.results_group,
    report.report_cmd,
    export.export_cmd,
    schema.schema_cmd,
    editor_config.editor_config_cmd,
    init.init_cmd,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> None:
    # Every message, click's included, is printed through one stream that escapes control
    # characters and never fails on the terminal's encoding (terminal.py).
    with safe_output():
        _main(argv)


def _main(argv: Sequence[str] | None) -> None:
    # Not click's standalone mode: it turns Ctrl-C into "Aborted!" and exit code 1, the code of
    # content errors. Its other duties (usage errors, --help, a closed pipe) are done here.
    try:
        code = cli.main(args=argv, prog_name="socialcal", standalone_mode=False)
    except click.exceptions.Abort as exc:
        if not _by_ctrl_c(exc):  # end of input at a prompt
            click.echo("Aborted!", err=True)
            sys.exit(EXIT_CONTENT)
        _interrupted()
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _interrupted()
    except ConfigError as exc:
        click.echo(f"socialcal: configuration error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _reader_gone()
        said = write_failure(exc)
        if said is not None:
            click.echo(f"socialcal: {said}", err=True)
            sys.exit(EXIT_IOERR)
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"socialcal: {where}{exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        # A bug of ours, not a problem in the content: say so briefly; the traceback on request.
        if os.environ.get("SOCIALCAL_DEBUG"):
            raise
        click.echo(
            f"socialcal: internal error ({type(exc).__name__}: {exc}). This is a bug in socialcal, "
            "not in your content: please report it; SOCIALCAL_DEBUG=1 shows the details.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _by_ctrl_c(exc: BaseException) -> bool:
    # click raises Abort from the KeyboardInterrupt (or, at a prompt, with it as the context).
    return isinstance(exc.__cause__, KeyboardInterrupt) or isinstance(exc.__context__, KeyboardInterrupt)


def _interrupted() -> NoReturn:
    click.echo("socialcal: interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)


def _reader_gone() -> NoReturn:
    """`socialcal report | head`: the reader of the output left. Nothing more can reach it; the
    output is pointed at /dev/null so that Python's own flush at exit does not complain."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_CONTENT)
