"""The `socialcal` command line."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import diagnostics as diag
from .cache import Cache
from .dates import DateError, parse_datetime
from .load import load_file, rel
from .new import NewFileError, existing_ids, render, slugify, target_path, write_new
from .project import Project, find_project
from .registry import ConfigError
from .validate import Validation, validate

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: socialcal itself failed


def _project(ctx: click.Context) -> Project:
    root = ctx.obj.get("root")
    return Project(Path(root).resolve()) if root else find_project(Path.cwd())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), help="The repository (default: found from here).")
@click.version_option(package_name="socialcal")
@click.pass_context
def cli(ctx: click.Context, root: str | None) -> None:
    """Plan, check and publish a social-media calendar kept as Markdown files in Git."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


def report(result: Validation, fmt: str, only: Sequence[str] | None = None) -> list[diag.Diagnostic]:
    shown = [d for d in result.diagnostics if only is None or d.path in only]
    click.echo(diag.FORMATTERS[fmt](shown, result.files if only is None else len(only)))
    return shown


@cli.command("validate")
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
    project = _project(ctx)
    registry = project.registry()
    result = validate(project.root, registry)
    only = None
    changed: list[str] = []
    base_posts: list = []
    if paths:
        only = _selected(project, paths, result)
    if ref is not None:
        from .changes import since

        changed, shown, base_posts = since(project.root, result, ref)
        only = sorted({d.path for d in shown} | set(changed)) if only is None else only
        result = Validation(result.posts, result.campaigns, tuple(shown), result.files)
    shown = report(result, fmt, only)
    if summary_file:
        from .calendar import Calendar
        from .plan import resolve_today
        from .views.summary import pr_summary

        cal = Calendar(registry, result.posts, result.campaigns, resolve_today(registry.settings.tz))
        text = pr_summary(
            cal,
            changed or [p.path for p in result.posts if only is None or p.path in only],
            base_posts,
            shown,
            artifact_url,
            preview_url,
        )
        with open(summary_file, "a", encoding="utf-8") as fh:
            fh.write(text)
    ctx.exit(EXIT_CONTENT if any(d.is_error for d in shown) else EXIT_OK)


def _selected(project: Project, paths: Sequence[str], result: Validation) -> list[str]:
    wanted = []
    for raw in paths:
        full = Path(raw).resolve()
        if not full.exists():
            raise click.UsageError(f"{raw}: no such file or folder")
        wanted.append(rel(project.root, full))
    known = {d.path for d in result.diagnostics} | {p.path for p in result.posts} | {c.path for c in result.campaigns}
    return sorted(k for k in known if any(k == w or k.startswith(w.rstrip("/") + "/") for w in wanted))


@cli.command("build")
@click.option("--site-dir", type=click.Path(file_okay=False), default=None, help="Output folder (default: site/).")
@click.option("--no-cache", is_flag=True, help="Do everything again, ignoring .socialcal-cache/.")
@click.pass_context
def build_cmd(ctx: click.Context, site_dir: str | None, no_cache: bool) -> None:
    """Validate, then build the calendar site and the iCal feeds into site/ (atomically)."""
    from .build import BuildFailed, build

    project = _project(ctx)
    try:
        cache = None if no_cache else Cache(project.cache)
        outcome = build(project, Path(site_dir).resolve() if site_dir else None, cache=cache)
    except BuildFailed as exc:
        if exc.validation is not None:
            report(exc.validation, "text")
        click.echo(f"Build stopped: {exc}. The previous site was left as it was.", err=True)
        ctx.exit(EXIT_CONTENT)
    warnings = [d for d in outcome.validation.diagnostics if not d.is_error]
    for d in warnings:
        click.echo(d.to_text())
    click.echo(outcome.describe())


@cli.command("serve")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.pass_context
def serve_cmd(ctx: click.Context, port: int, host: str) -> None:
    """Live preview: rebuild when content, templates or registries change."""
    from .serve import serve

    serve(_project(ctx), host, port)


@cli.group("new")
def new_group() -> None:
    """Start a new post or campaign file."""


def _interactive() -> bool:
    return sys.stdin.isatty() and not os.environ.get("CI")


