"""`socialcal pr-comment` and `socialcal pr-approve`: review of an open pull request in GitHub."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .common import EXIT_CONTENT, project_of, said

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


@click.command("pr-comment")
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
    from ..pr_comment import make_comment

    _one_pull_request(number, head)
    made = make_comment(project_of(ctx), Path(pull_requests), number, head)
    if made is None:
        which = f"number {number}" if number is not None else f"head commit {head}"
        click.echo(f"socialcal: no open pull request in {pull_requests} has the {which}", err=True)
        ctx.exit(EXIT_CONTENT)
    if out is None:
        click.echo(made.body, nl=False)
        return
    from ..safe_write import Writes

    writes = Writes(Path(os.path.normpath(Path.cwd() / out)).parent)
    writes.put(Path(os.path.normpath(Path.cwd() / out)), made.body.encode("utf-8"))
    if not writes.failed:
        click.echo(made.number)
    ctx.exit(said(writes))


@click.command("pr-approve")
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

    from ..approval import NEXT_STEP, make_plan_for

    _one_pull_request(number, head)

    def read(name: str | None) -> bytes | None:
        if name is None:
            return None
        with open(name, "rb") as fh:
            return fh.read(4 * 1024 * 1024 + 1)

    made = make_plan_for(project_of(ctx), Path(pull_requests), number, head, read(reviews), read(comments))
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
        from ..safe_write import Writes

        target = Path(os.path.normpath(Path.cwd() / out))
        writes = Writes(target.parent)
        payload = json.dumps([s.payload() for s in plan.suggestions], indent=1) + "\n"
        writes.put(target, payload.encode("utf-8"))
        ctx.exit(said(writes))
