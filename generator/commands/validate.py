"""`socialcal validate`: every content file checked; PATHS and --changed-since limit what is reported."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import writing
from ..project import Project
from .common import EXIT_CONTENT, EXIT_OK, print_diagnostics, project_of, version_notices

if TYPE_CHECKING:
    from ..validate import Validation


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="How to print diagnostics.",
)
@click.option(
    "--changed-since",
    "ref",
    metavar="REF",
    help="Report only what concerns files changed since the merge-base of REF and HEAD.",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False),
    envvar="GITHUB_STEP_SUMMARY",
    help="Append a Markdown report for reviewers (default: $GITHUB_STEP_SUMMARY when set).",
)
@click.option(
    "--artifact-url", default="", envvar="SOCIALCAL_ARTIFACT_URL", help="Link to the built site, for the summary."
)
@click.option(
    "--preview-url",
    default="",
    envvar="SOCIALCAL_PREVIEW_URL",
    help="Public address of the built preview: the summary links each post's page there.",
)
@click.pass_context
def validate_cmd(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    ref: str | None,
    summary_file: str | None,
    artifact_url: str,
    preview_url: str,
) -> None:
    """Check every content file against the content contract and the strategy.

    All files are always checked (some rules need them all); PATHS and --changed-since limit
    what is reported.
    """
    from ..pipeline import make_plan
    from ..validate import Validation

    project = project_of(ctx)
    plan = make_plan(project, history=False, file_cache=True)  # unchanged files from the last run
    result = plan.validation
    only = None
    changed: list[str] = []
    base_posts: list = []
    outside: tuple[tuple[str, str], ...] = ()
    if paths:
        only = _selected(project, paths, result)
    if ref is not None:
        from ..changes import since

        changed, shown, base_posts, outside = since(project.root, result, ref)
        only = {d.path for d in shown} | set(changed) if only is None else only
        result = Validation(result.posts, result.campaigns, tuple(shown), result.files)
    only = None if only is None else set(only)  # looked up once per diagnostic and per post
    shown = print_diagnostics(result, fmt, only)
    version_notices(project)
    if summary_file:
        from ..views.summary import pr_summary

        text = pr_summary(
            plan.calendar,
            changed or [p.path for p in result.posts if only is None or p.path in only],
            base_posts,
            shown,
            artifact_url,
            preview_url,
            outside,
        )
        with writing(summary_file), open(summary_file, "a", encoding="utf-8") as fh:
            fh.write(text)
    ctx.exit(EXIT_CONTENT if any(d.is_error for d in shown) else EXIT_OK)


def _selected(project: Project, paths: Sequence[str], result: Validation) -> list[str]:
    from ..load import rel

    wanted = []
    for raw in paths:
        full = Path(raw).resolve()
        if not full.exists():
            raise click.UsageError(f"{raw}: no such file or folder")
        wanted.append(rel(project.root, full))
    known = {d.path for d in result.diagnostics} | {p.path for p in result.posts} | {c.path for c in result.campaigns}
    return sorted(k for k in known if any(k == w or k.startswith(w.rstrip("/") + "/") for w in wanted))
