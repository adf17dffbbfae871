"""Every validation rule, specified by one file that breaks it and one that keeps it."""

from __future__ import annotations

import pytest

from generator.editor_config import dumps, generate
from generator.registry import load_registry
from generator.rules import RULES
from generator.validate import validate

from .conftest import REPO, VALID_POST, codes, run_main

# frontmatter.json at the repository root (kind ".."), as editor-config writes it for these registries.
_EDITOR_CONFIG = dumps(generate(load_registry(REPO / "content"), [])).encode()
_STALE_EDITOR_CONFIG = dumps(generate(load_registry(REPO / "content"), ["gone-campaign"])).encode()

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

# The Instagram feed publishes nothing without an image (SC313).
INSTAGRAM_MEDIA = "media: [{src: media/lhc.jpg, alt: The LHC tunnel}]\n"

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
    "SC008": ([("a.md", VALID_POST, "x" * 300_000)], [("a.md", VALID_POST, "x" * 200)]),
    "SC009": ([("a.md", "->", "../../secret.md")], [("a.md", VALID_POST, "Fine.")]),
    "SC010": ([("a.md", VALID_POST, "Click \x1b[2Jhere")], [("a.md", VALID_POST, "Click here")]),
    "SC011": (
        [("a.md", VALID_POST + "status: proposed\nhashtags: ['#CERN']\nstatus: approved", "x")],
        [("a.md", VALID_POST + "status: approved", "x")],
    ),
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
    "SC112": (
        [
            (
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern]")
                + "status: published\nresults:\n  impressions: 1200\n  likes: 30",
                "x",
            )
        ],
        [("a.md", VALID_POST + "status: published\nresults:\n  impressions: 1200\n  likes: 30", "x")],
    ),
    "SC113": (
        [("a.md", VALID_POST.replace("2027-03-02 10:00", "2207-03-02 10:00"), "x")],
        [("a.md", VALID_POST, "x")],
    ),
    "SC114": (
        [("a.md", VALID_POST.replace("LHC restarts", "LHC restarts " * 20), "x")],
        [("a.md", VALID_POST.replace("LHC restarts", "LHC restarts " * 10), "x")],
    ),
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
                )
                + INSTAGRAM_MEDIA,
                "x",
            )
        ],
    ),
    "SC303": (
        [
            (
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern") + INSTAGRAM_MEDIA,
                "More at https://home.cern/news",
            )
        ],
        [
            (
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: instagram-cern") + INSTAGRAM_MEDIA,
                "More: link in bio",
            )
        ],
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
    "SC313": (
        [("a.md", VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, instagram-cern]"), "x")],
        [
            (
                "a.md",
                VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, instagram-cern]")
                + "media:\n  - src: media/lhc.jpg\n    alt: The LHC tunnel",
                "x",
            )
        ],
    ),
    "SC314": ([("a.md", VALID_POST, "TODO: write the text of the post here.")], [("a.md", VALID_POST, "x")]),
    "SC401": (
        [("a.md", VALID_POST, "x"), ("b.md", VALID_POST.replace("10:00", "10:15"), "y")],
        [("a.md", VALID_POST, "x"), ("b.md", VALID_POST.replace("10:00", "15:00"), "y")],
    ),
    "SC501": (
        [("frontmatter.json", None, _STALE_EDITOR_CONFIG, "..")],
        [("frontmatter.json", None, _EDITOR_CONFIG, "..")],
    ),
}


# Registry rules: code → (registry file, text replaced, breaking replacement). A broken registry
# stops every command with a configuration error (exit code 2) told like a diagnostic.
REGISTRY_CASES: dict[str, tuple[str, str, str]] = {
    "SC502": ("channels.yml", "\ntwitter-cern-fr:", "\n../../twitter-cern-fr:"),
    "SC503": ("series.yml", 'color: "', 'color: "red;x:url(//evil.example/) '),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) | set(REGISTRY_CASES) == set(RULES)


@pytest.mark.parametrize("code", sorted(REGISTRY_CASES))
def test_registry_rule_stops_with_a_located_diagnostic(code: str, project) -> None:
    name, old, new = REGISTRY_CASES[code]
    path = project.content / name
    assert old in path.read_text()
    assert run_main("--root", str(project.root), "validate")[0] == 0
    path.write_text(path.read_text().replace(old, new, 1))
    status, output = run_main("--root", str(project.root), "validate")
    assert status == 2, output
    assert f"content/{name}:" in output and f"error {code} " in output and "hint:" in output


def _materialise(project, files) -> None:
    for spec in files:
        name, front, body, *rest = spec
        kind = rest[0] if rest else "posts"
        path = project.content / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if front == "->":
            (project.root / "secret.md").write_text(f"---\n{VALID_POST}\n---\n\nPrivate.\n")
            path.symlink_to(body)
        elif front is None:
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
    assert found.path.startswith("content/") or found.path == "frontmatter.json"


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_quiet_on_its_passing_example(code: str, project, check) -> None:
    _materialise(project, CASES[code][1])
    result = check()
    assert code not in codes(result), [d.to_text() for d in result.diagnostics]


def test_examples_in_the_repository_are_valid(example_project) -> None:
    result = validate(example_project.root, example_project.registry())
    assert result.errors == [], [d.to_text() for d in result.errors]
    assert len(result.posts) >= 40 and len(result.campaigns) >= 2