@new_group.command("post")
@click.option("--title", help="Internal headline, shown in the calendar.")
@click.option("--date", "when", help="YYYY-MM-DD HH:MM in the calendar's time zone.")
@click.option("--channel", "channels", multiple=True, help="A channel id; repeat for several.")
@click.option("--series")
@click.option("--campaign")
@click.option("--link")
@click.option("--hashtag", "hashtags", multiple=True)
@click.option(
    "--status",
    default="proposed",
    show_default=True,
    type=click.Choice(["draft", "proposed", "approved", "scheduled", "published", "cancelled"]),
)
@click.option("--id", "post_id", help="File name without .md (default: date and title).")
@click.option("--folder", default=None, help="Sub-folder of content/posts/ (default: YYYY/MM).")
@click.option("--text", default="", help="The text of the post.")
@click.option(
    "--from-issue",
    "issue_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Read everything from a 'Propose a post' issue body saved in this file.",
)
@click.pass_context
def new_post(
    ctx: click.Context,
    title: str | None,
    when: str | None,
    channels: tuple[str, ...],
    series: str | None,
    campaign: str | None,
    link: str | None,
    hashtags: tuple[str, ...],
    status: str,
    post_id: str | None,
    folder: str | None,
    text: str,
    issue_file: str | None,
) -> None:
    """Write a new post file with the right front-matter."""
    project = _project(ctx)
    registry = project.registry()
    tz = registry.settings.tz
    if issue_file:
        _from_issue(ctx, project, Path(issue_file), post_id)
        return
    if _interactive():
        title = title or click.prompt("Title")
        when = when or click.prompt("Date (YYYY-MM-DD HH:MM)")
        if not channels:
            listed = ", ".join(c.id for c in registry.channels.values() if not c.is_retired)
            channels = tuple(click.prompt(f"Channels, comma-separated ({listed})").replace(",", " ").split())
    missing = [name for name, value in (("--title", title), ("--date", when), ("--channel", channels)) if not value]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)}")
    assert title is not None and when is not None
    try:
        moment = parse_datetime(when, tz)
    except DateError as exc:
        raise click.BadParameter(f"{exc.message} ({exc.hint})", param_hint="--date") from exc
    post_id = post_id or f"{moment:%Y-%m-%d}-{slugify(title) or 'post'}"
    # An offset the user gave is kept (it may pick one side of a DST change); else local time.
    date = moment.isoformat(timespec="minutes") if _needs_offset(when) else f"{moment:%Y-%m-%d %H:%M}"
    meta: dict[str, object] = {"title": title, "date": date}
    meta["channel"] = channels[0] if len(channels) == 1 else list(channels)
    for key, value in (("series", series), ("campaign", campaign), ("link", link)):
        if value:
            meta[key] = value
    if hashtags:
        meta["hashtags"] = list(hashtags)
    meta["status"] = status
    # The file is written either way; exit 1 says it still needs fixing.
    errors = _write(
        project,
        "posts",
        post_id,
        folder if folder is not None else f"{moment:%Y/%m}",
        meta,
        text or "Write the text of the post here.",
    )
    ctx.exit(EXIT_CONTENT if errors else EXIT_OK)


def _from_issue(ctx: click.Context, project: Project, issue_file: Path, post_id: str | None) -> None:
    from .issue_form import MAX_BODY, IssueFormError, parse_issue

    data = issue_file.read_bytes()[: MAX_BODY * 4 + 1]
    try:
        proposal = parse_issue(data.decode("utf-8", errors="replace"))
        moment = parse_datetime(str(proposal.meta["date"]), project.registry().settings.tz)
    except IssueFormError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_CONTENT)
    except DateError as exc:
        click.echo(f"error: {exc.message} ({exc.hint})", err=True)
        ctx.exit(EXIT_CONTENT)
    post_id = post_id or f"{moment:%Y-%m-%d}-{slugify(str(proposal.meta['title'])) or 'post'}"
    meta = dict(proposal.meta)
    errors = _write(project, "posts", post_id, f"{moment:%Y/%m}", meta, proposal.text or "(no text yet)")
    ctx.exit(EXIT_CONTENT if errors else EXIT_OK)


def _needs_offset(raw: str) -> bool:
    return "+" in raw[10:] or raw.endswith("Z") or "-" in raw[10:]


@new_group.command("campaign")
@click.option("--title")
@click.option("--start", help="YYYY-MM-DD")
@click.option("--end", help="YYYY-MM-DD")
@click.option("--channel", "channels", multiple=True)
@click.option("--owner")
@click.option("--id", "campaign_id")
@click.pass_context
def new_campaign(
    ctx: click.Context,
    title: str | None,
    start: str | None,
    end: str | None,
    channels: tuple[str, ...],
    owner: str | None,
    campaign_id: str | None,
) -> None:
    """Write a new campaign file: its plan now, its evaluation later."""
    project = _project(ctx)
    project.registry()
    if _interactive():
        title = title or click.prompt("Title")
        start = start or click.prompt("Start (YYYY-MM-DD)")
        end = end or click.prompt("End (YYYY-MM-DD)")
    missing = [n for n, v in (("--title", title), ("--start", start), ("--end", end)) if not v]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)}")
    assert title and start and end
    for name, value in (("--start", start), ("--end", end)):
        try:
            dt.date.fromisoformat(value)
        except ValueError as exc:
            raise click.BadParameter(f"{value!r} is not YYYY-MM-DD", param_hint=name) from exc
    campaign_id = campaign_id or slugify(title) or "campaign"
    meta: dict[str, object] = {"title": title, "start": start, "end": end}
    if channels:
        meta["channels"] = list(channels)
    if owner:
        meta["owner"] = owner
    meta.update(objectives=[], audiences=[], kpis={}, status="planned")
    body = (
        "## Plan\n\nObjectives, audiences, messages, channels and timeline.\n\n"
        "## Evaluation\n\nAfter the campaign: results against the KPIs, and lessons learnt."
    )
    ctx.exit(EXIT_CONTENT if _write(project, "campaigns", campaign_id, "", meta, body) else EXIT_OK)


