"""Rules across files: unique ids, references between posts and campaigns, series cadence and
clashes on one account. They need every post, so they run after all files are loaded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence

from ..diagnostics import WHOLE_FILE
from ..models import Campaign, Post
from ..registry import WEEKDAYS, Series
from .core import Corpus, E, Example, File, Finding, W, corpus_rule
from .examples import CAMPAIGN, QUESTION, VALID_POST


@corpus_rule(
    code="SC109",
    severity=E,
    title="Duplicate id",
    description="A post's id is its file name without `.md`, unique across content/posts/ (nested folders "
    "included); likewise for campaigns.",
    example=Example(
        "content/posts/2027/a.md and content/posts/2028/a.md",
        bad=[File("2027/a.md", VALID_POST, "x"), File("2028/a.md", VALID_POST.replace("10:00", "15:00"), "x")],
        good=[File("2027/a.md", VALID_POST, "x"), File("2028/b.md", VALID_POST.replace("10:00", "15:00"), "x")],
    ),
)
def SC109(corpus: Corpus) -> Iterator[Finding]:
    yield from _duplicates(corpus.posts, "post")
    yield from _duplicates(corpus.campaigns, "campaign")


def _duplicates(items: Sequence[Post | Campaign], kind: str) -> Iterator[Finding]:
    by_id: dict[str, list[Post | Campaign]] = defaultdict(list)
    for item in items:
        by_id[item.id].append(item)
    for same in by_id.values():
        if len(same) > 1:
            paths = sorted(i.path for i in same)
            for item in same:
                others = ", ".join(p for p in paths if p != item.path)
                yield Finding(
                    WHOLE_FILE,
                    f"{kind} id '{item.id}' is also used by {others}",
                    "rename one of the files: ids are unique across nested folders",
                    item.path,
                )


@corpus_rule(
    code="SC203",
    severity=E,
    title="Unknown campaign",
    description="A post's `campaign` is the id of a file in content/campaigns/.",
    example=Example(
        "campaign: open-days-2030",
        bad=[File("a.md", VALID_POST + "campaign: nope", "x")],
        good=[
            File("a.md", VALID_POST + "campaign: open-days", "x"),
            File("open-days.md", CAMPAIGN, "Plan", "campaigns"),
        ],
    ),
)
def SC203(corpus: Corpus) -> Iterator[Finding]:
    campaigns = corpus.campaign_by_id
    for post in corpus.posts:
        if (
            post.campaign is not None
            and post.campaign not in campaigns
            and post.campaign not in corpus.file_ids("campaigns")
        ):
            yield Finding(
                corpus.pos(post.path, "campaign"),
                f"unknown campaign '{post.campaign}'",
                "campaigns are the files in content/campaigns/: "
                + (", ".join(sorted(campaigns)) or "there are none yet"),
                post.path,
            )


@corpus_rule(
    code="SC204",
    severity=E,
    title="Unknown answered post",
    description="`answer_to` names the id of the post it answers, and that post must be of the series "
    "being answered (a GWTI answer names a GWTI question).",
    example=Example(
        "series: gwti-answer\nanswer_to: no-such-post",
        bad=[
            File("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: nope", "x")
        ],
        good=[
            File("q.md", QUESTION, "?"),
            File("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
    ),
)
def SC204(corpus: Corpus) -> Iterator[Finding]:
    for post, series, question in _answers(corpus):
        pos = corpus.pos(post.path, "answer_to")
        if question is None:
            if post.answer_to not in corpus.file_ids("posts"):
                yield Finding(
                    pos,
                    f"answer_to names '{post.answer_to}', which is not a post",
                    "write the id (file name without .md) of the question post",
                    post.path,
                )
        elif question.series != series.answers:
            yield Finding(
                pos,
                f"answer_to names '{question.id}', which is not a {series.answers} post",
                f"name a post of series '{series.answers}'",
                post.path,
            )


def _answers(corpus: Corpus) -> Iterator[tuple[Post, Series, Post | None]]:
    """Each post of an answering series that names its question: (answer, series, question or None)."""
    for post in corpus.posts:
        series = corpus.registry.series.get(post.series or "")
        if post.answer_to is not None and series is not None and series.answers:
            yield post, series, corpus.post_by_id.get(post.answer_to)


@corpus_rule(
    code="SC206",
    severity=E,
    title="Post outside its campaign",
    description="A post of a campaign goes out between the campaign's `start` and `end` (inclusive).",
    example=Example(
        "campaign: open-days-2027  # runs 2027-03-01 to 2027-03-20\ndate: 2027-05-01 10:00",
        bad=[
            File("a.md", VALID_POST.replace("2027-03-02", "2027-05-02") + "campaign: od", "x"),
            File("od.md", CAMPAIGN, "Plan", "campaigns"),
        ],
        good=[File("a.md", VALID_POST + "campaign: od", "x"), File("od.md", CAMPAIGN, "Plan", "campaigns")],
    ),
)
def SC206(corpus: Corpus) -> Iterator[Finding]:
    for post in corpus.posts:
        campaign = corpus.campaign_by_id.get(post.campaign) if post.campaign is not None else None
        if campaign is not None and not campaign.contains(post.day):
            yield Finding(
                corpus.pos(post.path, "date"),
                f"{post.day} is outside campaign '{campaign.id}' ({campaign.start} to {campaign.end})",
                "move the post into the campaign's window, or extend the campaign",
                post.path,
            )


@corpus_rule(
    code="SC209",
    severity=E,
    title="GWTI answer not on the Monday after its question",
    description="The community has from Friday to Monday to guess: the answer goes out on the first Monday "
    "after its question.",
    example=Example(
        "series: gwti-answer\nanswer_to: gwti-2027-01-15\ndate: 2027-01-25 10:00",
        bad=[
            File("q.md", QUESTION, "?"),
            File("a.md", VALID_POST.replace("2027-03-02", "2027-03-15") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
        good=[
            File("q.md", QUESTION, "?"),
            File("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
    ),
)
def SC209(corpus: Corpus) -> Iterator[Finding]:
    for post, series, question in _answers(corpus):
        if question is None or question.series != series.answers or not series.answer_weekday:
            continue  # SC204's, or no day to keep
        target = WEEKDAYS.index(series.answer_weekday)
        days = (target - question.day.weekday()) % 7 or 7
        expected = question.day + dt.timedelta(days=days)
        if post.day != expected:
            yield Finding(
                corpus.pos(post.path, "date"),
                f"the answer goes out on {post.day}, but its question '{question.id}' "
                f"({question.day}) is answered on {expected}",
                f"move the answer to {expected}",
                post.path,
            )


@corpus_rule(
    code="SC211",
    severity=E,
    title="Series cadence exceeded",
    description="Photo of the week goes out at most once a week (Monday to Sunday) on each account.",
    example=Example(
        "two photo-of-the-week posts on instagram-cern in the same week",
        bad=[
            File("a.md", VALID_POST + "series: photo-of-the-week", "x"),
            File("b.md", VALID_POST.replace("2027-03-02", "2027-03-04") + "series: photo-of-the-week", "x"),
        ],
        good=[
            File("a.md", VALID_POST + "series: photo-of-the-week", "x"),
            File("b.md", VALID_POST.replace("2027-03-02", "2027-03-09") + "series: photo-of-the-week", "x"),
        ],
    ),
)
def SC211(corpus: Corpus) -> Iterator[Finding]:
    from ..dates import calendar_order  # dates imports the rules

    registry = corpus.registry
    seen: dict[tuple[str, str, tuple[int, int]], list[Post]] = defaultdict(list)
    for post in corpus.posts:
        series = registry.series.get(post.series or "")
        if series is None or series.max_per_week_per_channel is None or post.status.cancelled:
            continue
        week = post.date.isocalendar()[:2]
        for cid in post.channels:
            seen[(series.id, cid, week)].append(post)
    for (sid, cid, week), group in seen.items():
        cap = registry.series[sid].max_per_week_per_channel or 0
        if len(group) <= cap:
            continue
        group.sort(key=lambda p: (calendar_order(p.date), p.id))
        first = group[0]
        for post in group[cap:]:
            yield Finding(
                corpus.pos(post.path, "date"),
                f"{registry.series[sid].label} already goes out on {cid} in week "
                f"{week[1]} of {week[0]} ('{first.id}', {first.day})",
                f"at most {cap} a week per account: move it to another week",
                post.path,
            )


@corpus_rule(
    code="SC401",
    severity=W,
    title="Clash on one account",
    description="Two posts on the same account within the clash window (content/settings.yml) compete for attention. "
    "The window is real time: on the nights the clocks change, 01:35 and 03:25 are 50 minutes apart in spring "
    "and 01:50 and 02:20+01:00 90 minutes apart in autumn.",
    example=Example(
        "two posts on twitter-cern at 2027-01-15 10:00",
        bad=[File("a.md", VALID_POST, "x"), File("b.md", VALID_POST.replace("10:00", "10:15"), "y")],
        good=[File("a.md", VALID_POST, "x"), File("b.md", VALID_POST.replace("10:00", "15:00"), "y")],
    ),
)
def SC401(corpus: Corpus) -> Iterator[Finding]:
    from ..clashes import consecutive_clashes  # clashes imports dates, which imports the rules

    minutes = corpus.registry.settings.clash_minutes
    for cid, before, after in consecutive_clashes(corpus.posts, minutes):
        yield Finding(
            corpus.pos(after.path, "date"),
            f"'{after.id}' and '{before.id}' both go out on {cid} around {after.date:%Y-%m-%d %H:%M}",
            f"space posts on one account at least {minutes} minutes apart",
            after.path,
        )


@corpus_rule(
    code="SC318",
    severity=W,
    title="Not approved, and its day has passed",
    description="A draft or proposed post dated before today: a typo in the date, a copy of an old post, or a "
    "proposal nobody approved in time. A warning, not an error: a proposal that expires on the main branch must "
    "not stop the site from being built (the review desk lists it as expired). `socialcal new post` refuses a "
    "date in the past.",
    example=Example(
        "date: 2001-03-02 10:00\nstatus: proposed",
        bad=[File("a.md", VALID_POST.replace("2027-03-02", "2001-03-02"), "x")],
        good=[File("a.md", VALID_POST.replace("2027-03-02", "2001-03-02") + "status: published", "x")],
    ),
)
def SC318(corpus: Corpus) -> Iterator[Finding]:
    today = corpus.today
    if today is None:
        return
    for post in corpus.posts:
        if post.status.awaiting_review and post.day < today:
            yield Finding(
                corpus.pos(post.path, "date"),
                f"the post is {post.status} and its day, {post.day}, has passed (today is {today})",
                "move it to a day ahead, or set `status: cancelled` (or `published` if it went out)",
                post.path,
            )
