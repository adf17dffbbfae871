"""Where a post or a campaign stands: the one home of the statuses and of what each one means
(its label, its group, its mark, whether it is exported, its CSS class). Everything else asks a
status, never compares its name. Str-valued, so YAML, JSON and the files read and write the same
words. Standard library only, so the command line can offer the choices without loading the models."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Group(StrEnum):
    """Where a status stands, told apart wherever it matters: in review or not, going out or not."""

    AWAITING_REVIEW = "awaiting review"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @property
    def ical(self) -> str:
        """The event's STATUS in a calendar feed (RFC 5545)."""
        return {Group.AWAITING_REVIEW: "TENTATIVE", Group.CONFIRMED: "CONFIRMED"}.get(self, "CANCELLED")


@dataclass(frozen=True, slots=True)
class Facts:
    """What one status means. `exported`: goes into the schedulers' exports (approved, not out
    yet); `closed`: nothing more to do, so a past slot is not missed; `approvable`: what the
    reviewer's approval turns into `approved` (a draft is not ready for review)."""

    group: Group
    mark: str  # the one mark a grid or list line shows
    exported: bool = False
    closed: bool = False
    approvable: bool = False


class _Status(StrEnum):
    """What both kinds of status answer, from their table."""

    @property
    def facts(self) -> Facts:
        return _FACTS[type(self)][self]  # by kind: a post's "draft" equals a campaign's

    @property
    def label(self) -> str:
        return self.value

    @property
    def group(self) -> Group:
        return self.facts.group

    @property
    def mark(self) -> str:
        return self.facts.mark

    @property
    def css(self) -> str:
        """The badge's class (socialcal.css colours each)."""
        return f"sc-status-{self.value}"

    @property
    def awaiting_review(self) -> bool:
        return self.group is Group.AWAITING_REVIEW

    @property
    def confirmed(self) -> bool:
        return self.group is Group.CONFIRMED

    @property
    def cancelled(self) -> bool:
        return self.group is Group.CANCELLED


class PostStatus(_Status):
    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class CampaignStatus(_Status):
    DRAFT = "draft"
    PLANNED = "planned"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def css(self) -> str:
        """A campaign's badge: its own classes, apart from the posts' colours."""
        return f"sc-cstatus-{self.value}"


_FACTS: dict[type[_Status], dict[_Status, Facts]] = {}
_FACTS[PostStatus] = {
    PostStatus.DRAFT: Facts(Group.AWAITING_REVIEW, "✎"),
    PostStatus.PROPOSED: Facts(Group.AWAITING_REVIEW, "?", approvable=True),
    PostStatus.APPROVED: Facts(Group.CONFIRMED, "✓", exported=True),
    PostStatus.SCHEDULED: Facts(Group.CONFIRMED, "◷", exported=True),
    PostStatus.PUBLISHED: Facts(Group.CONFIRMED, "●", closed=True),
    PostStatus.CANCELLED: Facts(Group.CANCELLED, "✕", closed=True),
}
_FACTS[CampaignStatus] = {
    CampaignStatus.DRAFT: Facts(Group.AWAITING_REVIEW, ""),
    CampaignStatus.PLANNED: Facts(Group.CONFIRMED, ""),
    CampaignStatus.RUNNING: Facts(Group.CONFIRMED, ""),
    CampaignStatus.COMPLETED: Facts(Group.CONFIRMED, "", closed=True),
    CampaignStatus.CANCELLED: Facts(Group.CANCELLED, "", closed=True),
}

DEFAULT_POST_STATUS = PostStatus.PROPOSED
DEFAULT_CAMPAIGN_STATUS = CampaignStatus.PLANNED

POST_STATUSES: tuple[str, ...] = tuple(s.value for s in PostStatus)  # plain words: click shows an Enum's names
CAMPAIGN_STATUSES: tuple[str, ...] = tuple(s.value for s in CampaignStatus)
AWAITING_REVIEW = frozenset(s for s in PostStatus if s.awaiting_review)
CONFIRMED = frozenset(s for s in PostStatus if s.confirmed)


def described(statuses: type[_Status], default: _Status) -> str:
    """The statuses in order, the default marked: for the schema's and the editors' documentation."""
    return ", ".join(f"{s.label} (the default)" if s is default else s.label for s in statuses)
