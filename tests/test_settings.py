"""content/settings.yml is typed and bounded when it is read: a value of the wrong type or out of
the range its meaning allows stops every command with SC505 at its line (exit code 2), before any
command can meet it (a refresh that is no duration, a window of millions of years)."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

from generator.errors import ConfigError
from generator.project import Project
from generator.registry import load_registry
from generator.settings import Settings, iso_duration

from .conftest import VALID_POST, run_main


def edit(project: Project, old: str, new: str, name: str = "settings.yml") -> int:
    """Replace the first `old` of content/`name` with `new`; the line `new` starts on."""
    path = project.content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


def refusal(project: Project) -> str:
    with pytest.raises(ConfigError) as caught:
        load_registry(project.content)
    return str(caught.value)


# (the setting, the line as written, the line as broken, what the diagnostic says). Every setting
# has at least one (test_every_setting_has_a_bad_case): a new setting comes with its bounds.
BAD: list[tuple[str, str, str, str]] = [
    ("timezone", "timezone: Europe/Zurich", "timezone: Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
    ("timezone", "timezone: Europe/Zurich", "timezone: Europe", "unknown time zone 'Europe'"),  # a folder
    ("timezone", "timezone: Europe/Zurich", "timezone: localtime", "unknown time zone 'localtime'"),  # the machine's
    ("timezone", "timezone: Europe/Zurich", "timezone: ../../etc/passwd", "unknown time zone '../../etc/passwd'"),
    ("timezone", "timezone: Europe/Zurich", "timezone: zone.tab", "unknown time zone 'zone.tab'"),
    ("timezone", "timezone: Europe/Zurich", "timezone: " + "Europe/" * 300, "at most 64 characters"),
    ("timezone", "timezone: Europe/Zurich", "timezone: [Europe/Zurich]", "timezone: Input should be a valid string"),
    ("years.first", "first: 2000", "first: 1", "years.first: Input should be greater than or equal to 1900 (got 1)"),
    ("years.first", "first: 2000", "first: '2000'", "years.first: Input should be a valid integer (got '2000')"),
    ("years.first", "first: 2000", "first: 2000.5", "years.first: Input should be a valid integer (got 2000.5)"),
    ("years.last", "last: 2100", "last: 99999", "years.last: Input should be less than or equal to 2999"),
    ("years.last", "last: 2100", "last: true", "years.last: Input should be a valid integer (got True)"),
    ("years", "first: 2000", "first: 2200", "years: `first` (2200) comes after `last` (2100)"),
    ("default_time", 'default_time: "10:00"', 'default_time: "nonsense"', "'nonsense' is not a time of day"),
    ("default_time", 'default_time: "10:00"', 'default_time: "24:00"', "'24:00' is not a time of day"),
    ("default_time", 'default_time: "10:00"', "default_time: 10:00", "Input should be a valid string (got 600)"),
    ("clash_minutes", "clash_minutes: 60", "clash_minutes: 99999999999999", "less than or equal to 1440"),
    ("clash_minutes", "clash_minutes: 60", "clash_minutes: -5", "greater than or equal to 0 (got -5)"),
    ("clash_minutes", "clash_minutes: 60", "clash_minutes: 1.5", "a valid integer (got 1.5)"),
    ("clash_minutes", "clash_minutes: 60", "clash_minutes: '60'", "a valid integer (got '60')"),
    ("clash_minutes", "clash_minutes: 60", "clash_minutes: [60]", "a valid integer (got [60])"),
    ("feeds.duration_minutes", "duration_minutes: 15", "duration_minutes: 0", "greater than 0 (got 0)"),
    ("feeds.duration_minutes", "duration_minutes: 15", "duration_minutes: 99999999999", "less than or equal to 1440"),
    ("feeds.past_days", "past_days: 90", "past_days: 99999999999", "less than or equal to 1830 (got 99999999999)"),
    ("feeds.past_days", "past_days: 90", "past_days: -1", "greater than or equal to 0 (got -1)"),
    ("feeds.past_days", "past_days: 90", "past_days: true", "a valid integer (got True)"),
    ("feeds.past_days", "past_days: 90", "past_days: 1e3", "a valid integer (got '1e3')"),
    ("feeds.refresh", "refresh: PT6H", "refresh: nonsense", "'nonsense' is not a duration from 15 minutes"),
    ("feeds.refresh", "refresh: PT6H", "refresh: -PT6H", "'-PT6H' is not a duration"),
    ("feeds.refresh", "refresh: PT6H", "refresh: PT0S", "'PT0S' is not a duration"),
    ("feeds.refresh", "refresh: PT6H", "refresh: PT1M", "'PT1M' is not a duration"),  # too often
    ("feeds.refresh", "refresh: PT6H", "refresh: P8D", "'P8D' is not a duration"),  # too rarely
    ("feeds.refresh", "refresh: PT6H", "refresh: P99999999999D", "'P99999999999D' is not a duration"),
    ("feeds.refresh", "refresh: PT6H", "refresh: P1M", "'P1M' is not a duration"),  # months have no length
    ("feeds.refresh", "refresh: PT6H", "refresh: 6", "feeds.refresh: Input should be a valid string (got 6)"),
    ("site.upcoming_days", "upcoming_days: 14", "upcoming_days: 100000", "less than or equal to 366"),
    ("site.upcoming_days", "upcoming_days: 14", "upcoming_days: yes", "a valid integer (got True)"),
    ("site.horizon_months", "horizon_months: 3", "horizon_months: 0", "greater than 0 (got 0)"),
    ("site.horizon_months", "horizon_months: 3", "horizon_months: 99999999", "less than or equal to 24"),
    ("site.horizon_months", "horizon_months: 3", "horizon_months: '3'", "a valid integer (got '3')"),
    ("site.horizon_months", "horizon_months: 3", "horizon_months: 2.5", "a valid integer (got 2.5)"),
    ("site.branch", "  # branch: main", "  branch: a..b", "'a..b' is not a git branch name"),
    ("site.engine", "engine: mkdocs", "engine: hugo", "unknown site engine 'hugo'"),
    ("site.media_hosts", "  # media_hosts: [cds.cern.ch]", "  media_hosts: [https://x.org/]", "is not a host name"),
    ("utm.enabled", "  enabled: true", "  enabled: sometimes", "utm.enabled: Input should be a valid boolean"),
    ("utm.hosts", "  hosts: [visit.cern]", "  hosts: [https://visit.cern/]", "is not a host name"),
    (
        "utm.hosts",
        "  hosts: [visit.cern]",
        "  hosts: [" + ", ".join(f"h{i}.cern" for i in range(5000)) + "]",
        "utm.hosts",
    ),
    ("site.media_hosts", "  # media_hosts: [cds.cern.ch]", "  media_hosts: {a: 1}", "a valid tuple"),
    ("best_times.min_posts", "min_posts: 2", "min_posts: 0", "greater than or equal to 1 (got 0)"),
    ("best_times.min_posts", "min_posts: 2", "min_posts: 101", "less than or equal to 100 (got 101)"),
    ("best_times.min_posts", "min_posts: 2", "min_posts: '3'", "a valid integer (got '3')"),
    ("best_times.min_posts", "min_posts: 2", "min_posts: 2.5", "a valid integer (got 2.5)"),
    (
        "site.media_hosts",
        "  # media_hosts: [cds.cern.ch]",
        "  media_hosts: [" + ", ".join(f"h{i}.cern.ch" for i in range(5000)) + "]",
        "site.media_hosts: Tuple should have at most 100 items after validation, not 5000",
    ),
]


@pytest.mark.parametrize(("key", "old", "new", "message"), BAD, ids=[f"{b[0]}={b[2][-40:].strip()}" for b in BAD])
def test_a_bad_setting_is_refused_at_its_line(project: Project, key: str, old: str, new: str, message: str) -> None:
    line = edit(project, old, new)
    if key == "years":  # a problem of the two together: the line of `years`
        line = (project.content / "settings.yml").read_text().splitlines().index("years:") + 1
    told = refusal(project)
    assert f"content/settings.yml:{line}: error SC505 " in told, told
    assert message in told and "\n    hint: " in told, told


def _leaves(model: type[BaseModel], prefix: str = "") -> set[str]:
    out = set()
    for name, info in model.model_fields.items():
        inner = info.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out |= _leaves(inner, f"{prefix}{name}.")
        else:
            out.add(prefix + name)
    return out


def test_every_setting_has_a_bad_case() -> None:
    assert _leaves(Settings) <= {key for key, *_ in BAD}


@pytest.mark.parametrize(
    ("old", "new", "message", "hint"),
    [
        (
            "  refresh: PT6H",
            "  refresh: PT6H\n  refrsh: PT1H",
            "`feeds.refrsh` is not a known key",
            "did you mean `refresh`?",
        ),
        (
            "timezone: Europe/Zurich",
            "timezone: Europe/Zurich\ncolour: red",
            "`colour` is not a known key",
            "the keys here are timezone,",
        ),
    ],
)
def test_unknown_keys_and_shapes_say_what_is_expected(
    project: Project, old: str, new: str, message: str, hint: str
) -> None:
    line = edit(project, old, new) + new.count("\n")
    if message.startswith("should"):
        line = 1
    told = refusal(project)
    assert f"content/settings.yml:{line}: error SC505 {message}" in told, told
    assert f"hint: {hint}" in told, told


def test_a_file_that_is_no_mapping_is_refused_at_line_1(project: Project) -> None:
    (project.content / "settings.yml").write_text("- timezone: UTC\n")
    told = refusal(project)
    assert "content/settings.yml:1: error SC505 should be a mapping of `key: value` lines" in told, told


def test_many_problems_are_told_together_and_bounded(project: Project) -> None:
    edit(project, "  # media_hosts: [cds.cern.ch]", "  media_hosts: [" + ", ".join(f"x{i}/" for i in range(50)) + "]")
    edit(project, "clash_minutes: 60", "clash_minutes: -1")
    told = refusal(project)
    assert "clash_minutes: " in told and told.count("\n") == 1  # one diagnostic, one hint


def test_the_bounds_themselves_are_allowed(project: Project) -> None:
    for old, new in [
        ("timezone: Europe/Zurich", "timezone: Pacific/Kiritimati"),
        ("first: 2000", "first: 1900"),
        ("last: 2100", "last: 2999"),
        ('default_time: "10:00"', 'default_time: "23:59"'),
        ("clash_minutes: 60", "clash_minutes: 1440"),
        ("duration_minutes: 15", "duration_minutes: 1440"),
        ("past_days: 90", "past_days: 1830"),
        ("refresh: PT6H", "refresh: P1W"),
        ("upcoming_days: 14", "upcoming_days: 366"),
        ("min_posts: 2", "min_posts: 100"),
        ("  # media_hosts: [cds.cern.ch]", "  media_hosts: [" + ", ".join(f"h{i}.cern.ch" for i in range(100)) + "]"),
    ]:
        edit(project, old, new)
    settings = load_registry(project.content).settings
    assert settings.feeds.refresh_interval == dt.timedelta(weeks=1) and settings.clash_minutes == 1440


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("PT6H", dt.timedelta(hours=6)),
        ("PT15M", dt.timedelta(minutes=15)),
        ("P1D", dt.timedelta(days=1)),
        ("P1DT12H", dt.timedelta(days=1, hours=12)),
        ("P1W", dt.timedelta(weeks=1)),
        ("PT1H30M", dt.timedelta(hours=1, minutes=30)),
        ("P", None),
        ("PT", None),
        ("P1DT", None),
        ("P1Y", None),
        ("P1M", None),
        ("-PT6H", None),
        ("PT6H ", None),
        ("6 hours", None),
        ("P" + "9" * 5000 + "D", None),
    ],
)
def test_iso_durations(text: str, duration: dt.timedelta | None) -> None:
    assert iso_duration(text) == duration


def test_a_registry_entry_is_located_at_its_key_too(project: Project) -> None:
    """The same locating for the keyed registries: the nested key, not only the entry."""
    line = edit(project, "text: {max: 280", "text: {max: -280", "channels.yml")
    told = refusal(project)
    assert (
        f"content/channels.yml:{line}: error SC103 twitter-cern.limits.text.max: Input should be greater than 0" in told
    )


@pytest.mark.usefixtures("pinned")
def test_every_command_stops_on_a_bad_setting(project: Project, write, tmp_path) -> None:
    """The whole command, as a user runs it: exit 2, the file and line, the rule, the hint; nothing written."""
    from generator.serve import LiveSite

    write("a.md", VALID_POST)
    line = edit(project, "refresh: PT6H", "refresh: nonsense")
    where = f"content/settings.yml:{line}: error SC505 feeds.refresh: 'nonsense' is not a duration"
    root = ("--root", str(project.root))
    new_post = ("new", "post", "--title", "T", "--date", "2027-03-02 10:00", "--channel", "twitter-cern")
    for command in (("validate",), ("build",), ("report",), new_post, ("validate", "--format", "json")):
        status, output = run_main(*root, *command)
        assert status == 2 and where in output and "hint: " in output and "Traceback" not in output, (command, output)
    assert not project.site.exists() and not (project.content / "posts" / "2027").exists()
    with pytest.raises(ConfigError, match=where):  # serve's first build: before it listens
        LiveSite(project, tmp_path / "serve")


def test_new_post_takes_default_time_for_a_day_alone(project: Project) -> None:
    """`default_time` does what content/settings.yml says: the time of `new post --date DAY`."""
    edit(project, 'default_time: "10:00"', 'default_time: "16:30"')
    root = ("--root", str(project.root))
    new_post = ("new", "post", "--title", "T", "--channel", "twitter-cern", "--text", "Hi", "--id", "t")
    status, output = run_main(*root, *new_post, "--date", "2027-03-02")
    assert "date: 2027-03-02 16:30" in (project.content / "posts" / "2027" / "03" / "t.md").read_text(), output
    status, output = run_main(*root, *new_post, "--date", "2027-03-03 09:15", "--id", "u")
    assert "date: 2027-03-03 09:15" in (project.content / "posts" / "2027" / "03" / "u.md").read_text(), output
    edit(project, 'default_time: "16:30"', 'default_time: "02:30"')  # a time the spring night skips
    status, output = run_main(*root, *new_post, "--date", "2027-03-28", "--id", "v")
    assert status == 2 and "2027-03-28 02:30 does not exist in Europe/Zurich" in output, output
