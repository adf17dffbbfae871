"""Statuses have one home (generator/statuses.py): what each means is asked of it, never spelled
again by a comparison, a template or the schema's prose."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.exports import EXPORTABLE
from generator.json_schema import POST_DOCS, post_schema
from generator.models import Campaign, Post
from generator.project import PACKAGE_TEMPLATES, Project
from generator.results_import import PUBLISHABLE
from generator.statuses import (
    DEFAULT_POST_STATUS,
    POST_STATUSES,
    CampaignStatus,
    Group,
    PostStatus,
)
from generator.views.feeds import FeedSite, campaign_event, summary
from generator.views.pages.render import environment

REPO = Path(__file__).resolve().parent.parent
ZURICH = ZoneInfo("Europe/Zurich")


def _post(**fields: object) -> Post:
    return Post.model_validate(
        {"id": "a", "path": "content/posts/a.md", "title": "A", "date": dt.datetime(2027, 1, 5, 10, tzinfo=ZURICH)}
        | {"channels": ["x-cern"], **fields}
    )


def test_a_status_is_the_word_in_the_file_and_reads_back_the_same() -> None:
    post = _post(status="approved")
    assert post.status is PostStatus.APPROVED
    assert json.loads(post.model_dump_json())["status"] == "approved"  # JSON, caches and reports unchanged
    assert f"{post.status}" == "approved" and str(post.status) == "approved"
    assert _post().status is DEFAULT_POST_STATUS is PostStatus.PROPOSED
    assert POST_STATUSES == ("draft", "proposed", "approved", "scheduled", "published", "cancelled")
    assert all(type(s) is str for s in POST_STATUSES)  # plain words for click's choices


def test_each_status_says_what_it_means() -> None:
    assert {s for s in PostStatus if s.awaiting_review} == {"draft", "proposed"}
    assert {s for s in PostStatus if s.confirmed} == {"approved", "scheduled", "published"}
    assert {"approved", "scheduled"} == EXPORTABLE  # reviewed, not out yet
    assert {"draft", "proposed", "approved", "scheduled"} == PUBLISHABLE  # a cancelled post stays cancelled
    assert [s.group.ical for s in PostStatus] == ["TENTATIVE"] * 2 + ["CONFIRMED"] * 3 + ["CANCELLED"]
    assert len({s.mark for s in PostStatus}) == len(PostStatus)  # told apart at a glance


def test_a_posts_draft_and_a_campaigns_draft_keep_their_own_meaning() -> None:
    """Equal as words, so each kind's table is its own: a campaign's facts never overwrite a post's."""
    assert PostStatus.DRAFT == CampaignStatus.DRAFT
    assert PostStatus.DRAFT.mark == "✎" and CampaignStatus.DRAFT.mark == ""
    assert PostStatus.DRAFT.css == "sc-status-draft" and CampaignStatus.DRAFT.css == "sc-cstatus-draft"
    assert CampaignStatus.COMPLETED.group is Group.CONFIRMED


@pytest.mark.parametrize("status", list(PostStatus))
def test_templates_take_a_statuss_mark_label_and_class_from_it(status: PostStatus) -> None:
    env = environment((str(PACKAGE_TEMPLATES),))
    macros = env.get_template("_macros.j2").module
    mark = str(macros.status_mark(status))
    badge = str(macros.status_badge(status))
    assert f">{status.mark}<" in mark
    assert f'class="sc-status {status.css}">{status.label}<' in badge
    css = (PACKAGE_TEMPLATES / "assets" / "socialcal.css").read_text(encoding="utf-8")
    assert f".{status.css} " in css  # each status's class is coloured


def test_feeds_mark_what_is_not_confirmed_from_the_group() -> None:
    assert summary("A", ["X"], "approved") == "A [X]"
    assert summary("A", ["X"], "draft", overdue=True) == "A [X] (draft, overdue)"
    assert summary("A", ["X"], "cancelled") == "A [X] (cancelled)"


@pytest.mark.parametrize(
    ("status", "ical", "prefix"),
    [("draft", "TENTATIVE", "Draft: "), ("planned", "CONFIRMED", ""), ("completed", "CONFIRMED", ""),
     ("cancelled", "CANCELLED", "Cancelled: ")],
)  # fmt: skip
def test_a_campaigns_event_stands_as_its_status_groups_it(status: str, ical: str, prefix: str) -> None:
    campaign = Campaign.model_validate(
        {"id": "od", "path": "content/campaigns/od.md", "title": "Open Days", "start": "2027-03-01"}
        | {"end": "2027-03-02", "status": status}
    )
    block = campaign_event(FeedSite("https://x.example/", dt.timedelta(minutes=15)), campaign, None, ZURICH)
    assert f"STATUS:{ical}\r\n".encode() in block
    assert f"SUMMARY:[Campaign] {prefix}Open Days\r\n".encode() in block


def test_the_schema_lists_the_statuses_and_the_default_from_the_enum() -> None:
    assert POST_DOCS["status"] == (
        "Where it stands in review: draft, proposed (the default), approved, scheduled, published, cancelled."
    )
    schema = post_schema(Project(REPO).registry(), [])
    status = schema["properties"]["status"]
    assert (status["enum"], status["default"], status["description"]) == (
        list(POST_STATUSES),
        "proposed",
        POST_DOCS["status"],
    )
    assert all(type(s) is str for s in schema["properties"]["status"]["enum"])
