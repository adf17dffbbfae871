"""The reviewer's desk (review cards, the home page's cards), the month grid (cells, campaign bands,
"+N more") and the pull-request summary, as pure functions of a calendar (fast: no MkDocs run)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator import urls
from generator.calendar_model import Calendar
from generator.diagnostics import Diagnostic, Severity
from generator.models import AWAITING_REVIEW, Campaign, Media, Post
from generator.pipeline import make_plan
from generator.project import PACKAGE_TEMPLATES
from generator.views.pages import Renderer, SiteData, home, review
from generator.views.pages import calendar_pages as calendar_pages
from generator.views.summary import pr_summary

from .conftest import TODAY, VALID_POST
from .conftest import post_at as post
from .conftest import small_calendar as small

REPO_URL = "https://github.com/cern/socialcal"


@pytest.fixture(scope="module")
def cal(example_calendar: Calendar) -> Calendar:
    return example_calendar



# --- review cards -----------------------------------------------------------------------------


def test_a_card_has_the_text_on_the_first_channel_the_counts_and_the_days_left(cal: Calendar) -> None:
    p = cal.post_by_id["2026-11-24-myweb30-memories"]
    card = review.card(SiteData(cal), p)
    assert card.days_left == -2 and card.overdue and card.when == "slot passed 2 days ago"
    assert card.first is not None and card.first.channel.id == p.channels[0]
    assert card.first.outgoing.text.startswith("What was the first web page you ever visited?")
    assert [e.channel.id for e in card.entries] == list(p.channels)
    assert card.edit == card.history == card.pull_request == ""  # no repo_url: no links into GitHub


def test_a_card_links_to_the_file_on_github_on_the_configured_branch(cal: Calendar) -> None:
    p = cal.post_by_id["2026-11-24-myweb30-memories"]
    card = review.card(SiteData(cal, repo_url=REPO_URL, pull_requests={p.path: f"{REPO_URL}/pull/7"}), p)
    assert card.edit == f"{REPO_URL}/edit/main/{p.path}"
    assert card.history == f"{REPO_URL}/commits/main/{p.path}"
    assert card.pull_request == f"{REPO_URL}/pull/7"
    settings = cal.registry.settings
    live = settings.model_copy(update={"site": settings.site.model_copy(update={"branch": "live"})})
    other = Calendar(cal.registry.model_copy(update={"settings": live}), cal.posts, cal.campaigns, TODAY)
    assert review.card(SiteData(other, repo_url=REPO_URL + "/"), p).edit == f"{REPO_URL}/edit/live/{p.path}"


def test_days_left_in_words(cal: Calendar) -> None:
    def when(days: int) -> str:
        p = post("x", dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(10)))
        return review.card(SiteData(small(cal, [p])), p).when

    assert [when(d) for d in (-3, -1, 0, 1, 9)] == [
        "slot passed 3 days ago",
        "slot passed 1 day ago",
        "today",
        "tomorrow",
        "in 9 days",
    ]


def test_a_card_shows_the_posts_own_diagnostics(cal: Calendar) -> None:
    mine = post("mine", dt.datetime(2026, 12, 1, 10))
    other = post("other", dt.datetime(2026, 12, 1, 11))
    said = [
        Diagnostic(mine.path, 4, 1, Severity.WARNING, "SC306", "hashtag #Nope is not in the list"),
        Diagnostic(other.path, 2, 1, Severity.WARNING, "SC401", "clash"),
    ]
    card = review.card(SiteData(small(cal, [mine, other], diagnostics=said)), mine)
    assert [d.code for d in card.diagnostics] == ["SC306"] and card.errors == 0


def test_the_plan_exposes_diagnostics_per_file(project, write) -> None:
    write("a.md", VALID_POST.replace('["#LHC"]', '["#Nope"]'))
    plan = make_plan(project, history=False)
    (p,) = plan.calendar.posts
    assert "SC306" in [d.code for d in plan.calendar.diagnostics_of(p)]
    assert plan.calendar.diagnostics_of("content/posts/none.md") == ()


def test_the_desk_is_grouped_by_day_soonest_first(cal: Calendar) -> None:
    ctx = review.review(SiteData(cal))
    days = ctx["days"]
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert all(c.post.day == d.day and c.post.status in AWAITING_REVIEW for d in days for c in d.cards)
    assert sum(len(d.cards) for d in days) == ctx["total"] == len(cal.review_queue)
    assert [d.overdue for d in days] == sorted((d.overdue for d in days), reverse=True)  # overdue first
    assert ctx["expired"] == sum(d.overdue for d in days) == 1


def test_the_desk_lists_whole_days_and_counts_the_rest(cal: Calendar, monkeypatch) -> None:
    monkeypatch.setattr(review, "MAX_EXPIRED", 2)
    monkeypatch.setattr(review, "MAX_UPCOMING", 3)
    past = [post(f"old-{i}", dt.datetime(2026, 11, 1 + i, 10)) for i in range(5)]
    ahead = [post(f"new-{i}", dt.datetime(2026, 12, 1 + i // 2, 9 + i)) for i in range(8)]  # two a day
    done = [post("done", dt.datetime(2026, 12, 1, 8), status="approved")]
    ctx = review.review(SiteData(small(cal, past + ahead + done)))
    listed = [c.post.id for d in ctx["days"] for c in d.cards]
    assert listed == ["old-3", "old-4", "new-0", "new-1", "new-2", "new-3"]  # the third's day is whole
    assert ctx["older"] == 3 and ctx["older_before"] == dt.date(2026, 11, 4)
    assert ctx["later"] == 4 and ctx["later_from"] == dt.date(2026, 12, 3)
    assert "done" not in listed


def test_home_shows_the_same_cards_for_the_next_posts(cal: Calendar) -> None:
    waiting = home.home(SiteData(cal))["waiting"]
    assert 0 < len(waiting["cards"]) <= review.ON_HOME
    assert all(isinstance(c, review.Card) and not c.overdue for c in waiting["cards"])
    assert waiting["total"] == len(cal.review_queue) and waiting["expired"] == 1


# --- the month grid ---------------------------------------------------------------------------


def test_a_month_is_weeks_of_cells_with_their_posts(cal: Calendar) -> None:
    weeks = calendar_pages.grid(cal, 2027, 2)
    inside = [c for w in weeks for c in w if c.inside]
    assert [c.day for c in inside] == [dt.date(2027, 2, d) for d in range(1, 29)]
    assert all(c.posts == cal.posts_by_day.get(c.day, ()) for c in inside)
    assert all(not c.posts and not c.bands for w in weeks for c in w if not c.inside)


def test_campaign_bands_cover_the_days_they_run_in_lanes_that_line_up(cal: Calendar) -> None:
    weeks = calendar_pages.grid(cal, 2027, 2)
    cells = {c.day: c for w in weeks for c in w if c.inside}

    def days_of(campaign: str) -> list[int]:
        return [d.day for d, c in cells.items() if any(b and b.campaign.id == campaign for b in c.bands)]

    assert days_of("women-in-science-2027") == list(range(4, 13))
    assert days_of("open-days-2027") == list(range(1, 6))  # it began in January
    first_week = weeks[0]
    assert {len(c.bands) for c in first_week if c.inside} == {2}  # two lanes all week: bands line up
    lane = [b.campaign.id if b else None for b in cells[dt.date(2027, 2, 6)].bands]
    assert lane == [None, "women-in-science-2027"]
    # A stretch starts on the campaign's first day in the week and on Mondays; it carries the name.
    starts = {(d.day, b.campaign.id, b.span) for d, c in cells.items() for b in c.bands if b and b.starts}
    assert starts == {(1, "open-days-2027", 5), (4, "women-in-science-2027", 4), (8, "women-in-science-2027", 5)}
    assert cells[dt.date(2027, 2, 4)].bands[1].first and cells[dt.date(2027, 2, 12)].bands[0].last
    assert not cells[dt.date(2027, 2, 1)].bands[0].first  # Open Days started on 25 January


def test_lanes_are_reused_and_cancelled_campaigns_left_out() -> None:
    def campaign(cid: str, start: int, end: int, status: str = "planned") -> Campaign:
        return Campaign(
            id=cid,
            path=f"content/campaigns/{cid}.md",
            title=cid,
            start=dt.date(2027, 3, start),
            end=dt.date(2027, 3, end),
            status=status,
        )

    days = [dt.date(2027, 3, d) for d in range(1, 8)]
    rows = calendar_pages.band_lanes(
        [campaign("a", 1, 2), campaign("b", 2, 5), campaign("c", 4, 7), campaign("x", 1, 7, "cancelled")], days
    )
    names = [[b.campaign.id if b else None for b in row] for row in rows]
    assert names == [["a", None], ["a", "b"], [None, "b"], ["c", "b"], ["c", "b"], ["c", None], ["c", None]]


def test_a_busy_day_shows_three_and_counts_the_rest(cal: Calendar) -> None:
    busy = [post(f"busy-{i}", dt.datetime(2027, 3, 10, 8 + i)) for i in range(5)]
    small_cal = small(cal, busy)
    cell = next(c for w in calendar_pages.grid(small_cal, 2027, 3) for c in w if c.day == dt.date(2027, 3, 10))
    assert len(cell.posts) == 5 and cell.more == 2 == 5 - calendar_pages.IN_CELL
    src = urls.month_page((2027, 3))
    ctx = calendar_pages.month(SiteData(small_cal), (2027, 3))
    html = Renderer([PACKAGE_TEMPLATES]).render(
        "month.md.j2", src, small_cal, filters=calendar_pages.filters(small_cal, small_cal.posts), **ctx
    )
    assert len(re.findall(r"\bsc-over(?![-\w])", html)) == 2  # not sc-overdue (the legend draws one)
    assert re.search(r'<a class="sc-more" href="#day-2027-03-10"[^>]*>\+2 more', html)
    assert 'id="day-2027-03-10"' in html
    # no agenda: the month stays small (its only disclosures are proposals to start)
    assert set(re.findall(r'<details class="([^"]*?)\s*"', html)) <= {"sc-propose", "sc-propose sc-propose-day"}
    assert "sc-post " not in html


def test_overdue_posts_are_marked_and_drafts_styled_apart(cal: Calendar) -> None:
    late = post("late", dt.datetime(2026, 11, 20, 10))
    draft = post("draft", dt.datetime(2026, 11, 27, 10), status="draft")
    done = post("done", dt.datetime(2026, 11, 27, 11), status="approved")
    small_cal = small(cal, [late, draft, done])
    ctx = calendar_pages.month(SiteData(small_cal), (2026, 11))
    html = Renderer([PACKAGE_TEMPLATES]).render(
        "month.md.j2",
        urls.month_page((2026, 11)),
        small_cal,
        filters=calendar_pages.filters(small_cal, small_cal.posts),
        **ctx,
    )
    entry = {pid: re.search(rf'<a id="{pid}" class="([^"]+)"', html)[1].split() for pid in ("late", "draft", "done")}
    assert "sc-overdue" in entry["late"] and "sc-overdue" not in entry["draft"] + entry["done"]
    assert "sc-entry-draft" in entry["draft"] and "sc-entry-approved" in entry["done"]


def test_the_review_page_escapes_user_text_and_links_into_github(cal: Calendar) -> None:
    hostile = post(
        "hostile",
        dt.datetime(2026, 12, 2, 10),
        title='<img src=x onerror="alert(1)"> **T**',
        body="<script>alert(2)</script> *stars* {{ jinja }}",
    )
    small_cal = small(cal, [hostile])
    site = SiteData(small_cal, repo_url=REPO_URL)
    text = Renderer([PACKAGE_TEMPLATES]).render("review.md.j2", urls.REVIEW, small_cal, **review.review(site))
    assert "<script>alert(2)" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(2)&lt;/script&gt; *stars* {{ jinja }}" in text
    assert f'href="{REPO_URL}/edit/main/content/posts/hostile.md"' in text
    assert f'href="{REPO_URL}/commits/main/content/posts/hostile.md"' in text


# --- the pull-request summary -----------------------------------------------------------------


HOSTILE = "](javascript:alert(1)) <img src=x onerror=alert(1)> | **bold** `code` <script>x</script>"


def summary_of(cal: Calendar, p: Post, **kw: str) -> str:
    return pr_summary(small(cal, [p]), [p.path], [], [], **kw)


def test_the_summary_shows_media_with_alt_text_and_the_posts_page(cal: Calendar) -> None:
    p = post(
        "lhc",
        dt.datetime(2027, 3, 2, 10),
        channels=("instagram-cern", "twitter-cern"),
        media=(Media(src="media/lhc.jpg", alt="The LHC tunnel"), Media(src="https://cds.cern.ch/v.mp4", kind="video")),
    )
    text = summary_of(cal, p)
    assert "- image media/lhc.jpg: alt text: “The LHC tunnel”" in text
    assert "- video https://cds.cern.ch/v.mp4: ⚠️ no alt text" in text
    assert "its page in the site preview (the build's artifact): `posts/lhc/`" in text
    linked = summary_of(cal, p, preview_url="https://preview.example.org/pr-7/")
    assert "[its page in the preview](https://preview.example.org/pr-7/posts/lhc/)" in linked
    # Each channel as it goes out.
    assert text.count("<pre>") == 2 and "**CERN on Instagram \\(feed\\)**" in text


def test_the_summary_escapes_hostile_text_everywhere(cal: Calendar) -> None:
    p = post(
        "hostile",
        dt.datetime(2027, 3, 2, 10),
        title=HOSTILE,
        body=HOSTILE,
        media=(Media(src="media/a](javascript:alert(2)).jpg", alt=HOSTILE + "\n# heading"),),
    )
    text = summary_of(cal, p, preview_url="javascript:alert(3)")
    assert "<img" not in text and "<script>" not in text
    # Texts are in <pre> blocks, where GitHub reads no Markdown; everywhere else nothing is a link.
    assert text.count("<pre>") == 1 and "<pre>](javascript:alert(1)) &lt;img" in text
    outside = re.sub(r"<pre>.*?</pre>", "", text, flags=re.S)
    assert "](javascript:" not in outside and "(javascript:alert(3)" not in outside
    assert "\\]\\(javascript:alert\\(1\\)\\)" in text  # shown, as text
    assert "&lt;script&gt;x&lt;/script&gt;" in text
    assert "\n# heading" not in text  # a newline in alt text cannot start a heading
    assert "`posts/hostile/`" in text  # no public preview: the path, not a link
    # A preview address that would break out of the link is not used either.
    assert "](https://x.org/a)" not in summary_of(cal, p, preview_url="https://x.org/a) [y](https://evil")


def test_a_post_id_is_percent_encoded_in_the_preview_link(cal: Calendar) -> None:
    p = post("a (b)", dt.datetime(2027, 3, 2, 10))
    text = summary_of(cal, p, preview_url="https://preview.example.org/")
    assert "(https://preview.example.org/posts/a%20%28b%29/)" in text


def test_a_huge_summary_is_cut_below_githubs_limit_keeping_the_verdict_and_problems_first(cal: Calendar) -> None:
    """GitHub drops a step summary over 1 MiB whole. 60 posts of 20,000 characters that escaping
    makes five times longer (&, <), on three channels, and 3,000 diagnostics: far over it."""
    from generator.views.summary import MAX_SUMMARY_BYTES

    body = "&<" * 10_000
    posts = [
        post(f"p{i:03d}", dt.datetime(2027, 3, 1 + i % 28, 10), channels=("twitter-cern", "facebook-cern"), body=body)
        for i in range(60)
    ]
    diags = [
        Diagnostic(f"content/posts/p{i % 60:03d}.md", 3, 1, Severity.ERROR, "SC201", "unknown channel " + "x" * 200)
        for i in range(3_000)
    ]
    text = pr_summary(small(cal, posts), [p.path for p in posts], [], diags)
    size = len(text.encode("utf-8"))
    assert MAX_SUMMARY_BYTES - 64 * 1024 < size <= MAX_SUMMARY_BYTES
    head, rest = text.split("### Diagnostics", 1)
    assert "60 post(s) added or changed · ❌ 3000 error(s), 0 warning(s)" in head
    assert "✂️ Cut at 900 KiB (GitHub's limit for a summary): see the end." in head
    assert rest.count("| SC201 |") == 3_000  # every problem fits; the posts' texts do not
    note = text.rsplit("✂️ **The summary stops here**", 1)[1]
    assert "this job's log and as annotations" in note and "site preview" in note
    shown = text.count("\n#### Post ")
    not_shown = int(re.search(r"(\d+) post\(s\) as they go out", note).group(1))
    assert 0 < shown < 60 and not_shown in (60 - shown, 60 - shown + 1)  # the last one shown may be partial
    assert text.count("<pre>") == text.count("</pre>")  # a block is whole or absent

    # Problems beyond the limit are cut too, and counted; the verdict still counts them all.
    many = diags * 5
    cut = pr_summary(small(cal, posts), [p.path for p in posts], [], many)
    assert len(cut.encode("utf-8")) <= MAX_SUMMARY_BYTES
    assert "❌ 15000 error(s)" in cut.split("### Diagnostics")[0]
    listed = cut.count("| SC201 |")
    assert f"{15_000 - listed} diagnostic(s)" in cut.rsplit("✂️", 1)[1] and "60 post(s) as they go out" in cut


def test_a_summary_under_the_limit_is_not_cut(cal: Calendar) -> None:
    p = post("small", dt.datetime(2027, 3, 2, 10))
    assert "✂️" not in summary_of(cal, p)


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("add `alt:` describing the image", "add <code>alt:</code> describing the image"),
        ("`<script>` | *x*", "<code>&lt;script&gt;</code> \\| \\*x\\*"),
        ("`a|b` and `_c_`", "<code>a\\|b</code> and <code>\\_c\\_</code>"),
        ("a lone ` stays", "a lone \\` stays"),
    ],
)
def test_the_pr_summary_shows_code_spans_as_code_and_escapes_the_rest(text: str, cell: str) -> None:
    from generator.views.summary import md_code

    assert md_code(text) == cell
