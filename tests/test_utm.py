"""UTM tags: links to the team's own sites go out tagged (network, social, campaign or series), in
the text as it goes out and never in the files; limits are counted on the tagged text."""

from __future__ import annotations

import html

import pytest

from generator.models import Post
from generator.outgoing_text import compose, outgoing_text
from generator.project import Project
from generator.settings import UtmSettings
from generator.utm_tags import tag_text, tag_url, utm_slug, utm_values

from .conftest import VALID_POST, codes, run_main

ON = UtmSettings(enabled=True, hosts=("visit.cern",))
TAGS = {"utm_source": "twitter", "utm_medium": "social", "utm_campaign": "open-days"}
Q = "utm_source=twitter&utm_medium=social&utm_campaign=open-days"


@pytest.mark.parametrize(
    ("url", "tagged"),
    [
        ("https://home.cern/news", f"https://home.cern/news?{Q}"),
        ("https://home.cern/news?id=4&lang=fr", f"https://home.cern/news?id=4&lang=fr&{Q}"),
        ("https://home.cern/news#top", f"https://home.cern/news?{Q}#top"),
        # A hand-written governed tag is replaced (whatever its case); utm_content is the author's.
        ("https://home.cern/x?UTM_SOURCE=fb&utm_content=banner", f"https://home.cern/x?utm_content=banner&{Q}"),
        ("home.cern/x", f"home.cern/x?{Q}"),
        ("https://home.cern/x?", f"https://home.cern/x?{Q}"),
    ],
)
def test_a_link_is_tagged_with_the_network_social_and_the_campaign(url: str, tagged: str) -> None:
    assert tag_url(url, TAGS) == tagged
    assert tag_url(tag_url(url, TAGS), TAGS) == tagged  # tagging is idempotent: the same address every time


def test_values_are_lowercase_and_hyphenated_and_the_series_stands_in_for_a_campaign() -> None:
    from generator.registry import Channel, HashtagPolicy, Limits, TextLimit

    channel = Channel(
        id="x", platform="linkedin", handle="h", name="n",
        limits=Limits(text=TextLimit(max=100), hashtags=HashtagPolicy(max=1)),
    )  # fmt: skip
    post = _post(series="gwti")
    assert utm_values(post, channel) == {"utm_source": "linkedin", "utm_medium": "social", "utm_campaign": "gwti"}
    assert utm_slug("LinkedIn Pages") == "linkedin-pages"
    assert utm_values(post.model_copy(update={"campaign": "Open_Days 2027"}), channel)["utm_campaign"] == (
        "open-days-2027"
    )
    assert "utm_campaign" not in utm_values(post.model_copy(update={"series": None}), channel)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://home.cern/x.", f"See https://home.cern/x?{Q}."),  # the full stop ends the sentence
        ("(https://visit.cern/tours)", f"(https://visit.cern/tours?{Q})"),  # a listed host
        ("https://www.home.cern/a, then", f"https://www.home.cern/a?{Q}, then"),  # a subdomain
        # Not the team's: left exactly as written.
        ("https://home.cern.evil.example/x", "https://home.cern.evil.example/x"),
        ("https://evilhome.cern/x", "https://evilhome.cern/x"),
        ("https://cds.cern.ch/record/1", "https://cds.cern.ch/record/1"),
        ("https://evil.example/?u=https://home.cern/", "https://evil.example/?u=https://home.cern/"),
        ("no address at all", "no address at all"),
    ],
)
def test_only_addresses_on_the_teams_sites_are_tagged_in_a_text(text: str, expected: str) -> None:
    assert tag_text(text, TAGS, ON) == expected


def _post(**fields) -> Post:
    base = {
        "id": "p", "path": "content/posts/p.md", "title": "T", "date": "2027-03-02T10:00:00+01:00",
        "channels": ("twitter-cern",), "link": "https://home.cern/news/a-rather-long-address-of-a-news-story",
        "body": "x" * 200,
    }  # fmt: skip
    return Post.model_validate({**base, **fields})


