"""SC1xx: one file's fields. Keys, types and dates are checked while the file is loaded
(generator/load.py, dates.py); audiences and a campaign's dates are checked here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..diagnostics import Pos, unknown
from ..models import Campaign, Post
from .core import E, Example, File, FileContext, Finding, file_rule, load_rule
from .examples import CAMPAIGN, VALID_POST

if TYPE_CHECKING:
    from ..source import Source

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


@file_rule(
    Post,
    Campaign,
    code="SC107",
    severity=E,
    title="Unknown audience",
    description="Audiences are the ids of the strategy's target audiences (content/audiences.yml).",
    example=Example(
        "audiences: [kids]",
        bad=[File("a.md", VALID_POST + "audiences: [kids]", "x")],
        good=[File("a.md", VALID_POST + "audiences: [media]", "x")],
    ),
)
def SC107(item: Post | Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    audiences = ctx.registry.audiences
    for i, aid in enumerate(item.audiences):
        if aid not in audiences:
            message, _ = unknown("audience", aid, audiences)
            yield Finding(src.at("audiences", i), message, "audiences: " + ", ".join(audiences))


@file_rule(
    Campaign,
    code="SC110",
    severity=E,
    title="Campaign ends before it starts",
    description="A campaign's `end` is on or after its `start`.",
    example=Example(
        "start: 2027-02-11\nend: 2027-02-01",
        bad=[File("c.md", CAMPAIGN.replace("2027-03-20", "2027-02-01"), "Plan", "campaigns")],
        good=[File("c.md", CAMPAIGN, "Plan", "campaigns")],
    ),
)
def SC110(campaign: Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    if campaign.end < campaign.start:
        yield Finding(
            src.at("end"),
            f"the campaign ends ({campaign.end}) before it starts ({campaign.start})",
            "swap start and end, or fix the dates",
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


def _nested(levels: int) -> str:
    return "".join("    " * level + "- step\n" for level in range(levels))


@file_rule(
    Campaign,
    code="SC115",
    severity=E,
    title="Markdown too costly to read",
    description="A campaign's plan is Markdown, read before it is shown. Lists and quotes nest at most 16 levels, "
    "and the work of reading it may grow with its length but no faster: brackets `[` `(` and backticks "
    "left open in a long paragraph, or thousands of marks (`*` `_` `[`) in one paragraph, are refused "
    "before they can stall every command. Close them, write them as text (`\\[`), or split the paragraph.",
    example=Example(
        "- step\n    - step\n        - step\n            (… 17 levels)",
        bad=[File("c.md", CAMPAIGN, _nested(17), "campaigns")],
        good=[File("c.md", CAMPAIGN, _nested(16), "campaigns")],
    ),
)
def SC115(campaign: Campaign, src: Source, ctx: FileContext) -> Iterator[Finding]:
    from ..markup import excess

    body = campaign.body
    # The whole body is parsed for its links, the plan and the evaluation each for its page.
    for part in dict.fromkeys((body, campaign.plan, campaign.evaluation)):
        found = excess(part) if part else None
        if found is not None:
            first = body.count("\n", 0, max(body.find(part), 0))
            yield Finding(Pos(src.body_line + first + found.line - 1, found.col), found.message, found.hint)
            return
