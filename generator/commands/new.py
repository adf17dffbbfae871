"""`socialcal new post|campaign`: the options, the questions asked in a terminal, what is printed.

What a new file holds and how it is written and checked is `new_files.py` (and `new.py`).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ConfigError
from ..project import Project
from ..statuses import DEFAULT_POST_STATUS, POST_STATUSES
from .common import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, project_of

if TYPE_CHECKING:
    from ..new import Needs


@click.group("new")
def new_group() -> None:
    """Start a new post or campaign file."""


def _interactive() -> bool:
    return sys.stdin.isatty() and not os.environ.get("CI")


def _registry_ids(ctx: click.Context) -> list[tuple[str, str]]:
    """The ids a new post may name, read from this repository's registries (for --help)."""
    from ..new import existing_ids

    try:
        project = project_of(ctx)
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
    default=DEFAULT_POST_STATUS.value,
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
    from ..dates import DateError, parse_datetime, parse_day
    from ..new import PLACEHOLDER, NewFileError, default_time, media_entries, needs, parse_time, post_stubs
    from ..new import with_time as day_at
    from ..new_files import id_problem, post_id_for, post_meta
    from ..pipeline import resolve_today

    project = project_of(ctx)
    registry = project.registry()
    settings = registry.settings
    tz, years = settings.tz, settings.years.range
    # A channel or tag given twice is meant once: a post listed twice on an account is SC212.
    channels, hashtags = tuple(dict.fromkeys(channels)), tuple(dict.fromkeys(hashtags))
    if issue_file:
        _from_issue(ctx, project, Path(issue_file), post_id, fetch_images)
        return
    interactive = _interactive()
    at = default_time(settings.default_time)
    today = resolve_today(tz)

    def problem(kind: str, value: str) -> str | None:
        return id_problem(registry, project.content, kind, value)

    def ask_channels(raw: str) -> tuple[str, ...]:
        ids = tuple(dict.fromkeys(raw.replace(",", " ").split()))
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
    post_id = post_id or post_id_for(moment, title)
    extra = {"series": series, "campaign": campaign, "link": link}
    meta = post_meta(title, moment, when, channels, extra, hashtags, items, status)
    stubs = post_stubs(meta, chosen, registry.series.get(series or ""))
    from ..new_files import best_time_hints  # what the team's own results say, when there are enough

    for hint in best_time_hints(project, channels, moment.date()):
        click.echo(hint)
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
    from ..new import media_src

    return media_src(raw, project.root, Path.cwd())


def _ask_what_channels_need(
    need: Needs, link: str | None, sources: list[str], alts: list[str], text: str
) -> tuple[str | None, list[str], list[str], str]:
    """In a terminal: the link, media and alt text the post's channels need, and its text.
    Enter leaves each for later (the file then lists it as a comment); a link is checked at once."""
    from ..linkcheck import form_problem

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
    from ..dates import DateError, parse_datetime
    from ..issue_form import MAX_BODY, IssueFormError, parse_issue
    from ..new import PLACEHOLDER
    from ..new_files import post_id_for

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
    post_id = post_id or post_id_for(moment, str(proposal.meta["title"]))
    meta = dict(proposal.meta)
    if fetch_images and isinstance(meta.get("media"), list):
        _fetch_images(project, post_id, meta["media"])
    errors = _write(project, "posts", post_id, f"{moment:%Y/%m}", meta, proposal.text or PLACEHOLDER)
    ctx.exit(EXIT_CONTENT if errors else EXIT_OK)


def _fetch_images(project: Project, post_id: str, media: list[dict[str, str]]) -> None:
    from ..new_files import fetch_images

    for fetched in fetch_images(project, post_id, media):
        click.echo(fetched.line, err=fetched.problem)


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
    from ..dates import DateError, parse_day
    from ..new import slugify
    from ..new_files import CAMPAIGN_BODY, campaign_meta, campaign_stubs, id_problem

    project = project_of(ctx)
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
    channels = tuple(dict.fromkeys(channels))  # given twice, meant once (SC212)
    refused = [why for cid in channels if (why := id_problem(registry, project.content, "channel", cid))]
    if refused:
        raise click.UsageError("nothing was written:\n  --channel: " + "\n  --channel: ".join(refused))
    campaign_id = campaign_id or slugify(title) or "campaign"
    meta = campaign_meta(title, start, end, channels, owner)
    stubs = campaign_stubs(registry, bool(channels))
    ctx.exit(EXIT_CONTENT if _write(project, "campaigns", campaign_id, "", meta, CAMPAIGN_BODY, stubs) else EXIT_OK)


def _write(
    project: Project, kind: str, file_id: str, folder: str, meta: dict[str, object], body: str, stubs: str = ""
) -> bool:
    """Write the file, then print its diagnostics; True when it has errors."""
    from ..load import rel
    from ..new import NewFileError
    from ..new_files import write_checked
    from ..safe_write import NotWritten, problem

    try:
        relpath, diags = write_checked(project, kind, file_id, folder, meta, body, stubs)
    except NewFileError as exc:
        raise click.UsageError(str(exc)) from exc
    except NotWritten as exc:
        click.echo(problem(exc, rel(project.root, exc.path)), err=True)
        click.get_current_context().exit(EXIT_USAGE if exc.usage else EXIT_CONTENT)
    click.echo(f"Wrote {relpath}")
    for d in diags:
        click.echo(d.to_text())
    return any(d.is_error for d in diags)
