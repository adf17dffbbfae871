"""What a new team member meets first: the scaffold, its messages, and the errors of hand-written files."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.validate import validate

from .conftest import TODAY, VALID_POST, codes, invoke

pytestmark = pytest.mark.usefixtures("pinned")  # `new post` refuses past dates: today is conftest.TODAY


def _only_post(project):
    (path,) = (project.content / "posts").rglob("*.md")
    return path


def test_new_post_writes_block_yaml_with_stubs_that_work_once_uncommented(project) -> None:
    result = invoke(
        project, "new", "post", "--title", "Guess what: this is", "--date", "2027-03-05 16:00",
        "--channel", "twitter-cern", "--channel", "instagram-cern",
    )  # fmt: skip
    assert result.exit_code == 1
    path = _only_post(project)
    text = path.read_text()
    front = text.split("---\n")[1]
    assert "{" not in front and "[" not in front, "one key a line, never a flow mapping"
    assert "\n- twitter-cern\n- instagram-cern\n" in front
    assert "# link: https://home.cern/…  # required by twitter-cern" in front
    assert "# media:  # required by instagram-cern" in front
    assert "#     alt: " in front and "# hashtags:" in front
    # The link SC302 asks for is one more line: the YAML stays valid.
    fixed = text.replace("# link: https://home.cern/…", "link: https://home.cern/news")
    fixed = fixed.replace("# media:", "media:").replace("#   - src: media/….jpg", "  - src: media/lhc.jpg")
    fixed = fixed.replace("#     alt: ", "    alt: ")
    path.write_text(fixed)
    (project.root / "media").mkdir()
    (project.root / "media" / "lhc.jpg").write_bytes(b"\xff\xd8\xff")  # the picture is committed (SC315)
    assert codes(validate(project.root, project.registry())) == ["SC314"], "only the placeholder text is left"
    path.write_text(fixed.replace("TODO: write the text of the post here.", "Guess!"))
    assert validate(project.root, project.registry()).diagnostics == ()


def test_the_placeholder_text_does_not_pass(project) -> None:
    result = invoke(
        project, "new", "post", "--title", "LHC", "--date", "2027-03-05 16:00", "--channel", "twitter-cern",
        "--link", "https://home.cern/x",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "error SC314 the text is still the placeholder of 'socialcal new'" in result.output


def test_unknown_ids_are_refused_before_anything_is_written(project) -> None:
    result = invoke(
        project, "new", "post", "--title", "x", "--date", "2027-03-05 16:00", "--channel", "twiter-cern",
        "--series", "gwtii", "--campaign", "open-day",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "unknown channel 'twiter-cern' (did you mean 'twitter-cern'?)" in result.output
    assert "unknown series 'gwtii' (did you mean 'gwti'?)" in result.output
    assert "--campaign: unknown campaign 'open-day'" in result.output
    assert not list((project.content / "posts").rglob("*.md"))
    retired = invoke(
        project, "new", "post", "--title", "x", "--date", "2027-03-05 16:00", "--channel", "googleplus-cern"
    )
    assert retired.exit_code == 2 and "retired" in retired.output
    assert not list((project.content / "posts").rglob("*.md"))


def test_a_terminal_is_asked_again_for_an_unknown_channel(project, monkeypatch) -> None:
    monkeypatch.setattr("generator.commands.new._interactive", lambda: True)
    result = invoke(
        project, "new", "post", "--title", "Open Days", "--date", "2027-03-05 16:00", "--channel", "twiter-cern",
        "--link", "https://home.cern/x",
        input="twiter-cern\ntwitter-cern\nThe text.\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.count("did you mean 'twitter-cern'?") == 2
    assert "\n- twitter-cern\n" not in _only_post(project).read_text()
    assert "channel: twitter-cern\n" in _only_post(project).read_text()


def test_new_post_help_lists_ids_and_an_example_and_every_option_is_explained(project) -> None:
    import click

    result = invoke(project, "new", "post", "--help")
    assert result.exit_code == 0
    out = result.output
    assert "youtube-cern-lectures" in out and "photo-of-the-week" in out and "Example:" in out
    assert "youtube-\n" not in out, "an id is never wrapped at its dash"

    def walk(cmd: click.Command, path: str):
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:
                yield path, param.name, param.help
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, f"{path} {name}")

    assert [(p, n) for p, n, h in walk(cli, "socialcal") if not h] == []


def test_a_tab_in_the_indentation_says_so(project, write) -> None:
    write("a.md", VALID_POST + "media:\n\t- src: media/lhc.jpg\n")
    (d,) = validate(project.root, project.registry()).diagnostics
    assert d.code == "SC003" and "YAML does not allow tabs" in d.message
    assert d.line == 8 and "spaces" in d.hint and "quote" not in d.hint


def test_flat_results_on_a_single_channel_post_are_its_channel_results(project, write) -> None:
    write("a.md", VALID_POST + "status: published\nresults:\n  impressions: 1200\n  likes: 30\n  shares: 4")
    result = validate(project.root, project.registry())
    assert result.diagnostics == ()
    assert result.posts[0].results["twitter-cern"].impressions == 1200


def test_flat_results_on_several_channels_give_one_error_with_the_per_channel_form(project, write) -> None:
    front = VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern]")
    write("a.md", front + "status: published\nresults:\n  impressions: 1200\n  likes: 30\n  shares: 4")
    (d,) = validate(project.root, project.registry()).diagnostics
    assert d.code == "SC112" and d.line == 8
    assert "results: {twitter-cern: {impressions: 1200, likes: 30}}" in d.hint
    assert "quote" not in d.hint


def test_instagram_feed_posts_need_an_image_or_video(project, write) -> None:
    write("a.md", VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, instagram-cern]"))
    (d,) = validate(project.root, project.registry()).diagnostics
    assert d.code == "SC313" and "instagram-cern" in d.message
    assert project.registry().channels["instagram-cern"].limits.media == "required"
    assert project.registry().channels["twitter-cern"].limits.media == "optional"


def test_new_campaign_writes_its_evaluation_heading_once_and_refuses_unknown_channels(project) -> None:
    bad = invoke(project, "new", "campaign", "--title", "T", "--start", "2027-03-01", "--end", "2027-03-02",
              "--channel", "twiter-cern")  # fmt: skip
    assert bad.exit_code == 2 and "did you mean 'twitter-cern'" in bad.output
    assert not list((project.content / "campaigns").glob("*.md"))
    ok = invoke(project, "new", "campaign", "--title", "T", "--start", "2027-03-01", "--end", "2027-03-02")
    assert ok.exit_code == 0, ok.output
    text = (project.content / "campaigns" / "t.md").read_text()
    assert text.count("Evaluation") == 1 and "# kpis:" in text


# Reports and results import


def test_report_refuses_a_period_that_ends_before_it_starts(project) -> None:
    result = invoke(project, "report", "--from", "2027-03-31", "--to", "2027-03-01")
    assert result.exit_code == 2 and "is after --to" in result.output


def test_report_names_files_it_could_not_read_on_stderr(project, write) -> None:
    write("a.md", VALID_POST + "status: published\nresults:\n  twitter-cern: {impressions: 100, likes: 5}")
    (project.content / "posts" / "broken.md").write_bytes(b"\xff\xfe not text")
    result = CliRunner().invoke(cli, ["--root", str(project.root), "report", "--format", "json"])
    assert result.exit_code == 0
    assert "content/posts/broken.md" in result.stderr and "SC001" in result.stderr
    import json

    assert json.loads(result.stdout)["rows"][0]["channel_posts"] == 1


def test_report_json_rates_are_rounded_and_csv_has_the_campaign_targets(project, write) -> None:
    import csv
    import io
    import json

    campaign = "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20\nkpis: {impressions: 10000, engagement_rate: 3}"
    write("od.md", campaign, "Plan", kind="campaigns")
    write("a.md", VALID_POST + "status: published\ncampaign: od\n"
          "results:\n  twitter-cern: {impressions: 12345, likes: 400, shares: 112}")  # fmt: skip
    data = json.loads(invoke(project, "report", "--format", "json").output)
    rate = next(t for t in data["targets"] if t["kpi"] == "engagement_rate")
    assert rate["actual"] == 4.15 and data["targets"][0]["target"] == 10000
    rows = list(csv.DictReader(io.StringIO(invoke(project, "report", "--format", "csv").output)))
    targets = [r for r in rows if r["group"] == "target"]
    assert [(r["name"], r["kpi"], r["target"], r["actual"], r["met"]) for r in targets] == [
        ("Open Days", "impressions", "10000", "12345", "True"),
        ("Open Days", "engagement_rate", "3.0", "4.15", "True"),
    ]
    assert "channel posts" in invoke(project, "report").output


def test_results_import_says_which_posts_to_flip_or_publishes_them(project, write) -> None:
    from pathlib import Path

    export = str(Path(__file__).parent / "fixtures" / "analytics" / "twitter.csv")
    post = write("lhc.md", VALID_POST + "status: approved", "The LHC restarts!")
    result = invoke(project, "results", "import", export, "--channel", "twitter-cern")
    assert result.exit_code == 0, result.output
    assert "1 post(s) now have results but are not published" in result.output
    assert "  content/posts/lhc.md (status: approved)" in result.output
    assert "status: approved" in post.read_text()
    again = invoke(project, "results", "import", export, "--channel", "twitter-cern", "--publish")
    assert "Set 1 post(s) to `status: published`." in again.output
    text = post.read_text()
    assert "status: published\n" in text and "approved" not in text
    assert validate(project.root, project.registry()).diagnostics == ()


# Feeds


def _feed_events(project, name: str = "all.ics"):
    import icalendar

    from generator.build import build

    build(project)
    data = (project.site / "feeds" / name).read_bytes()
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_feed_titles_say_what_is_not_confirmed(project, write) -> None:
    for status in ("approved", "scheduled", "published", "cancelled", "proposed", "draft"):
        day = {"approved": 1, "scheduled": 2, "published": 3, "cancelled": 4, "proposed": 5, "draft": 8}[status]
        front = VALID_POST.replace("2027-03-02", f"2027-03-{day:02d}") + f"status: {status}"
        write(f"{status}.md", front)
    titles = sorted(str(e["summary"]) for e in _feed_events(project))
    assert titles == [  # the post's title first, its channels, then what is not confirmed
        "LHC restarts [X @CERN]",
        "LHC restarts [X @CERN]",
        "LHC restarts [X @CERN]",
        "LHC restarts [X @CERN] (cancelled)",
        "LHC restarts [X @CERN] (draft)",
        "LHC restarts [X @CERN] (proposed)",
    ]


def test_campaign_descriptions_are_plain_text(project, write) -> None:
    plan = "## Plan\n\nAnnounce it **early**, see [the page](https://home.cern/od).\n\n## Evaluation\n\nLater."
    write("od.md", "title: Open Days\nstart: 2027-03-01\nend: 2027-03-20", plan, kind="campaigns")
    (event,) = _feed_events(project, "campaigns/od.ics")
    text = str(event["description"])
    assert text.startswith("Plan\n\nAnnounce it early, see the page (https://home.cern/od).")
    assert "#" not in text and "**" not in text and "](" not in text


# serve


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_shows_an_internal_error_and_stops_promptly_on_sigterm(project, write, tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    write("a.md", VALID_POST)
    port = _free_port()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "SOCIALCAL_TODAY": TODAY.isoformat()}
    # A bug of ours, planted: every round after the first fails inside socialcal. (A template's
    # own error is the team's, not a bug: it stops the round with its file and line.)
    planted = (
        "import generator.serve as s\n"
        "first = s.LiveSite.rebuild\n"
        "def rebuild(self):\n"
        "    if getattr(self, 'planted', False):\n"
        "        raise RuntimeError('no_such_name went missing')\n"
        "    self.planted = True\n"
        "    return first(self)\n"
        "s.LiveSite.rebuild = rebuild\n"
        "from generator.cli import main; main()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", planted, "--root", str(project.root), "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip

    def get(path: str = "/") -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=15) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    try:
        for _ in range(200):
            try:
                if get()[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("serve did not start")
        assert list(tmp.iterdir()), "serve works in a temporary folder"
        write("a.md", VALID_POST.replace("LHC restarts", "LHC restarts again"))  # a round, which fails
        for _ in range(100):
            status, text = get()
            if status == 500:
                break
            time.sleep(0.2)
        assert status == 500 and "could not be rebuilt" in text and "no_such_name" in text
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert time.monotonic() - started < 5  # promptly (a bound generous enough for a loaded machine)
        assert list(tmp.iterdir()) == [], "the temporary folder is removed"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# Pages


def _built(project, env_today: str = "2027-03-10") -> None:
    import os

    from generator.build import build

    os.environ["SOCIALCAL_TODAY"] = env_today
    try:
        build(project)
    finally:
        del os.environ["SOCIALCAL_TODAY"]


def _page(project, path: str) -> str:
    return (project.site / path / "index.html").read_text()


def test_every_active_channel_has_its_own_colour(project) -> None:
    def rgb(color: str) -> tuple[int, ...]:
        return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))

    active = [c for c in project.registry().channels.values() if not c.is_retired]
    colours = [rgb(c.color) for c in active]
    for i, a in enumerate(colours):
        for j, b in enumerate(colours[:i]):
            distance = sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
            assert distance > 60, (active[i].id, active[j].id)


def test_review_queue_says_the_slot_passed_and_week_pager_names_weeks(project, write) -> None:
    write("late.md", VALID_POST.replace("title: LHC restarts", "title: Late one"))
    _built(project)
    review = _page(project, "review")
    assert "slot passed 8 days ago" in review and "expired" not in review.replace("sc-expired", "")
    assert "Proposed by" not in review, "no history: no proposer column"
    week = _page(project, "week")
    assert "Next week</a>" not in week.split('class="sc-pager"')[1].split("</nav>")[0]
    assert "Following week" not in week and "Week 11 →" in week and "← Week 9" in week


def test_retired_channels_have_no_feed_and_the_subscribe_page_lists_owners_and_review(project, write) -> None:
    write("a.md", VALID_POST)
    _built(project)
    page = _page(project, "subscribe")
    assert "feeds/channels/twitter-cern.ics" in page
    assert "googleplus-cern.ics" not in page and "snapchat-cern.ics" not in page
    assert not (project.site / "feeds" / "channels" / "googleplus-cern.ics").exists()
    assert "feeds/review.ics" in page and "feeds/owners/cern-press-office.ics" in page
    assert page.index("Per owner") < page.index("Per channel")


def test_a_bulk_import_names_no_proposer(project, write) -> None:
    from generator.provenance import BULK_ADD, read_provenance

    from .test_git import git

    git(project.root, "init", "-q")
    for i in range(BULK_ADD + 1):
        write(f"p{i}.md", VALID_POST.replace("10:00", f"{i % 24:02d}:00"))
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "import", author="Importer")
    write("mine.md", VALID_POST.replace("2027-03-02", "2027-03-09"))
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "a proposal", author="Ann")
    history = read_provenance(project.root)
    assert history.get("content/posts/p1.md").proposer == ""
    assert history.get("content/posts/mine.md").proposer == "Ann"


def test_empty_results_tables_say_why_and_count_channel_posts(project, write) -> None:
    write("a.md", VALID_POST.replace("channel: twitter-cern", "channel: [twitter-cern, facebook-cern]")
          + "status: published\nresults:\n  twitter-cern: {impressions: 100, likes: 3}\n"
          "  facebook-cern: {impressions: 100, likes: 3}")  # fmt: skip
    _built(project)
    results = _page(project, "results")
    assert "No post of a series" in results
    assert "Channel posts" in results and ">Posts</th>" not in results


# `new post` helps finish a post (issue 22, item 5)


@pytest.mark.parametrize(
    ("word", "choices", "meant"),
    [
        ("#OpenData", "hashtags", ""),  # a different topic that shares letters with #CERNOpenDays
        ("#Cern2027", "hashtags", ""),
        ("#cernopendays", "hashtags", "#CERNOpenDays"),  # letter case alone
        ("#CERNOpenDay", "hashtags", "#CERNOpenDays"),
        ("#LCH", "hashtags", "#LHC"),
        ("#WomenInScienc", "hashtags", "#WomenInScience"),
        ("twiter-cern", "channels", "twitter-cern"),
        ("Facebook-CERN", "channels", "facebook-cern"),
        ("gwtii", "series", "gwti"),
        ("lectures", "series", "cern-lectures"),
        ("answers", "series", ""),
    ],
)
def test_did_you_mean_offers_only_a_likely_typo(project, word: str, choices: str, meant: str) -> None:
    from generator.diagnostics import did_you_mean

    registry = project.registry()
    known = {"hashtags": registry.hashtags.active, "channels": registry.channels, "series": registry.series}
    assert did_you_mean(word, known[choices]) == meant


def test_an_unknown_hashtag_is_not_mistaken_for_an_unrelated_one(project, write) -> None:
    write("a.md", VALID_POST.replace('["#LHC"]', '["#OpenData", "#cernopenday"]'))
    found = [d.message for d in validate(project.root, project.registry()).diagnostics if d.code == "SC306"]
    assert found == [
        "'#OpenData' is not in the active hashtag list",
        "'#cernopenday' is not in the active hashtag list (did you mean '#CERNOpenDays'?)",
    ]


def _new_post(project, *args: str, **kwargs):
    return invoke(project, "new", "post", "--title", "LHC restarts", "--channel", "twitter-cern", *args, **kwargs)


def test_a_day_alone_goes_out_at_the_default_time_of_the_settings(project) -> None:
    assert _new_post(project, "--date", "2027-03-05", "--text", "x").exit_code == 1  # no link: SC302
    assert "date: 2027-03-05 10:00\n" in _only_post(project).read_text()
    settings = project.content / "settings.yml"
    settings.write_text(settings.read_text().replace('default_time: "10:00"', 'default_time: "16:30"'))
    _new_post(project, "--date", "2027-03-06", "--text", "x")
    assert "date: 2027-03-06 16:30\n" in (project.content / "posts/2027/03/2027-03-06-lhc-restarts.md").read_text()
    # A time given is kept.
    _new_post(project, "--date", "2027-03-07 09:15", "--text", "x")
    assert "date: 2027-03-07 09:15\n" in (project.content / "posts/2027/03/2027-03-07-lhc-restarts.md").read_text()


@pytest.mark.parametrize("value", ["25:00", "10h", "", "10:00; rm -rf /"])
def test_a_default_time_that_is_not_a_time_is_a_configuration_error(project, value: str) -> None:
    from .conftest import run_main

    settings = project.content / "settings.yml"
    settings.write_text(settings.read_text().replace('default_time: "10:00"', f"default_time: {value!r}"))
    code, out = run_main("--root", str(project.root), "new", "post", "--title", "x", "--date", "2027-03-05",
                         "--channel", "twitter-cern")  # fmt: skip
    assert code == 2, out
    assert "content/settings.yml:" in out and "error SC505 default_time:" in out and "HH:MM" in out
    assert "Traceback" not in out
    assert not list((project.content / "posts").rglob("*.md"))


def test_the_terminal_offers_the_default_time_when_only_a_day_is_typed(project, monkeypatch) -> None:
    monkeypatch.setattr("generator.commands.new._interactive", lambda: True)
    settings = project.content / "settings.yml"
    settings.write_text(settings.read_text().replace('default_time: "10:00"', 'default_time: "16:30"'))
    result = invoke(project, "new", "post", "--title", "LHC", "--channel", "twitter-cern", "--link",
                    "https://home.cern/x", input="2027-03-05\n\nThe text.\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Time (HH:MM) [16:30]:" in result.output
    assert "date: 2027-03-05 16:30\n" in _only_post(project).read_text()


# The last: 23:30 in Zurich, the day before (the same moment in UTC+1 would be today).
@pytest.mark.parametrize("when", ["2026-11-25 23:59", "2026-11-25", "2025-11-26 10:00", "2026-11-25T22:30:00+00:00"])
def test_a_date_in_the_past_is_refused_before_anything_is_written(project, when: str) -> None:
    result = _new_post(project, "--date", when, "--link", "https://home.cern/x", "--text", "x")
    assert result.exit_code == 2, result.output
    assert "nothing was written" in result.output and f"is in the past (today is {TODAY})" in result.output
    assert not list((project.content / "posts").rglob("*.md"))


def test_today_is_not_the_past(project) -> None:
    result = _new_post(project, "--date", f"{TODAY} 08:00", "--link", "https://home.cern/x", "--text", "x")
    assert result.exit_code == 0, result.output
    # 23:30 UTC the day before is 00:30 today in the calendar's zone.
    late = _new_post(project, "--date", "2026-11-25T23:30:00+00:00", "--link", "https://home.cern/x", "--text", "x")
    assert late.exit_code == 2 and "already exists" in late.output, "same id: the day is the calendar's"


def test_the_terminal_confirms_a_date_in_the_past_and_else_asks_again(project, monkeypatch) -> None:
    monkeypatch.setattr("generator.commands.new._interactive", lambda: True)
    args = ("--date", "2026-01-05 10:00", "--link", "https://home.cern/x", "--text", "x")
    again = _new_post(project, *args, input="n\n2027-01-05 10:00\n")
    assert again.exit_code == 0, again.output
    assert "2026-01-05 10:00 is in the past (today is 2026-11-26). Plan it anyway? [y/N]" in again.output
    assert "date: 2027-01-05 10:00\n" in _only_post(project).read_text()
    _only_post(project).unlink()
    kept = _new_post(project, *args, input="y\n")
    assert kept.exit_code == 0, kept.output
    assert "date: 2026-01-05 10:00\n" in _only_post(project).read_text()


def test_link_media_and_alt_text_from_the_options(project, tmp_path, monkeypatch) -> None:
    (project.root / "media").mkdir()
    (project.root / "media" / "lhc.jpg").write_bytes(b"\xff\xd8\xff")
    monkeypatch.chdir(project.root / "media")  # a path from a sub-folder is written from the root
    result = invoke(
        project, "new", "post", "--title", "LHC", "--date", "2027-03-05 16:00", "--channel", "instagram-cern",
        "--channel", "twitter-cern", "--link", "https://home.cern/x", "--media", "lhc.jpg", "--alt", "The LHC tunnel",
        "--media", "https://home.cern/a.jpg", "--alt", "A magnet", "--text", "The LHC is back.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _only_post(project).read_text()
    assert "link: https://home.cern/x\n" in text
    media = "media:\n- src: media/lhc.jpg\n  alt: The LHC tunnel\n- src: https://home.cern/a.jpg\n  alt: A magnet\n"
    assert media in text
    assert "# media:" not in text and "# link:" not in text, "no stub for what was given"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--media", "media/a.jpg"), "media/a.jpg has no --alt, which twitter-cern require"),
        (("--media", "media/a.jpg", "--alt", " "), "media/a.jpg has no --alt"),
        (("--media", "media/a.jpg", "--alt", "A", "--alt", "B"), "2 --alt for 1 --media"),
        (("--alt", "A lonely alt text"), "1 --alt for 0 --media"),
    ],
)
def test_media_without_its_alt_text_is_refused_before_anything_is_written(project, args, said) -> None:
    result = _new_post(project, "--date", "2027-03-05 16:00", "--link", "https://home.cern/x", *args)
    assert result.exit_code == 2, result.output
    assert "nothing was written" in result.output and said in result.output
    assert not list((project.content / "posts").rglob("*.md"))


def test_the_terminal_asks_for_the_link_media_and_alt_text_the_channels_need(project, monkeypatch) -> None:
    monkeypatch.setattr("generator.commands.new._interactive", lambda: True)
    result = invoke(
        project, "new", "post", "--title", "LHC", "--date", "2027-03-05 16:00", "--channel", "instagram-cern",
        "--channel", "twitter-cern",
        input="home.cern/x\nhttps://home.cern/x\nmedia/lhc.jpg\nThe LHC tunnel\nThe text.\n",
    )  # fmt: skip
    out = result.output
    assert "Link (required by twitter-cern; Enter to add it later):" in out
    assert "home.cern/x: " in out, "a link that is not an address is asked again"
    assert "Image or video (required by instagram-cern)" in out
    assert "Alt text of media/lhc.jpg" in out
    text = _only_post(project).read_text()
    assert "link: https://home.cern/x\n" in text and "- src: media/lhc.jpg\n  alt: The LHC tunnel\n" in text
    # Nothing is asked that the channels do not need, and Enter leaves a need for later (a stub).
    _only_post(project).unlink()
    plain = invoke(project, "new", "post", "--title", "LHC", "--date", "2027-03-05 16:00", "--channel",
                   "twitter-cern", input="\n\n")  # fmt: skip
    assert "Image or video" not in plain.output and "Link (required by twitter-cern" in plain.output
    assert "# link: https://home.cern/…  # required by twitter-cern" in _only_post(project).read_text()


# Validation catches what slipped (issue 22, item 6)


@pytest.mark.parametrize(
    ("name", "old", "new", "said", "hint"),
    [
        ("channels.yml", "  platform: twitter\n", "  platform: twiter\n", "platform: unknown value 'twiter' "
         "(did you mean 'twitter'?)", "write 'twitter'"),
        ("channels.yml", "  platform: twitter\n", "  platform: Twitter\n", "(did you mean 'twitter'?)",
         "write 'twitter'"),
        ("channels.yml", "  platform: twitter\n", "  platform: myspace\n", "platform: unknown value 'myspace'",
         "write one of: bluesky, facebook, googleplus, instagram"),
        ("channels.yml", "    link: required\n", "    link: requird\n", "limits.link: unknown value 'requird'",
         "write 'required'"),
        ("channels.yml", "  status: retired\n", "  status: retird\n", "status: unknown value 'retird'",
         "write 'retired'"),
        ("series.yml", "  weekdays: [fri]\n", "  weekdays: [fridy]\n", "weekdays: unknown value 'fridy'",
         "write 'fri'"),
    ],
)  # fmt: skip
def test_a_typo_in_a_registry_value_stops_with_its_line_and_the_value_meant(project, name, old, new, said, hint):
    from .conftest import run_main

    path = project.content / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    line = text[: text.index(old)].count("\n") + 1
    code, out = run_main("--root", str(project.root), "validate")
    assert code == 2, out
    assert f"content/{name}:{line}: error SC506 entry '" in out and said in out
    assert f"hint: {hint}" in out and "Traceback" not in out


def test_the_post_template_copied_unchanged_fails_on_its_title_and_text(project) -> None:
    from generator.editor_config import POST_TEMPLATE

    (project.content / "posts" / "copy.md").write_text(POST_TEMPLATE)
    found = [d for d in validate(project.root, project.registry()).errors if d.code == "SC314"]
    assert [(d.line, d.message) for d in found] == [
        (2, "the title is still the template's placeholder '{{title}}'"),
        (11, "the text is still the placeholder of the post template"),
    ]
    # Other placeholders Front Matter fills in are caught too; a title that merely has braces is not.
    (project.content / "posts" / "copy.md").write_text(
        POST_TEMPLATE.replace("{{title}}", "{{ slug }}").replace("Write the text of the post here.", "x")
    )
    assert codes(validate(project.root, project.registry())) == ["SC314"]
    (project.content / "posts" / "copy.md").write_text(
        POST_TEMPLATE.replace("{{title}}", "Set {x} in {{x}").replace("Write the text of the post here.", "x")
    )
    assert codes(validate(project.root, project.registry())) == []


@pytest.mark.parametrize(
    ("date", "status", "warned"),
    [
        ("2026-11-25 23:59", "proposed", True),
        ("2026-11-25 10:00", "draft", True),
        ("2001-01-01 10:00", "proposed", True),
        ("2026-11-26 08:00", "proposed", False),  # today has not passed
        ("2026-11-25 10:00", "approved", False),
        ("2026-11-25 10:00", "published", False),
        ("2026-11-25 10:00", "cancelled", False),
    ],
)
def test_a_proposal_whose_day_has_passed_is_a_warning(project, write, date, status, warned) -> None:
    write("a.md", VALID_POST.replace("2027-03-02 10:00", date) + f"status: {status}")
    found = [d for d in validate(project.root, project.registry(), today=TODAY).diagnostics if d.code == "SC318"]
    assert [(d.line, d.severity) for d in found] == ([(3, "warning")] if warned else [])
    # Without a clock (a library caller), nothing about time passing is said.
    assert "SC318" not in codes(validate(project.root, project.registry()))


def test_validate_says_a_proposal_has_passed_on_the_plans_day(project, write) -> None:
    write("a.md", VALID_POST.replace("2027-03-02", "2026-11-20"))
    result = invoke(project, "validate")
    assert result.exit_code == 0, "a warning: an expired proposal on main does not stop the build"
    said = "warning SC318 the post is proposed and its day, 2026-11-20, has passed (today is 2026-11-26)"
    assert said in result.output


def test_a_channel_or_tag_given_twice_is_written_once(project) -> None:
    invoke(
        project, "new", "post", "--title", "Twice", "--date", "2027-03-05 16:00",
        "--channel", "twitter-cern", "--channel", "facebook-cern", "--channel", "twitter-cern",
        "--hashtag", "#LHC", "--hashtag", "#LHC", "--link", "https://home.cern/x",
    )  # fmt: skip
    front = _only_post(project).read_text().split("---\n")[1]
    assert "\nchannel:\n- twitter-cern\n- facebook-cern\nlink:" in front
    assert front.count("#LHC") == 1
    assert "SC212" not in codes(validate(project.root, project.registry()))


def test_a_campaign_channel_given_twice_is_written_once(project) -> None:
    result = invoke(
        project, "new", "campaign", "--title", "Open Days", "--start", "2027-03-01", "--end", "2027-03-20",
        "--channel", "twitter-cern", "--channel", "twitter-cern",
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    (path,) = (project.content / "campaigns").rglob("*.md")
    assert path.read_text().count("twitter-cern") == 1
