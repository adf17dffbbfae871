"""The `socialcal` command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sys
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from .engines import ENGINES, EngineUnavailable  # light: no engine is imported until one is used
from .errors import ConfigError, write_failure, writing
from .project import Project, find_project
from .statuses import POST_STATUSES
from .terminal import safe_output

# Commands import what they use when they run: `socialcal --help` loads no models, MkDocs or git.
if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .new import Needs
    from .safe_write import Writes
    from .validate import Validation

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: socialcal itself failed
EXIT_IOERR = 74  # EX_IOERR: an output could not be written (disk full, read-only, no permission)
EXIT_INTERRUPTED = 130  # 128 + SIGINT: what shells report for a command stopped by Ctrl-C


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


def print_diagnostics(result: Validation, fmt: str, only: Collection[str] | None = None) -> list[Diagnostic]:
    from . import diagnostics as diag

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
    from .plan import make_plan
    from .validate import Validation

    project = _project(ctx)
    plan = make_plan(project, history=False, file_cache=True)  # unchanged files from the last run
    result = plan.validation
    only = None
    changed: list[str] = []
    base_posts: list = []
    outside: tuple[tuple[str, str], ...] = ()
    if paths:
        only = _selected(project, paths, result)
    if ref is not None:
        from .changes import since

        changed, shown, base_posts, outside = since(project.root, result, ref)
        only = {d.path for d in shown} | set(changed) if only is None else only
        result = Validation(result.posts, result.campaigns, tuple(shown), result.files)
    only = None if only is None else set(only)  # looked up once per diagnostic and per post
    shown = print_diagnostics(result, fmt, only)
    if summary_file:
        from .views.summary import pr_summary

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
    from .load import rel

    wanted = []
    for raw in paths:
        full = Path(raw).resolve()
        if not full.exists():
            raise click.UsageError(f"{raw}: no such file or folder")
        wanted.append(rel(project.root, full))
    known = {d.path for d in result.diagnostics} | {p.path for p in result.posts} | {c.path for c in result.campaigns}
    return sorted(k for k in known if any(k == w or k.startswith(w.rstrip("/") + "/") for w in wanted))


_engine_option = click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    default=None,
    help="The site builder (default: site.engine in content/settings.yml, else mkdocs).",
)


@cli.command("build")
@click.option("--site-dir", type=click.Path(file_okay=False), default=None, help="Output folder (default: site/).")
# Accepted and ignored: there is no on-disk cache any more; older workflows still pass it.
@click.option("--no-cache", is_flag=True, hidden=True)
@_engine_option
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
    from .build import BuildFailed, UnsafeSiteDir, build

    project = _project(ctx)
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
            print_diagnostics(exc.validation, "text")
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
    click.echo(outcome.describe())


_pull_requests_file = click.option(
    "--pull-requests",
    "pull_requests",
    type=click.Path(dir_okay=False),
    required=True,
    help="What `gh pr list --state open --json …` prints (as for build), the head commits fetched.",
)
_which_pull_request = (
    click.option("--number", type=click.IntRange(1), default=None, help="The pull request's number."),
    click.option(
        "--head", default=None, metavar="SHA", help="Or its head commit (a fork's workflow run names only that)."
    ),
)


def _one_pull_request(number: int | None, head: str | None) -> None:
    if (number is None) == (head is None):
        raise click.UsageError("give --number N or --head SHA (one of them)")


@cli.command("pr-comment")
@_pull_requests_file
@_which_pull_request[0]
@_which_pull_request[1]
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the body here (default: print it).")
@click.pass_context
def pr_comment_cmd(
    ctx: click.Context, pull_requests: str, number: int | None, head: str | None, out: str | None
) -> None:
    """The sticky comment on a pull request: its posts on the published calendar.

    Links the review desk filtered to the pull request and each proposed post's page on the site
    (mkdocs.yml's https site_url), with every channel's text and the post's thumbnail. With --out,
    prints the pull request's number (for the workflow). Exit 1 when no open pull request has
    that number or head commit.
    """
    from .pr_comment import make_comment

    _one_pull_request(number, head)
    made = make_comment(_project(ctx), Path(pull_requests), number, head)
    if made is None:
        which = f"number {number}" if number is not None else f"head commit {head}"
        click.echo(f"socialcal: no open pull request in {pull_requests} has the {which}", err=True)
        ctx.exit(EXIT_CONTENT)
    if out is None:
        click.echo(made.body, nl=False)
        return
    from .safe_write import Writes

    writes = Writes(Path(os.path.normpath(Path.cwd() / out)).parent)
    writes.put(Path(os.path.normpath(Path.cwd() / out)), made.body.encode("utf-8"))
    if not writes.failed:
        click.echo(made.number)
    ctx.exit(_said(writes))


@cli.command("pr-approve")
@_pull_requests_file
@_which_pull_request[0]
@_which_pull_request[1]
@click.option(
    "--reviews",
    type=click.Path(dir_okay=False),
    default=None,
    help="What `gh api repos/{repo}/pulls/{n}/reviews` returns: who approved the head commit, and when.",
)
@click.option(
    "--comments",
    type=click.Path(dir_okay=False),
    default=None,
    help="What `gh api repos/{repo}/pulls/{n}/comments` returns: suggestions already posted are not posted again.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the suggestions here, as GitHub's API takes them.",
)
@click.pass_context
def pr_approve_cmd(
    ctx: click.Context,
    pull_requests: str,
    number: int | None,
    head: str | None,
    reviews: str | None,
    comments: str | None,
    out: str | None,
) -> None:
    """Approval without editing YAML: the posts of a pull request still `proposed`, and for each a
    suggested change on its `status:` line recording who approved the head commit and when.

    Without --reviews (or without an approval of the head commit) it only says which posts wait
    and what the reviewer does next. --out writes a JSON list of review comments (path, line,
    commit_id, body) for `gh api repos/{repo}/pulls/{n}/comments --input`. Exit 1 when no open
    pull request has that number or head commit.
    """
    import json

    from .approval import NEXT_STEP, make_plan_for

    _one_pull_request(number, head)

    def read(name: str | None) -> bytes | None:
        if name is None:
            return None
        with open(name, "rb") as fh:
            return fh.read(4 * 1024 * 1024 + 1)

    made = make_plan_for(_project(ctx), Path(pull_requests), number, head, read(reviews), read(comments))
    if made is None:
        which = f"number {number}" if number is not None else f"head commit {head}"
        click.echo(f"socialcal: no open pull request in {pull_requests} has the {which}", err=True)
        ctx.exit(EXIT_CONTENT)
    found, plan, approval = made
    click.echo(f"Pull request #{found}: {len(plan.waiting)} post(s) still proposed.")
    for path in plan.waiting:
        click.echo(f"  {path}")
    if plan.waiting and approval is None:
        click.echo(f"Next: {NEXT_STEP}")
    for path, why in plan.notes:
        click.echo(f"  no suggestion for {path}: {why}")
    if approval is not None:
        click.echo(f"Approved by {approval.login} on {approval.day}: {len(plan.suggestions)} suggestion(s) to post.")
    if out is not None:
        from .safe_write import Writes

        target = Path(os.path.normpath(Path.cwd() / out))
        writes = Writes(target.parent)
        payload = json.dumps([s.payload() for s in plan.suggestions], indent=1) + "\n"
        writes.put(target, payload.encode("utf-8"))
        ctx.exit(_said(writes))


@cli.command("serve")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: visible to the network)."
)
@_engine_option
@click.pass_context
def serve_cmd(ctx: click.Context, port: int, host: str, engine: str | None) -> None:
    """Live preview: rebuild when content, templates or registries change."""
    from .serve import serve

    try:
        serve(_project(ctx), host, port, engine)
    except EngineUnavailable as exc:
        click.echo(f"socialcal: {exc}", err=True)
        ctx.exit(EXIT_USAGE)


@cli.group("new")
def new_group() -> None:
    """Start a new post or campaign file."""


def _interactive() -> bool:
    return sys.stdin.isatty() and not os.environ.get("CI")


def _registry_ids(ctx: click.Context) -> list[tuple[str, str]]:
    """The ids a new post may name, read from this repository's registries (for --help)."""
    from .new import existing_ids

    try:
        project = _project(ctx)
        registry = project.registry()
    except (ConfigError, OSError):
        return [("", "run this inside a socialcal repository (or pass --root) to see its channel and series ids")]
    active = [c.id for c in registry.channels.values() if not c.is_retired]
    retired = [c.id for c in registry.channels.values() if c.is_retired]
    campaigns = sorted(existing_ids(project.content, "campaigns"))
    rows = [("channels", ", ".join(active) + (f" (retired: {', '.join(retired)})" if retired else ""))]
    rows.append(("series", ", ".join(registry.series) or "none"))
    rows.append(("campaigns", ", ".join(campaigns) or "none yet (socialcal new campaign)"))
    return rows


EXAMPLE_POST = """socialcal new post --title "LHC restarts" --date "2027-03-02 10:00" \\
    --channel twitter-cern --channel facebook-cern \\
    --link https://home.cern/news --hashtag "#LHC" --text "The LHC is back!"
"""


class _PostCommand(click.Command):
    """`new post --help` ends with the ids of this repository and an example."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        import textwrap

        with formatter.section("Ids in this repository"):
            for name, ids in _registry_ids(ctx):
                # Never wrapped inside an id: `youtube-` / `cern` would not paste back.
                formatter.write(
                    textwrap.fill(
                        ids,
                        width=formatter.width - formatter.current_indent,
                        initial_indent=f"{name}: " if name else "",
                        subsequent_indent="    ",
                        break_on_hyphens=False,
                        break_long_words=False,
                    )
                    .replace("\n", "\n" + " " * formatter.current_indent)
                    .join([" " * formatter.current_indent, "\n"])
                )
        with formatter.section("Example"):
            formatter.write_text("\b\n" + EXAMPLE_POST)


def _id_problem(registry, content: Path, kind: str, value: str) -> str | None:
    """Why a channel, series or campaign id cannot be used in a new post (None when it can)."""
    from .diagnostics import unknown
    from .new import existing_ids

    if kind == "channel":
        channel = registry.channels.get(value)
        if channel is None:
            active = [c.id for c in registry.channels.values() if not c.is_retired]
            message, guess = unknown("channel", value, active)
            return message + ("" if guess else f"; channels: {', '.join(active)}")
        if channel.is_retired:
            return f"channel '{value}' was retired on {channel.retired}: choose an active channel"
        return None
    known = list(registry.series) if kind == "series" else sorted(existing_ids(content, "campaigns"))
    if value in known:
        return None
    message, guess = unknown(kind, value, known)
    if guess:
        return message
    return message + (f"; {kind} ids: {', '.join(known)}" if known else "; there are none yet")


@new_group.command("post", cls=_PostCommand)
@click.option("--title", help="Internal headline, shown in the calendar.")
@click.option(
    "--date",
    "when",
    help="YYYY-MM-DD HH:MM in the calendar's time zone; a day alone goes out at default_time "
    "(content/settings.yml). Not in the past.",
)
@click.option("--channel", "channels", multiple=True, help="A channel id; repeat for several.")
@click.option("--series", help="A series id (a recurring format such as gwti).")
@click.option("--campaign", help="The id of a campaign (a file in content/campaigns/).")
@click.option("--link", help="Where the post leads, e.g. https://home.cern/news/….")
@click.option("--hashtag", "hashtags", multiple=True, help='A hashtag such as "#CERN"; repeat for several.')
@click.option(
    "--media",
    "media",
    multiple=True,
    metavar="PATH",
    help="An image or video: a file in the repository (media/….jpg) or an https:// address; repeat for several.",
)
@click.option(
    "--alt", "alts", multiple=True, metavar="TEXT", help="What the image of the --media before it shows (alt text)."
)
@click.option(
    "--status",
    default="proposed",
    show_default=True,
    type=click.Choice(POST_STATUSES),
    help="Where the post stands; reviewers approve it.",
)
@click.option("--id", "post_id", help="File name without .md (default: date and title).")
@click.option("--folder", default=None, help="Sub-folder of content/posts/ (default: YYYY/MM).")
@click.option("--text", default="", help="The text of the post (default: a placeholder to replace).")
@click.option(
    "--from-issue",
    "issue_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Read everything from a 'Propose a post' issue body saved in this file.",
)
@click.option(
    "--fetch-images",
    is_flag=True,
    help="With --from-issue: download the images pasted into the form (github.com/user-attachments) into "
    "media/issues/<id>/ and name those files.",
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
    media: tuple[str, ...],
    alts: tuple[str, ...],
    status: str,
    post_id: str | None,
    folder: str | None,
    text: str,
    issue_file: str | None,
    fetch_images: bool,
) -> None:
    """Write a new post file with the right front-matter.

    Unknown channel, series or campaign ids and a date in the past are refused before anything
    is written (in a terminal, asked for again or confirmed). In a terminal, the link, media and
    alt text the channels need are asked for. The file lists, as comments, what its channels
    still need.
    """
    from .dates import DateError, parse_datetime, parse_day
    from .new import PLACEHOLDER, NewFileError, default_time, media_entries, needs, parse_time, post_stubs, slugify
    from .new import with_time as day_at
    from .plan import resolve_today

    project = _project(ctx)
    registry = project.registry()
    settings = registry.settings
    tz, years = settings.tz, settings.years.range
    if issue_file:
        _from_issue(ctx, project, Path(issue_file), post_id, fetch_images)
        return
    interactive = _interactive()
    at = default_time(settings.default_time)
    today = resolve_today(tz)

    def problem(kind: str, value: str) -> str | None:
        return _id_problem(registry, project.content, kind, value)

    def ask_channels(raw: str) -> tuple[str, ...]:
        ids = tuple(raw.replace(",", " ").split())
        if not ids:
            raise click.UsageError("give at least one channel")
        for cid in ids:
            why = problem("channel", cid)
            if why:
                raise click.UsageError(why)
        return ids

    def asker(kind: str):
        def check(raw: str) -> str | None:
            value = raw.strip()
            why = problem(kind, value) if value else None
            if why:
                raise click.UsageError(why)
            return value or None

        return check

    def parse_date(raw: str) -> dt.datetime:
        try:
            return parse_datetime(day_at(raw, at), tz, years)
        except DateError as exc:
            raise click.UsageError(f"{exc.message} ({exc.hint})") from exc

    def check_day(raw: str) -> str:
        """A day, or a day and its time (then no time is asked)."""
        try:
            return parse_day(raw, years).isoformat() if day_at(raw, at) != raw.strip() else raw.strip()
        except DateError as exc:
            raise click.UsageError(f"{exc.message} ({exc.hint})") from exc

    def check_time(raw: str) -> str:
        try:
            return f"{parse_time(raw):%H:%M}"
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc

    def past(moment: dt.datetime) -> str:
        return f"{moment:%Y-%m-%d %H:%M} is in the past (today is {today})"

    listed = ", ".join(c.id for c in registry.channels.values() if not c.is_retired)
    bad_channels = [why for cid in channels if (why := problem("channel", cid))]
    moment: dt.datetime | None = None
    if interactive:
        title = title or click.prompt("Title")
        while moment is None:
            if not when:
                when = click.prompt("Date (YYYY-MM-DD, and HH:MM if you know it)", value_proc=check_day)
                if day_at(when, at) != when:
                    when = f"{when} {click.prompt('Time (HH:MM)', default=f'{at:%H:%M}', value_proc=check_time)}"
            try:
                moment = parse_date(when)
            except click.UsageError as exc:
                click.echo(f"Error: {exc.message}", err=True)
                when = None
                continue
            if moment.date() < today and not click.confirm(f"{past(moment)}. Plan it anyway?", default=False):
                moment = when = None
        for why in bad_channels:
            click.echo(f"Error: {why}", err=True)
        if not channels or bad_channels:
            channels = click.prompt(f"Channels, comma-separated ({listed})", value_proc=ask_channels)
        for kind, value in (("series", series), ("campaign", campaign)):
            why = problem(kind, value) if value else None
            if why:
                click.echo(f"Error: {why}", err=True)
                fixed = click.prompt(
                    f"{kind.capitalize()} (Enter for none)", default="", show_default=False, value_proc=asker(kind)
                )
                series, campaign = (fixed, campaign) if kind == "series" else (series, fixed)
    missing = [name for name, value in (("--title", title), ("--date", when), ("--channel", channels)) if not value]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)}")
    assert title is not None and when is not None
    # Refused before anything is written: a file with a wrong id only moves the problem.
    refused = [
        f"{name}: {why}"
        for name, kind, values in (
            ("--channel", "channel", channels),
            ("--series", "series", [series] if series else []),
            ("--campaign", "campaign", [campaign] if campaign else []),
        )
        for value in values
        if (why := problem(kind, value))
    ]
    if moment is None:
        try:
            moment = parse_date(when)
        except click.UsageError as exc:
            raise click.BadParameter(exc.message, param_hint="--date") from exc
        if moment.date() < today:
            # A post planned for a day gone by is a typo (the year, the month) or a record of
            # what went out: neither should reach the review desk as a proposal.
            refused.append(f"--date: {past(moment)}: give a day from today on")
    if refused:
        raise click.UsageError("nothing was written:\n  " + "\n  ".join(refused))
    chosen = [registry.channels[c] for c in channels]
    need = needs(chosen, registry.series.get(series or ""))
    sources, alt_texts = list(media), list(alts)
    if interactive:
        link, sources, alt_texts, text = _ask_what_channels_need(need, link, sources, alt_texts, text)
    try:
        items = media_entries([_media_src(project, s) for s in sources], alt_texts)
    except NewFileError as exc:
        raise click.UsageError(f"nothing was written: {exc}") from exc
    without_alt = [m["src"] for m in items if "alt" not in m]
    if without_alt and need.alt:
        raise click.UsageError(
            f"nothing was written: {', '.join(without_alt)} has no --alt, which {', '.join(need.alt)} "
            "require: add --alt TEXT (what the image shows) after each --media"
        )
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
    if items:
        meta["media"] = items
    meta["status"] = status
    stubs = post_stubs(meta, chosen, registry.series.get(series or ""))
    # Problems the options cannot show (a missing link, the placeholder text) exit 1 once written.
    errors = _write(
        project,
        "posts",
        post_id,
        folder if folder is not None else f"{moment:%Y/%m}",
        meta,
        text or PLACEHOLDER,
        stubs,
    )
    ctx.exit(EXIT_CONTENT if errors else EXIT_OK)


def _media_src(project: Project, raw: str) -> str:
    from .new import media_src

    return media_src(raw, project.root, Path.cwd())


def _ask_what_channels_need(
    need: Needs, link: str | None, sources: list[str], alts: list[str], text: str
) -> tuple[str | None, list[str], list[str], str]:
    """In a terminal: the link, media and alt text the post's channels need, and its text.
    Enter leaves each for later (the file then lists it as a comment); a link is checked at once."""
    from .linkcheck import form_problem

    def check_link(raw: str) -> str:
        # The form only: a site outside content/links.yml may be a partnership (SC308 says so).
        value = raw.strip()
        why = form_problem(value) if value else None
        if why:
            raise click.UsageError(f"{value}: {why}")
        return value

    if need.link and not link:
        link = (
            click.prompt(
                f"Link (required by {', '.join(need.link)}; Enter to add it later)",
                default="",
                show_default=False,
                value_proc=check_link,
            )
            or None
        )
    if need.media and not sources:
        src = click.prompt(
            f"Image or video (required by {', '.join(need.media)}): a file such as media/….jpg or an https:// "
            "address; Enter to add it later",
            default="",
            show_default=False,
        ).strip()
        sources = [src] if src else []
    if need.alt:
        alts = [*alts, *[""] * (len(sources) - len(alts))]
        for i, src in enumerate(sources):
            if not alts[i].strip():
                alts[i] = click.prompt(f"Alt text of {src} (what the image shows, for screen readers)")
    if not text:
        text = click.prompt("Text of the post (Enter to write it in the file later)", default="", show_default=False)
    return link, sources, alts, text


def _from_issue(
    ctx: click.Context, project: Project, issue_file: Path, post_id: str | None, fetch_images: bool = False
) -> None:
    from .dates import DateError, parse_datetime
    from .issue_form import MAX_BODY, IssueFormError, parse_issue
    from .new import PLACEHOLDER, slugify

    data = issue_file.read_bytes()[: MAX_BODY * 4 + 1]
    try:
        proposal = parse_issue(data.decode("utf-8", errors="replace"))
        settings = project.registry().settings
        moment = parse_datetime(str(proposal.meta["date"]), settings.tz, settings.years.range)
    except IssueFormError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(EXIT_CONTENT)
    except DateError as exc:
        click.echo(f"error: {exc.message} ({exc.hint})", err=True)
        ctx.exit(EXIT_CONTENT)
    post_id = post_id or f"{moment:%Y-%m-%d}-{slugify(str(proposal.meta['title'])) or 'post'}"
    meta = dict(proposal.meta)
    if fetch_images and isinstance(meta.get("media"), list):
        _fetch_images(project, post_id, meta["media"])
    errors = _write(project, "posts", post_id, f"{moment:%Y/%m}", meta, proposal.text or PLACEHOLDER)
    ctx.exit(EXIT_CONTENT if errors else EXIT_OK)


def _fetch_images(project: Project, post_id: str, media: list[dict[str, str]]) -> None:
    """Each image pasted into the form, downloaded (attachments.py) into media/issues/<id>/ as a new
    file, and named by the post instead of its address. One that cannot be is said, and keeps its
    address: validation then refuses it (SC308) in the pull request, where it is seen."""
    from . import attachments
    from .safe_write import Writes

    writes = Writes(project.root)
    for n, medium in enumerate(media, 1):
        src = medium.get("src", "")
        if not attachments.is_attachment(src):
            continue
        try:
            data, ext = attachments.download(src, attachments.http_fetch)
        except attachments.AttachmentError as exc:
            click.echo(f"error: image {n} ({src}) was not downloaded: {exc}", err=True)
            continue
        rel_path = f"media/issues/{post_id}/{n}.{ext}"
        # A new file, its folders made by safe_write without following a link; never over one.
        if writes.write(project.root / rel_path, data, None):
            medium["src"] = rel_path
            click.echo(f"Downloaded image {n} into {rel_path}")
    for line in writes.problems():
        click.echo(line, err=True)


def _needs_offset(raw: str) -> bool:
    return "+" in raw[10:] or raw.endswith("Z") or "-" in raw[10:]


@new_group.command("campaign")
@click.option("--title", help="The campaign's name, shown in the calendar.")
@click.option("--start", help="First day, YYYY-MM-DD.")
@click.option("--end", help="Last day, YYYY-MM-DD.")
@click.option("--channel", "channels", multiple=True, help="A channel id the campaign plans for; repeat for several.")
@click.option("--owner", help="Who runs the campaign (a person or team).")
@click.option("--id", "campaign_id", help="File name without .md (default: from the title).")
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
    from .dates import DateError, parse_day
    from .new import slugify

    project = _project(ctx)
    registry = project.registry()
    years = registry.settings.years.range
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
            parse_day(value, years)
        except DateError as exc:
            raise click.BadParameter(f"{exc.message} ({exc.hint})", param_hint=name) from exc
    refused = [why for cid in channels if (why := _id_problem(registry, project.content, "channel", cid))]
    if refused:
        raise click.UsageError("nothing was written:\n  --channel: " + "\n  --channel: ".join(refused))
    campaign_id = campaign_id or slugify(title) or "campaign"
    meta: dict[str, object] = {"title": title, "start": start, "end": end}
    if channels:
        meta["channels"] = list(channels)
    if owner:
        meta["owner"] = owner
    meta["status"] = "planned"
    stubs = (
        "# Remove the '# ' in front of a line to use it:\n"
        "# objectives:\n#   - What the campaign should achieve\n"
        f"# audiences:  # {', '.join(registry.audiences)}\n#   - general-public\n"
        '# hashtags:\n#   - "#CERN"\n'
        "# kpis:  # targets, checked against the results on the campaign's page\n"
        "#   impressions: 100000\n#   engagement_rate: 3.5\n#   link_clicks: 2000\n"
    )
    if not channels:
        stubs += "# channels:\n#   - twitter-cern\n"
    # The evaluation is written after the campaign, under its own heading.
    body = "## Plan\n\nObjectives, audiences, messages, channels and timeline.\n\n## Evaluation\n"
    ctx.exit(EXIT_CONTENT if _write(project, "campaigns", campaign_id, "", meta, body, stubs) else EXIT_OK)


def _write(
    project: Project, kind: str, file_id: str, folder: str, meta: dict[str, object], body: str, stubs: str = ""
) -> bool:
    """Write the file, then print its diagnostics; True when it has errors."""
    from .load import load_file, rel
    from .new import NewFileError, existing_ids, render, target_path, write_new
    from .plan import make_plan
    from .safe_write import NotWritten, problem

    try:
        if file_id in existing_ids(project.content, kind):
            raise NewFileError(f"a {kind[:-1]} with id '{file_id}' already exists: choose another with --id")
        path = target_path(project.content, kind, file_id, folder)
        write_new(path, render(meta, body, stubs), project.root)
    except NewFileError as exc:
        raise click.UsageError(str(exc)) from exc
    except NotWritten as exc:
        click.echo(problem(exc, rel(project.root, exc.path)), err=True)
        click.get_current_context().exit(EXIT_USAGE if exc.usage else EXIT_CONTENT)
    relpath = rel(project.root, path)
    click.echo(f"Wrote {relpath}")
    registry = project.registry()
    _, diags = load_file(project.root, path, kind, registry.settings.tz)
    if not diags:
        # Policy and cross-file rules need the whole tree.
        diags = [d for d in make_plan(project, history=False).validation.diagnostics if d.path == relpath]
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
@click.option(
    "--publish",
    is_flag=True,
    help="Also set the matched posts to `status: published` (they went out: they have results).",
)
@click.pass_context
def results_import_cmd(ctx: click.Context, csv_file: str, channel_id: str, dry_run: bool, publish: bool) -> None:
    """Write the numbers of a platform's CSV export into the matching posts' `results`."""
    from .plan import make_plan
    from .registry import load_analytics
    from .results_import import MAX_EXPORT_BYTES, ResultsImportError, import_results

    project = _project(ctx)
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
        from .safe_write import Writes

        # Last, so that a failure part-way is what the user reads: which posts have their numbers.
        ctx.exit(_said(Writes(project.root, [project.root / p for p in outcome.written], outcome.not_written)))


@cli.command("report")
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
    from .plan import make_plan
    from .views.report import report

    days = _days(start, end)
    plan = make_plan(_project(ctx), history=False)
    result = plan.validation
    # Like `build`: files that could not be read are named, on stderr (stdout stays JSON or CSV).
    broken = sorted({d.path for d in result.errors})
    if broken:
        click.echo(f"note: {len(broken)} file(s) with errors are left out of the report:", err=True)
        for d in result.errors:
            click.echo(f"  {d.to_text().splitlines()[0]}", err=True)
    click.echo(report(plan.calendar, days[0], days[1], fmt), nl=False)


@cli.command("export")
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
    from .exports import ExportError, file_name, make_export
    from .safe_write import Writes

    days = _days(start, end)
    try:
        made = make_export(_project(ctx), tool, channel_id, days[0], days[1], scheduled)
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
        from .terminal import write_data

        write_data(made.files[0][1])
        return
    target = Path(os.path.normpath(Path.cwd() / out))
    writes = Writes(target.parent)
    for suffix, data in made.files:
        path = Path(file_name(str(target), suffix, several))
        writes.put(path, data)
    for path in writes.written:
        click.echo(f"Wrote {path}", err=True)
    ctx.exit(_said(writes))


def _days(start: str | None, end: str | None) -> list[dt.date | None]:
    """--from and --to as days (either may be absent), or a usage error."""
    days = []
    for name, value in (("--from", start), ("--to", end)):
        try:
            days.append(dt.date.fromisoformat(value) if value else None)
        except ValueError as exc:
            raise click.BadParameter(f"{value!r} is not YYYY-MM-DD", param_hint=name) from exc
    if days[0] and days[1] and days[0] > days[1]:
        raise click.BadParameter(f"{start} is after --to {end}: the period would be empty", param_hint="--from")
    return days


@cli.command("schema")
@click.argument("kind", required=False, default="post", metavar="[post|campaign|REGISTRY]")
@click.option("--all", "write_all", is_flag=True, help="Write the registries' schemas (content/*.yml) to --out.")
@click.option(
    "--out", type=click.Path(file_okay=False), default="schemas", show_default=True, help="Relative to the repository."
)
@click.pass_context
def schema_cmd(ctx: click.Context, kind: str, write_all: bool, out: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a post's or a campaign's front-matter.

    Generated from the models and the registries, for editors; `socialcal validate` stays the
    authority. A registry name (channels, series, hashtags, links, audiences, settings,
    analytics) prints the schema of content/NAME.yml; --all writes them all to --out.
    """
    from . import schema
    from .load import rel

    project = _project(ctx)
    if write_all:
        # As written, not resolved: no link below the repository is followed (safe_write). A
        # folder outside it is the user's own choice, made if missing.
        target = Path(os.path.normpath(project.root / out))
        root = project.root
        if not target.is_relative_to(root):
            target.mkdir(parents=True, exist_ok=True)
            root = target
        writes = schema.write_registry_schemas(target, root)
        for path in writes.written:
            click.echo(f"Wrote {rel(project.root, path)}")
        ctx.exit(_said(writes))
    if kind == "post":
        result = schema.post_schema(project.registry(), schema.campaign_ids(project.root))
    elif kind == "campaign":
        result = schema.campaign_schema(project.registry())
    elif kind in schema.REGISTRY_FILES:
        result = schema.registry_schema(kind)
    else:
        choices = ", ".join(("post", "campaign", *schema.REGISTRY_FILES))
        raise click.BadParameter(f"{kind!r} is not one of {choices}", param_hint="KIND")
    click.echo(schema.dumps(result), nl=False)


def _said(writes: Writes) -> int:
    """Say which files were not written and why, then which were and were not; the exit code."""
    if not writes.failed:
        return EXIT_OK
    for line in writes.problems():
        click.echo(line, err=True)
    click.echo(writes.closing(), err=True)
    return EXIT_USAGE if writes.usage else EXIT_CONTENT


@cli.command("editor-config")
@click.option("--force", is_flag=True, help="Overwrite frontmatter.json even if it was written by hand.")
@click.pass_context
def editor_config_cmd(ctx: click.Context, force: bool) -> None:
    """Write frontmatter.json (Front Matter CMS for VS Code) and the post template from the registries.

    A frontmatter.json written by hand is left alone unless --force is given.
    """
    from .editor_config import write
    from .load import rel
    from .safe_write import Writes
    from .schema import campaign_ids

    project = _project(ctx)
    outcome = write(project.root, project.registry(), campaign_ids(project.root), force=force)
    writes = Writes(project.root)
    for item in outcome:
        where = rel(project.root, item.path)
        if item.problem is not None:
            writes.failed.append(item.problem)
        elif item.action == "kept":
            click.echo(f"Kept {where}: it was not written by socialcal (use --force to replace it)", err=True)
        else:
            click.echo(f"{item.action.capitalize()} {where}")
            if item.action == "wrote":
                writes.written.append(item.path)
    said = _said(writes)
    ctx.exit(EXIT_USAGE if outcome[0].action == "kept" else said)


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
