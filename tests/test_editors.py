"""Editors: the JSON Schemas, frontmatter.json for Front Matter CMS, and the VS Code set-up."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from generator import editor_config, json_schema
from generator.cli import cli
from generator.content_file import RAW_KEYS, SourceError, decode, parse
from generator.project import content_files
from generator.registry import load_registry
from generator.rules.catalogue import RULES
from generator.validate import validate

from .conftest import REPO, VALID_POST, copy_project, post_text
from .test_rules import CASES, _materialise

REGISTRY = load_registry(REPO / "content")


def front_matter(data: bytes) -> dict[str, Any]:
    """A file's front-matter as an editor's YAML service sees it: dates as the text written."""
    source = parse(decode(data))
    meta = {**source.meta, **{k: v for k, v in source.raw.items() if k in RAW_KEYS}}
    return json.loads(json.dumps(meta, default=str))


def errors(validator: jsonschema.protocols.Validator, data: dict[str, Any]) -> list[str]:
    return [e.message for e in validator.iter_errors(data)]


def post_validator(root: Path, registry=REGISTRY) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema.post_schema(registry, json_schema.campaign_ids(root)))


# --- socialcal schema -------------------------------------------------------------------------


def test_schemas_are_valid_draft_2020_12() -> None:
    for produced in (
        json_schema.post_schema(REGISTRY, ["x"]),
        json_schema.campaign_schema(REGISTRY),
        *(json_schema.registry_schema(n) for n in json_schema.REGISTRY_FILES),
    ):
        assert produced["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(produced)


def test_every_example_post_and_campaign_validates() -> None:
    posts = post_validator(REPO)
    campaigns = jsonschema.Draft202012Validator(json_schema.campaign_schema(REGISTRY))
    files = [(f, posts) for f in content_files(REPO, "posts")] + [
        (f, campaigns) for f in content_files(REPO, "campaigns")
    ]
    assert len(files) > 40
    for path, validator in files:
        assert errors(validator, front_matter(path.read_bytes())) == [], path


def test_the_post_schema_says_what_the_contract_says() -> None:
    produced = json_schema.post_schema(REGISTRY, ["open-days-2027"])
    props = produced["properties"]
    active = [c.id for c in REGISTRY.channels.values() if not c.is_retired]
    channel = produced["$defs"]["channel"]
    assert channel["enum"] == active and "googleplus-cern" not in channel["enum"]
    assert channel["enumDescriptions"][0].startswith(REGISTRY.channels[active[0]].name)
    assert props["series"]["enum"] == list(REGISTRY.series)
    assert props["campaign"]["enum"] == ["open-days-2027"]
    assert props["status"]["enum"] == ["draft", "proposed", "approved", "scheduled", "published", "cancelled"]
    assert produced["$defs"]["audience"]["enum"] == list(REGISTRY.audiences)
    assert produced["additionalProperties"] is False
    assert set(props) == set(json_schema.POST_DOCS) and all(p["description"] for p in props.values())
    assert "socialcal validate` is the authority" in produced["description"]
    media = props["media"]["items"]
    assert media["else"]["required"] == ["alt"]


@pytest.mark.parametrize(
    ("change", "ok"),
    [
        ({}, True),
        ({"channel": ["twitter-cern", "facebook-cern"]}, True),
        ({"channel": "twiter-cern"}, False),
        ({"channel": []}, False),
        ({"date": "2027-03-02T10:00+01:00"}, True),
        ({"date": "2027-03-02"}, False),
        ({"media": [{"src": "media/a.jpg", "alt": "A magnet"}]}, True),
        ({"media": [{"src": "media/a.jpg"}]}, False),
        ({"media": [{"src": "media/a.mp4", "kind": "video"}]}, True),
        ({"audiences": "media"}, True),
        ({"audiences": ["kids"]}, False),
    ],
)
def test_post_schema_cases(change: dict, ok: bool) -> None:
    data = {**yaml.safe_load(VALID_POST), "date": "2027-03-02 10:00", **change}
    assert (errors(post_validator(REPO), data) == []) is ok


def test_schema_command_prints_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--root", str(REPO), "schema", "campaign"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["required"] == ["title", "start", "end"]
    assert CliRunner().invoke(cli, ["--root", str(REPO), "schema", "nope"]).exit_code == 2


# Every rule's failing example, against the schema: does the schema catch it too?
#   "fails": the schema expresses the rule, so the example breaks the schema;
#   "passes": a rule the schema cannot express (validate is the authority), the example passes it;
#   "unreadable": the file has no front-matter mapping for a schema to check;
#   "not content": the rule is about another file.
# A rule not listed is one the schema cannot express ("passes"; "not content" when its examples are
# other files), as most new rules are: adding one needs no line here, and if the schema does catch
# its example, the test below says so.
SCHEMA_KIND = {
    **dict.fromkeys(["SC001", "SC002", "SC003", "SC004", "SC005", "SC006", "SC007"], "unreadable"),
    **dict.fromkeys(
        ["SC101", "SC102", "SC103", "SC104", "SC107", "SC108", "SC201", "SC202", "SC203", "SC205", "SC207", "SC210"],
        "fails",
    ),
    **dict.fromkeys(["SC302", "SC304", "SC305", "SC307"], "fails"),
    **dict.fromkeys(["SC105", "SC106", "SC109", "SC110", "SC111", "SC204", "SC206", "SC208", "SC209"], "passes"),
    **dict.fromkeys(["SC211", "SC301", "SC303", "SC306", "SC308", "SC309", "SC310", "SC311", "SC312"], "passes"),
    **dict.fromkeys(["SC112", "SC114", "SC313"], "fails"),
    **dict.fromkeys(["SC008", "SC009", "SC010", "SC011"], "unreadable"),
    "SC113": "passes",
    "SC212": "fails",
    "SC115": "passes",  # the body is Markdown, which a schema of the front-matter does not see
    "SC012": "passes",  # a file name: the schema sees the front-matter only
    **dict.fromkeys(["SC502", "SC503", "SC504", "SC505", "SC506", "SC507"], "not content"),
    "SC314": "passes",
    **dict.fromkeys(["SC315", "SC316", "SC318"], "passes"),  # the files media name: validate and the build look
    "SC319": "passes",  # how many images each channel's network takes: the units, not the schema
    "SC401": "passes",
    "SC501": "not content",
    "SC317": "passes",  # a UTM tag that disagrees: the schema does not know the settings
    **dict.fromkeys(["SC601", "SC602", "SC603"], "passes"),  # what a scheduling tool refuses: `socialcal export`
}


def test_the_schema_expectations_name_only_rules_that_exist() -> None:
    assert set(SCHEMA_KIND) <= set(RULES)


def _case_files(project, files) -> list[tuple[Path, str]]:
    _materialise(project, files)
    return [
        (project.content / (spec[3] if len(spec) > 3 else "posts") / spec[0], spec[3] if len(spec) > 3 else "posts")
        for spec in files
    ]


def _schema_verdicts(project, files) -> list[bool | None]:
    """For each content file of a case: True valid, False invalid, None no front-matter to check."""
    written = _case_files(project, files)  # first: the campaign choices come from the files
    registry = project.registry()
    validators = {
        "posts": post_validator(project.root, registry),
        "campaigns": jsonschema.Draft202012Validator(json_schema.campaign_schema(registry)),
    }
    verdicts: list[bool | None] = []
    for path, kind in written:
        if kind not in validators:
            continue
        if path.is_symlink():  # refused before it is read (SC009)
            verdicts.append(None)
            continue
        try:
            data = front_matter(path.read_bytes())
        except SourceError:
            verdicts.append(None)
            continue
        if not isinstance(data, dict):
            verdicts.append(None)
            continue
        verdicts.append(not errors(validators[kind], data))
    return verdicts


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_failing_example_against_the_schema(code: str, project) -> None:
    verdicts = _schema_verdicts(project, CASES[code][0])
    kind = SCHEMA_KIND.get(code) or ("passes" if verdicts else "not content")
    if kind == "unreadable":
        assert None in verdicts
    elif kind == "fails":
        assert False in verdicts, f"{code}: the schema should refuse the rule's failing example"
    elif kind == "passes":
        assert verdicts and all(verdicts), f"{code}: the schema must not pretend to check this rule"
    else:
        assert verdicts == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passing_example_against_the_schema(code: str, project) -> None:
    verdicts = _schema_verdicts(project, CASES[code][1])
    if code == "SC205":  # an old post on a retired channel: validate accepts it, the editor's choices do not
        assert verdicts == [False]
    else:
        assert all(v is not False for v in verdicts), code


# --- the registries' schemas (.vscode/settings.json, YAML extension) -------------------------


def test_committed_registry_schemas_are_current_and_mapped() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for name in json_schema.REGISTRY_FILES:
        committed = REPO / "schemas" / f"{name}.schema.json"
        assert committed.read_text(encoding="utf-8") == json_schema.schema_file_text(name), (
            "run socialcal schema --all"
        )
        assert mapping[f"./schemas/{name}.schema.json"] == f"content/{name}.yml"
        registry_file = REPO / "content" / f"{name}.yml"
        if registry_file.exists():
            data = json.loads(json.dumps(yaml.safe_load(registry_file.read_text(encoding="utf-8")), default=str))
            jsonschema.validate(data, json_schema.registry_schema(name), cls=jsonschema.Draft202012Validator)


def test_vscode_recommends_the_extensions() -> None:
    recommended = json.loads((REPO / ".vscode" / "extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert {"eliostruyf.vscode-front-matter", "redhat.vscode-yaml"} <= set(recommended)
    tracked = subprocess.run(
        ["git", "check-ignore", ".vscode/tasks.json", "frontmatter.json", "schemas/post.json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert tracked.stdout == "", "nothing of the editor set-up may be git-ignored"


# --- the problem matcher of .vscode/tasks.json ------------------------------------------------


def _matchers() -> list[dict]:
    tasks = json.loads((REPO / ".vscode" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    task = next(t for t in tasks if t["label"] == "socialcal: validate")
    assert task["command"] == "socialcal" and task["args"] == ["validate"]
    return task["problemMatcher"]


def _python_regex(js: str) -> re.Pattern[str]:
    """VS Code reads the pattern as a JavaScript RegExp; named groups are the one difference used."""
    return re.compile(js.replace("(?<", "(?P<"))


def _extract(output: str) -> list[tuple]:
    found = []
    for line in output.splitlines():
        hits = [m for m in _matchers() if _python_regex(m["pattern"]["regexp"]).match(line)]
        assert len(hits) <= 1, f"two problem matchers read {line!r}: it would be reported twice"
        for matcher in _matchers():
            pattern = matcher["pattern"]
            m = _python_regex(pattern["regexp"]).match(line)
            if not m:
                continue

            def group(key: str, m=m, pattern=pattern) -> str | None:
                return m.group(pattern[key]) if key in pattern else None

            line_no, col = group("line"), group("column")
            found.append(
                (
                    group("file"),
                    int(line_no) if line_no else 0,
                    int(col) if col else 0,
                    group("severity"),
                    group("code"),
                    group("message"),
                )
            )
            break
    return found


def test_problem_matcher_reads_real_validate_output(project, write) -> None:
    write("2027/03/bad.md", VALID_POST.replace("channel: twitter-cern", "channel: twiter-cern") + "titel: x")
    write("2027/03/tags.md", VALID_POST.replace('["#LHC"]', '["#Cern2027"]').replace("10:00", "15:00"))
    write("2027/03/My Post.md", VALID_POST.replace("10:00", "18:00"))  # file-level: no line
    write("2027/03/time: odd.md", VALID_POST.replace("10:00", "12:00"), body="x")  # a colon in the path
    run = [sys.executable, "-m", "generator", "--root", str(project.root), "validate"]
    text = subprocess.run(run, cwd=project.root, capture_output=True, text=True, check=False)
    as_json = subprocess.run([*run, "--format", "json"], cwd=project.root, capture_output=True, text=True)
    assert text.returncode == 1, text.stderr
    expected = [
        (d["path"], d["line"], d["col"], d["severity"], d["code"], d["message"])
        for d in json.loads(as_json.stdout)["diagnostics"]
    ]
    assert {e[3] for e in expected} == {"error", "warning"}
    assert any(e[1] == 0 for e in expected) and any(e[2] for e in expected)
    assert sorted(_extract(text.stdout)) == sorted(expected)
    for path, *_ in expected:
        assert (project.root / path).exists()  # fileLocation: relative to the workspace folder


# --- frontmatter.json ------------------------------------------------------------------------


def _field(config: dict, ctype: str, name: str) -> dict:
    content_type = next(c for c in config["frontMatter.taxonomy.contentTypes"] if c["name"] == ctype)
    return next(f for f in content_type["fields"] if f["name"] == name)


def _ids(field: dict) -> list[str]:
    return [c["id"] if isinstance(c, dict) else c for c in field["choices"]]


def test_generated_frontmatter_json_follows_the_registries() -> None:
    config = editor_config.generate(REGISTRY, ["a-campaign"])
    post = editor_config.POST_TYPE
    active = [c.id for c in REGISTRY.channels.values() if not c.is_retired]
    retired = [c.id for c in REGISTRY.channels.values() if c.is_retired]
    channel = _field(config, post, "channel")
    assert _ids(channel) == active and not set(retired) & set(_ids(channel))
    assert channel["type"] == "choice" and channel["multiple"] is True and channel["required"] is True
    assert _ids(_field(config, post, "series")) == list(REGISTRY.series)
    assert _ids(_field(config, post, "campaign")) == ["a-campaign"]
    assert _ids(_field(config, post, "status"))[1] == "proposed"
    assert _ids(_field(config, post, "audiences")) == list(REGISTRY.audiences)
    assert _field(config, post, "date")["type"] == "datetime"
    assert set(_ids(_field(config, "campaign", "channels"))) == set(REGISTRY.channels)
    folders = {f["path"]: f["contentTypes"] for f in config["frontMatter.content.pageFolders"]}
    assert folders == {"[[workspace]]/content/posts": [post], "[[workspace]]/content/campaigns": ["campaign"]}
    # Every key the contract knows has a field (else the panel asks to "fix" the file), and no other.
    names = [f["name"] for f in next(c for c in config["frontMatter.taxonomy.contentTypes"])["fields"]]
    assert sorted(names) == sorted(json_schema.POST_DOCS)
    assert editor_config.dumps(config) == editor_config.dumps(editor_config.generate(REGISTRY, ["a-campaign"]))


def test_committed_frontmatter_json_and_template_are_current() -> None:
    committed = (REPO / "frontmatter.json").read_text(encoding="utf-8")
    assert committed == editor_config.dumps(editor_config.generate(REGISTRY, json_schema.campaign_ids(REPO)))
    template = (REPO / editor_config.TEMPLATE).read_bytes()
    data = front_matter(template.replace(b"{{title}}", b"LHC restarts"))
    assert errors(post_validator(REPO), data) == []


def test_out_of_date_frontmatter_json_is_a_warning(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "repo", with_examples=True)
    runner = CliRunner()
    first = runner.invoke(cli, ["--root", str(project.root), "editor-config"])
    assert first.exit_code == 0, first.output
    assert "SC501" not in [d.code for d in validate(project.root, project.registry()).diagnostics]
    channels = project.content / "channels.yml"
    entry = yaml.safe_load(channels.read_text(encoding="utf-8"))["linkedin-cern"]
    with channels.open("a", encoding="utf-8") as fh:
        fh.write("\n" + yaml.safe_dump({"mastodon-cern": {**entry, "name": "CERN on Mastodon"}}))
    found = [d for d in validate(project.root, project.registry()).diagnostics if d.code == "SC501"]
    assert len(found) == 1 and found[0].path == "frontmatter.json" and found[0].severity == "warning"
    assert "'mastodon-cern'" in found[0].message and found[0].hint == "run socialcal editor-config"
    # The command-line run shows it, and exits 0 (a warning).
    run = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "validate"], capture_output=True, text=True
    )
    assert run.returncode == 0 and "frontmatter.json: warning SC501" in run.stdout
    assert runner.invoke(cli, ["--root", str(project.root), "editor-config"]).exit_code == 0
    assert "SC501" not in [d.code for d in validate(project.root, project.registry()).diagnostics]
    # A new campaign is a new choice as well.
    shutil.copy(project.content / "campaigns" / "open-days-2027.md", project.content / "campaigns" / "new-one.md")
    found = [d for d in validate(project.root, project.registry()).diagnostics if d.code == "SC501"]
    assert found and "'new-one'" in found[0].message


def test_a_hand_written_frontmatter_json_is_kept(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "repo")
    mine = '{"frontMatter.taxonomy.contentTypes": []}\n'
    (project.root / "frontmatter.json").write_text(mine, encoding="utf-8")
    runner = CliRunner()
    kept = runner.invoke(cli, ["--root", str(project.root), "editor-config"])
    assert kept.exit_code == 2 and "--force" in kept.output
    assert (project.root / "frontmatter.json").read_text(encoding="utf-8") == mine
    assert "SC501" not in [d.code for d in validate(project.root, project.registry()).diagnostics]
    forced = runner.invoke(cli, ["--root", str(project.root), "editor-config", "--force"])
    assert forced.exit_code == 0
    assert editor_config.MARKER in json.loads((project.root / "frontmatter.json").read_text(encoding="utf-8"))


def test_start_up_does_not_load_the_schema_machinery() -> None:
    names = "('jsonschema', 'generator.json_schema', 'generator.editor_config')"
    code = f"import sys, generator.cli; print(sorted(m for m in sys.modules if m.startswith({names})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_post_text_helper_still_round_trips() -> None:
    assert front_matter(post_text(VALID_POST).encode())["channel"] == "twitter-cern"