def test_limits_are_counted_on_the_tagged_text(example_calendar) -> None:
    channels = example_calendar.registry.channels
    post = _post(campaign="open-days")
    # X counts every URL as 23, however long the tags make it: still 200 + 2 + 23.
    x = compose(post, channels["twitter-cern"], ON)
    assert "utm_source=twitter" in x.text and x.length == 225
    # A network that counts characters counts the tags too: a caption that fit untagged is over.
    limited = channels["facebook-cern"].model_copy(update={"limits": channels["facebook-cern"].limits.model_copy(
        update={"text": channels["facebook-cern"].limits.text.model_copy(update={"max": 280})})})  # fmt: skip
    assert not compose(post, limited).over
    tagged = compose(post, limited, ON)
    assert "utm_source=facebook&utm_medium=social&utm_campaign=open-days" in tagged.text and tagged.over
    assert tagged.length == len(tagged.text)


def test_utm_off_leaves_the_text_as_written(example_calendar) -> None:
    channel = example_calendar.registry.channels["twitter-cern"]
    post = _post()
    assert outgoing_text(post, channel, UtmSettings(enabled=False)) == outgoing_text(post, channel)
    assert "utm_" not in outgoing_text(post, channel)[0]


def test_the_previews_and_the_pr_summary_show_the_tagged_text_and_the_file_is_unchanged(
    project: Project, write, pinned
) -> None:
    from generator.pipeline import make_plan
    from generator.views.summary import pr_summary

    path = write("2027/03/a.md", VALID_POST + "campaign: open-days\n", "Read https://home.cern/x.")
    before = path.read_bytes()
    write("open-days.md", "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20", "plan", kind="campaigns")
    plan = make_plan(project, history=False)
    (entry,) = plan.calendar.entries_by_post["a"]
    assert f"Read https://home.cern/x?{Q}." in entry.outgoing.text
    assert f"https://home.cern/news/lhc-restarts?{Q}" in entry.outgoing.text
    summary = html.unescape(pr_summary(plan.calendar, [entry.post.path], [], []))  # shown in a <pre>
    assert f"https://home.cern/x?{Q}" in summary
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "link",
    [
        "https://home.cern/news?utm_source=facebook",
        "https://home.cern/news?utm_medium=email",
        "https://home.cern/news?utm_campaign=summer",
        "https://visit.cern/news?Utm_Source=Twitter",  # the values are compared as written: case matters
    ],
)
def test_a_hand_written_utm_tag_that_disagrees_is_a_warning(project: Project, write, check, link: str) -> None:
    write("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", link) + "campaign: open-days\n")
    write("open-days.md", "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20", "plan", kind="campaigns")
    result = check()
    assert codes(result, "a.md") == ["SC317"]
    (d,) = result.diagnostics
    assert d.line == 5 and not d.is_error


@pytest.mark.parametrize(
    "link",
    [
        "https://home.cern/news?utm_source=twitter&utm_medium=social&utm_campaign=open-days",  # agrees
        "https://home.cern/news?utm_content=banner&utm_term=lhc",  # not governed
        "https://cds.cern.ch/record/1?utm_source=facebook",  # not the team's site
    ],
)
def test_a_hand_written_utm_tag_that_agrees_or_is_elsewhere_is_quiet(project: Project, write, check, link) -> None:
    write("a.md", VALID_POST.replace("https://home.cern/news/lhc-restarts", link) + "campaign: open-days\n")
    write("open-days.md", "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20", "plan", kind="campaigns")
    assert codes(check(), "a.md") == []


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("utm: {enabled: true, hosts: ['https://visit.cern']}", "is not a host name"),
        ("utm: {enabled: true, hosts: ['visit.cern/x']}", "is not a host name"),
        ("utm: {enabled: perhaps}", "enabled"),
        ("utm: {enabled: true, tags: [x]}", "tags"),
    ],
)
def test_utm_settings_are_validated_like_the_others(project: Project, write, setting: str, says: str) -> None:
    settings = project.content / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[: text.index("\nutm:")] + "\n" + setting + "\n", encoding="utf-8")
    code, output = run_main("--root", str(project.root), "validate")
    assert code == 2 and says in output and "settings.yml" in output
