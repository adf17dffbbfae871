"""Every validation rule, specified by one file that breaks it and one that keeps it."""

from __future__ import annotations

import pytest

from generator.rules import RULES
from generator.validate import validate

from .conftest import VALID_POST, codes

CAMPAIGN = """
title: Open Days
start: 2027-03-01
end: 2027-03-20
"""
QUESTION = """
title: GWTI question
date: 2027-03-05 16:00
channel: twitter-cern
series: gwti
link: https://home.cern/x
"""

# code → (files that break the rule, files that do not). A file is (name, front, body[, kind]).
CASES: dict[str, tuple[list[tuple], list[tuple]]] = {
    "SC001": ([("a.md", None, b"\xff\xfe\x00\x01")], [("a.md", VALID_POST, "Fine.")]),
    "SC002": ([("a.md", None, b"Just text")], [("a.md", VALID_POST, "Fine.")]),
    "SC003": (
        [("a.md", "title: Guess what: this is\n" + VALID_POST.replace("title: LHC restarts", ""), "x")],
        [("a.md", 'title: "Guess what: this is"\n' + VALID_POST.replace("title: LHC restarts", ""), "x")],
    ),
    "SC004": ([("a.md", None, b"---\n- title\n- date\n---\nx\n")], [("a.md", VALID_POST, "Fine.")]),
    "SC005": (
        [("a.md", None, b"---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\nx\n")],
        [("a.md", VALID_POST, "Fine.")],
    ),
    "SC006": (
        [
            (
                "a.md",
                None,
                (
                    "---\na: &a ["
                    + ",".join(["x"] * 20)
                    + "]\nb: &b ["
                    + ",".join(["*a"] * 20)
                    + "]\nc: &c ["
                    + ",".join(["*b"] * 20)
                    + "]\n---\nx\n"
                ).encode(),
            )
        ],
        [("a.md", VALID_POST, "Fine.")],
    ),
    "SC007": ([("a.md", None, b"")], [("a.md", VALID_POST, "Fine.")]),
    "SC101": ([("a.md", VALID_POST + "titel: x", "x")], [("a.md", VALID_POST, "x")]),
    "SC102": ([("a.md", VALID_POST.replace("title: LHC restarts", ""), "x")], [("a.md", VALID_POST, "x")]),
    "SC103": ([("a.md", VALID_POST + "status: maybe", "x")], [("a.md", VALID_POST + "status: approved", "x")]),
    "SC104": ([("a.md", VALID_POST.replace("2027-03-02 10:00", "02/03/2027 10h"), "x")], [("a.md", VALID_POST, "x")]),
    "SC105": (
        [("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-03-28 02:30"), "x")],
        [("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-03-28 03:30"), "x")],
    ),
    "SC106": (
        [("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-10-31 02:30"), "x")],
        [("a.md", VALID_POST.replace("2027-03-02 10:00", "2027-10-31T02:30+01:00"), "x")],
    ),
    "SC107": ([("a.md", VALID_POST + "audiences: [kids]", "x")], [("a.md", VALID_POST + "audiences: [media]", "x")]),
    "SC108": (
        [("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", "home.cern/news"), "x")],
        [("a.md", VALID_POST, "x")],
    ),
    "SC109": (
        [("2027/a.md", VALID_POST, "x"), ("2028/a.md", VALID_POST.replace("10:00", "15:00"), "x")],
        [("2027/a.md", VALID_POST, "x"), ("2028/b.md", VALID_POST.replace("10:00", "15:00"), "x")],
    ),
    "SC110": (
        [("c.md", CAMPAIGN.replace("2027-03-20", "2027-02-01"), "Plan", "campaigns")],
        [("c.md", CAMPAIGN, "Plan", "campaigns")],
    ),
    "SC111": ([("My Post.md", VALID_POST, "x")], [("my-post.md", VALID_POST, "x")]),
    "SC201": (
        [("a.md", VALID_POST.replace("channel: twitter-cern", "channel: twiter-cern"), "x")],
        [("a.md", VALID_POST, "x")],
    ),
    "SC202": (
        [("a.md", VALID_POST + "series: photo-of-the-day", "x")],
        [("a.md", VALID_POST + "series: photo-of-the-week", "x")],
    ),
    "SC203": (
        [("a.md", VALID_POST + "campaign: nope", "x")],
        [("a.md", VALID_POST + "campaign: open-days", "x"), ("open-days.md", CAMPAIGN, "Plan", "campaigns")],
    ),
    "SC204": (
        [("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: nope", "x")],
        [
            ("q.md", QUESTION, "?"),
            ("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
    ),
    "SC205": (
        [("a.md", VALID_POST.replace("channel: twitter-cern", "channel: googleplus-cern"), "x")],
        [
            (
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: googleplus-cern").replace(
                    "2027-03-02", "2016-03-02"
                ),
                "x",
            )
        ],
    ),
    "SC206": (
        [
            ("a.md", VALID_POST.replace("2027-03-02", "2027-05-02") + "campaign: od", "x"),
            ("od.md", CAMPAIGN, "Plan", "campaigns"),
        ],
        [("a.md", VALID_POST + "campaign: od", "x"), ("od.md", CAMPAIGN, "Plan", "campaigns")],
    ),
    "SC207": (
        [("a.md", VALID_POST.replace("2027-03-02", "2027-03-03") + "series: cern-lectures", "x")],
        [
            (
                "a.md",
                VALID_POST.replace("2027-03-02", "2027-03-03").replace("twitter-cern", "youtube-cern-lectures")
                + "series: cern-lectures",
                "x",
            )
        ],
    ),
    "SC208": (
        [("a.md", VALID_POST.replace("2027-03-02", "2027-03-03") + "series: tbt", "x")],
        [("a.md", VALID_POST.replace("2027-03-02", "2027-03-04") + "series: tbt", "x")],
    ),
    "SC209": (
        [
            ("q.md", QUESTION, "?"),
            ("a.md", VALID_POST.replace("2027-03-02", "2027-03-15") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
        [
            ("q.md", QUESTION, "?"),
            ("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
    ),
    "SC210": (
        [("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer", "x")],
        [
            ("q.md", QUESTION, "?"),
            ("a.md", VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: q", "x"),
        ],
    ),
    "SC211": (
        [
            ("a.md", VALID_POST + "series: photo-of-the-week", "x"),
            ("b.md", VALID_POST.replace("2027-03-02", "2027-03-04") + "series: photo-of-the-week", "x"),
        ],
        [
            ("a.md", VALID_POST + "series: photo-of-the-week", "x"),
            ("b.md", VALID_POST.replace("2027-03-02", "2027-03-09") + "series: photo-of-the-week", "x"),
        ],
    ),
    "SC301": ([("a.md", VALID_POST, "x" * 270)], [("a.md", VALID_POST, "x" * 240)]),
    "SC302": (
        [("a.md", VALID_POST.replace("link: https://home.cern/news/lhc-restarts", ""), "x")],
        [
            (
                "a.md",
                VALID_POST.replace("link: https://home.cern/news/lhc-restarts", "").replace(
                    "channel: twitter-cern", "channel: instagram-cern"
                ),
                "x",
            )
        ],
    ),
    "SC303": (
        [
            (
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern"),
                "More at https://home.cern/news",
            )
        ],
        [("a.md", VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern"), "More: link in bio")],
    ),
    "SC304": (
        [("a.md", VALID_POST.replace('["#LHC"]', '["#LHC", "#CERN", "#FCC", "#CLIC"]'), "x")],
        [("a.md", VALID_POST.replace('["#LHC"]', '["#LHC", "#CERN", "#FCC"]'), "x")],
    ),
    "SC305": ([("a.md", VALID_POST.replace('["#LHC"]', '["LHC"]'), "x")], [("a.md", VALID_POST, "x")]),
    "SC306": ([("a.md", VALID_POST.replace('["#LHC"]', '["#Cern2027"]'), "x")], [("a.md", VALID_POST, "x")]),
    "SC307": (
        [("a.md", VALID_POST + "media:\n  - src: lhc.jpg", "x")],
        [("a.md", VALID_POST + "media:\n  - src: lhc.jpg\n    alt: The LHC tunnel", "x")],
    ),
    "SC308": (
        [("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", "https://news.example.com/x"), "x")],
        [
            (
                "a.md",
                VALID_POST.replace("https://home.cern/news/lhc-restarts", "https://news.example.com/x")
                + "partnership: Joint series agreed with the Press Office",
                "x",
            )
        ],
    ),
    "SC309": ([("a.md", VALID_POST, "")], [("a.md", VALID_POST, "x")]),
    "SC310": (
        [("a.md", VALID_POST + "variants:\n  facebook-cern: Longer text", "x")],
        [("a.md", VALID_POST + "variants:\n  twitter-cern: Shorter", "x")],
    ),
    "SC311": (
        [("a.md", VALID_POST + "status: published\nresults:\n  facebook-cern: {impressions: 12}", "x")],
        [("a.md", VALID_POST + "status: published\nresults:\n  twitter-cern: {impressions: 12}", "x")],
    ),
    "SC312": (
        [("a.md", VALID_POST + "status: approved\nresults:\n  twitter-cern: {impressions: 12}", "x")],
        [("a.md", VALID_POST + "status: published\nresults:\n  twitter-cern: {impressions: 12}", "x")],
    ),
    "SC315": (
        [("a.md", VALID_POST + "media:\n  - src: media/lhc.jpg\n    alt: The LHC tunnel", "x")],
        [("a.md", VALID_POST + "media:\n  - src: https://cds.cern.ch/lhc.jpg\n    alt: The LHC tunnel", "x")],
    ),
    "SC401": (
        [("a.md", VALID_POST, "x"), ("b.md", VALID_POST.replace("10:00", "10:15"), "y")],
        [("a.md", VALID_POST, "x"), ("b.md", VALID_POST.replace("10:00", "15:00"), "y")],
    ),
}


# Rules whose check runs when the site is built, not when files are validated (their tests are
# elsewhere): decoding every image would cost `socialcal validate` far too much.
AT_BUILD = {"SC316": "tests/test_media.py"}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) | set(AT_BUILD) == set(RULES)
    assert not set(CASES) & set(AT_BUILD)


def _materialise(project, files) -> None:
    for spec in files:
        name, front, body, *rest = spec
        kind = rest[0] if rest else "posts"
        path = project.content / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if front is None:
            path.write_bytes(body)
        else:
            path.write_text(f"---\n{front.strip()}\n---\n\n{body}\n", encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_its_breaking_example(code: str, project, check) -> None:
    _materialise(project, CASES[code][0])
    result = check()
    assert code in codes(result), [d.to_text() for d in result.diagnostics]
    found = next(d for d in result.diagnostics if d.code == code)
    assert found.severity == RULES[code].severity
    assert found.message and found.hint, "every diagnostic says what is wrong and what to do"
    assert found.path.startswith("content/")


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_quiet_on_its_passing_example(code: str, project, check) -> None:
    _materialise(project, CASES[code][1])
    result = check()
    assert code not in codes(result), [d.to_text() for d in result.diagnostics]


def test_examples_in_the_repository_are_valid(example_project) -> None:
    result = validate(example_project.root, example_project.registry())
    assert result.errors == [], [d.to_text() for d in result.errors]
    assert len(result.posts) >= 40 and len(result.campaigns) >= 2