def _write(project: Project, kind: str, file_id: str, folder: str, meta: dict[str, object], body: str) -> bool:
    """Write the file, then print its diagnostics; True when it has errors."""
    try:
        if file_id in existing_ids(project.content, kind):
            raise NewFileError(f"a {kind[:-1]} with id '{file_id}' already exists: choose another with --id")
        path = target_path(project.content, kind, file_id, folder)
        write_new(path, render(meta, body))
    except NewFileError as exc:
        raise click.UsageError(str(exc)) from exc
    relpath = rel(project.root, path)
    click.echo(f"Wrote {relpath}")
    registry = project.registry()
    _, diags = load_file(project.root, path, kind, registry.settings.tz)
    if not diags:
        # Policy and cross-file rules need the whole tree.
        diags = [d for d in validate(project.root, registry).diagnostics if d.path == relpath]
    for d in diags:
        click.echo(d.to_text())
    return any(d.is_error for d in diags)


@cli.group("results")
def results_group() -> None:
    """Results of published posts, from the platforms' analytics."""


@results_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--channel", "channel_id", required=True, help="The channel the export comes from.")
@click.option("--dry-run", is_flag=True, help="Say what would change, write nothing.")
@click.pass_context
def results_import_cmd(ctx: click.Context, csv_file: str, channel_id: str, dry_run: bool) -> None:
    """Write the numbers of a platform's CSV export into the matching posts' `results`."""
    from .registry import load_analytics
    from .results_import import ImportError_, import_results

    project = _project(ctx)
    registry = project.registry()
    analytics = load_analytics(project.content)
    channel = registry.channels.get(channel_id)
    if channel is None:
        raise click.BadParameter(f"unknown channel {channel_id!r}", param_hint="--channel")
    fmt = analytics.platforms.get(channel.platform)
    if fmt is None:
        raise click.UsageError(f"content/analytics.yml has no export format for {channel.platform!r}")
    result = validate(project.root, registry)
    broken = {d.path for d in result.errors}
    posts = [p for p in result.posts if p.path not in broken]
    try:
        outcome = import_results(
            Path(csv_file).read_bytes(),
            fmt,
            channel,
            posts,
            project.root,
            registry.settings.tz,
            analytics.match_window_minutes,
            dry_run,
        )
    except ImportError_ as exc:
        click.echo(f"{csv_file}: error: {exc}", err=True)
        ctx.exit(EXIT_CONTENT)
    rows = sum(len(v) for v in outcome.matched.values())
    verb = "would update" if dry_run else "updated"
    click.echo(f"{rows} row(s) matched {len(outcome.matched)} post(s); {verb} {len(outcome.written)} file(s).")
    for path in outcome.written:
        click.echo(f"  {verb}: {path}")
    if outcome.unmatched:
        click.echo(f"{len(outcome.unmatched)} row(s) not matched:")
        for line, why in outcome.unmatched:
            click.echo(f"  {csv_file}:{line}: {why}")


@cli.command("report")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--from", "start", help="First day, YYYY-MM-DD.")
@click.option("--to", "end", help="Last day, YYYY-MM-DD.")
@click.pass_context
def report_cmd(ctx: click.Context, fmt: str, start: str | None, end: str | None) -> None:
    """KPIs per channel, campaign, series and month, for the monthly report."""
    from .views.report import report

    days = []
    for name, value in (("--from", start), ("--to", end)):
        try:
            days.append(dt.date.fromisoformat(value) if value else None)
        except ValueError as exc:
            raise click.BadParameter(f"{value!r} is not YYYY-MM-DD", param_hint=name) from exc
    project = _project(ctx)
    registry = project.registry()
    result = validate(project.root, registry)
    click.echo(report(result.posts, result.campaigns, registry, days[0], days[1], fmt), nl=False)


def main(argv: Sequence[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="socialcal", standalone_mode=True)
    except ConfigError as exc:
        click.echo(f"socialcal: configuration error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
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
