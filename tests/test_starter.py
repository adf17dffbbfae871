"""`socialcal init`: a team's repository that validates, written without ever replacing a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.project import Project
from generator.registry import load_registry
from generator.starter import STARTER, init, repo_path, starter_files, version_notices
from generator.validate import validate

from .conftest import run_main

VERSION = "9.8.7"


def test_every_starter_file_is_written_with_the_version_filled_in(tmp_path: Path) -> None:
    out = init(tmp_path / "team", version=VERSION)
    written = {p.relative_to(tmp_path / "team").as_posix() for p in out.writes.written}
    assert {
        "content/channels.yml",
        "content/series.yml",
        "content/hashtags.yml",
        "content/links.yml",
        "content/audiences.yml",
        "content/settings.yml",
        "mkdocs.yml",
        ".github/workflows/check.yml",
        ".github/workflows/publish.yml",
        ".github/workflows/propose-post.yml",
        ".github/ISSUE_TEMPLATE/propose-post.yml",
        ".github/CODEOWNERS",
        "README.md",
        ".gitignore",
        "requirements.in",
    } <= written
    assert not out.kept and not out.writes.failed
    for rel in written:
        assert "@@VERSION@@" not in (tmp_path / "team" / rel).read_text()
    assert "socialcal==9.8.7\n" in (tmp_path / "team" / "requirements.in").read_text()
    for workflow in ("check", "publish", "propose-post"):
        text = (tmp_path / "team" / ".github" / "workflows" / f"{workflow}.yml").read_text()
        assert text.startswith("# socialcal-version: 9.8.7 ")
        assert "grep -q '^socialcal==9.8.7 ' requirements.txt" in text
        assert "pip install --require-hashes -r requirements.txt" in text


def test_the_starter_content_validates(tmp_path: Path) -> None:
    init(tmp_path / "team", version=VERSION)
    root = tmp_path / "team"
    result = validate(root, load_registry(root / "content"))
    assert result.ok and not result.diagnostics, [d.to_text() for d in result.diagnostics]
    assert len(result.posts) == 1 and len(result.campaigns) == 1


def test_hidden_names_are_stored_as_dot_names() -> None:
    assert repo_path("dot-github/workflows/check.yml") == ".github/workflows/check.yml"
    assert repo_path("dot-gitignore") == ".gitignore"
    assert repo_path("content/posts/x.md") == "content/posts/x.md"
    assert not any(part.startswith(".") for p in STARTER.rglob("*") for part in p.relative_to(STARTER).parts)


@pytest.mark.parametrize("present", ["notes.txt", ".git/HEAD", "content/channels.yml"])
def test_a_folder_with_anything_in_it_is_refused_without_force(tmp_path: Path, present: str) -> None:
    root = tmp_path / "team"
    (root / present).parent.mkdir(parents=True)
    (root / present).write_text("ours\n")
    status, output = run_main("init", str(root))
    assert status == 2 and "is not empty" in output and "--force" in output, output
    assert "Traceback" not in output
    assert sorted(p.name for p in root.rglob("*") if p.is_file()) == [Path(present).name]


def test_force_adds_what_is_missing_and_never_replaces_a_file(tmp_path: Path) -> None:
    root = tmp_path / "team"
    mine = {
        "content/channels.yml": "our: channels\n",
        "README.md": "# Ours\n",
        ".github/workflows/check.yml": "name: ours\n",
        ".gitignore": "*.bak\n",
    }
    for rel, text in mine.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    status, output = run_main("init", str(root), "--force")
    assert status == 0, output
    for rel, text in mine.items():
        assert (root / rel).read_text() == text
        assert f"Kept {rel}: it exists" in output
    assert (root / "mkdocs.yml").is_file() and "Written: " in output and "mkdocs.yml" in output


def test_force_never_writes_through_a_link(tmp_path: Path) -> None:
    root, outside = tmp_path / "team", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / ".github").symlink_to(outside, target_is_directory=True)
    (root / "mkdocs.yml").symlink_to(outside / "mkdocs.yml")
    status, output = run_main("init", str(root), "--force")
    assert status == 2, output
    assert not any(outside.iterdir())
    assert "Not written:" in output and ".github/workflows/check.yml" in output
    assert (root / "content" / "channels.yml").is_file()  # the rest was written


def test_refresh_rewrites_only_generated_files_and_notices_go_away(tmp_path: Path) -> None:
    root = tmp_path / "team"
    init(root, version="0.0.1")
    (root / "content" / "channels.yml").write_text("# edited by the team\n")
    notices = version_notices(root, "0.1.0")
    assert len(notices) == 4 and all("socialcal init --refresh ." in n for n in notices)
    assert any(".github/workflows/publish.yml was written by socialcal 0.0.1; 0.1.0 is installed" in n for n in notices)
    assert version_notices(root, "0.0.1") == []
    init(root, refresh=True, version="0.1.0")
    assert version_notices(root, "0.1.0") == []
    assert (root / "content" / "channels.yml").read_text() == "# edited by the team\n"
    assert "socialcal==0.1.0\n" in (root / "requirements.in").read_text()


def test_validate_prints_the_notice_and_keeps_its_exit_code(tmp_path: Path) -> None:
    root = tmp_path / "team"
    init(root, version="0.0.1")
    status, output = run_main("--root", str(root), "validate")
    assert status == 0, output
    assert "notice: .github/workflows/check.yml was written by socialcal 0.0.1" in output
    assert "socialcal init --refresh ." in output
    # Hostile or odd version lines are no notice and no crash.
    for text in ("# socialcal-version: \x1b]0;x\x07\n", "# socialcal-version: 99.0\n", "socialcal-version:\n" * 5000):
        (root / ".github" / "workflows" / "check.yml").write_text(text)
        assert not any("check.yml" in n for n in version_notices(root, "0.1.0"))


def test_the_starter_files_carry_no_cern_policy() -> None:
    for rel, data in starter_files(VERSION):
        assert b"cern" not in data.lower().replace(b"cern:", b""), rel  # links.yml's group key only


def test_init_writes_only_inside_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, output = run_main("init", "team")
    assert status == 0, output
    assert sorted(os.listdir(tmp_path)) == ["team"]
    assert Project(tmp_path / "team").mkdocs_yml.is_file()


def test_schemas_and_the_editor_configuration_written_by_an_older_version_are_told_with_their_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator
    from generator import editor_config, json_schema
    from generator.registry import load_registry

    root = tmp_path / "team"
    init(root, version="0.0.1")
    monkeypatch.setattr(generator, "__version__", "0.0.1", raising=False)  # as 0.0.1 wrote them
    (root / "schemas").mkdir()
    (root / "schemas" / "channels.schema.json").write_text(json_schema.schema_file_text("channels"))
    registry = load_registry(root / "content")
    config = editor_config.generate(registry, ["example-campaign"])
    (root / "frontmatter.json").write_text(editor_config.dumps(config))
    monkeypatch.undo()
    notices = version_notices(root, "0.2.0")
    assert any("schemas/channels.schema.json was written by socialcal 0.0.1" in n and "socialcal schema --all" in n
               for n in notices), notices  # fmt: skip
    assert any("frontmatter.json was written by socialcal 0.0.1" in n and "socialcal editor-config" in n
               for n in notices), notices  # fmt: skip
    # The version alone is no difference of content: SC501 (out of date) stays quiet.
    assert editor_config.difference(config, {**config, editor_config.VERSION_KEY: "0.2.0"}) == ""


def test_the_installed_version_is_read_from_the_first_dist_info_on_the_path(tmp_path, monkeypatch) -> None:
    """As importlib.metadata finds it (the first `socialcal-*.dist-info` on sys.path), without
    importing it: a run with nothing to check does not pay for that import."""
    import importlib.metadata
    import sys

    import generator

    assert generator._dist_info_version() == importlib.metadata.version("socialcal")
    info = tmp_path / "socialcal-9.8.7.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: socialcal\nVersion: 9.8.7\n\nVersion: 1.0\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path), *sys.path])
    assert generator._dist_info_version() == "9.8.7"
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: socialcal\n\nVersion: 1.0\n")  # not a header
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    assert generator._dist_info_version() is None
