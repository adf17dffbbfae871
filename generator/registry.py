"""The policy registries in content/*.yml, read into typed, immutable models: channels, series,
hashtags, links, audiences, with the settings (settings.py) and followers (followers.py); the
analytics export formats.

A broken registry is a configuration error (exit code 2): nothing can be validated against it.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .errors import ConfigError
from .followers import read_followers
from .networks import NETWORKS, Network
from .registry_reading import (
    MAX_REGISTRY_VALUE,
    Frozen,
    check_id,
    config_error,
    keyed,
    mapping_model,
    read_registry_yaml,
)
from .settings import TIME_OF_DAY, Settings, read_settings

# The one table of weekdays: ids as content/series.yml writes them, and their names.
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = Weekday.__args__  # type: ignore[attr-defined]
WEEKDAY_NAMES: dict[str, str] = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


class TextLimit(Frozen):
    max: int = Field(gt=0)
    count: Literal["twitter", "characters", "graphemes"] = "characters"


class HashtagPolicy(Frozen):
    max: int = Field(ge=0)
    placement: Literal["text", "first_comment"] = "text"
    why: str = ""


class Limits(Frozen):
    text: TextLimit
    link: Literal["required", "allowed", "forbidden"] = "required"
    hashtags: HashtagPolicy
    alt_text_required: bool = True
    # required: nothing goes out without an image or a video (the Instagram feed)
    media: Literal["required", "optional"] = "optional"


# The networks a channel can be on (a channel's `platform`), one unit each in generator/networks/:
# what its post page previews, how its text is counted, which export format of content/analytics.yml
# its results come in. A closed list: a typo (`twiter`) would otherwise turn the X preview into a
# generic card without a word. Networks the team has left stay, so the old posts of a retired
# channel still render. A variant (Instagram stories) is chosen with `preview:`.
PLATFORMS: tuple[str, ...] = tuple(n.name for n in NETWORKS.values() if not n.variant_of)
Platform = Literal[PLATFORMS]  # type: ignore[valid-type]
Preview = Literal[("", *NETWORKS)]  # type: ignore[valid-type]


class Channel(Frozen):
    id: str
    platform: Platform
    handle: str
    name: str
    label: str = ""
    url: str = ""
    language: str = "en"
    status: Literal["active", "retired"] = "active"
    retired: dt.date | None = None
    retired_why: str = ""
    color: str = "#555555"
    icon: str = Field(default="material/web", pattern=r"^[a-z0-9-]+(/[a-z0-9-]+)+$")  # one of Material's icons
    preview: Preview = ""  # the post page's look, a network's name; default: the platform's
    owners: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    engagement: tuple[str, ...] = ()
    kpis: tuple[str, ...] = ()
    limits: Limits

    @property
    def short(self) -> str:
        return self.label or self.name

    @property
    def is_retired(self) -> bool:
        return self.status == "retired"

    @property
    def network(self) -> Network:
        """The unit of its network: `preview` (a variant such as Instagram stories), else the platform."""
        return NETWORKS[self.preview or self.platform]

    @model_validator(mode="before")
    @classmethod
    def _network_defaults(cls, data: object) -> object:
        """What the channel's limits leave unsaid, its network's: how the text is counted, where
        the hashtags go. (Unknown platforms are left to the closed choice's message.)"""
        if not isinstance(data, dict) or not isinstance(data.get("limits"), dict):
            return data
        unit = NETWORKS.get(str(data.get("preview") or data.get("platform")))
        if unit is None:
            return data
        limits = dict(data["limits"])
        text, hashtags = limits.get("text"), limits.get("hashtags")
        if isinstance(text, dict) and "count" not in text:
            limits["text"] = {**text, "count": unit.counting}
        if isinstance(hashtags, dict) and "placement" not in hashtags:
            limits["hashtags"] = {**hashtags, "placement": unit.hashtags}
        return {**data, "limits": limits}

    def accepts_posts_on(self, day: dt.date) -> bool:
        return not self.is_retired or (self.retired is not None and day <= self.retired)


class Series(Frozen):
    id: str
    name: str
    short: str = ""
    description: str = ""
    weekdays: tuple[Weekday, ...] = ()
    channels: tuple[str, ...] = ()
    max_per_week_per_channel: int | None = None
    answers: str | None = None
    answer_weekday: Weekday | None = None
    requires_link: bool = False
    expected_weekly: bool = False
    # The time of day its posts go out, "HH:MM": its open slots are proposed at it.
    time: str | None = Field(
        default=None,
        json_schema_extra={"pattern": TIME_OF_DAY.pattern},
        description='The time of day its posts go out, "HH:MM" in quotes (default: default_time in settings.yml).',
    )
    hashtags: tuple[str, ...] = ()
    color: str = "#555555"

    @field_validator("time")
    @classmethod
    def _time_of_day(cls, value: str | None) -> str | None:
        if value is not None and not TIME_OF_DAY.match(value):
            raise ValueError(f"{value!r} is not a time of day written HH:MM")
        return value

    @property
    def label(self) -> str:
        return self.short or self.name


class Hashtags(Frozen):
    active: tuple[str, ...]
    instagram: tuple[str, ...] = ()

    @cached_property
    def known(self) -> frozenset[str]:
        return frozenset(tag.lower() for tag in (*self.active, *self.instagram))


class LinkPolicy(Frozen):
    cern: tuple[str, ...]
    publications: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()

    def classify(self, host: str) -> str | None:
        """Which allowed group a host belongs to, or None for external media."""
        host = host.lower().rstrip(".")
        for group in ("cern", "publications", "platforms"):
            for domain in getattr(self, group):
                if host == domain or host.endswith("." + domain):
                    return group
        return None


class Registry(Frozen):
    channels: dict[str, Channel]
    series: dict[str, Series]
    hashtags: Hashtags
    links: LinkPolicy
    audiences: dict[str, str]
    settings: Settings
    # content/followers.yml: channel id → "YYYY-MM" → followers at the end of that month
    followers: dict[str, dict[str, int]] = {}  # noqa: RUF012 (a pydantic field: copied for each model)


def load_registry(content_dir: Path) -> Registry:
    if content_dir.is_symlink():
        from .rules.file import SC009

        raise config_error(
            content_dir, 0, SC009, "content/ is a symbolic link, which is never followed", "make it a folder"
        )
    channels = keyed(content_dir / "channels.yml", Channel, *read_registry_yaml(content_dir / "channels.yml"))
    series = keyed(content_dir / "series.yml", Series, *read_registry_yaml(content_dir / "series.yml"))
    hashtags = mapping_model(content_dir / "hashtags.yml", Hashtags, read_registry_yaml(content_dir / "hashtags.yml"))
    links = mapping_model(content_dir / "links.yml", LinkPolicy, read_registry_yaml(content_dir / "links.yml"))
    audiences_path = content_dir / "audiences.yml"
    audiences_raw, audience_lines = read_registry_yaml(audiences_path)
    if not isinstance(audiences_raw, dict):
        raise ConfigError(f"{audiences_path}: expected a mapping of id → description")
    audiences = {
        check_id(audiences_path, audience_lines.get((str(k),), 0), "audience", k): str(v)[:MAX_REGISTRY_VALUE]
        for k, v in audiences_raw.items()
    }
    settings = read_settings(content_dir / "settings.yml")
    for ch in channels.values():
        if ch.is_retired and ch.retired is None:
            raise ConfigError(f"{content_dir / 'channels.yml'}: retired channel {ch.id!r} needs a `retired:` date")
    for s in series.values():
        for cid in s.channels:
            if cid not in channels:
                raise ConfigError(f"{content_dir / 'series.yml'}: series {s.id!r} names unknown channel {cid!r}")
        if s.answers is not None and s.answers not in series:
            raise ConfigError(f"{content_dir / 'series.yml'}: series {s.id!r} answers unknown series {s.answers!r}")
    followers = read_followers(content_dir / "followers.yml", channels, settings.years.range)  # type: ignore[attr-defined]
    return Registry(
        channels=channels,
        series=series,
        followers=followers,
        hashtags=hashtags,  # type: ignore[arg-type]
        links=links,  # type: ignore[arg-type]
        audiences=audiences,
        settings=settings,  # type: ignore[arg-type]
    )


class TimeColumn(Frozen):
    column: str
    format: str


class ExportFormat(Frozen):
    time: TimeColumn
    url: str | None = None
    metrics: dict[str, str]


class Analytics(Frozen):
    match_window_minutes: int = Field(default=30, ge=0, le=24 * 60)
    platforms: dict[str, ExportFormat] = {}  # noqa: RUF012 (a pydantic field: copied for each model)


def load_analytics(content_dir: Path) -> Analytics:
    """The analytics export formats (content/analytics.yml); empty when the file is absent."""
    path = content_dir / "analytics.yml"
    if not path.exists():
        return Analytics()
    return mapping_model(path, Analytics, read_registry_yaml(path))  # type: ignore[return-value]
