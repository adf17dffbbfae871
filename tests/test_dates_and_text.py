"""Dates in the calendar's zone, and lengths counted the platforms' way."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twitter_text import parse_tweet

from generator.dates import DateError, parse_datetime
from generator.text_counting import count, fits

ZURICH = ZoneInfo("Europe/Zurich")


def test_naive_times_are_read_in_the_calendar_zone() -> None:
    assert parse_datetime("2027-01-15 16:00", ZURICH).utcoffset() == dt.timedelta(hours=1)
    assert parse_datetime("2027-07-15 16:00", ZURICH).utcoffset() == dt.timedelta(hours=2)


def test_an_explicit_offset_is_kept_as_the_same_instant() -> None:
    value = parse_datetime("2027-03-26T10:00Z", ZURICH)
    assert value == dt.datetime(2027, 3, 26, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2027-03-28 02:30", "SC105"),
        ("2027-10-31 02:30", "SC106"),
        ("2027-02-30 10:00", "SC104"),
        ("tomorrow", "SC104"),
    ],
)
def test_impossible_or_ambiguous_times_are_errors(raw: str, code: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_datetime(raw, ZURICH)
    assert caught.value.code == code and caught.value.hint


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII with a link https://home.cern/news/news/physics/a-very-long-path-indeed and home.cern",
        "Accents é à ü and emoji 👩‍🔬🚀 with https://cerncourier.com/a/b",
        "日本語のテキスト https://home.cern",
        "x" * 300,
    ],
)
def test_twitter_length_matches_twitter_text(text: str) -> None:
    assert count(text, "twitter") == parse_tweet(text).weightedLength


@pytest.mark.parametrize(
    "text",
    [
        # More dots in a row than any address has (once counted character by character).
        "a.b.c.d.e.f.g.h.com and www.www.www.www.www.www.www.cern.ch",
        "a.com" + "_b.com" * 40,
        "a." * 40 + "日本.com",
        # Long hyphenated words, with and without a top-level domain at their end.
        "www." + "a-" * 300 + "a and www." + "a-" * 300 + "a.com",
        "😀.a-😀_" * 20 + "😀.com",
        "a.xn--" + "a-" * 200 + " xn--a." * 20 + "com",
        # What the library refuses or cuts: the character before, labels of 64, t.co slugs.
        "x.com_b.com x_b.com -home.cern ./home.cern _home.cern",
        "a" * 63 + ".com " + "b" * 64 + ".com",
        "https://t.co/" + "a" * 41 + " http://t.co/abc?x=1 HTTPS://HOME.CERN/X",
        "www.example.com:8080/path?q=1#x, see home.cern/x. (home.cern/y)",
        "日本.jp xn--wgv71a119e.jp 香港 www.日本.com/パス",
        "a\r\nb home.cern\rc",
    ],
)
def test_twitter_length_is_exact_inside_long_and_dotted_words(text: str) -> None:
    assert count(text, "twitter") == parse_tweet(text).weightedLength


# Pieces of addresses and of what surrounds them, joined without spaces: hyphen and underscore
# runs, dots, protocols, ports, paths, top-level domains (generic, country, punycode, not ASCII),
# characters the library's pattern must not take before a URL, and long labels.
URL_PIECES = [
    "a", "x", "1", "-", "_", ".", ".", "/", ":", "?", "=", "#", "@", "(", ")", " ", "\n", "é", "日本", "😀",
    "👩\u200d💻", "com", "co", "ch", "cern", "onion", "рф", "삼성", "xn--", "xn--p1ai", "https://", "http://",
    "HTTPS://", "www.", "t.co/", "\u212a", "\u017f", "\u202e", "\ufeff", "$", "＠", "&", "'", "~", "!", ",", ":80",
    "/path", "?q=1", "a" * 64, "..", "-a", "a_",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES), max_size=16))
def test_urls_are_found_as_twitter_text_finds_them(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert count(text, "twitter") == parse_tweet(text).weightedLength


def test_every_url_counts_23_on_twitter() -> None:
    assert count("a https://home.cern/" + "x" * 100, "twitter") == 2 + 23


def test_graphemes_count_an_emoji_sequence_once() -> None:
    assert count("👩‍🔬", "graphemes") == 1
    assert count("👩‍🔬", "characters") == 3


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", "home.cern", "https://home.cern/news/x", "a.co", "x.y.z", "é", "😀", "\n", " ", "."]),
        max_size=40,
    ),
    st.integers(min_value=-40, max_value=40),
)
def test_fits_agrees_with_the_count(parts: list[str], margin: int) -> None:
    """The shortcut never says a text fits when its count is over the limit (limits near the count)."""
    text = " ".join(parts)
    for method in ("twitter", "graphemes", "characters"):
        limit = max(0, count(text, method) + margin)
        assert fits(text, method, limit) == (count(text, method) <= limit)
