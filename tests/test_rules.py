"""Every validation rule, specified by one file that breaks it and one that keeps it.

The files are the rule's own examples (`Rule.examples` in generator/rules/), the same object the
site's Rules page shows.
"""

from __future__ import annotations

import pytest

from generator.rules import File, Scope
from generator.rules.catalogue import RULES
from generator.rules.core import Edit
from generator.validate import validate

from .conftest import TODAY, codes, run_main

# code → (files that break the rule, files that do not), from the catalogue.
CASES: dict[str, tuple[list[File], list[File]]] = {
    code: (list(r.examples.bad), list(r.examples.good))
    for code, r in RULES.items()
    if r.scope not in (Scope.REGISTRY, Scope.BUILD, Scope.EXPORT)
}
# Registry rules: a broken registry stops every command with a configuration error (exit code 2)
# told like a diagnostic. Their examples edit a registry (content/*.yml).
REGISTRY_CASES: dict[str, tuple[list[File], list[File]]] = {
    code: (list(r.examples.bad), list(r.examples.good)) for code, r in RULES.items() if r.scope is Scope.REGISTRY
}


# Build rules: checked when the site is built (an image decoded for its thumbnail); their examples
# are built, and the diagnostic is looked for in the build's notes and on the post's page.
BUILD_CASES: dict[str, tuple[list[File], list[File]]] = {
    code: (list(r.examples.bad), list(r.examples.good)) for code, r in RULES.items() if r.scope is Scope.BUILD
}


# Export rules: what a scheduling tool would refuse; their examples are exported (tests/test_exports.py).
EXPORT_CASES: dict[str, tuple[list[File], list[File]]] = {
    code: (list(r.examples.bad), list(r.examples.good)) for code, r in RULES.items() if r.scope is Scope.EXPORT
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) | set(REGISTRY_CASES) | set(BUILD_CASES) | set(EXPORT_CASES) == set(RULES)
    cases = {**CASES, **REGISTRY_CASES, **BUILD_CASES, **EXPORT_CASES}
    missing = [code for code, (bad, good) in cases.items() if not bad or not good]
    assert not missing, f"rules without a breaking and a passing example: {missing}"


@pytest.mark.parametrize("code", sorted(BUILD_CASES))
def test_build_rule_is_told_by_the_build_and_on_the_posts_page(code: str, project, pinned) -> None:
    bad, good = BUILD_CASES[code]
    _materialise(project, good)
    status, output = run_main("--root", str(project.root), "build")
    assert status == 0 and code not in output, output
    _materialise(project, bad)
    status, output = run_main("--root", str(project.root), "build")
    assert status == 0 and "image cannot be shown" in output, output  # a warning: the site is built
    page = next(p for f in bad if f.name.endswith(".md") for p in [project.site / "posts" / f.name[:-3] / "index.html"])
    html = page.read_text(encoding="utf-8")
    assert code in html and f"sc-sev-{RULES[code].severity}" in html


@pytest.mark.parametrize("code", sorted(REGISTRY_CASES))
def test_registry_rule_stops_with_a_located_diagnostic(code: str, project) -> None:
    bad, good = REGISTRY_CASES[code]
    for file in bad:
        if isinstance(file.body, Edit):
            assert file.body.old in (project.content / file.name).read_text()
    _materialise(project, good)
    assert run_main("--root", str(project.root), "validate")[0] == 0
    _materialise(project, bad)
    status, output = run_main("--root", str(project.root), "validate")
    assert status == 2, output
    names = {file.name for file in bad}
    assert any(f"content/{name}:" in output for name in names) and f"error {code} " in output and "hint:" in output


@pytest.fixture
def check(project):
    """Validation on the tests' one day: the rules about time passing (SC318) speak too."""
    return lambda: validate(project.root, project.registry(), today=TODAY)


def _materialise(project, files: list[File]) -> None:
    for file in files:
        file.write(project.content)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_its_breaking_example(code: str, project, check) -> None:
    _materialise(project, CASES[code][0])
    result = check()
    assert code in codes(result), [d.to_text() for d in result.diagnostics]
    found = next(d for d in result.diagnostics if d.code == code)
    assert found.severity == RULES[code].severity
    assert found.message and found.hint, "every diagnostic says what is wrong and what to do"
    assert found.path.startswith(("content/", "pages/")) or found.path == "frontmatter.json"


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_is_quiet_on_its_passing_example(code: str, project, check) -> None:
    _materialise(project, CASES[code][1])
    result = check()
    assert code not in codes(result), [d.to_text() for d in result.diagnostics]


def test_examples_in_the_repository_are_valid(example_project) -> None:
    result = validate(example_project.root, example_project.registry())
    assert result.errors == [], [d.to_text() for d in result.errors]
    assert len(result.posts) >= 40 and len(result.campaigns) >= 2


def test_every_rule_is_checked_somewhere() -> None:
    assert list(RULES) == sorted(RULES), "the catalogue is ordered by code"
    for r in RULES.values():
        if r.scope in (Scope.LOAD, Scope.REGISTRY, Scope.BUILD, Scope.EXPORT):
            assert r.where and r.check is None, r.code
        else:
            assert r.check is not None, r.code
        assert r.example == r.examples.text, "the Rules page shows the unit's own example"


def test_the_clash_rule_and_the_pr_summary_share_one_definition() -> None:
    import datetime as dt

    from generator.clashes import clashes, consecutive_clashes
    from generator.models import Post

    def post(pid: str, minute: int, status: str = "proposed") -> Post:
        when = dt.datetime(2027, 3, 2, 10, minute, tzinfo=dt.UTC)
        return Post(
            id=pid, path=f"content/posts/{pid}.md", title=pid, date=when, channels=("twitter-cern",), status=status
        )

    a, b, gone = post("a", 0), post("b", 30), post("c", 15, "cancelled")
    assert [(cid, x.id, y.id) for cid, x, y in consecutive_clashes([a, b, gone], 60)] == [("twitter-cern", "a", "b")]
    assert [(cid, o.id) for cid, o in clashes(b, [a, gone], 60)] == [("twitter-cern", "a")]
    assert list(consecutive_clashes([a, b], 30)) == [] and clashes(b, [a], 30) == []


def test_ids_have_one_definition() -> None:
    from generator.project import is_valid_id

    assert is_valid_id("2027-03-02-lhc-restarts")
    assert not any(is_valid_id(x) for x in ("", "-a", "My Post", "a_b", "a\n"))


def test_a_channel_listed_twice_is_one_error_and_the_post_goes_out_once_there(project, write) -> None:
    write(
        "twice.md",
        """
        title: Twice
        date: 2027-03-02 10:00
        channel: [twitter-cern, facebook-cern, twitter-cern]
        link: https://home.cern/news/twice
        """,
    )
    result = validate(project.root, project.registry(), today=TODAY)
    found = [d for d in result.diagnostics if d.code == "SC212"]
    assert [(d.line, d.col, d.message) for d in found] == [(4, 40, "channel 'twitter-cern' is listed twice")]
    # Not a clash of the post with itself, and no channel rule told twice.
    assert "SC401" not in codes(result)
    told = [(d.code, d.line, d.message) for d in result.diagnostics]
    assert len(told) == len(set(told)), told

    from generator.build import model

    cal, _, _ = model(project, allow_errors=True)  # as `serve` shows it, despite the error
    assert [e.channel.id for e in cal.entries_by_post["twice"]] == ["twitter-cern", "facebook-cern"]
    assert cal.posts_by_channel["twitter-cern"] == (cal.post_by_id["twice"],)
