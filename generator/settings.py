"""content/settings.yml: the Settings models, every value typed and bounded by what it means."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from .engine_names import ENGINES
from .registry_reading import Frozen, mapping_model, read_registry_yaml

TIME_OF_DAY = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")  # a time of day, HH:MM
MAX_MEDIA_HOSTS = 100


# A duration as iCalendar writes one (RFC 5545 dur-value, which is ISO 8601's without years or
# months): weeks, or days and a time. Digits are bounded so that no number is too large to add.
_DURATION = re.compile(r"^P(?:(\d{1,4})W|(?:(\d{1,4})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?)$")


def iso_duration(text: str) -> dt.timedelta | None:
    """`PT6H`, `P1D`, `P1W`, `P1DT12H` as a timedelta; None when the text is not such a duration."""
    match = _DURATION.match(text)
    if match is None or not any(match.groups()) or text.endswith("T"):
        return None
    weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return dt.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)


# What a calendar client is asked to wait between two refreshes of a feed: more often than every
# quarter of an hour loads the host for nothing, less often than weekly shows a stale calendar.
REFRESH_BOUNDS = (dt.timedelta(minutes=15), dt.timedelta(days=7))


class FeedSettings(Frozen):
    duration_minutes: int = Field(
        default=15, gt=0, le=24 * 60, strict=True, description="A post's event in calendars, in minutes (1 to 1440)."
    )
    past_days: int = Field(
        default=90,
        ge=0,
        le=5 * 366,
        strict=True,
        description="Days of past events all.ics keeps, 0 to 1830 (five years).",
    )
    refresh: str = Field(
        default="PT6H",
        json_schema_extra={"pattern": _DURATION.pattern},  # for editors; the validator below explains
        description="How often calendar clients refresh: an ISO 8601 duration from PT15M to P7D, e.g. PT6H.",
    )

    @field_validator("refresh")
    @classmethod
    def _refresh_bounded(cls, value: str) -> str:
        interval = iso_duration(value)
        low, high = REFRESH_BOUNDS
        if interval is None or not low <= interval <= high:
            raise ValueError(f"{value!r} is not a duration from 15 minutes (PT15M) to 7 days (P7D)")
        return value

    @property
    def refresh_interval(self) -> dt.timedelta:
        interval = iso_duration(self.refresh)
        assert interval is not None  # checked when read
        return interval


_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
_BRANCH = re.compile(r"^(?!/|.*(?:\.\.|//|@\{|\.lock$|/$))[^\x00-\x20\x7f~^:?*\[\\]{1,200}$")


def _host_names(value: object) -> object:
    """A list of exact host names (one name is a list of one), lower-cased; anything else refused."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or len(value) > MAX_MEDIA_HOSTS:
        return value  # refused by the type or the length, with pydantic's message
    out = []
    for host in value:
        text = str(host).strip().lower().rstrip(".")
        if not _HOST.match(text):
            raise ValueError(f"{host!r} is not a host name (write e.g. cds.cern.ch, without https://)")
        out.append(text)
    return tuple(out)


