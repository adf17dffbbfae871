"""What a scheduling tool's bulk upload would refuse (SC6xx), checked by `socialcal export`.

The tools' formats and limits are data in generator/exports.py (`TOOLS`); these units name the
codes, say what they mean on the Rules page, and carry the examples tests/test_exports.py runs
through the export named in each example's `where`.
"""

from __future__ import annotations

from .core import E, Example, File, W, export_rule
from .examples import VALID_POST

_APPROVED = VALID_POST + "status: approved\n"
_VIDEO = "media: [{src: 'https://videos.cern.ch/record/1', alt: The LHC restarting, kind: video}]\n"

SC601 = export_rule(
    "SC601",
    E,
    "The scheduling tool would refuse the post",
    "Each tool's bulk upload takes less than a post can say: Buffer's CSV takes one image, a JPEG or PNG of at "
    "most 5 MB, by its address, and no video; Hootsuite refuses the same message twice in one file; a text that "
    "begins with = + - @ (which a spreadsheet would run as a formula) is written with a leading apostrophe, "
    "which the tool would publish. Nothing is exported until every post can go: change the post, or export it "
    "with another tool or by hand.",
    Example(
        "socialcal export buffer  # a post with a video",
        bad=[File("a.md", _APPROVED + _VIDEO, "x")],
        good=[File("a.md", _APPROVED, "x")],
    ),
    where="generator/exports.py refusals(), by `socialcal export buffer` (example)",
)

SC602 = export_rule(
    "SC602",
    E,
    "The scheduling tool would refuse the post's time",
    "Hootsuite takes times on a five-minute step (10:05, not 10:03); Sprout wants the posts of one import at "
    "least 10 minutes apart; Hootsuite and Sprout take at most 350 posts per import (Hootsuite: less those "
    "already scheduled, `--scheduled N`); no tool schedules a time that has passed.",
    Example(
        "socialcal export hootsuite  # date: 2027-03-02 10:03",
        bad=[File("a.md", _APPROVED.replace("10:00", "10:03"), "x")],
        good=[File("a.md", _APPROVED.replace("10:00", "10:05"), "x")],
    ),
    where="generator/exports.py refusals(), by `socialcal export hootsuite` (example)",
)

SC603 = export_rule(
    "SC603",
    W,
    "Upload the export in time, and finish it in the tool",
    "What depends on when the file is uploaded, or on a step in the tool: Sprout and Hootsuite refuse a post "
    "less than 10 minutes after the upload (a warning: upload sooner); Hootsuite's CSV has no image column, so "
    "a post's image is added in Hootsuite after the upload.",
    Example(
        "socialcal export sprout  # today at 00:05",
        bad=[File("a.md", _APPROVED.replace("2027-03-02 10:00", "2026-11-26 00:05"), "x")],
        good=[File("a.md", _APPROVED.replace("2027-03-02 10:00", "2026-11-26 00:30"), "x")],
    ),
    where="generator/exports.py refusals(), by `socialcal export sprout` (example)",
)
