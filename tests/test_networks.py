"""Networks as units (generator/networks/): each network's counting, the link's and hashtags' place,
its handle and preview; the channels' `platform:` and `preview:` checked against `NETWORKS`; no
platform's name compared anywhere else."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from generator.calendar_model import Calendar
from generator.models import Media, Post
from generator.networks import NETWORKS
from generator.outgoing_text import compose
from generator.pipeline import make_plan
from generator.project import PACKAGE_TEMPLATES, Project
from generator.registry import Channel
from generator.text_counting import UNITS, count
from generator.utm_tags import utm_values

from .conftest import REPO, VALID_POST, run_main
from .test_posts import HOSTILE, body_of

pytestmark = pytest.mark.usefixtures("pinned")

BLUESKY = """
bluesky-cern:
  platform: bluesky
  label: "Bluesky"
  handle: "cern.bsky.social"
  name: "CERN on Bluesky"
  color: "#0b57a4"
  limits:
    text: {max: 300}
    link: required
    hashtags: {max: 3}
"""
MASTODON = """
mastodon-cern:
  platform: mastodon
  label: "Mastodon"
  handle: "@cern@mastodon.social"
  name: "CERN on Mastodon"
  color: "#563acc"
  limits:
    text: {max: 500}
    link: required
    hashtags: {max: 3}
