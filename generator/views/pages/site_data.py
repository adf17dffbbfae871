"""What every page context is computed from: the calendar, the site's address, and the KPIs
(worked out once for the channel, campaign and results pages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from ... import kpis
from ...calendar_model import Calendar
from ...github_links import RepoLinks, links
from ...thumbnails import Thumbnailer

if TYPE_CHECKING:
    from ...pulls import PullRequest

RECENT = 30  # upcoming and recent posts listed on a channel or series page


@dataclass(frozen=True)
class Kpis:
    channel: dict[str, kpis.Totals]
    campaign: dict[str, kpis.Totals]
    series: dict[str, kpis.Totals]
    month: dict[tuple[int, int], kpis.Totals]
    channel_month: dict[tuple[str, tuple[int, int]], kpis.Totals]
    all: kpis.Totals


class SiteData:
    def __init__(
        self,
        cal: Calendar,
        url: str = "http://127.0.0.1:8000/",
        repo_url: str = "",
        pull_requests: Mapping[str, str] | None = None,
        *,
        branch: str | None = None,
        media: Thumbnailer | None = None,
        repo: RepoLinks | None = None,
    ) -> None:
        self.cal = cal
        self.url = url  # the public address: feed links on the Subscribe page
        # Links into the repository on GitHub (None when mkdocs.yml has no repo_url): as the
        # build made them (`repo`), or from `repo_url` and the default `branch`.
        self.repo: RepoLinks | None = (
            repo if repo is not None else links(repo_url, cal.registry.settings, branch or "main")
        )
        # The open pull request of a file, where the workflow knows it (path → URL).
        self.pull_requests: Mapping[str, str] = pull_requests or {}
        self.media = media  # thumbnails of the repository's images (None: media are listed only)

    @property
    def repo_url(self) -> str:
        return self.repo.url if self.repo else ""

    def edit_url(self, path: str) -> str:
        return self.repo.edit(path) if self.repo else ""

    def history_url(self, path: str) -> str:
        return self.repo.history(path) if self.repo else ""

    def proposal_edit_url(self, pr: PullRequest, path: str) -> str:
        """A pull request's file in the web editor, on its head branch (in the fork, for one);
        "" without repo_url, or when the branch or the fork's owner is not usable (pulls.py)."""
        if self.repo is None or not pr.branch or (pr.fork and not pr.fork_owner):
            return ""
        return self.repo.head(pr.branch, pr.fork_owner).edit(path)

    @cached_property
    def kpis(self) -> Kpis:
        posts = self.cal.posts
        return Kpis(
            channel=kpis.by_channel(posts),
            campaign=kpis.by_campaign(posts),
            series=kpis.by_series(posts),
            month=kpis.by_month(posts),
            channel_month=kpis.by_channel_month(posts),
            all=kpis.totals(r for p in posts for r in p.results.values()),
        )
