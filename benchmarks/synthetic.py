"""N valid synthetic posts over several years, on every active channel, with series and campaigns."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHANNELS = [
    "twitter-cern",
    "twitter-cern-fr",
    "facebook-cern",
    "instagram-cern",
    "linkedin-cern",
    "youtube-cern",
    "instagram-cern-stories",
    "twitter-cernpress",
]
# The shortest text limit of a channel above (Instagram stories: 250) holds the text, the hashtags and
# the link with its UTM tags (about 110 characters with a campaign's): the text of a post on it is cut
# at a word to this length. Cutting draws nothing from the random stream, so every other post stays the same.
SHORT_TEXT = {"instagram-cern-stories": 120}
TAGS = ["#CERN", "#LHC", "#FCC", "#HiLumiLHC", "#CERNKT"]
WORDS = [
    "accelerator",
    "detector",
    "collision",
    "magnet",
    "beam",
    "physics",
    "antimatter",
    "neutrino",
    "data",
    "computing",
    "engineering",
    "superconducting",
    "experiment",
    "discovery",
    "science",
]


def _post(post_id: str, when: dt.datetime, channels: list[str], rnd: random.Random, extra: str = "") -> str:
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(8, 16))]
    limit = min((SHORT_TEXT[c] for c in channels if c in SHORT_TEXT), default=None)
    while limit and len(" ".join(words)) + 1 > limit:
        words.pop()
    text = " ".join(words).capitalize() + "."
    tags = rnd.sample(TAGS, 2)
    chans = "[" + ", ".join(channels) + "]"
    return (
        f"---\ntitle: Synthetic post {post_id}\ndate: {when:%Y-%m-%d %H:%M}\nchannel: {chans}\n"
        f'hashtags: ["{tags[0]}", "{tags[1]}"]\nlink: https://home.cern/news/{post_id}\n'
        f"status: {rnd.choice(['proposed', 'approved', 'published'])}\n{extra}---\n\n{text}\n"
    )


def generate(root: Path, n: int, seed: int = 1) -> list[Path]:
    """A project at `root` with the repository's registries and n posts; returns the post files."""
    rnd = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "posts").mkdir(parents=True)
    (root / "content" / "campaigns").mkdir()
    for yml in (REPO / "content").glob("*.yml"):
        shutil.copy(yml, root / "content" / yml.name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "media").mkdir()
    shutil.copy(REPO / "media" / "potw" / "2026-12-01.jpg", root / "media" / "p.jpg")
    shutil.copy(REPO / "media" / "gwti" / "hexagons.jpg", root / "media" / "a.jpg")
    start = dt.date(2024, 1, 1)  # a Monday
    files: list[Path] = []

    def add(post_id: str, text: str, day: dt.date) -> None:
        path = root / "content" / "posts" / f"{day:%Y}" / f"{day:%m}" / f"{post_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files.append(path)

    weeks = max(1, n // 25)
    for q in range(0, weeks, 13):
        c_start = start + dt.timedelta(weeks=q)
        (root / "content" / "campaigns" / f"campaign-{q}.md").write_text(
            f"---\ntitle: Campaign {q}\nstart: {c_start}\nend: {c_start + dt.timedelta(days=27)}\n"
            f"channels: [twitter-cern, facebook-cern]\nkpis: {{engagement_rate: 3}}\n---\n\nPlan.\n"
        )
    count = 0
    week = 0
    while count < n:
        monday = start + dt.timedelta(weeks=week)
        friday = monday + dt.timedelta(days=4)
        thursday = monday + dt.timedelta(days=3)
        wednesday = monday + dt.timedelta(days=2)
        series_posts = [
            (
                f"gwti-{friday}",
                dt.datetime.combine(friday, dt.time(16)),
                ["twitter-cern", "facebook-cern"],
                "series: gwti\n",
            ),
            (
                f"answer-{friday}",
                dt.datetime.combine(friday + dt.timedelta(days=3), dt.time(16)),
                ["twitter-cern", "facebook-cern"],
                f"series: gwti-answer\nanswer_to: gwti-{friday}\n",
            ),
            (
                f"tbt-{thursday}",
                dt.datetime.combine(thursday, dt.time(11)),
                ["twitter-cern", "facebook-cern"],
                "series: tbt\n",
            ),
            (
                f"potw-{monday}",
                dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(12)),
                ["instagram-cern", "twitter-cern-fr"],
                "series: photo-of-the-week\nmedia:\n  - {src: media/p.jpg, alt: A photo}\n",
            ),
            (
                f"lecture-{wednesday}",
                dt.datetime.combine(wednesday, dt.time(14)),
                ["youtube-cern-lectures"],
                "series: cern-lectures\n",
            ),
        ]
        for post_id, when, chans, extra in series_posts:
            if count >= n:
                break
            add(post_id, _post(post_id, when, chans, rnd, extra), when.date())
            count += 1
        for k in range(20):
            if count >= n:
                break
            day = monday + dt.timedelta(days=k % 7)
            when = dt.datetime.combine(day, dt.time(8 + (k // 7) * 3, 30))
            chans = rnd.sample(CHANNELS, rnd.randint(1, 3))
            extra = ""
            if "instagram-cern" in chans:
                extra += "media:\n  - {src: media/a.jpg, alt: Alt text}\n"
            q = (week // 13) * 13
            if week - q < 4 and rnd.random() < 0.3:
                extra += f"campaign: campaign-{q}\n"
            add(f"news-{week}-{k}", _post(f"news-{week}-{k}", when, chans, rnd, extra), day)
            count += 1
        week += 1
    return files
