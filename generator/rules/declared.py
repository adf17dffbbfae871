"""The rules that the low modules check as they read: the loader, the date parser and the registry
reader (load and registry scope). Declarations only: code, severity, title, description, examples.

This module imports nothing of the project but the rule unit and its example files, so that
`content_file`, `dates`, `load` and `registry`, which report these rules, need nothing above them. The
rules whose checks need the registries or the models are in their family's module; all of them
are one catalogue (`rules.catalogue`), the Rules page's.
"""

from __future__ import annotations

from .core import E, Example, File, edited, load_rule, registry_rule
from .examples import VALID_POST

# --- keys, types, dates, file names (SC1xx; the rest of the family is in fields.py) -----------


SC101 = load_rule(
    "SC101",
    E,
    "Unknown key",
    "Every front-matter key is one of the content contract's. A misspelt key would be silently ignored otherwise.",
    Example(
        "titel: LHC restarts", bad=[File("a.md", VALID_POST + "titel: x", "x")], good=[File("a.md", VALID_POST, "x")]
    ),
    where="generator/load.py _FileChecker.unknown_keys() and .validation_errors()",
)


SC102 = load_rule(
    "SC102",
    E,
    "Required key missing",
    "A post needs `title`, `date` and `channel`; a campaign needs `title`, `start` and `end`.",
    Example(
        "title: LHC restarts\nchannel: twitter-cern",
        bad=[File("a.md", VALID_POST.replace("title: LHC restarts", ""), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
    where="generator/load.py _FileChecker.validation_errors()",
)


SC103 = load_rule(
    "SC103",
    E,
    "Wrong type or value",
    "Each key has a type: a string, a list of strings, one of a set of values, and so on.",
    Example(
        "status: maybe",
        bad=[File("a.md", VALID_POST + "status: maybe", "x")],
        good=[File("a.md", VALID_POST + "status: approved", "x")],
    ),
    where="generator/load.py _FileChecker.validation_errors()",
)


SC104 = load_rule(
    "SC104",
    E,
    "Malformed date",
    "Dates are `YYYY-MM-DD HH:MM` in the calendar's time zone, or ISO 8601 with an offset "
    "(`2027-03-26T10:00+01:00`). Campaign `start` and `end` are `YYYY-MM-DD`.",
    Example(
        "date: 26/03/2027 10h",
        bad=[File("a.md", VALID_POST.replace("2027-03-02 10:00", "02/03/2027 10h"), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
    where="generator/dates.py parse_datetime(), parse_day(); generator/load.py _FileChecker.date()",
)


SC105 = load_rule(
    "SC105",
    E,
    "Time does not exist",
    "When clocks go forward (last Sunday of March in Europe/Zurich) the hour from 02:00 to 03:00 does not exist.",
    Example(
        "date: 2027-03-28 02:30",
        bad=[File("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-03-28 02:30"), "x")],
        good=[File("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-03-28 03:30"), "x")],
    ),
    where="generator/dates.py localize()",
)


SC106 = load_rule(
    "SC106",
    E,
    "Time is ambiguous",
    "When clocks go back (last Sunday of October) the hour from 02:00 to 03:00 happens twice. "
    "Give the offset to say which one is meant.",
    Example(
        "date: 2027-10-31 02:30",
        bad=[File("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-10-31 02:30"), "x")],
        good=[File("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-10-31T02:30+01:00"), "x")],
    ),
    where="generator/dates.py localize()",
)


SC111 = load_rule(
    "SC111",
    E,
    "Invalid file name",
    "File names are ids: lower-case letters, digits and dashes, ending in `.md`, so that they "
    "make stable URLs and feed identifiers.",
    Example(
        "content/posts/My Post!.md",
        bad=[File("My Post.md", VALID_POST, "x")],
        good=[File("my-post.md", VALID_POST, "x")],
    ),
    where="generator/load.py _id_diagnostic()",
)


SC113 = load_rule(
    "SC113",
    E,
    "Date out of range",
    "Dates fall within the calendar's years (`years` in content/settings.yml, 2000 to 2100 by "
    "default): a typo such as 2207 would plan a post centuries away.",
    Example(
        "date: 2207-03-02 10:00",
        bad=[File("a.md", VALID_POST.replace("2027-03-02 10:00", "2207-03-02 10:00"), "x")],
        good=[File("a.md", VALID_POST, "x")],
    ),
    where="generator/dates.py check_year()",
)


SC114 = load_rule(
    "SC114",
    E,
    "Value too long",
    "A title is at most 200 characters, another one-line value 2,000, the text of a post 64,000.",
    Example(
        "title: (a whole paragraph)",
        bad=[File("a.md", VALID_POST.replace("LHC restarts", "LHC restarts " * 20), "x")],
        good=[File("a.md", VALID_POST.replace("LHC restarts", "LHC restarts " * 10), "x")],
    ),
    where="generator/load.py _FileChecker.validation_errors() (the models' length bounds)",
)


# --- analytics (results.py has the checks of the results) ---------------------------------


SC112 = load_rule(
    "SC112",
    E,
    "Results not keyed by channel",
    "`results` holds one block of numbers per channel, keyed by the channel's id. On a post with "
    "one channel the numbers may be written directly under `results:`; a post on several "
    "channels says which channel each number is from.",
    Example(
        "channel: [twitter-cern, facebook-cern]\nresults:\n  impressions: 1200",
        bad=[
            File(
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern]")
                + "status: published\nresults:\n  impressions: 1200\n  likes: 30",
                "x",
            )
        ],
        good=[File("a.md", VALID_POST + "status: published\nresults:\n  impressions: 1200\n  likes: 30", "x")],
    ),
    where="generator/load.py _post_from() (numbers written straight under `results:`)",
)


# --- the registries (SC5xx; repository.py has the checks of the repository's set-up) --------

# The registries. A broken registry stops every command (exit code 2): these are reported by
# generator/registry_reading.py as a configuration error that names the rule, file and line.
SC502 = registry_rule(
    "SC502",
    E,
    "Invalid registry id",
    "Channel, series and audience ids are lower-case letters, digits and dashes: they become "
    "file names, addresses, CSS classes and feed identifiers.",
    Example(
        "../../etc:\n  platform: twitter",
        bad=[edited("channels.yml", "\ntwitter-cern-fr:", "\n../../twitter-cern-fr:")],
        good=[edited("channels.yml", "\ntwitter-cern-fr:", "\ntwitter-cern-fr:")],
    ),
    where="generator/registry_reading.py check_id()",
)


SC503 = registry_rule(
    "SC503",
    E,
    "Invalid colour",
    "A channel's or series' colour is written #rrggbb; it goes into the site's stylesheet.",
    Example(
        'color: "red; background: url(https://evil.example/)"',
        bad=[edited("series.yml", 'color: "', 'color: "red;x:url(//evil.example/) ')],
        good=[edited("series.yml", 'color: "', 'color: "')],
    ),
    where="generator/registry_reading.py keyed()",
)


SC505 = registry_rule(
    "SC505",
    E,
    "Invalid setting",
    "Each setting of content/settings.yml has a type and a range that fits its meaning (a clash window "
    "of at most a day, past events kept at most five years, an ISO 8601 duration for the feeds' "
    "refresh, a time zone of the tz database, ...): a value out of them would stop the build or "
    "build something nobody wants, so every command refuses it. The comments in the file list them.",
    Example(
        "clash_minutes: 99999999999999",
        bad=[edited("settings.yml", "clash_minutes: 60", "clash_minutes: 99999999999999")],
        good=[edited("settings.yml", "clash_minutes: 60", "clash_minutes: 60  # at most 1440, a day")],
    ),
    where="generator/settings.py read_settings() (the Settings model's types and bounds)",
)


SC506 = registry_rule(
    "SC506",
    E,
    "Unknown value in a registry",
    "Some registry fields take one of a few values: a channel's `platform` (the network, one of "
    "generator/networks/: twitter, facebook, instagram, linkedin, youtube, bluesky, mastodon …) and `preview` "
    "(a variant: instagram-stories), `status`, the `limits` (`link`, `media`, `text.count`, `hashtags.placement`), "
    "a series' `weekdays`. Anything else is refused with the value most likely meant: a typo would otherwise "
    "change what the site shows without a word (`platform: twiter` previews an X post as a generic card).",
    Example(
        "twitter-cern:\n  platform: twiter",
        bad=[edited("channels.yml", "platform: twitter", "platform: twiter")],
        good=[edited("channels.yml", "platform: twitter", "platform: twitter")],
    ),
    where="generator/registry_reading.py _unknown_value()",
)
SC507 = registry_rule(
    "SC507",
    E,
    "Invalid followers count",
    "content/followers.yml records each channel's followers at the end of each month (the strategy's "
    "\"new followers\" KPI, charted on the Results page): a channel of content/channels.yml, months written "
    "YYYY-MM within the calendar's years, each a whole number of followers. A typo (a channel id, a month "
    "written 2026-1, a count with a separator) would otherwise chart a growth that never happened, so every "
    "command refuses it at its line. A month written twice is refused too (SC011).",
    Example(
        "instagram-cern:\n  2026-13: 3,900,000",
        bad=[edited("followers.yml", "instagram-cern:\n", "instagram-cern:\n  2026-13: 3,900,000\n")],
        good=[edited("followers.yml", "instagram-cern:\n", "instagram-cern:\n")],
    ),
    where="generator/followers.py read_followers()",
)