"""


def channel(platform: str, preview: str = "", **limits: object) -> Channel:
    """A channel on `platform` as channels.yml writes one: its limits left to the network unless given."""
    text = {"max": 500, **({"count": limits["count"]} if "count" in limits else {})}
    return Channel.model_validate(
        {
            "id": f"{platform}-test",
            "platform": platform,
            "preview": preview,
            "handle": "@test",
            "name": "Test",
            "limits": {"text": text, "link": limits.get("link", "allowed"), "hashtags": {"max": 5}},
        }
    )


def post(body: str, link: str | None = None, hashtags: tuple[str, ...] = ()) -> Post:
    return Post.model_validate(
        {
            "id": "p",
            "path": "content/posts/p.md",
            "title": "t",
            "date": "2027-03-02T10:00:00+01:00",
            "channels": ["x"],
            "body": body,
            "link": link,
            "hashtags": list(hashtags),
        }
    )


# --- the table --------------------------------------------------------------------------------


def test_every_unit_has_its_template_a_known_counting_and_a_platform_to_be_a_variant_of() -> None:
    assert {"twitter", "instagram", "instagram-stories", "facebook", "linkedin", "youtube"} <= set(NETWORKS)
    assert {"bluesky", "mastodon"} <= set(NETWORKS)
    for name, unit in NETWORKS.items():
        assert unit.name == name and unit.label
        assert (PACKAGE_TEMPLATES / unit.preview_template).is_file(), unit.preview_template
        assert unit.counting in UNITS
        assert unit.variant_of == "" or NETWORKS[unit.variant_of].variant_of == ""
        assert re.fullmatch(r"[a-z0-9-]+", unit.source)


def test_the_example_channels_keep_their_network() -> None:
    channels = Project(REPO).registry().channels
    assert channels["twitter-cern"].network is NETWORKS["twitter"]
    assert channels["instagram-cern"].network is NETWORKS["instagram"]
    assert channels["instagram-cern-stories"].network is NETWORKS["instagram-stories"]
    assert channels["googleplus-cern"].network.preview_template == "networks/generic.html.j2"


# --- counting, per network --------------------------------------------------------------------

LONG_URL = "https://home.cern/news/" + "a" * 60  # 83 characters
FAMILY = "\U0001f469\u200d\U0001f52c"  # woman scientist: three code points, one grapheme
THUMB = "\U0001f44d\U0001f3fd"  # thumbs up, medium skin tone: two code points, one grapheme
FLAG = "\U0001f1e8\U0001f1ed"  # Switzerland: two regional indicators, one grapheme


@pytest.mark.parametrize(
    ("platform", "text", "expected"),
    [
        # X: twitter-text's weights, every URL 23, an emoji 2 whatever its code points
        ("twitter", "Hi " + LONG_URL, 3 + 23),
        ("twitter", "Hi https://a.co", 3 + 23),
        ("twitter", FAMILY + THUMB, 4),
        # Instagram (feed and stories), Bluesky: graphemes; a URL counts its length
        ("instagram", FAMILY + THUMB + FLAG, 3),
        ("instagram-stories", FAMILY + " x", 3),
        ("bluesky", FAMILY + THUMB + FLAG + " " + LONG_URL, 3 + 1 + 83),
        # Facebook, LinkedIn, YouTube: code points; a URL counts its length
        ("facebook", FAMILY + " " + LONG_URL, 3 + 1 + 83),
        ("linkedin", THUMB + " " + LONG_URL, 2 + 1 + 83),
        ("youtube", "é" + LONG_URL, 1 + 83),
        # Mastodon: code points, and every address with its scheme 23, long or short
        ("mastodon", "Hi " + LONG_URL, 3 + 23),
        ("mastodon", "Hi http://a.co and " + LONG_URL + ".", 3 + 23 + 5 + 23 + 1),  # the full stop ends the sentence
        ("mastodon", THUMB + " " + LONG_URL + " " + THUMB, 2 + 1 + 23 + 1 + 2),
        ("mastodon", "www.home.cern/x", 15),  # no scheme: Mastodon links it not, counts it as written
    ],
)
def test_each_network_counts_its_way(platform: str, text: str, expected: int) -> None:
    ch = channel(NETWORKS[platform].variant_of or platform, preview=platform if NETWORKS[platform].variant_of else "")
    assert ch.network is NETWORKS[platform]
    assert compose(post(text), ch).length == expected


def test_a_channels_own_count_wins_over_its_networks_and_keeps_the_networks_urls() -> None:
    assert channel("bluesky").limits.text.count == "graphemes"  # the network's, when the channel says none
    assert channel("bluesky", count="characters").limits.text.count == "characters"
    mastodon = channel("mastodon", count="graphemes")
    assert compose(post(FAMILY + " " + LONG_URL), mastodon).length == 1 + 1 + 23


def test_counting_a_url_as_23_is_linear() -> None:
    import time

    text = " ".join(f"https://e.org/{i}" for i in range(20_000))  # 20,000 addresses
    start = time.perf_counter()
    assert count(text, "characters", 23) == 20_000 * 23 + 19_999
    assert time.perf_counter() - start < 2.0  # about 0.05 s: ten times that, and more, is a blow-up


# --- the link, hashtags, handle, utm_source ---------------------------------------------------


def test_bluesky_shows_the_link_as_a_card_outside_the_text_and_its_count() -> None:
    ch = channel("bluesky")
    out = compose(post("Hello", link=LONG_URL, hashtags=("#CERN",)), ch)
    assert out.text == "Hello #CERN" and out.length == 11
    assert NETWORKS["bluesky"].handle("cern.bsky.social") == "@cern.bsky.social"
    assert NETWORKS["bluesky"].account("cern.bsky.social") == "cern"  # the name beside the handle


def test_bluesky_puts_the_link_in_the_text_when_the_post_has_pictures_which_replace_the_card() -> None:
    pictured = post("Hello", link=LONG_URL, hashtags=("#CERN",)).model_copy(
        update={"media": (Media(src="media/a.jpg", alt="A magnet"),)}
    )
    out = compose(pictured, channel("bluesky"))
    assert out.text == f"Hello\n\n{LONG_URL} #CERN" and out.card == ""  # the link is not lost


def test_mastodon_puts_the_link_in_the_text_and_shows_the_instance_in_the_handle() -> None:
    out = compose(post("Hello", link=LONG_URL), channel("mastodon"))
    assert out.text == "Hello\n\n" + LONG_URL and out.length == 5 + 2 + 23
    assert NETWORKS["mastodon"].handle("@cern@mastodon.social") == "@cern@mastodon.social"
    assert NETWORKS["mastodon"].handle("cern@mastodon.social") == "@cern@mastodon.social"
    assert NETWORKS["mastodon"].account("@cern@mastodon.social") == "cern"
    assert NETWORKS["twitter"].account("@CERN_FR") == "CERN_FR"


def test_instagram_puts_hashtags_in_the_first_comment_and_no_link_in_the_caption() -> None:
    ch = channel("instagram")
    assert ch.limits.hashtags.placement == "first_comment"
    out = compose(post("Look", link=LONG_URL, hashtags=("#CERN",)), ch)
    assert out.text == "Look" and out.first_comment == "#CERN"


@pytest.mark.parametrize(
    ("platform", "preview", "source"),
    [("twitter", "", "twitter"), ("instagram", "instagram-stories", "instagram"), ("bluesky", "", "bluesky")],
)
def test_utm_source_is_the_networks(platform: str, preview: str, source: str) -> None:
    assert utm_values(post("x"), channel(platform, preview))["utm_source"] == source


def test_only_networks_that_show_a_handle_show_it() -> None:
    assert NETWORKS["twitter"].handle("@CERN") == "@CERN"
    assert NETWORKS["facebook"].handle("CERN") == "" and NETWORKS["instagram"].handle("@cern") == ""
    assert NETWORKS["bluesky"].handle("") == ""


# --- platform: and preview: are closed choices ------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("  platform: twitter\n", "  platform: mastodn\n", "did you mean 'mastodon'?"),
        ("  platform: twitter\n", "  platform: BlueSky\n", "did you mean 'bluesky'?"),
        ("  platform: twitter\n", "  platform: ../../etc\n", "platform: unknown value '../../etc'"),
        ("  preview: instagram-stories\n", "  preview: instagram-story\n", "did you mean 'instagram-stories'?"),
        # a preview names a network, never a template's path: nothing of content picks a file
        ("  preview: instagram-stories\n", "  preview: ../pages/home\n", "preview: unknown value '../pages/home'"),
        ("  preview: instagram-stories\n", "  preview: networks/twitter.html.j2\n", "preview: unknown value"),
        ("  preview: instagram-stories\n", "  preview: generic\n", "preview: unknown value 'generic'"),
    ],
)
def test_an_unknown_network_stops_with_its_line_and_the_network_meant(
    project: Project, old: str, new: str, said: str
) -> None:
    path = project.content / "channels.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    code, out = run_main("--root", str(project.root), "validate")
    assert code == 2, out
    assert f"content/channels.yml:{line}: error SC506 " in out and said in out and "Traceback" not in out


# --- Bluesky and Mastodon channels in a project -----------------------------------------------


def _with_new_networks(project: Project, write, handle_suffix: str = "") -> Calendar:
    with (project.content / "channels.yml").open("a", encoding="utf-8") as f:
        f.write(BLUESKY.replace("cern.bsky.social", "cern.bsky.social" + handle_suffix) + MASTODON)
    front = VALID_POST.replace("channel: twitter-cern", "channel: [bluesky-cern, mastodon-cern]")
    write("a.md", front, "The LHC restarts " + THUMB)
    return make_plan(project, history=False).calendar


def test_bluesky_and_mastodon_channels_validate_and_preview(project: Project, write) -> None:
    cal = _with_new_networks(project, write)
    assert [d for d in cal.diagnostics_of("content/posts/a.md") if d.is_error] == []
    context, html = body_of(cal, "a")
    sky, toot = context["previews"]
    assert (sky.style, sky.handle, sky.unit, sky.limit) == ("bluesky", "@cern.bsky.social", "characters", 300)
    assert sky.text == "The LHC restarts " + THUMB + " #LHC" and sky.length == 23
    tagged = "https://home.cern/news/lhc-restarts?utm_source={}&utm_medium=social"  # UTM is on in the example
    assert sky.link == tagged.format("bluesky")  # the card, as it goes out
    assert toot.handle == "@cern@mastodon.social" and toot.text.endswith(f"\n\n{tagged.format('mastodon')} #LHC")
    assert toot.length == len("The LHC restarts " + THUMB) + 2 + 23 + len(" #LHC")  # the tagged URL counts 23
    assert '<div class="sc-pv sc-pv-bluesky sc-ch-bluesky-cern">' in html
    assert '<span class="sc-pv-handle">@cern.bsky.social</span>' in html
    assert f'<span class="sc-pv-card-url">{escape(tagged.format("bluesky"))}</span>' in html
    assert '<div class="sc-pv sc-pv-mastodon sc-ch-mastodon-cern">' in html
    assert '<span class="sc-pv-handle">@cern@mastodon.social</span>' in html


@pytest.mark.parametrize("payload", HOSTILE)
def test_a_hostile_handle_is_shown_as_text(project: Project, write, payload: str) -> None:
    quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
    cal = _with_new_networks(project, write, handle_suffix=quoted)
    _, html = body_of(cal, "a")
    shown = escape("@cern.bsky.social" + payload)  # escaped, and never evaluated ({{ 7*7 }} stays)
    assert f'<span class="sc-pv-handle">{shown}</span>' in html
    assert payload not in html.split('<div class="sc-previews">', 1)[1] or payload == str(escape(payload))


# --- no platform compared outside generator/networks/ ----------------------------------------

NAMES = "|".join(re.escape(n) for n in sorted({*NETWORKS, "x"}, key=len, reverse=True))
# A platform's name as a string compared (==, !=, in) with something: in Python and in Jinja.
COMPARED = re.compile(
    rf"""(?:==|!=|\bin)\s*[(\[{{]?\s*(?:['"][^'"\n]*['"]\s*,\s*)*['"](?:{NAMES})['"]"""
    rf"""|['"](?:{NAMES})['"]\s*(?:==|!=|\bin\b)"""
)


def platform_comparisons(text: str) -> list[str]:
    return [m.group(0) for m in COMPARED.finditer(text)]


@pytest.mark.parametrize(
    "line",
    [
        '    handle = ch.handle if ch.handle.startswith("@") and style in ("twitter", "x") else ""',
        "{% if style == 'twitter' or style == 'x' %}",
        "{% elif style == 'facebook' or style == 'linkedin' %}",
        "if channel.platform != 'instagram':",
        "if 'mastodon' == network:",
        "if name in ['youtube']:",
    ],
)
def test_the_scan_finds_a_comparison(line: str) -> None:
    assert platform_comparisons(line)


def test_no_platform_is_compared_outside_generator_networks() -> None:
    found = []
    for folder in ("generator",):  # the templates are generator/templates/
        for path in sorted((REPO / folder).rglob("*")):
            if not path.is_file() or path.suffix not in (".py", ".j2", ".html", ".js") or "networks" in path.parts:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                found += [f"{path.relative_to(REPO)}:{n}: {hit}" for hit in platform_comparisons(line)]
    assert found == [], "a network's behaviour belongs in its unit (generator/networks/):\n" + "\n".join(found)


# --- media: what each network takes (SC319) -----------------------------------------------------


def _images(n: int) -> str:
    return "media:\n" + "".join(f"  - src: https://example.org/{i}.jpg\n    alt: picture {i}\n" for i in range(n))


@pytest.mark.parametrize(
    ("channels", "images", "refused"),
    [
        ("twitter-cern", 4, []),
        ("twitter-cern", 5, ["twitter-cern"]),
        ("[twitter-cern, facebook-cern]", 5, ["twitter-cern"]),  # Facebook takes 10
        ("instagram-cern-stories", 2, ["instagram-cern-stories"]),  # a story is one picture
        ("[bluesky-cern, mastodon-cern]", 5, ["bluesky-cern", "mastodon-cern"]),
        ("[bluesky-cern, mastodon-cern]", 4, []),
    ],
)
def test_more_images_than_the_network_takes_is_an_error(
    project: Project, write, check, channels: str, images: int, refused: list[str]
) -> None:
    with (project.content / "channels.yml").open("a", encoding="utf-8") as f:
        f.write(BLUESKY + MASTODON)
    write("a.md", VALID_POST.replace("channel: twitter-cern", f"channel: {channels}") + _images(images))
    found = [d for d in check().diagnostics if d.code == "SC319"]
    assert [d.message.split(" on ", 1)[1].split(" ", 1)[0] for d in found] == refused
    media_line = 2 + len(VALID_POST.strip().splitlines())  # after the opening --- and the lines before it
    assert all(d.is_error and d.line == media_line and d.hint for d in found), [d.to_text() for d in found]


# --- a broken preview template ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("{{ p.account }}", "{{ p.account.no_such_thing() }}", "networks/twitter.html.j2:4: template error: "),
        ("</div></div>", "{% if %}", "templates/networks/twitter.html.j2:7: template error: "),  # the file's path
    ],
)
def test_a_broken_preview_template_is_named_with_its_line(
    example_calendar: Calendar, tmp_path, old: str, new: str, said: str
) -> None:
    import shutil

    from generator import urls
    from generator.views.pages import Renderer, SiteData, shell_pages
    from generator.views.pages.render import template_error

    shutil.copytree(PACKAGE_TEMPLATES, tmp_path / "templates")
    preview = tmp_path / "templates" / "networks" / "twitter.html.j2"
    preview.write_text(preview.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    site = SiteData(example_calendar, "https://example.org/cal/")
    pages = shell_pages(site, Renderer([tmp_path / "templates"]))
    page = next(p for p in pages if p.src == urls.post_page("2027-02-11-wis-day"))
    with pytest.raises(Exception) as caught:
        page.make()
    message = template_error(caught.value)
    assert message.startswith(said) or f"/{said}" in message, message
