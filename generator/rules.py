"""The catalogue of validation rules.

Every check the validator makes reports one of these codes. The codes are stable: contributors
search for them, and the site's Rules page is generated from this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: Severity
    title: str
    description: str
    example: str  # a front-matter excerpt that breaks the rule

    def at(self, path: str, line: int, col: int, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(path, line, col, self.severity, self.code, message, hint)


E, W = Severity.ERROR, Severity.WARNING

_RULES = [
    # SC0xx: the file itself
    Rule(
        "SC001",
        E,
        "File is not UTF-8 text",
        "Content files are UTF-8 text. A binary file or another encoding cannot be read.",
        "(a JPEG saved as content/posts/photo.md)",
    ),
    Rule(
        "SC002",
        E,
        "No front-matter",
        "A content file starts with a front-matter block between two `---` lines.",
        "Just the text of the post, without the --- block",
    ),
    Rule(
        "SC003",
        E,
        "Malformed YAML",
        "The front-matter must be valid YAML. Quote values that contain `: ` or start with `#`, "
        "`*`, `&`, `!`, `[` or `{`.",
        "title: Guess what: this is\nhashtags: #CERN",
    ),
    Rule(
        "SC004",
        E,
        "Front-matter is not a mapping",
        "The front-matter is a set of `key: value` lines, not a list or a single value.",
        "- title\n- date",
    ),
    Rule(
        "SC005",
        E,
        "YAML tag not allowed",
        "Only plain YAML is read. Tags such as `!!python/object` are refused and never executed.",
        "title: !!python/object/apply:os.system ['ls']",
    ),
    Rule(
        "SC006",
        E,
        "Front-matter too large",
        "YAML anchors and aliases may not expand the front-matter beyond a few thousand values "
        "(this guards against 'billion laughs' files).",
        "a: &a [x, x, x]\nb: &b [*a, *a, *a]\n...",
    ),
    Rule("SC007", E, "Empty file", "A content file cannot be empty.", "(a file of zero bytes)"),
    # SC1xx: one file's fields
    Rule(
        "SC101",
        E,
        "Unknown key",
        "Every front-matter key is one of the content contract's. A misspelt key would be silently ignored otherwise.",
        "titel: LHC restarts",
    ),
    Rule(
        "SC102",
        E,
        "Required key missing",
        "A post needs `title`, `date` and `channel`; a campaign needs `title`, `start` and `end`.",
        "title: LHC restarts\nchannel: twitter-cern",
    ),
    Rule(
        "SC103",
        E,
        "Wrong type or value",
        "Each key has a type: a string, a list of strings, one of a set of values, and so on.",
        "status: maybe",
    ),
    Rule(
        "SC104",
        E,
        "Malformed date",
        "Dates are `YYYY-MM-DD HH:MM` in the calendar's time zone, or ISO 8601 with an offset "
        "(`2027-03-26T10:00+01:00`). Campaign `start` and `end` are `YYYY-MM-DD`.",
        "date: 26/03/2027 10h",
    ),
    Rule(
        "SC105",
        E,
        "Time does not exist",
        "When clocks go forward (last Sunday of March in Europe/Zurich) the hour from 02:00 to 03:00 does not exist.",
        "date: 2027-03-28 02:30",
    ),
    Rule(
        "SC106",
        E,
        "Time is ambiguous",
        "When clocks go back (last Sunday of October) the hour from 02:00 to 03:00 happens twice. "
        "Give the offset to say which one is meant.",
        "date: 2027-10-31 02:30",
    ),
    Rule(
        "SC107",
        E,
        "Unknown audience",
        "Audiences are the ids of the strategy's target audiences (content/audiences.yml).",
        "audiences: [kids]",
    ),
    Rule("SC108", E, "Malformed link", "A link is an absolute https:// (or http://) URL.", "link: home.cern/news"),
    Rule(
        "SC109",
        E,
        "Duplicate id",
        "A post's id is its file name without `.md`, unique across content/posts/ (nested folders "
        "included); likewise for campaigns.",
        "content/posts/2027/a.md and content/posts/2028/a.md",
    ),
    Rule(
        "SC110",
        E,
        "Campaign ends before it starts",
        "A campaign's `end` is on or after its `start`.",
        "start: 2027-02-11\nend: 2027-02-01",
    ),
    Rule(
        "SC111",
        E,
        "Invalid file name",
        "File names are ids: lower-case letters, digits and dashes, ending in `.md`, so that they "
        "make stable URLs and feed identifiers.",
        "content/posts/My Post!.md",
    ),
    # SC2xx: references and series
    Rule("SC201", E, "Unknown channel", "Channels are ids from content/channels.yml.", "channel: twiter-cern"),
    Rule("SC202", E, "Unknown series", "Series are ids from content/series.yml.", "series: photo-of-the-day"),
    Rule(
        "SC203",
        E,
        "Unknown campaign",
        "A post's `campaign` is the id of a file in content/campaigns/.",
        "campaign: open-days-2030",
    ),
    Rule(
        "SC204",
        E,
        "Unknown answered post",
        "`answer_to` names the id of the post it answers, and that post must be of the series "
        "being answered (a GWTI answer names a GWTI question).",
        "series: gwti-answer\nanswer_to: no-such-post",
    ),
    Rule(
        "SC205",
        E,
        "Retired channel",
        "A retired channel keeps its entry so old posts still render, but no post may go out on it after its end date.",
        "channel: googleplus-cern\ndate: 2027-01-15 10:00",
    ),
    Rule(
        "SC206",
        E,
        "Post outside its campaign",
        "A post of a campaign goes out between the campaign's `start` and `end` (inclusive).",
        "campaign: open-days-2027  # runs 2027-03-01 to 2027-03-20\ndate: 2027-05-01 10:00",
    ),
    Rule(
        "SC207",
        E,
        "Series not on this channel",
        "Some series only run on certain accounts (CERN Lectures on the lectures channel only).",
        "series: cern-lectures\nchannel: twitter-cern",
    ),
    Rule(
        "SC208",
        E,
        "Series on the wrong weekday",
        "GWTI questions go out on Friday, answers on Monday, TBT on Thursday, CERN Lectures on Wednesday.",
        "series: tbt\ndate: 2027-01-13 10:00  # a Wednesday",
    ),
    Rule(
        "SC209",
        E,
        "GWTI answer not on the Monday after its question",
        "The community has from Friday to Monday to guess: the answer goes out on the first Monday after its question.",
        "series: gwti-answer\nanswer_to: gwti-2027-01-15\ndate: 2027-01-25 10:00",
    ),
    Rule(
        "SC210",
        E,
        "Answer without its question",
        "A post of an answering series (gwti-answer) names the post it answers in `answer_to`; "
        "other posts have no `answer_to`.",
        "series: gwti-answer",
    ),
    Rule(
        "SC211",
        E,
        "Series cadence exceeded",
        "Photo of the week goes out at most once a week (Monday to Sunday) on each account.",
        "two photo-of-the-week posts on instagram-cern in the same week",
    ),
    # SC3xx: channel policy
    Rule(
        "SC301",
        E,
        "Text too long",
        "The text as it goes out (body or channel variant, plus the link and hashtags where the "
        "channel puts them in the text) fits the channel's limit, counted the platform's way: "
        "X/Twitter weighs characters and counts every URL as 23.",
        "a 300-character post on twitter-cern",
    ),
    Rule(
        "SC302",
        E,
        "Post does not lead to a web page",
        "Most channels require a link (strategy 3.1: posts start a journey to find out more). "
        "`link` may be left out only when every channel of the post forbids links.",
        "channel: twitter-cern  # and no link:",
    ),
    Rule(
        "SC303",
        E,
        "Link in the text where the channel forbids it",
        "Instagram feed captions carry no link (it is not clickable there). Keep the `link` "
        "in front-matter for the record and remove URLs from the text.",
        "channel: instagram-cern\n---\nRead more at https://home.cern/news",
    ),
    Rule(
        "SC304",
        E,
        "Too many hashtags",
        "Each channel has a hashtag maximum (Instagram: 5, the platform's current limit, "
        "stricter than the strategy's 8).",
        "hashtags: ['#a', '#b', '#c', '#d', '#e', '#f']",
    ),
    Rule(
        "SC305",
        E,
        "Malformed hashtag",
        "A hashtag is `#` followed by letters, digits or underscores, with at least one letter.",
        "hashtags: ['CERN', '#open days']",
    ),
    Rule(
        "SC306",
        W,
        "Hashtag not in the active list",
        "The strategy keeps a list of active hashtags (content/hashtags.yml). A new one is "
        "allowed but worth a second look.",
        "hashtags: ['#Cern2027']",
    ),
    Rule(
        "SC307",
        E,
        "Image without alt text",
        "Every image carries alt text for people using screen readers (`media: [{src, alt}]`).",
        "media:\n  - src: lhc.jpg",
    ),
    Rule(
        "SC308",
        E,
        "Link to external media",
        "CERN does not usually share content from external media, to avoid endorsement and bias. "
        "home.cern, CERN sites and the related publications (CERN Courier, Symmetry magazine) "
        "are allowed; another site needs a declared `partnership:` agreed with the Press Office.",
        "link: https://news.example.com/cern-story",
    ),
    Rule(
        "SC309",
        W,
        "Post has no text",
        "A post without a body or a channel variant has nothing to publish yet.",
        "(front-matter only)",
    ),
    Rule(
        "SC310",
        E,
        "Variant for a channel the post is not on",
        "`variants` overrides the text per channel; each key is one of the post's channels.",
        "channel: twitter-cern\nvariants:\n  facebook-cern: Longer text",
    ),
    Rule(
        "SC311",
        E,
        "Results for a channel the post is not on",
        "`results` holds the analytics of each channel the post went out on, keyed by channel id.",
        "channel: twitter-cern\nresults:\n  facebook-cern: {impressions: 1200}",
    ),
    Rule(
        "SC312",
        W,
        "Results on a post that is not published",
        "Analytics belong to posts that went out; set `status: published`.",
        "status: approved\nresults:\n  twitter-cern: {impressions: 1200}",
    ),
    Rule(
        "SC315",
        E,
        "Media file missing or unusable",
        "A medium's `src` is a file committed in the repository (a path from the repository root, "
        "e.g. `media/2027/lhc.jpg`) or an https:// address. A file must exist and be a plain file "
        "inside the repository (symbolic links are not followed); an image is a JPEG, PNG, WebP or "
        "GIF of at most 20 MB.",
        "media:\n  - {src: media/lhc.jpg, alt: The LHC tunnel}  # media/lhc.jpg is not committed",
    ),
    Rule(
        "SC316",
        W,
        "Image cannot be shown",
        "The site shows a thumbnail of every image in the repository, made when it is built. An "
        "image that cannot be decoded (a truncated file, another format under an image's name) or "
        "that would decompress to more pixels than allowed is listed without one.",
        "media:\n  - {src: media/photo.jpg, alt: …}  # a PDF renamed photo.jpg",
    ),
    # SC4xx: planning
    Rule(
        "SC401",
        W,
        "Clash on one account",
        "Two posts on the same account within the clash window (content/settings.yml) compete for attention.",
        "two posts on twitter-cern at 2027-01-15 10:00",
    ),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def rule(code: str) -> Rule:
    return RULES[code]
