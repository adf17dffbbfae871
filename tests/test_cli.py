"""The command line as a contributor meets it: exit codes, formats, new files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.diagnostics import Diagnostic, Severity, format_github, format_json

from .conftest import VALID_POST, invoke

pytestmark = pytest.mark.usefixtures("pinned")  # `new post` refuses past dates: today is conftest.TODAY


def test_clean_content_exits_0(project, write) -> None:
    write("a.md", VALID_POST)
    result = invoke(project, "validate")
    assert result.exit_code == 0, result.output
    assert "1 file checked: no problems." in result.output


def test_warnings_alone_exit_0_and_errors_exit_1(project, write) -> None:
    write("a.md", VALID_POST.replace('["#LHC"]', '["#Cern2027"]'))
    assert invoke(project, "validate").exit_code == 0
    write("b.md", VALID_POST.replace("twitter-cern", "twiter-cern").replace("10:00", "15:00"))
    result = invoke(project, "validate")
    assert result.exit_code == 1
    assert (
        "content/posts/b.md:4:10: error SC201 unknown channel 'twiter-cern' (did you mean 'twitter-cern'?)"
        in result.output
    )
    assert "    hint: use 'twitter-cern'" in result.output
    assert result.output.strip().endswith("2 files checked: 1 error, 1 warning.")


def test_json_format_lists_every_diagnostic(project, write) -> None:
    write("a.md", VALID_POST + "status: maybe")
    data = json.loads(invoke(project, "validate", "--format", "json").output)
    assert data["errors"] == 1
    assert data["diagnostics"][0] | {"hint": ""} == {
        "path": "content/posts/a.md",
        "line": 7,
        "col": 9,
        "severity": "error",
        "code": "SC103",
        "message": data["diagnostics"][0]["message"],
        "hint": "",
    }


def test_paths_limit_what_is_reported_but_not_what_is_checked(project, write) -> None:
    write("a.md", VALID_POST)
    write("b.md", VALID_POST.replace("10:00", "10:15").replace("LHC restarts", "LHC again"))
    write("c.md", VALID_POST.replace("10:00", "18:00").replace("hashtags:", "status: maybe\nhashtags:"))
    result = invoke(project, "validate", str(project.content / "posts" / "b.md"))
    # c.md's error is not reported; a.md is read and checked all the same: b.md clashes with it.
    assert result.exit_code == 0, result.output
    assert "c.md" not in result.output and "SC1" not in result.output
    assert "content/posts/b.md:3:7: warning SC401 'b' and 'a' both go out on twitter-cern" in result.output


@pytest.mark.parametrize("outside", ["elsewhere.md", "elsewhere", ".."])
def test_a_path_outside_the_repository_is_a_usage_error_not_a_clean_bill(project, write, outside: str) -> None:
    write("c.md", VALID_POST.replace("hashtags:", "status: maybe\nhashtags:"))  # an error it must not hide
    target = project.root.parent / outside
    if outside != "..":
        target.mkdir() if "." not in outside else target.write_text("---\ntitle: x\n---\n")
    for _ in range(2):  # the second run may print the first run's result again
        result = invoke(project, "validate", str(target))
        assert result.exit_code == 2, result.output
        assert "not in the repository" in result.output and "no problems" not in result.output


def test_a_broken_registry_is_a_configuration_error(project) -> None:
    (project.content / "channels.yml").write_text("twitter-cern: [not, a, mapping]\n")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "validate"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "configuration error" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_option_is_a_usage_error(project) -> None:
    assert invoke(project, "validate", "--format", "xml").exit_code == 2


def test_github_annotations_escape_data_and_properties() -> None:
    d = Diagnostic("content/posts/a,b:c.md", 3, 5, Severity.ERROR, "SC301", "100% too long\nreally", "cut, please")
    line = format_github([d], 1).splitlines()[0]
    assert line == (
        "::error file=content/posts/a%2Cb%3Ac.md,line=3,col=5,title=SC301::100%25 too long\\nreally%0Acut, please"
    )


def test_new_post_writes_a_valid_file_and_never_overwrites(project) -> None:
    args = [
        "new",
        "post",
        "--title",
        "Guess what: this is",
        "--date",
        "2027-03-05 16:00",
        "--channel",
        "twitter-cern",
        "--series",
        "gwti",
        "--link",
        "https://home.cern/x",
        "--text",
        "Guess!",
    ]
    first = invoke(project, *args)
    assert first.exit_code == 0, first.output
    path = project.content / "posts" / "2027" / "03" / "2027-03-05-guess-what-this-is.md"
    original = path.read_text()
    assert 'title: "Guess what: this is"' in original or "title: 'Guess what: this is'" in original
    assert invoke(project, "validate").exit_code == 0
    path.write_text(original + "\nEdited by hand.\n")
    second = invoke(project, *args)
    assert second.exit_code == 2 and "already exists" in second.output
    assert path.read_text().endswith("Edited by hand.\n")


@pytest.mark.parametrize("folder", ["../../outside", "/etc"])
def test_new_post_refuses_to_leave_content(project, folder: str) -> None:
    result = invoke(
        project,
        "new",
        "post",
        "--title",
        "x",
        "--date",
        "2027-03-05 16:00",
        "--channel",
        "twitter-cern",
        "--folder",
        folder,
    )
    assert result.exit_code == 2 and "outside content/posts" in result.output
    assert not any(Path(project.root.parent).glob("outside*"))


def test_new_post_slugs_hostile_titles(project) -> None:
    result = invoke(
        project,
        "new",
        "post",
        "--title",
        "../../etc/passwd; rm -rf $HOME",
        "--date",
        "2027-03-05 16:00",
        "--channel",
        "twitter-cern",
        "--link",
        "https://home.cern/x",
        "--text",
        "Hello",
    )
    assert result.exit_code == 0, result.output
    assert (project.content / "posts" / "2027" / "03" / "2027-03-05-etc-passwd-rm-rf-home.md").exists()


def test_new_campaign(project) -> None:
    result = invoke(
        project, "new", "campaign", "--title", "Open Days 2027", "--start", "2027-03-01", "--end", "2027-03-20"
    )
    assert result.exit_code == 0, result.output
    assert (project.content / "campaigns" / "open-days-2027.md").exists()
    assert invoke(project, "validate").exit_code == 0


def test_new_post_asks_for_what_is_missing_in_a_terminal(project, monkeypatch) -> None:
    monkeypatch.setattr("generator.commands.new._interactive", lambda: True)
    result = CliRunner().invoke(
        cli,
        ["--root", str(project.root), "new", "post", "--link", "https://home.cern/x"],
        input="Open Days are back\n2027-03-05 16:00\ntwitter-cern, facebook-cern\nThe Open Days are back!\n",
    )
    assert result.exit_code == 0, result.output
    path = project.content / "posts" / "2027" / "03" / "2027-03-05-open-days-are-back.md"
    text = path.read_text()
    assert "channel: [twitter-cern, facebook-cern]" in text or "- twitter-cern" in text


def test_new_post_with_problems_is_written_and_exits_1(project) -> None:
    result = invoke(project, "new", "post", "--title", "x", "--date", "2027-03-05 16:00", "--channel", "twitter-cern")
    assert result.exit_code == 1 and "SC302" in result.output
    assert list((project.content / "posts").rglob("*.md"))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("add `alt:` describing the image", "add 'alt:' describing the image"),
        ("set `status: published` or `status: cancelled`", "set 'status: published' or 'status: cancelled'"),
        ("a lone ` stays as it is", "a lone ` stays as it is"),
        ("'`#x`' is not a hashtag", "''#x'' is not a hashtag"),
        ("``", "``"),
    ],
)
def test_code_spans_are_quoted_in_a_terminal_and_in_annotations_and_kept_in_json(raw: str, shown: str) -> None:
    d = Diagnostic("content/posts/a.md", 3, 1, Severity.ERROR, "SC307", raw, raw)
    assert d.to_text() == f"content/posts/a.md:3:1: error SC307 {shown}\n    hint: {shown}"
    assert f"title=SC307::{shown}%0A{shown}" in format_github([d], 1)
    assert json.loads(format_json([d], 1))["diagnostics"][0]["hint"] == raw, "data for other tools, as written"


def test_validate_prints_hints_without_backticks(project, write) -> None:
    write("a.md", VALID_POST + "media:\n  - src: media/a.jpg")
    result = invoke(project, "validate")
    assert "hint: add 'alt:' describing the image" in result.output and "`" not in result.output