class SiteSettings(Frozen):
    upcoming_days: int = Field(
        default=14, gt=0, le=366, strict=True, description="Days ahead the home page shows, 1 to 366."
    )
    # The planning horizon: month and week pages exist, empty or not, and series show their open
    # slots, from today's month through this many months ahead.
    horizon_months: int = Field(
        default=3,
        gt=0,
        le=24,
        strict=True,
        description="Months ahead of today's month that the calendar plans (pages, open slots), 1 to 24.",
    )
    # The branch that "edit" and "history" links open (with `repo_url` in mkdocs.yml); by default
    # the repository's default branch (origin/HEAD, else the branch checked out, else main).
    branch: str | None = None
    # The site builder; `socialcal build --engine` overrides it. (A plain string checked below
    # rather than a Literal: the message names the engines; the schema lists them for editors.)
    engine: str = Field(default="mkdocs", json_schema_extra={"enum": sorted(ENGINES)})
    # Hosts the team trusts to serve images (exact host names): remote images from them are shown;
    # any other remote medium is listed by its alt text and never fetched.
    media_hosts: tuple[str, ...] = Field(
        default=(), max_length=MAX_MEDIA_HOSTS, description=f"At most {MAX_MEDIA_HOSTS} exact host names."
    )

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value not in ENGINES:
            raise ValueError(f"unknown site engine {value!r} (known: {', '.join(sorted(ENGINES))})")
        return value

    @field_validator("branch")
    @classmethod
    def _branch_name(cls, value: str | None) -> str | None:
        if value is not None and not _BRANCH.match(value):
            raise ValueError(f"{value!r} is not a git branch name")
        return value

    @field_validator("media_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        return _host_names(value)

    def trusts_media_from(self, host: str) -> bool:
        """Exactly the listed hosts: trusting cern.ch would trust every site under it."""
        return host.lower().rstrip(".") in self.media_hosts


# Names of the tz database (Area/Location, UTC, CET): a capital first, no dot, no empty part.
_ZONE = re.compile(r"^[A-Z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){0,2}$")


OWN_SITE = "home.cern"  # the organisation's own site: its links are always tagged when UTM is on


class UtmSettings(Frozen):
    """UTM tags on links to the team's own sites, added to the text as it goes out (never to the
    files): utm_source the network, utm_medium social, utm_campaign the campaign's id, else the series'."""

    enabled: bool = Field(default=False, strict=True, description="true or false: tag links to the team's sites.")
    hosts: tuple[str, ...] = Field(
        default=(),
        max_length=MAX_MEDIA_HOSTS,
        description=f"Sites of the team's besides home.cern: at most {MAX_MEDIA_HOSTS} exact host names "
        "(their subdomains are included).",
    )

    @field_validator("hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        return _host_names(value)

    def own(self, host: str) -> bool:
        """Whether links to `host` are tagged: home.cern or a listed host, or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == site or host.endswith("." + site) for site in (OWN_SITE, *self.hosts))


class Years(Frozen):
    """Dates outside these years are refused (SC113); bounded so that no date arithmetic overflows."""

    first: int = Field(default=2000, ge=1900, le=2999, strict=True, description="The first year, 1900 to 2999.")
    last: int = Field(default=2100, ge=1900, le=2999, strict=True, description="The last year, 1900 to 2999.")

    @model_validator(mode="after")
    def _in_order(self) -> Years:
        if self.first > self.last:
            raise ValueError(f"`first` ({self.first}) comes after `last` ({self.last})")
        return self

    @property
    def range(self) -> tuple[int, int]:
        return (self.first, self.last)


class BestTimesSettings(Frozen):
    """Best times from the team's own results (the Results page's heatmap, the open slots' and
    `socialcal new post`'s suggestion): a weekday and hour of a channel counts only from this many
    posts on, so that one lucky post does not make a rule."""

    min_posts: int = Field(
        default=3,
        ge=1,
        le=100,
        strict=True,
        description="Posts with results a weekday and hour of a channel needs before its engagement rate is "
        "shown and suggested, 1 to 100.",
    )


class Settings(Frozen):
    timezone: str = Field(
        default="Europe/Zurich",
        max_length=64,
        json_schema_extra={"pattern": _ZONE.pattern},
        description="An IANA time zone, e.g. Europe/Zurich.",
    )
    years: Years = Field(default=Years(), description="`first` and `last`, 1900 to 2999, `first` not after `last`.")
    default_time: str = Field(
        default="10:00",
        json_schema_extra={"pattern": TIME_OF_DAY.pattern},
        description='A time of day written HH:MM in quotes, e.g. "10:00".',
    )
    clash_minutes: int = Field(
        default=60,
        ge=0,
        le=24 * 60,
        strict=True,
        description="Minutes, 0 (no clashes) to 1440 (a day).",
    )
    feeds: FeedSettings = FeedSettings()
    site: SiteSettings = SiteSettings()
    utm: UtmSettings = UtmSettings()
    best_times: BestTimesSettings = BestTimesSettings()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # The pattern keeps out what is no zone of the tz database but a file next to them
        # (localtime: the machine's own; zone.tab; a folder such as Europe) and paths.
        try:
            if _ZONE.match(value):
                ZoneInfo(value)
                return value
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
        raise ValueError(f"unknown time zone {value!r} (e.g. Europe/Zurich, UTC)")

    @field_validator("default_time")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not TIME_OF_DAY.match(value):
            raise ValueError(f"{value!r} is not a time of day written HH:MM")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def read_settings(path: Path) -> Settings:
    """content/settings.yml, typed and bounded (SC505): every number within what it means, so that
    no command meets a value it cannot use; the defaults when the file is absent."""
    from .rules.declared import SC505

    read = read_registry_yaml(path) if path.exists() or path.is_symlink() else (None, {})
    return mapping_model(path, Settings, read, SC505)  # type: ignore[return-value]
