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
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .engines import ENGINES
from .errors import ConfigError

if TYPE_CHECKING:
    from .rules.core import Rule

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The one table of weekdays: ids as content/series.yml writes them, and their names.
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = Weekday.__args__  # type: ignore[attr-defined]
WEEKDAY_NAMES: dict[str, str] = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)


COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")  # pasted into CSS: nothing but a colour may pass
MAX_REGISTRY_BYTES = 1024 * 1024
MAX_REGISTRY_NODES = 100_000  # values after YAML aliases are expanded ("billion laughs")
MAX_REGISTRY_VALUE = 2000


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


# The networks a channel can be on (a channel's `platform`): what its post page previews, which
# export format of content/analytics.yml its results come in. A closed list: a typo (`twiter`)
# would otherwise turn the X preview into a generic card without a word. Networks the team has
# left stay, so the old posts of a retired channel still render.
Platform = Literal[
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "youtube",
    "mastodon",
    "bluesky",
    "threads",
    "tiktok",
    "googleplus",
    "snapchat",
    "itunesu",
]
PLATFORMS: tuple[str, ...] = Platform.__args__  # type: ignore[attr-defined]


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
    weekdays: tuple[Weekday, ...] = ()
    channels: tuple[str, ...] = ()
    max_per_week_per_channel: int | None = None
    answers: str | None = None
    answer_weekday: Weekday | None = None
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


class FeedSettings(_Frozen):
    duration_minutes: int = Field(default=15, gt=0, le=24 * 60)
    past_days: int = Field(default=90, ge=0)
    refresh: str = "PT6H"


_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
_BRANCH = re.compile(r"^(?!/|.*(?:\.\.|//|@\{|\.lock$|/$))[^\x00-\x20\x7f~^:?*\[\\]{1,200}$")


class SiteSettings(_Frozen):
    upcoming_days: int = Field(default=14, gt=0, le=366)
    # The branch that "edit" and "history" links open (with `repo_url` in mkdocs.yml); by default
    # the repository's default branch (origin/HEAD, else the branch checked out, else main).
    branch: str | None = None
    # The site builder; `socialcal build --engine` overrides it. (A plain string checked below
    # rather than a Literal: the message names the engines; the schema lists them for editors.)
    engine: str = Field(default="mkdocs", json_schema_extra={"enum": sorted(ENGINES)})
    # Hosts the team trusts to serve images (exact host names): remote images from them are shown;
    # any other remote medium is listed by its alt text and never fetched.
    media_hosts: tuple[str, ...] = ()

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


class Years(_Frozen):
    """Dates outside these years are refused (SC113); bounded so that no date arithmetic overflows."""

    first: int = Field(default=2000, ge=1900, le=2999)
    last: int = Field(default=2100, ge=1900, le=2999)

    @property
    def range(self) -> tuple[int, int]:
        return (self.first, self.last)


class Settings(_Frozen):
    timezone: str = "Europe/Zurich"
    years: Years = Years()
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


