"""The content contract: a post and a campaign, as immutable models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .statuses import (  # noqa: F401  (re-exported: the models are where readers look)
    AWAITING_REVIEW,
    CAMPAIGN_STATUSES,
    CONFIRMED,
    DEFAULT_CAMPAIGN_STATUS,
    DEFAULT_POST_STATUS,
    POST_STATUSES,
    CampaignStatus,
    PostStatus,
)


def _listify(value: object) -> object:
    """A single value where a list is expected is a list of one."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return value


# Bounds on what one value may hold (rule SC114): a title is a headline, a one-line value a
# sentence or an address, a text what the longest platform takes (Facebook: 63,206 characters).
MAX_TITLE = 200
MAX_VALUE = 2000
MAX_TEXT = 64_000
# A GitHub user or organisation name: letters, digits and single inner hyphens, at most 39 characters
# (no look-around: pydantic's regex engine has none).
GITHUB_LOGIN = r"^[A-Za-z0-9](?:-?[A-Za-z0-9])*$"
MAX_GITHUB_LOGIN = 39
Text = Annotated[str, Field(max_length=MAX_TEXT)]
# A count in `results:` (a whole number: no `yes`, no '90') and a campaign's KPI target are at most
# a trillion, more than any post is seen. Unbounded, 400 digits passed validation and then stopped
# the build and the report, which turn counts into floats for rates and charts.
MAX_COUNT = 10**12
Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, str_max_length=MAX_VALUE)


class Media(_Model):
    src: str = Field(min_length=1)
    alt: str = ""
    kind: Literal["image", "video"] = "image"


METRICS = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "replies",
    "link_clicks",
    "video_views",
)
SENTIMENTS = ("positive", "neutral", "negative")


class Sentiment(_Model):
    positive: Count = 0
    neutral: Count = 0
    negative: Count = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


class ChannelResults(_Model):
    """What happened on one channel, from the platform's analytics. Absent numbers are unknown."""

    url: str | None = None  # the published post, used to match analytics exports
    impressions: Count | None = None
    reach: Count | None = None
    likes: Count | None = None
    comments: Count | None = None
    shares: Count | None = None
    saves: Count | None = None
    replies: Count | None = None
    link_clicks: Count | None = None
    video_views: Count | None = None
    sentiment: Sentiment | None = None


class Post(_Model):
    id: str
    path: str  # relative to the repository root
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    date: dt.datetime
    channels: tuple[str, ...] = Field(min_length=1)
    series: str | None = None
    campaign: str | None = None
    hashtags: tuple[str, ...] = ()
    link: str | None = None
    status: PostStatus = DEFAULT_POST_STATUS
    audiences: tuple[str, ...] = ()
    answer_to: str | None = None
    media: tuple[Media, ...] = ()
    variants: dict[str, Text] = {}
    partnership: str | None = None
    # Who approved the post in GitHub and when: written with `status: approved` by the suggestion
    # the pull request's reviewer commits (approval.py), shown on the post's page.
    approved_by: str | None = Field(default=None, pattern=GITHUB_LOGIN, max_length=MAX_GITHUB_LOGIN)
    approved_at: dt.date | None = None
    results: dict[str, ChannelResults] = {}
    body: Text = ""

    _lists = field_validator("channels", "audiences", mode="before")(_listify)

    @field_validator("hashtags", mode="before")
    @classmethod
    def _split_tags(cls, value: object) -> object:
        # "#CERN #LHC" written as one string is a common slip from the web UI.
        if isinstance(value, str):
            return tuple(part for part in value.replace(",", " ").split() if part)
        return _listify(value)

    @property
    def day(self) -> dt.date:
        return self.date.date()

    @property
    def accounts(self) -> tuple[str, ...]:
        """Its channels, each once, in order: what it goes out on. A channel listed twice is an
        error (SC212), told at the file's line; everything that counts or shows a post (clashes,
        weekly counts, entries, `serve`'s site despite errors) counts each account once."""
        return tuple(dict.fromkeys(self.channels))

    def text_for(self, channel: str) -> str:
        return self.variants.get(channel, self.body)


class Campaign(_Model):
    id: str
    path: str
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    start: dt.date
    end: dt.date
    objectives: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    owner: str | None = None
    partners: tuple[str, ...] = ()
    kpis: dict[str, float | int | str] = {}
    status: CampaignStatus = DEFAULT_CAMPAIGN_STATUS
    body: Annotated[str, Field(max_length=MAX_TEXT * 4)] = ""

    _lists = field_validator("objectives", "audiences", "channels", "hashtags", "partners", mode="before")(_listify)

    @field_validator("kpis")
    @classmethod
    def _targets(cls, value: dict[str, float | int | str]) -> dict[str, float | int | str]:
        # A number the report compares with the results: finite and within MAX_COUNT (`.nan`, `.inf`
        # and 400 digits are not). A word is a target it cannot measure, and says so.
        for kpi, target in value.items():
            if not isinstance(target, str) and not 0 <= target <= MAX_COUNT:
                raise ValueError(f"the target of {kpi} must be a number from 0 to {MAX_COUNT:,}")
        return value

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def plan(self) -> str:
        return self._split()[0]

    @property
    def evaluation(self) -> str:
        return self._split()[1]

    def _split(self) -> tuple[str, str]:
        """The body is the plan; a heading 'Evaluation' or 'Lessons learnt' starts the evaluation."""
        lines = self.body.splitlines()
        for i, line in enumerate(lines):
            heading = line.lstrip("#").strip().lower()
            if line.startswith("#") and heading.startswith(("evaluation", "lessons learnt", "lessons learned")):
                return "\n".join(lines[:i]).strip(), "\n".join(lines[i:]).strip()
        return self.body, ""


POST_KEYS = (
    "title",
    "date",
    "channel",
    "series",
    "campaign",
    "hashtags",
    "link",
    "status",
    "audiences",
    "answer_to",
    "media",
    "variants",
    "partnership",
    "approved_by",
    "approved_at",
    "results",
)
CAMPAIGN_KEYS = (
    "title",
    "start",
    "end",
    "objectives",
    "audiences",
    "channels",
    "hashtags",
    "owner",
    "partners",
    "kpis",
    "status",
)
