"""A campaign's page: its plan, coverage, timeline, results against targets, and evaluation."""

from __future__ import annotations

from ...models import Campaign
from .results import campaign_results
from .site_data import SiteData


def all_campaigns(site: SiteData) -> tuple[Campaign, ...]:
    return site.cal.campaigns


def campaign(site: SiteData, campaign: Campaign) -> dict[str, object]:
    return {
        "campaign": campaign,
        "posts": site.cal.posts_by_campaign.get(campaign.id, ()),
        "results": campaign_results(site, campaign),
    }
