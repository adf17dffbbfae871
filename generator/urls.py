"""Every address of the site, in one place: pages, anchors and feeds.

People bookmark and share these, so they never change. A page is
named by its docs path (`calendar/2027-03.md`), which the site builder publishes at a
directory URL (`calendar/2027-03/`); links between generated pages are relative (the site may be
served under a path, `/repo/` on GitHub Pages), made by `href` only. Code and templates (as
`urls`) both use this module.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

# The pages that exist once (docs paths).
HOME = "index.md"
CALENDAR = "calendar/index.md"
THIS_WEEK = "week/index.md"
NEXT_WEEK = "week/next.md"
REVIEW = "review.md"
CHANNELS = "channels/index.md"
CAMPAIGNS = "campaigns/index.md"
SERIES = "series/index.md"
HASHTAGS = "hashtags.md"
RESULTS = "results.md"
SUBSCRIBE = "subscribe.md"
RULES = "rules.md"
# Post pages are rendered once through the site builder as this shell, then written one per post
# from it (bulk_pages.py); the shell itself is never published.
POST_SHELL = "posts/_shell.md"
# The pages above and the post pages' shell: the page of an item (a month, a week, a channel …) is
# in the folder of its list's page, so these name every folder the table of pages writes at the top
# of the site (sitepaths reserves them; tests/test_site_paths.py checks each row of the table).
TOP_PAGES = (
    HOME, CALENDAR, THIS_WEEK, NEXT_WEEK, REVIEW, CHANNELS, CAMPAIGNS, SERIES, HASHTAGS, RESULTS, SUBSCRIBE, RULES,
    POST_SHELL,
)  # fmt: skip

# Static files of the site.
ASSETS = "assets"
FEED_ALL = "feeds/all.ics"
FEED_PROPOSALS = "feeds/proposals.ics"  # the posts of open pull requests (build --pull-requests)
FEED_REVIEW = "feeds/review.ics"  # drafts and proposals: what waits for review


def page_url(src: str) -> str:
    """The URL (relative to the site root) of a docs page, with directory URLs."""
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[: -len(".md")] + "/"


def href(src: str, target: str, anchor: str = "", *, from_file: bool = False) -> str:
    """A relative link from page `src` to a page (a docs path ending in .md) or a file (a feed).

    Relative to the page's address (`channels/x/` for `channels/x.md`), where a browser reads it:
    in HTML spliced into the built page, and in Markdown an engine leaves as written (MkDocs never
    touches raw HTML). `from_file`: relative to the folder of the page's file (`channels/`), where
    an engine that rewrites every relative link of a page's Markdown, raw HTML included, reads it
    (Zensical); written for the address it would climb one folder too many, out of a site served
    under `/repo/`. The two differ only for a page not named index.md.

    Never empty: a link to the folder it is read from is `./` (home from review.md's file).
    Zensical leaves an empty link as written, and the browser reads it as the page itself."""
    path = page_url(target) if target.endswith(".md") else target
    up = src.count("/") if from_file else page_url(src).count("/")
    return ("../" * up + path or "./") + (f"#{anchor}" if anchor else "")


def month_page(day: dt.date | tuple[int, int]) -> str:
    y, m = (day.year, day.month) if isinstance(day, dt.date) else day
    return f"calendar/{y:04d}-{m:02d}.md"


def week_page(monday: dt.date) -> str:
    y, w, _ = monday.isocalendar()
    return f"week/{y:04d}-w{w:02d}.md"


def channel_page(channel_id: str) -> str:
    return f"channels/{channel_id}.md"


def campaign_page(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}.md"


def series_page(series_id: str) -> str:
    return f"series/{series_id}.md"


def post_page(post_id: str) -> str:
    """A post's own page. The id is the file stem, so the address survives a move between folders."""
    return f"posts/{post_id}.md"


def day_anchor(day: dt.date) -> str:
    return f"day-{day.isoformat()}"


def post_anchor(post_id: str) -> str:
    """A post's card on its month page, under its id (the post's page is `post_page`)."""
    return post_id


def pending_anchor(number: int) -> str:
    """A pull request's pending change on the page of the post it changes."""
    return f"pr-{number}"


def desk_for(number: int) -> str:
    """The query that opens the review desk on a pull request's posts (`review/?pr=N`)."""
    return f"?pr={number}"


def rule_anchor(code: str) -> str:
    return code.lower()


def post_location(post_id: str) -> str:
    """Where a post is found, relative to the site root (search entries, feed links): its page."""
    return page_url(post_page(post_id))


def channel_feed(channel_id: str) -> str:
    return f"feeds/channels/{channel_id}.ics"


def campaign_feed(campaign_id: str) -> str:
    return f"feeds/campaigns/{campaign_id}.ics"


def series_feed(series_id: str) -> str:
    return f"feeds/series/{series_id}.ics"


def owner_feed(owner_slug: str) -> str:
    """The posts on the channels one owner (a team, `owners` in channels.yml) looks after."""
    return f"feeds/owners/{owner_slug}.ics"


# Into the repository on GitHub: `repo_url` is Material's own key in mkdocs.yml. Without it
# there is nothing to link to, and these give "" (a template shows no link then).


def edit_url(repo_url: str, branch: str, path: str) -> str:
    """The page that edits a file of the repository (`{repo_url}/edit/{branch}/{path}`)."""
    if not repo_url:
        return ""
    return f"{repo_url.rstrip('/')}/edit/{quote(branch)}/{quote(path)}"


def history_url(repo_url: str, branch: str, path: str) -> str:
    """The list of commits that changed a file (`{repo_url}/commits/{branch}/{path}`)."""
    if not repo_url:
        return ""
    return f"{repo_url.rstrip('/')}/commits/{quote(branch)}/{quote(path)}"


def new_file_url(repo_url: str, branch: str, path: str, value: str) -> str:
    """GitHub's page that creates a file, with its path and text filled in
    (`{repo_url}/new/{branch}?filename={path}&value={text}`): committing proposes a pull request."""
    if not repo_url:
        return ""
    query = urlencode({"filename": path, "value": value}, quote_via=quote)
    return f"{repo_url.rstrip('/')}/new/{quote(branch)}?{query}"


PROPOSE_FORM = "propose-post.yml"  # .github/ISSUE_TEMPLATE/: the "Propose a post" issue form


def issue_form_url(repo_url: str, fields: dict[str, str], template: str = PROPOSE_FORM) -> str:
    """A new issue from an issue form, its fields filled from the address
    (`{repo_url}/issues/new?template=…&title=…&<field id>=…`): GitHub fills input and textarea
    fields by their id; `title` is the issue's own title."""
    if not repo_url:
        return ""
    return f"{repo_url.rstrip('/')}/issues/new?" + urlencode({"template": template, **fields}, quote_via=quote)


def pull_request_url(repo_url: str, number: int) -> str:
    """A pull request of the repository (`{repo_url}/pull/{number}`)."""
    if not repo_url:
        return ""
    return f"{repo_url.rstrip('/')}/pull/{number}"


def fork_url(repo_url: str, owner: str) -> str:
    """The same repository under another owner (a fork): `https://github.com/{owner}/{name}`."""
    if not repo_url:
        return ""
    return f"https://github.com/{quote(owner)}/{repo_url.rstrip('/').rsplit('/', 1)[-1]}"
