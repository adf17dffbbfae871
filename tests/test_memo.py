"""The memo: keys come from the inputs themselves; the no-op memo computes every time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from generator.cache import NO_MEMO, Memo, fingerprint
from generator.models import Post

ZURICH = ZoneInfo("Europe/Zurich")


def post(**changes: object) -> Post:
    data = {
        "id": "a",
        "path": "content/posts/a.md",
        "title": "LHC restarts",
        "date": dt.datetime(2027, 3, 2, 10, 0, tzinfo=ZURICH),
        "channels": ["twitter-cern"],
        "body": "Text.",
    }
    data.update(changes)
    return Post.model_validate(data)


@dataclass(frozen=True)
class Pair:
    left: object
    right: object


def test_equal_values_give_equal_keys_and_any_change_another() -> None:
    assert fingerprint(post()) == fingerprint(post())
    assert fingerprint(post()) != fingerprint(post(title="LHC restarts!"))
    assert fingerprint(Pair(1, (2, "x"))) == fingerprint(Pair(1, (2, "x")))
    assert fingerprint(Pair(1, (2, "x"))) != fingerprint(Pair(1, [2, "y"]))
    assert len({fingerprint(1), fingerprint("1"), fingerprint(True), fingerprint(1.0)}) == 4
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})
    assert fingerprint(frozenset({"x", "y"})) == fingerprint(frozenset({"y", "x"}))
    assert fingerprint(dt.date(2027, 1, 1)) != fingerprint(dt.date(2027, 1, 2))
    utc = dt.datetime(2027, 1, 1, 11, tzinfo=dt.UTC)
    assert fingerprint(utc) != fingerprint(utc.astimezone(ZURICH))  # same instant, shown differently


def test_an_object_it_cannot_read_is_refused_not_guessed() -> None:
    with pytest.raises(TypeError, match="cannot fingerprint"):
        fingerprint(object())


def test_compute_runs_once_per_distinct_input_and_gets_only_the_inputs() -> None:
    memo = Memo()
    calls: list[tuple[object, ...]] = []

    def compute(p: Post, n: int) -> str:
        calls.append((p.title, n))
        return f"{p.title}/{n}"

    assert memo("x", (post(), 1), compute) == "LHC restarts/1"
    assert memo("x", (post(), 1), compute) == "LHC restarts/1"  # an equal, not the same, post
    assert memo("x", (post(title="Other"), 1), compute) == "Other/1"
    assert memo("y", (post(), 1), compute) == "LHC restarts/1"  # another kind of work
    assert calls == [("LHC restarts", 1), ("Other", 1), ("LHC restarts", 1)]


def test_a_round_forgets_what_the_last_one_did_not_use() -> None:
    memo = Memo()
    memo("x", (1,), str)
    memo("x", (2,), str)
    memo.new_round()
    memo("x", (1,), str)
    memo.new_round()
    seen: list[int] = []
    memo("x", (1,), lambda n: seen.append(n))
    memo("x", (2,), lambda n: seen.append(n))
    assert seen == [2]


def test_no_memo_computes_every_time_and_hashes_nothing() -> None:
    seen: list[object] = []
    NO_MEMO("x", (object(),), seen.append)  # not hashable by value: never asked to be
    NO_MEMO("x", (1,), seen.append)
    NO_MEMO("x", (1,), seen.append)
    assert len(seen) == 3


def test_a_model_remembered_across_rounds_is_never_mistaken_for_another() -> None:
    memo = Memo()
    seen: list[str] = []
    for title in ("One", "Two", "Three"):
        memo.new_round()
        memo("x", (post(title=title),), lambda p: seen.append(p.title))  # each post dies right after
    kept = post(title="Kept")
    memo("x", (kept,), lambda p: seen.append(p.title))
    memo.new_round()
    memo("x", (kept,), lambda p: seen.append(p.title))
    assert seen == ["One", "Two", "Three", "Kept"]
