"""Whatever a file contains, the loader answers with diagnostics, never an exception."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content_file import SourceError, decode
from generator.models import POST_KEYS
from generator.registry import load_registry
from generator.validate import validate

from .conftest import REPO, VALID_POST, codes

HOSTILE = {
    "malformed.md": b"---\ntitle: [unclosed\n---\nx\n",
    "list.md": b"---\n- a\n- b\n---\nx\n",
    "scalar.md": b"---\njust a string\n---\nx\n",
    "nofm.md": b"No front-matter at all\n",
    "unclosed.md": b"---\ntitle: x\n",
    "empty.md": b"",
    "latin1.md": "---\ntitle: caf\xe9\n---\n".encode("latin-1"),
    "pytag.md": b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/socialcal-pwned']\n---\n",
    "bomb.md": (
        "---\n"
        + "\n".join(f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}" if i else "lol"] * 9) + "]" for i in range(10))
        + "\n---\n"
    ).encode(),
    "binary.md": bytes(range(256)) * 4,
    "keys.md": b"---\n? [a, b]\n: c\n---\n",
}


def test_each_hostile_file_gives_one_clear_diagnostic_and_the_rest_are_checked(project) -> None:
    for name, data in HOSTILE.items():
        (project.content / "posts" / name).write_bytes(data)
    (project.content / "posts" / "good.md").write_text(f"---\n{VALID_POST}\n---\n\nFine.\n")
    registry = project.registry()
    result = validate(project.root, registry)
    for name in HOSTILE:
        found = [d for d in result.diagnostics if d.path.endswith("/" + name)]
        assert found, name
        assert all(d.is_error and d.hint for d in found), [d.to_text() for d in found]
    assert [p.id for p in result.posts] == ["good"]
    assert not (project.root / "tmp" / "socialcal-pwned").exists()
    by_file = {d.path.rsplit("/", 1)[1]: d.code for d in result.diagnostics}
    assert by_file["pytag.md"] == "SC005"
    assert by_file["bomb.md"] == "SC006"
    assert by_file["binary.md"] == "SC001"
    assert by_file["latin1.md"] == "SC001"
    assert by_file["empty.md"] == "SC007"
    assert by_file["list.md"] == "SC004"
    assert by_file["nofm.md"] == "SC002"


def test_line_and_column_point_at_the_offending_value(project, write, check) -> None:
    write("a.md", VALID_POST.replace("channel: twitter-cern", "channel: [facebook-cern, twiter-cern]"))
    d = next(d for d in check().diagnostics if d.code == "SC201")
    assert (d.line, d.col) == (4, 26)
    assert "did you mean 'twitter-cern'" in d.message


def test_yaml_times_and_dates_are_read_as_written(project, write, check) -> None:
    # YAML would make 12:30 the number 750 and 2027-03-02 a date object.
    write("a.md", VALID_POST.replace("2027-03-02 10:00", "12:30"))
    write("b.md", VALID_POST.replace("2027-03-02 10:00", "2027-03-02"))
    found = {d.path.rsplit("/", 1)[1]: d for d in check().diagnostics if d.code == "SC104"}
    assert "'12:30'" in found["a.md"].message
    assert "no time of day" in found["b.md"].message


def test_a_broken_post_still_gets_its_other_problems_reported(project, write, check) -> None:
    write("a.md", VALID_POST + "status: maybe\nhashtags: ['LHC']".replace("hashtags", "audiences"), "x")
    got = codes(check())
    assert "SC103" in got and "SC107" in got


_REG = load_registry(REPO / "content")
keys = st.sampled_from([*POST_KEYS, "titel", "x"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        ["2027-03-02 10:00", "2027-03-28 02:30", "twitter-cern", "#LHC", "https://home.cern", "gwti", "12:30"]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=st.dictionaries(keys, values, max_size=8), body=st.text(max_size=200))
def test_random_front_matter_gives_diagnostics_never_exceptions(tmp_path_factory, meta, body) -> None:
    import json

    root = tmp_path_factory.mktemp("fuzz")
    (root / "content" / "posts").mkdir(parents=True)
    # JSON is YAML: this writes any structure hypothesis builds.
    front = "\n".join(f"{k}: {json.dumps(v)}" for k, v in meta.items())
    (root / "content" / "posts" / "p.md").write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
    validate(root, _REG)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(alphabet=string.printable + "é€😀:-#&*!|>'\"[]{}", max_size=300).map(
            lambda t: ("---\n" + t + "\n---\n").encode()
        ),
    )
)
def test_random_bytes_give_diagnostics_never_exceptions(tmp_path_factory, data) -> None:
    root = tmp_path_factory.mktemp("bytes")
    (root / "content" / "posts").mkdir(parents=True)
    (root / "content" / "posts" / "p.md").write_bytes(data)
    result = validate(root, _REG)
    assert result.posts or result.diagnostics


@settings(max_examples=200, deadline=None)
@given(body=st.text(alphabet=string.printable + "é€😀#|", max_size=2000))
def test_any_issue_body_parses_or_is_refused_with_a_reason(body: str) -> None:
    from generator.issue_form import IssueFormError, parse_issue

    try:
        proposal = parse_issue(
            "### Title\n\nx\n\n### Date and time\n\n2027-03-05 16:00\n\n### Channels\n\n"
            "twitter-cern\n\n### Text of the post\n\n" + body
        )
    except IssueFormError as exc:
        assert str(exc)
    else:
        assert proposal.meta["title"] and proposal.meta["status"] == "proposed"


_TEXT = "---\ntitle: Café à l'LHC\ndate: 2027-03-02 10:00\n---\n\nThe LHC restarts.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_TEXT.encode("utf-16"), "UTF-16"),  # with its byte-order mark, as Windows editors save it
        (_TEXT.encode("utf-16-be"), "UTF-16"),  # no mark: a NUL before every character
        (_TEXT.encode("utf-16-le"), "UTF-16"),  # no mark: a NUL after every character
        ("\ufeff日本語のテキスト".encode("utf-16-le"), "UTF-16"),  # a mark, and no NUL at all
        (_TEXT.encode("utf-32"), "UTF-32"),
        (_TEXT.encode("utf-32-be"), "UTF-32"),
    ],
)
def test_a_file_saved_as_utf16_or_utf32_is_named_so_not_called_binary(data: bytes, encoding: str) -> None:
    with pytest.raises(SourceError) as caught:
        decode(data)
    assert caught.value.rule.code == "SC001"
    assert caught.value.message == f"the file is saved as {encoding}, not UTF-8"
    assert caught.value.hint.startswith("save it as UTF-8")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 4,
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(2000),  # a JPEG: zeros everywhere
        b"\xff\xfe\x00\xd8\x00\x00",  # a UTF-16 mark, then a broken surrogate pair: binary
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_a_binary_file_is_still_a_binary_file(data: bytes) -> None:
    with pytest.raises(SourceError, match=r"binary file|not valid UTF-8") as caught:
        decode(data)
    assert caught.value.rule.code == "SC001"


def test_validate_names_the_encoding_at_the_file(project) -> None:
    (project.content / "posts" / "a.md").write_bytes(f"---\n{VALID_POST}\n---\n\nText.\n".encode("utf-16"))
    (d,) = validate(project.root, project.registry()).diagnostics
    assert d.to_text() == (
        "content/posts/a.md: error SC001 the file is saved as UTF-16, not UTF-8\n"
        "    hint: save it as UTF-8 in your editor (VS Code: click the encoding in the status bar, "
        "then 'Save with Encoding', 'UTF-8')"
    )
