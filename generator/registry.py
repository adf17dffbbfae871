"""The policy registries in content/*.yml, read into typed, immutable models.

A broken registry is a configuration error (exit code 2): nothing can be validated against it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo

from .engine_names import ENGINES
from .errors import ConfigError
from .networks import NETWORKS, Network

if TYPE_CHECKING:
    from .rules.core import Rule

# The one table of weekdays: ids as content/series.yml writes them, and their names.
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = Weekday.__args__  # type: ignore[attr-defined]
WEEKDAY_NAMES: dict[str, str] = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")  # pasted into CSS: nothing but a colour may pass
_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")  # a time of day, HH:MM
MAX_REGISTRY_BYTES = 1024 * 1024
MAX_REGISTRY_NODES = 100_000  # values after YAML aliases are expanded ("billion laughs")
MAX_REGISTRY_VALUE = 2000
MAX_MEDIA_HOSTS = 100


def config_error(path: Path | str, line: int, rule: Rule, message: str, hint: str) -> ConfigError:
    """A registry problem, told like a diagnostic: file, line, rule code, hint. (The rule units are
    imported where a registry is read: generator/rules/ imports this module.)"""
    from .diagnostics import one_line

    where = f"{path}:{line}" if line else str(path)
    return ConfigError(f"{where}: error {rule.code} {one_line(message)}\n    hint: {one_line(hint)}")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_max_length=MAX_REGISTRY_VALUE)


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


class Channel(_Frozen):
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


class Series(_Frozen):
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
        json_schema_extra={"pattern": _TIME.pattern},
        description='The time of day its posts go out, "HH:MM" in quotes (default: default_time in settings.yml).',
    )
    hashtags: tuple[str, ...] = ()
    color: str = "#555555"

    @field_validator("time")
    @classmethod
    def _time_of_day(cls, value: str | None) -> str | None:
        if value is not None and not _TIME.match(value):
            raise ValueError(f"{value!r} is not a time of day written HH:MM")
        return value

    @property
    def label(self) -> str:
        return self.short or self.name


class Hashtags(_Frozen):
    active: tuple[str, ...]
    instagram: tuple[str, ...] = ()

    @cached_property
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


class FeedSettings(_Frozen):
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


class SiteSettings(_Frozen):
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


class UtmSettings(_Frozen):
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


class Years(_Frozen):
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


class BestTimesSettings(_Frozen):
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


class Settings(_Frozen):
    timezone: str = Field(
        default="Europe/Zurich",
        max_length=64,
        json_schema_extra={"pattern": _ZONE.pattern},
        description="An IANA time zone, e.g. Europe/Zurich.",
    )
    years: Years = Field(default=Years(), description="`first` and `last`, 1900 to 2999, `first` not after `last`.")
    default_time: str = Field(
        default="10:00",
        json_schema_extra={"pattern": _TIME.pattern},
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
        if not _TIME.match(value):
            raise ValueError(f"{value!r} is not a time of day written HH:MM")
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
    # content/followers.yml: channel id → "YYYY-MM" → followers at the end of that month
    followers: dict[str, dict[str, int]] = {}


# Where each key and list item of a registry is: its path from the top (keys, list indexes) → line.
Lines = dict[tuple[str | int, ...], int]
MAX_LOCATED_DEPTH = 8  # deeper than any registry goes; bounds the paths' cost (nodes × depth)


def _key_lines(root: yaml.Node) -> Lines:
    """The line of every key and list item of a registry, to the depth the models go (a loop: the
    nodes are bounded by `count_nodes`, and an alias is walked once per place it is used)."""
    lines: Lines = {}
    stack: list[tuple[tuple[str | int, ...], yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if len(path) >= MAX_LOCATED_DEPTH:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [((*path, str(k.value)), k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        elif isinstance(node, yaml.SequenceNode):
            children = [((*path, i), item, item) for i, item in enumerate(node.value)]
        else:
            continue
        for sub, mark, value in children:
            lines.setdefault(sub, mark.start_mark.line + 1)
            stack.append((sub, value))
    return lines


def _line(lines: Lines, loc: tuple[str | int, ...]) -> int:
    """The line of the deepest key of `loc` that the file writes (for a missing key, its parent's)."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 0


def _read_yaml(path: Path) -> tuple[object, Lines]:
    """A registry file and the line of each key, read as safely as a content file: no link, no
    huge file, no alias bomb, no duplicate key, no control character."""
    from .rules.file import SC001, SC008, SC009
    from .source import SourceError, read_yaml

    if path.is_symlink():
        raise config_error(
            path, 0, SC009, "the registry is a symbolic link, which is never followed", "commit the file itself"
        )
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_REGISTRY_BYTES + 1)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: missing registry file") from exc
    if len(raw) > MAX_REGISTRY_BYTES:
        raise config_error(
            path,
            0,
            SC008,
            f"the registry is larger than {MAX_REGISTRY_BYTES:,} bytes",
            "a registry lists accounts and policy: keep it small",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise config_error(path, line, SC001, "the registry is not UTF-8 text", "save it as UTF-8") from exc
    try:
        root, data = read_yaml(
            text, 1, node_limit=MAX_REGISTRY_NODES, multiline_keys=None, raw_checked=False, count_always=True
        )
    except SourceError as exc:
        raise config_error(path, exc.line, exc.rule, exc.message, exc.hint) from exc
    return data, (_key_lines(root) if root is not None else {})


def _field(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[type[BaseModel], FieldInfo | None]:
    """The model that holds the key at `loc`, and the deepest field of `loc` it has (None: none)."""
    info = None
    for part in loc:
        if info is not None:
            inner = info.annotation
            if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
                break  # inside a list or mapping of values: the field that holds them
            model = inner
        if not isinstance(part, str) or part not in model.model_fields:
            return model, None
        info = model.model_fields[part]
    return model, info


MAX_TOLD = 5  # problems of one registry told in its diagnostic


def _refusal(
    path: Path, lines: Lines, prefix: tuple[str | int, ...], model: type[BaseModel], exc: ValidationError, rule: Rule
) -> ConfigError:
    """A registry's values that its model refuses, told like a diagnostic: the first one's line,
    every problem with the value given, and what the key takes (its description) or which keys
    there are."""
    from .diagnostics import did_you_mean

    errors = exc.errors(include_url=False)
    parts = []
    for err in errors[:MAX_TOLD]:
        key = ".".join(str(p) for p in (*prefix, *err["loc"]))  # the path in the file
        if err["type"] == "extra_forbidden":
            parts.append(f"`{key}` is not a known key")
            continue
        if err["type"] == "model_type":
            what = "should be a mapping of `key: value` lines"
        else:
            what = err["msg"].removeprefix("Value error, ")
            if err["type"] not in ("value_error", "too_long"):  # our messages name the value; a list is long
                what += f" (got {repr(err['input'])[:60]})"
        parts.append(f"{key}: {what}" if key else what)
    if len(errors) > MAX_TOLD:  # the items of a long list: the first few say what is wrong
        parts.append(f"and {len(errors) - MAX_TOLD} more")
    first = tuple(errors[0]["loc"])
    holder, info = _field(model, first)
    if errors[0]["type"] == "extra_forbidden":
        keys = [k for k in holder.model_fields if k != "id"]
        close = did_you_mean(str(first[-1]), keys)
        hint = (f"did you mean `{close}`? " if close else "") + f"the keys here are {', '.join(keys)}"
    elif info is not None and info.description:
        hint = info.description
    else:
        hint = f"see the comments at the top of {path.name}"
    return config_error(path, _line(lines, (*prefix, *first)) or 1, rule, "; ".join(parts), hint)


def _check_id(path: Path, line: int, kind: str, key: object) -> str:
    from .ids import is_valid_id  # ids become file names, URLs, CSS classes and feed UIDs
    from .rules.declared import SC502

    text = str(key)
    if not is_valid_id(text):
        raise config_error(
            path,
            line,
            SC502,
            f"the {kind} id {text!r} is not an id",
            "ids are lower-case letters, digits and dashes, not 'index' (they become file names and addresses)",
        )
    return text


def _keyed(path: Path, model: type[BaseModel], raw: object, lines: Lines) -> dict:
    from .rules.declared import SC103, SC503

    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of id → entry")
    out = {}
    kind = path.stem.removesuffix("s")
    for key, entry in raw.items():
        line = lines.get((str(key),), 0)
        cid = _check_id(path, line, kind, key)
        if not isinstance(entry, dict):
            raise config_error(path, line, SC103, f"entry {cid!r} must be a mapping", "write `key: value` lines")
        color = entry.get("color")
        if color is not None and not (isinstance(color, str) and COLOR.match(color)):
            raise config_error(
                path,
                line,
                SC503,
                f"the colour of {cid!r} is {str(color)[:40]!r}, not a colour",
                "write a colour as #rrggbb, e.g. #0f5c9e",
            )
        try:
            out[cid] = model.model_validate({"id": cid, **entry})
        except ValidationError as exc:
            enum = _unknown_value(path, lines, (str(key),), exc)
            if enum is not None:
                raise enum from exc
            raise _refusal(path, lines, (str(key),), model, exc, SC103) from exc
    return out


_EXPECTED = re.compile(r"'([^']*)'")


def _unknown_value(path: Path, lines: Lines, prefix: tuple[str | int, ...], exc: ValidationError) -> ConfigError | None:
    """A value that is not one of a field's choices (`platform: twiter`), told at its line with the
    likely intended one; None when the error is another kind. `prefix` is where the validated
    mapping sits in the file (a channel's id)."""
    from .diagnostics import unknown
    from .rules.declared import SC506

    for err in exc.errors():
        if err["type"] != "literal_error":
            continue
        loc = tuple(err["loc"])
        # pydantic lists the choices as their reprs: 'required', 'allowed' or 'forbidden'.
        choices = _EXPECTED.findall(str(err.get("ctx", {}).get("expected", "")))
        field = ".".join(part for part in loc if isinstance(part, str))  # weekdays, not weekdays.0
        message, guess = unknown("value", str(err["input"])[:80], choices)
        where = "".join(f"entry {part!r}: " for part in prefix)
        hint = f"write '{guess}'" if guess else f"write one of: {', '.join(choices)}"
        return config_error(path, _line(lines, (*prefix, *loc)), SC506, f"{where}{field}: {message}", hint)
    return None


def _model(path: Path, model: type[BaseModel], read: tuple[object, Lines], rule: Rule | None = None) -> BaseModel:
    """A registry that is one mapping (settings.yml, hashtags.yml, …) as its model; `rule` names
    what a refused value breaks (by default SC103, a wrong type or value)."""
    from .rules.declared import SC103

    raw, lines = read
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise _refusal(path, lines, (), model, exc, rule or SC103) from exc


def _settings(path: Path) -> Settings:
    """content/settings.yml, typed and bounded (SC505): every number within what it means, so that
    no command meets a value it cannot use; the defaults when the file is absent."""
    from .rules.declared import SC505

    read = _read_yaml(path) if path.exists() or path.is_symlink() else (None, {})
    return _model(path, Settings, read, SC505)  # type: ignore[return-value]


_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_FOLLOWERS = 10_000_000_000  # more than anyone has: a typo of a few digits, not a count


def _followers(path: Path, channels: dict[str, Channel], years: tuple[int, int]) -> dict[str, dict[str, int]]:
    """content/followers.yml (absent: none): per channel of channels.yml, per month written
    YYYY-MM within the calendar's years, a whole number of followers (SC507 at its line)."""
    from .diagnostics import unknown
    from .rules.declared import SC507

    if not (path.exists() or path.is_symlink()):
        return {}
    raw, lines = _read_yaml(path)
    if raw is None:
        return {}

    def refuse(loc: tuple[str | int, ...], message: str, hint: str) -> ConfigError:
        return config_error(path, _line(lines, loc) or 1, SC507, message, hint)

    if not isinstance(raw, dict):
        raise refuse(
            (), "should be a mapping of channel ids", "write `channel-id:` lines, each with `YYYY-MM: count` lines"
        )
    out: dict[str, dict[str, int]] = {}
    for key, months in raw.items():
        cid = str(key)
        if cid not in channels:
            message, guess = unknown("channel", cid[:80], channels)
            raise refuse(
                (cid,), message, f"write '{guess}'" if guess else f"the channels are in {path.parent.name}/channels.yml"
            )
        if not isinstance(months, dict):
            raise refuse((cid,), f"{cid}: should be a mapping of `YYYY-MM: followers` lines", "e.g. 2026-01: 125000")
        counts: dict[str, int] = {}
        for month, count in months.items():
            written = str(month)
            match = _MONTH.match(written) if isinstance(month, str) else None
            if match is None:
                shown = repr(month)[:40]
                raise refuse(
                    (cid, written), f"{cid}: {shown} is not a month written YYYY-MM", "e.g. 2026-01 (January 2026)"
                )
            if not years[0] <= int(match[1]) <= years[1]:
                raise refuse(
                    (cid, written),
                    f"{cid}: {written} is outside the years {years[0]} to {years[1]}",
                    "years.first and years.last in settings.yml",
                )
            if type(count) is not int or not 0 <= count <= MAX_FOLLOWERS:
                raise refuse(
                    (cid, written),
                    f"{cid}: {written}: {repr(count)[:40]} is not a number of followers",
                    f"a whole number from 0 to {MAX_FOLLOWERS:,}, without separators (125000)",
                )
            counts[written] = count
        out[cid] = dict(sorted(counts.items()))
    return out


def load_registry(content_dir: Path) -> Registry:
    if content_dir.is_symlink():
        from .rules.file import SC009

        raise config_error(
            content_dir, 0, SC009, "content/ is a symbolic link, which is never followed", "make it a folder"
        )
    channels = _keyed(content_dir / "channels.yml", Channel, *_read_yaml(content_dir / "channels.yml"))
    series = _keyed(content_dir / "series.yml", Series, *_read_yaml(content_dir / "series.yml"))
    hashtags = _model(content_dir / "hashtags.yml", Hashtags, _read_yaml(content_dir / "hashtags.yml"))
    links = _model(content_dir / "links.yml", LinkPolicy, _read_yaml(content_dir / "links.yml"))
    audiences_path = content_dir / "audiences.yml"
    audiences_raw, audience_lines = _read_yaml(audiences_path)
    if not isinstance(audiences_raw, dict):
        raise ConfigError(f"{audiences_path}: expected a mapping of id → description")
    audiences = {
        _check_id(audiences_path, audience_lines.get((str(k),), 0), "audience", k): str(v)[:MAX_REGISTRY_VALUE]
        for k, v in audiences_raw.items()
    }
    settings = _settings(content_dir / "settings.yml")
    for ch in channels.values():
        if ch.is_retired and ch.retired is None:
            raise ConfigError(f"{content_dir / 'channels.yml'}: retired channel {ch.id!r} needs a `retired:` date")
    for s in series.values():
        for cid in s.channels:
            if cid not in channels:
                raise ConfigError(f"{content_dir / 'series.yml'}: series {s.id!r} names unknown channel {cid!r}")
        if s.answers is not None and s.answers not in series:
            raise ConfigError(f"{content_dir / 'series.yml'}: series {s.id!r} answers unknown series {s.answers!r}")
    followers = _followers(content_dir / "followers.yml", channels, settings.years.range)  # type: ignore[attr-defined]
    return Registry(
        channels=channels,
        series=series,
        followers=followers,
        hashtags=hashtags,  # type: ignore[arg-type]
        links=links,  # type: ignore[arg-type]
        audiences=audiences,
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
