"""Where a post or a campaign stands. Free of imports, so the command line can offer the choices
without loading the models."""

from typing import Literal

PostStatus = Literal["draft", "proposed", "approved", "scheduled", "published", "cancelled"]
CampaignStatus = Literal["draft", "planned", "running", "completed", "cancelled"]

POST_STATUSES: tuple[str, ...] = PostStatus.__args__  # type: ignore[attr-defined]
CAMPAIGN_STATUSES: tuple[str, ...] = CampaignStatus.__args__  # type: ignore[attr-defined]
AWAITING_REVIEW = frozenset({"draft", "proposed"})
CONFIRMED = frozenset({"approved", "scheduled", "published"})