class Lines(dict[str, int]):
    """The line of each top-level key of a registry; `at` finds the line of a value further in
    (`('twitter-cern', 'limits', 'link')`, a list item by its index), for errors to point at it."""

    def __init__(self) -> None:
        super().__init__()
        self.nested: dict[tuple[str | int, ...], int] = {}

    def read(self, node: yaml.Node, path: tuple[str | int, ...] = ()) -> None:
        # Bounded: count_nodes has refused a tree larger than MAX_REGISTRY_NODES.
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    self.nested[(*path, str(key.value))] = key.start_mark.line + 1
                    self.read(value, (*path, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.nested[(*path, i)] = item.start_mark.line + 1
                self.read(item, (*path, i))

    def at(self, path: tuple[str | int, ...]) -> int:
        """The line of the deepest part of `path` that the file has (0: unknown)."""
        for end in range(len(path), 0, -1):
            line = self.nested.get(path[:end])
            if line:
                return line
        return 0


def _read_yaml(path: Path) -> tuple[object, Lines]:
    """A registry file and the line of each top-level key, read as safely as a content file: no
    link, no huge file, no alias bomb, no duplicate key, no control character."""
    from .rules.file import SC001, SC003, SC008, SC009, SC010
    from .source import SourceError, check_tree, count_nodes, describe_char

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
    loader = SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, {}
        count_nodes(root, 1, MAX_REGISTRY_NODES)
        check_tree(root, 1, None)
        lines = Lines()
        if isinstance(root, yaml.MappingNode):
            lines.update({str(k.value): k.start_mark.line + 1 for k, _ in root.value if isinstance(k, yaml.ScalarNode)})
            lines.read(root)
        return loader.construct_document(root), lines
    except SourceError as exc:
        raise config_error(path, exc.line, exc.rule, exc.message, exc.hint) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not read at all
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else 0
        char = describe_char(chr(exc.character) if isinstance(exc.character, int) else str(exc.character)[:1] or "?")
        raise config_error(
            path, line, SC010, f"the registry contains the control character {char}", "remove it"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise config_error(
            path,
            mark.line + 1 if mark else 0,
            SC003,
            f"malformed YAML: {exc.problem or exc.context}",
            "check the quoting on this line",
        ) from exc
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError, TypeError) as exc:
        raise config_error(path, 0, SC003, f"malformed YAML: {exc}", "check the file's syntax") from exc
    finally:
        loader.dispose()


def _describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors())


def _check_id(path: Path, line: int, kind: str, key: object) -> str:
    from .project import is_valid_id  # ids become file names, URLs, CSS classes and feed UIDs
    from .rules.repository import SC502

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
    from .rules.repository import SC503
    from .rules.schema import SC103

    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of id → entry")
    out = {}
    kind = path.stem.removesuffix("s")
    for key, entry in raw.items():
        line = lines.get(str(key), 0)
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
            raise config_error(
                path, line, SC103, f"entry {cid!r}: {_describe(exc)}", "see the comments at the top of the file"
            ) from exc
    return out


_EXPECTED = re.compile(r"'([^']*)'")


def _unknown_value(path: Path, lines: Lines, prefix: tuple[str | int, ...], exc: ValidationError) -> ConfigError | None:
    """A value that is not one of a field's choices (`platform: twiter`), told at its line with the
    likely intended one; None when the error is another kind. `prefix` is where the validated
    mapping sits in the file (a channel's id)."""
    from .diagnostics import unknown
    from .rules.repository import SC505

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
        return config_error(path, lines.at((*prefix, *loc)), SC505, f"{where}{field}: {message}", hint)
    return None


def _model(path: Path, model: type[BaseModel], raw: object) -> BaseModel:
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc)}") from exc


def load_registry(content_dir: Path) -> Registry:
    if content_dir.is_symlink():
        from .rules.file import SC009

        raise config_error(
            content_dir, 0, SC009, "content/ is a symbolic link, which is never followed", "make it a folder"
        )
    channels = _keyed(content_dir / "channels.yml", Channel, *_read_yaml(content_dir / "channels.yml"))
    series = _keyed(content_dir / "series.yml", Series, *_read_yaml(content_dir / "series.yml"))
    hashtags = _model(content_dir / "hashtags.yml", Hashtags, _read_yaml(content_dir / "hashtags.yml")[0])
    links = _model(content_dir / "links.yml", LinkPolicy, _read_yaml(content_dir / "links.yml")[0])
    audiences_path = content_dir / "audiences.yml"
    audiences_raw, audience_lines = _read_yaml(audiences_path)
    if not isinstance(audiences_raw, dict):
        raise ConfigError(f"{audiences_path}: expected a mapping of id → description")
    audiences = {
        _check_id(audiences_path, audience_lines.get(str(k), 0), "audience", k): str(v)[:MAX_REGISTRY_VALUE]
        for k, v in audiences_raw.items()
    }
    settings_path = content_dir / "settings.yml"
    settings = _model(settings_path, Settings, _read_yaml(settings_path)[0] if settings_path.exists() else {})
    if settings.years.first > settings.years.last:  # type: ignore[attr-defined]
        raise ConfigError(f"{settings_path}: years: `first` comes after `last`")
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
    return _model(path, Analytics, _read_yaml(path)[0])  # type: ignore[return-value]
