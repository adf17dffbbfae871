"""The policy registries in content/*.yml, read into typed, immutable models.

A broken registry is a configuration error (exit code 2): nothing can be validated against it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


class ConfigError(Exception):
    """A registry or setting cannot be used; the message names the file and what to fix."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextLimit(_Frozen):
    max: int = Field(gt=0)
    count: Literal["twitter", "characters", "graphemes"] = "characters"


class HashtagPolicy(_Frozen):
    max: int = Field(ge=0)
    placement: Literal["text", "first_comment"] = "text"
    why: str = ""


class Limits(_Frozen):
    text: TextLimit
    link: Literal["required", "allowed", "forbidden"] = "required"
    hashtags: HashtagPolicy
    alt_text_required: bool = True


class Channel(_Frozen):
    id: str
    platform: str
    handle: str
    name: str
    label: str = ""
    url: str = ""
    language: str = "en"
    status: Literal["active", "retired"] = "active"
    retired: dt.date | None = None
    retired_why: str = ""
    color: str = "#555555"
    icon: str = "material/web"
    preview: str = Field(default="", pattern=r"^[a-z0-9-]*$")  # the post page's look; default: the platform's
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
    def style(self) -> str:
        """How a post on this channel is previewed: `preview`, else the platform (a class name)."""
        return self.preview or "".join(c for c in self.platform.lower() if c.isalnum() or c == "-") or "generic"

    def accepts_posts_on(self, day: dt.date) -> bool:
        return not self.is_retired or (self.retired is not None and day <= self.retired)


class Series(_Frozen):
    id: str
    name: str
    short: str = ""
    description: str = ""
    weekdays: tuple[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"], ...] = ()
    channels: tuple[str, ...] = ()
    max_per_week_per_channel: int | None = None
    answers: str | None = None
    answer_weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] | None = None
    requires_link: bool = False
    expected_weekly: bool = False
    hashtags: tuple[str, ...] = ()
    color: str = "#555555"

    @property
    def label(self) -> str:
        return self.short or self.name


class Hashtags(_Frozen):
    active: tuple[str, ...]
    instagram: tuple[str, ...] = ()

    @property
    def known(self) -> frozenset[str]:
        return frozenset(tag.lower() for tag in (*self.active, *self.instagram))


class LinkPolicy(_Frozen):
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


class FeedSettings(_Frozen):
    duration_minutes: int = Field(default=15, gt=0, le=24 * 60)
    past_days: int = Field(default=90, ge=0)
    refresh: str = "PT6H"


_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
_BRANCH = re.compile(r"^(?!/|.*(?:\.\.|//|@\{|\.lock$|/$))[^\x00-\x20\x7f~^:?*\[\\]{1,200}$")


class SiteSettings(_Frozen):
    upcoming_days: int = Field(default=14, gt=0, le=366)
    # The branch that "edit" and "history" links open (with `repo_url` in mkdocs.yml); by default
    # the repository's default branch.
    branch: str | None = None
    # Hosts the team trusts to serve images (exact host names): remote images from them are shown;
    # any other remote medium is listed by its alt text and never fetched.
    media_hosts: tuple[str, ...] = ()

    @field_validator("branch")
    @classmethod
    def _branch_name(cls, value: str | None) -> str | None:
        if value is not None and not _BRANCH.match(value):
            raise ValueError(f"{value!r} is not a git branch name")
        return value

    @field_validator("media_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return value
        out = []
        for host in value:
            text = str(host).strip().lower().rstrip(".")
            if not _HOST.match(text):
                raise ValueError(f"{host!r} is not a host name (write e.g. cds.cern.ch, without https://)")
            out.append(text)
        return tuple(out)

    def trusts_media_from(self, host: str) -> bool:
        """Exactly the listed hosts: trusting cern.ch would trust every site under it."""
        return host.lower().rstrip(".") in self.media_hosts


class Settings(_Frozen):
    timezone: str = "Europe/Zurich"
    default_time: str = "10:00"
    clash_minutes: int = Field(default=60, ge=0)
    feeds: FeedSettings = FeedSettings()
    site: SiteSettings = SiteSettings()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Zurich)") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Registry(_Frozen):
    channels: dict[str, Channel]
    series: dict[str, Series]
    hashtags: Hashtags
    links: LinkPolicy
    audiences: dict[str, str]
    settings: Settings

    @cached_property
    def fingerprint(self) -> str:
        """A digest of all policy: part of the key of every cached result that depends on it."""
        from .cache import digest

        return digest(self.model_dump_json())


def _read_yaml(path: Path) -> object:
    try:
        with path.open("rb") as fh:
            return yaml.load(fh, Loader=SafeLoader)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: missing registry file") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())


def _keyed(path: Path, model: type[BaseModel], raw: object) -> dict:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of id → entry")
    out = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: entry {key!r} must be a mapping")
        try:
            out[str(key)] = model.model_validate({"id": str(key), **entry})
        except ValidationError as exc:
            raise ConfigError(f"{path}: entry {key!r}: {_describe(exc)}") from exc
    return out


def _model(path: Path, model: type[BaseModel], raw: object) -> BaseModel:
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc)}") from exc


def load_registry(content_dir: Path) -> Registry:
    channels = _keyed(content_dir / "channels.yml", Channel, _read_yaml(content_dir / "channels.yml"))
    series = _keyed(content_dir / "series.yml", Series, _read_yaml(content_dir / "series.yml"))
    hashtags = _model(content_dir / "hashtags.yml", Hashtags, _read_yaml(content_dir / "hashtags.yml"))
    links = _model(content_dir / "links.yml", LinkPolicy, _read_yaml(content_dir / "links.yml"))
    audiences_raw = _read_yaml(content_dir / "audiences.yml")
    if not isinstance(audiences_raw, dict):
        raise ConfigError(f"{content_dir / 'audiences.yml'}: expected a mapping of id → description")
    settings_path = content_dir / "settings.yml"
    settings = _model(settings_path, Settings, _read_yaml(settings_path) if settings_path.exists() else {})
    for ch in channels.values():
        if ch.is_retired and ch.retired is None:
            raise ConfigError(f"{content_dir / 'channels.yml'}: retired channel {ch.id!r} needs a `retired:` date")
    for s in series.values():
        for cid in s.channels:
            if cid not in channels:
                raise ConfigError(f"{content_dir / 'series.yml'}: series {s.id!r} names unknown channel {cid!r}")
        if s.answers is not None and s.answers not in series:
            raise ConfigError(f"{content_dir / 'series.yml'}: series {s.id!r} answers unknown series {s.answers!r}")
    return Registry(
        channels=channels,
        series=series,
        hashtags=hashtags,  # type: ignore[arg-type]
        links=links,  # type: ignore[arg-type]
        audiences={str(k): str(v) for k, v in audiences_raw.items()},
        settings=settings,  # type: ignore[arg-type]
    )


class TimeColumn(_Frozen):
    column: str
    format: str


class ExportFormat(_Frozen):
    time: TimeColumn
    url: str | None = None
    metrics: dict[str, str]


class Analytics(_Frozen):
    match_window_minutes: int = Field(default=30, ge=0, le=24 * 60)
    platforms: dict[str, ExportFormat] = {}


def load_analytics(content_dir: Path) -> Analytics:
    """The analytics export formats (content/analytics.yml); empty when the file is absent."""
    path = content_dir / "analytics.yml"
    if not path.exists():
        return Analytics()
    return _model(path, Analytics, _read_yaml(path))  # type: ignore[return-value]
