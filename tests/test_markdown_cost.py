"""No text makes reading Markdown stall or crash: what Python-Markdown would take more than linear
time over, or recurse too deep into, is refused before it is parsed (markup.excess, rule SC115),
located, and every other path over the text stays linear. Timings are asserted only as generous
bounds (ten times the expected cost) that catch a blow-up."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.markup import MAX_NESTING, excess, render, targets
from generator.outgoing_text import plain_text, urls_in

from .conftest import VALID_POST, codes

pytestmark = pytest.mark.usefixtures("pinned")

CAMPAIGN = "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20"
SIZE = 250_000  # near the 256 KB a content file may hold

# Each was worse than quadratic (a few KB took seconds, 20 KB took minutes) or recursed to a crash.
HOSTILE = {
    "brackets": "[",
    "image openers": "![",
    "link openers": "[a](",
    "empty links": "[](",
    "links to <": "[a](<",
    "references": "[a][",
    "backticks": "``a`",
    "emphasis": "*_",
    "strong": "**a ",
    "escapes": "\\\\",
    "autolinks": "<a@b> ",
    "entities": "&",
    "hard breaks": "a  \n",
    "headings": "# a\n",
    "list items": "- a\n",
    "paragraphs": "a\n\n",
    "nested list": "- ",
    "nested numbers": "1. ",
    "nested quotes": "> ",
}


def payload(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit)) + "x"


def timed(call, *args) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_costly_campaign_is_refused_located_and_quickly(name, project, write, check) -> None:
    write("plan.md", CAMPAIGN, payload(HOSTILE[name]), kind="campaigns")
    started = time.perf_counter()
    result = check()
    assert time.perf_counter() - started < 20  # measured 0.3 to 1.5 s; minutes, or a crash, before
    found = [d for d in result.diagnostics if d.code == "SC115"]
    assert len(found) == 1 and found[0].path == "content/campaigns/plan.md" and found[0].hint
    assert found[0].line >= 5 and found[0].col >= 1  # in the body: the front-matter takes lines 1 to 5


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_same_text_in_a_post_is_only_text(name, write, check) -> None:
    write("a.md", VALID_POST, payload(HOSTILE[name], 60_000))  # a post's text is not Markdown
    started = time.perf_counter()
    result = check()
    assert time.perf_counter() - started < 20
    assert "SC115" not in codes(result)


def test_nesting_is_refused_at_the_first_level_too_deep() -> None:
    deep = "Intro\n\n" + "".join("    " * level + "- step\n" for level in range(MAX_NESTING + 5))
    found = excess(deep)
    assert found is not None and "nested" in found.message
    assert (found.line, found.col) == (3 + MAX_NESTING, 4 * MAX_NESTING + 1)
    assert excess("- " * MAX_NESTING + "x") is None
    # The marker of level 17 (each of these takes one level).
    for line, col in (("- " * 17 + "x", 33), ("> " * 10 + "- " * 7 + "x", 33), ("1. " * 20 + "x", 49)):
        found = excess("Intro\n\n" + line)
        assert found is not None and (found.line, found.col) == (3, col), line


def test_an_unclosed_bracket_is_located_where_it_opens() -> None:
    text = "# Plan\n\nFine [link](https://home.cern/a).\n\nText " + "[" * 400 + "\n"
    found = excess(text)
    assert found is not None and (found.line, found.col) == (5, 6) and "`[`" in found.message
    assert excess(text.replace("[", "\\[")) is None  # written as text, the brackets cost nothing


@pytest.mark.parametrize(
    "text",
    [
        "## Plan\n\nAnnounce the dates, explain how to register. See [the page](https://home.cern/x).\n\n"
        "1. Save the date (25 January)\n2. Call for volunteers\n    - on *X*\n    - in `stories`\n\n"
        "> A quote, with **emphasis**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    ],
)
def test_ordinary_markdown_of_any_size_is_read(text: str) -> None:
    """The repository's kind of plan, from one copy to as many as 256 KB holds."""
    assert excess(text) is None
    big = text * (SIZE // len(text))
    assert excess(big) is None
    assert len(targets(big)) == SIZE // len(text)


def test_a_refused_text_is_shown_as_written_never_parsed() -> None:
    text = "<script>window.pwned=1</script> " + "[" * 5000
    assert excess(text) is not None
    html = str(render(text))
    assert "<script" not in html and "&lt;script&gt;" in html and "<pre>" in html
    assert targets(text) == []


# Fragments that open, close and nest every construct Python-Markdown has.
_FRAGMENTS = st.sampled_from(
    ["[", "]", "(", ")", "![", "](", "[a]", "(https://home.cern/x)", "`", "``", "*", "**", "_", "__", "\\", "<",
     ">", "&", "#", "- ", "1. ", "> ", "    ", "  \n", "\n", "\n\n", "a", "word ", "\"", "'", "|", "www.a-a.com "]
)  # fmt: skip


@st.composite
def _hostile_texts(draw) -> str:
    """Up to ~40 KB: runs of fragments, each repeated up to thousands of times."""
    parts = draw(st.lists(st.tuples(st.lists(_FRAGMENTS, min_size=1, max_size=4), st.integers(1, 3000)), max_size=6))
    return "".join("".join(fragments) * times for fragments, times in parts)[:40_000]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_hostile_texts())
def test_markdown_and_text_paths_take_time_linear_in_the_length(text: str) -> None:
    # Expected: under 0.1 s plus 10 µs a character for the parse of what is accepted (1 µs a
    # character and 0.1 s measured); ten times that is the bound: a blow-up takes minutes.
    bound = 10 * (0.1 + 10e-6 * len(text))
    assert timed(excess, text) < bound
    if excess(text) is None:
        assert timed(targets, text) < bound
        assert timed(render, text) < bound
    assert timed(plain_text, text) < bound
    assert timed(urls_in, text) < bound
