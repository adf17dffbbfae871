"""Generated hostile strings in every front-matter and registry field: the build answers with
diagnostics or a site in which nothing runs (checked in Chromium), never a traceback, an extra
calendar event or a stall."""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ..conftest import REPO, copy_project, run_main
from ..test_hardening import inert
from .conftest import CHROMIUM

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)"),
]

# Pieces attackers use: markup, event handlers, script URLs, attribute lists, line breaks for
# iCal and workflow commands, terminal and bidi controls, YAML and Markdown syntax.
PIECES = [
    "<script>window.pwned=1</script>",
    '"><img src=x onerror="window.pwned=2">',
    "'><svg onload=window.pwned=3>",
    "</title><b data-pwned>",
    "javascript:window.pwned=4",
    "[x](javascript:window.pwned=5)",
    "{: onclick=window.pwned=6 }",
    "https://evil.example\\@home.cern/",
    "https://home.cern/ok",
    "\r",
    "\n",
    "\r\nBEGIN:VEVENT\r\nSUMMARY:extra\r\nEND:VEVENT\r\n",
    "\n::error file=x::pwned",
    "::stop-commands::x",
    "\x1b[2J",
    "\u202e",
    "\u2028",
    "\x00",
    "&amp;",
    "{{ 7*7 }}",
    "{% raw %}",
    "*a* _b_ `c` |d|",
    "#CERN",
    "../../etc/passwd",
    "🚀👩\u200d🔬",
    "'",
    '"',
    "\\",
    "%0A",
]
# Mostly printable payloads (which must build and stay inert), sometimes control characters
# (which must be refused with a diagnostic).
PRINTABLE = [p for p in PIECES if not re.search("[\x00-\x1f\u2028\u202e]", p)]
HOSTILE = st.one_of(
    st.lists(st.sampled_from(PRINTABLE), min_size=1, max_size=4).map("".join),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=12), min_size=1, max_size=5).map("".join),
)

# (file, key path) for every front-matter field of a post and a campaign ...
POST_FIELDS = [
    "title",
    "date",
    "channel",
    "series",
    "campaign",
    "hashtags.0",
    "link",
    "status",
    "audiences.0",
    "answer_to",
    "media.0.src",
    "media.0.alt",
    "variants.twitter-cern",
    "partnership",
    "approved_by",
    "approved_at",
    "results.twitter-cern.url",
    "body",
]
CAMPAIGN_FIELDS = ["title", "start", "objectives.0", "owner", "partners.0", "hashtags.0", "kpis.reach", "body"]
# ... and of the registries.
REGISTRY_FIELDS = [
    ("channels.yml", "twitter-cern.name"),
    ("channels.yml", "twitter-cern.label"),
    ("channels.yml", "twitter-cern.handle"),
    ("channels.yml", "twitter-cern.url"),
    ("channels.yml", "twitter-cern.color"),
    ("channels.yml", "twitter-cern.objectives.0"),
    ("channels.yml", "twitter-cern.limits.hashtags.why"),
    ("series.yml", "gwti.name"),
    ("series.yml", "gwti.short"),
    ("series.yml", "gwti.description"),
    ("hashtags.yml", "active.0"),
    ("audiences.yml", "general-public"),
    ("links.yml", "cern.0"),
]
FIELDS = (
    [("post", f) for f in POST_FIELDS]
    + [("campaign", f) for f in CAMPAIGN_FIELDS]
    + [("registry", f"{name}:{key}") for name, key in REGISTRY_FIELDS]
)

POST = {
    "title": "LHC restarts",
    "date": "2027-03-02 10:00",
    "channel": "twitter-cern",
    "campaign": "camp",
    "hashtags": ["#LHC"],
    "link": "https://home.cern/news",
    "status": "published",
    "media": [{"src": "media/x.jpg", "alt": "A magnet"}],
    "variants": {"twitter-cern": "Short text"},
    "results": {"twitter-cern": {"url": "https://twitter.com/CERN/status/1", "likes": 3}},
}
CAMPAIGN = {
    "title": "Camp",
    "start": "2027-03-01",
    "end": "2027-03-20",
    "objectives": ["Reach"],
    "owner": "Team",
    "partners": ["CERN"],
    "hashtags": ["#CERN"],
    "kpis": {"reach": 10},
}
EXPECTED_EVENTS = 1 + 1  # the post on its one channel, and the campaign


def _set(data: dict, path: str, value: str) -> None:
    keys = path.split(".")
    node: object = data
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})  # type: ignore[index]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value  # type: ignore[index]


def _front(data: dict) -> str:
    return "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items())


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "template"
    copy_project(root)
    return root


