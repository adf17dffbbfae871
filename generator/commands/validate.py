"""`socialcal validate`: every content file checked; PATHS and --changed-since limit what is reported."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import writing
from ..project import Project
from .common import EXIT_CONTENT, EXIT_OK, print_diagnostics, project_of, version_notices

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
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
    from .. import validate_replay

    project = project_of(ctx)
    if summary_file:
        # The summary is appended: into a registry, a post or mkdocs.yml it would break what it reports on.
        kept = project.input_holding(Path(summary_file))
        if kept is not None:
            said = f"{summary_file}: socialcal reads {kept}; append the summary to a file of its own"
            raise click.BadParameter(said, param_hint="--summary")
    if ref is None and not summary_file:
        whole_text = fmt == "text" and not paths
        last = validate_replay.replay(project.root, whole_text)  # nothing read has changed since the last run
        if last is not None:
            if last.text is not None:
                click.echo(last.text)
                failed = last.failed
            else:
                only = None if not paths else set(_selected(project, paths, last.known, last.diagnostics))
                failed = any(d.is_error for d in print_diagnostics(last.diagnostics, last.files, fmt, only))
            version_notices(project)
            ctx.exit(EXIT_CONTENT if failed else EXIT_OK)
        recorder = validate_replay.Recorder(project.root)
    else:
        recorder = None

    from ..pipeline import make_plan
    from ..validate import Validation

    plan = make_plan(project, history=False, file_cache=True)  # unchanged files from the last run
    result = plan.validation
    if recorder is not None:
        recorder.save(
            validate_replay.Replayed(result.diagnostics, result.files, _known(result)),
            (m.src for p in result.posts for m in p.media),
            plan.calendar.today,
            plan.registry.settings.tz.key,
        )
    only = None
    changed: list[str] = []
    base_posts: list = []
    outside: tuple[tuple[str, str], ...] = ()
    if paths:
        only = _selected(project, paths, _known(result), result.diagnostics)
    if ref is not None:
        from ..changes import since

        changed, shown, base_posts, outside = since(project.root, result, ref)
        only = {d.path for d in shown} | set(changed) if only is None else only
        result = Validation(result.posts, result.campaigns, tuple(shown), result.files)
    only = None if only is None else set(only)  # looked up once per diagnostic and per post
    shown = print_diagnostics(result.diagnostics, result.files, fmt, only)
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


def _known(result: Validation) -> frozenset[str]:
    """The paths of the posts and campaigns read (PATHS selects among them)."""
    return frozenset(p.path for p in result.posts) | {c.path for c in result.campaigns}


def _selected(
    project: Project, paths: Sequence[str], read: Collection[str], diagnostics: Iterable[Diagnostic]
) -> list[str]:
    from ..load import rel

    wanted = []
    root = project.root.resolve()
    for raw in paths:
        full = Path(raw).resolve()
        if not full.exists():
            raise click.UsageError(f"{raw}: no such file or folder")
        if not full.is_relative_to(root):  # it could only ever report nothing: say so
            raise click.UsageError(f"{raw}: not in the repository ({root}); name files or folders of its content/")
        wanted.append(rel(project.root, full))
    known = {d.path for d in diagnostics} | set(read)
    return sorted(k for k in known if any(k == w or k.startswith(w.rstrip("/") + "/") for w in wanted))