_RUNS = """
(() => {
  const bad = [];
  if (window.pwned !== undefined) bad.push('window.pwned');
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (a.name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
    if (el.hasAttribute('data-pwned')) bad.push('data-pwned');
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (!['http:', 'https:', 'mailto:', 'webcal:', 'file:'].includes(a.protocol)) bad.push(a.href);
  }
  for (const s of document.querySelectorAll('script:not([src])')) {
    if (s.textContent.includes('pwned')) bad.push('inline script');
  }
  return bad;
})()
"""


def _check(browser, template: Path, tmp_path_factory, kind: str, where: str, value: str) -> tuple[int, str]:
    root = tmp_path_factory.mktemp("case") / "repo"
    shutil.copytree(template, root)
    post, campaign = json.loads(json.dumps(POST)), json.loads(json.dumps(CAMPAIGN))
    post_body, campaign_body = "The text of the post.", "The plan, with [a link](https://home.cern/)."
    if kind == "post":
        if where == "body":
            post_body = value
        else:
            _set(post, where, value)
    elif kind == "campaign":
        if where == "body":
            campaign_body = value
        else:
            _set(campaign, where, value)
    else:
        name, key = where.split(":")
        import yaml

        path = root / "content" / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        _set(data, key, value)
        path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")  # JSON is YAML
    (root / "content" / "posts" / "a.md").write_text(f"---\n{_front(post)}\n---\n\n{post_body}\n", encoding="utf-8")
    (root / "content" / "campaigns" / "camp.md").write_text(
        f"---\n{_front(campaign)}\n---\n\n{campaign_body}\n", encoding="utf-8"
    )

    started = time.perf_counter()
    status, output = run_main("--root", str(root), "build")
    assert time.perf_counter() - started < 60, "bounded time"
    event(f"{kind}: exit {status}")
    assert "Traceback" not in output and "internal error" not in output, output
    # A hostile content file is a content error (1); a hostile registry, a configuration error (2).
    assert status in ((0, 1) if kind != "registry" else (0, 2)), output
    if status:
        assert re.search(r"error SC\d{3} ", output), output
        assert "hint:" in output or "configuration error" in output, output
        return status, output
    site = root / "site"
    for page in site.rglob("*.html"):
        problems = inert(page.read_text(encoding="utf-8"), frozenset({"svg", "script", "img", "b"}))
        assert not problems, (page, problems)
    feed = (site / "feeds" / "all.ics").read_bytes()
    assert feed.count(b"BEGIN:VEVENT") == EXPECTED_EVENTS, feed
    assert b"\r" not in feed.replace(b"\r\n", b"") and b"\n" not in feed.replace(b"\r\n", b"")
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        for rel in ("campaigns/camp/index.html", "calendar/2027-03/index.html", "channels/twitter-cern/index.html"):
            page.goto((site / rel).as_uri())
            assert page.evaluate(_RUNS) == [], rel
    finally:
        context.close()
    return status, output


@settings(max_examples=16, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(field=st.sampled_from(FIELDS), value=HOSTILE)
def test_hostile_strings_in_any_field_never_run_inject_or_stall(browser, template, tmp_path_factory, field, value):
    _check(browser, template, tmp_path_factory, *field, value)


TEXT_FIELDS = [
    ("post", "title"),
    ("post", "body"),
    ("post", "media.0.alt"),
    ("post", "partnership"),
    ("campaign", "title"),
    ("campaign", "body"),
    ("campaign", "owner"),
    ("campaign", "objectives.0"),
    ("registry", "channels.yml:twitter-cern.name"),
    ("registry", "series.yml:gwti.name"),
]


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    field=st.sampled_from(TEXT_FIELDS), value=st.lists(st.sampled_from(PRINTABLE), min_size=1, max_size=4).map("".join)
)
def test_printable_payloads_in_text_fields_build_and_stay_inert(browser, template, tmp_path_factory, field, value):
    """Text fields take any printable text: the site builds, and shows it as text."""
    if field[1] == "title":
        value = value[:200]
    status, output = _check(browser, template, tmp_path_factory, *field, value)
    # The only refusal: an address in a text that fails the address check.
    assert status == 0 or set(re.findall(r"error (SC\d{3})", output)) <= {"SC108", "SC308"}, output


def test_the_fields_cover_the_content_contract() -> None:
    from generator.models import CAMPAIGN_KEYS, POST_KEYS

    covered = {f.split(".")[0] for f in POST_FIELDS}
    assert set(POST_KEYS) <= covered | {"channel"}
    assert {"title", "objectives", "owner", "partners", "hashtags", "kpis", "start"} <= set(
        f.split(".")[0] for f in CAMPAIGN_FIELDS
    )
    assert set(CAMPAIGN_KEYS) - {f.split(".")[0] for f in CAMPAIGN_FIELDS} <= {"end", "audiences", "channels", "status"}
    assert REPO.is_dir()
