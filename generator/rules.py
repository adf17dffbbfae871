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
        "`*`, `&`, `!`, `[` or `{`. Indent with spaces: YAML does not allow tabs.",
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
    Rule(
        "SC008",
        E,
        "File too large",
        "A content file is at most 256 KB (a registry 1 MB). Bigger files are refused unread, so "
        "that no file can stall the checks.",
        "(a 50 MB post)",
    ),
    Rule(
        "SC009",
        E,
        "Symbolic link",
        "Nothing under content/ or templates/ may be a symbolic link: a link is never followed, "
        "since it could publish any file of the machine that builds the site.",
        "(content/posts/x.md → /etc/passwd)",
    ),
    Rule(
        "SC010",
        E,
        "Control character",
        "Content is plain text: control characters (NUL, the terminal's ESC sequences, DEL), "
        "bidirectional overrides and isolates, which can make text read differently than it is, "
        "and line breaks in one-line values (a title, a link) are refused, "
        "whether typed or written as YAML escapes.",
        'title: "Launch\\u202egnp.exe"',
    ),
    Rule(
        "SC011",
        E,
        "Duplicate key",
        "Each key is written once. YAML would silently keep the last of two, so a second "
        "`status:` further down could approve a post unnoticed.",
        "status: proposed\nstatus: approved",
    ),
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
    Rule(
        "SC108",
        E,
        "Malformed link",
        "Every address (the `link`, URLs in the text, results and media URLs, links in a campaign "
        "plan) is an absolute https:// (or http://) URL without a user name or password "
        "(`https://evil.example\\@home.cern/` leads to evil.example). Media files are paths in "
        "the repository, such as media/x.jpg, or https URLs.",
        "link: home.cern/news",
    ),
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
    Rule(
        "SC112",
        E,
        "Results not keyed by channel",
        "`results` holds one block of numbers per channel, keyed by the channel's id. On a post with "
        "one channel the numbers may be written directly under `results:`; a post on several "
        "channels says which channel each number is from.",
        "channel: [twitter-cern, facebook-cern]\nresults:\n  impressions: 1200",
    ),
    Rule(
        "SC113",
        E,
        "Date out of range",
        "Dates fall within the calendar's years (`years` in content/settings.yml, 2000 to 2100 by "
        "default): a typo such as 2207 would plan a post centuries away.",
        "date: 2207-03-02 10:00",
    ),
    Rule(
        "SC114",
        E,
        "Value too long",
        "A title is at most 200 characters, another one-line value 2,000, the text of a post 64,000.",
        "title: (a whole paragraph)",
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
        "SC313",
        E,
        "Post without an image or video",
        "Some channels publish nothing without an image or a video (the Instagram feed: `media: required` "
        "in content/channels.yml). Name it in `media:` with its alt text.",
        "channel: instagram-cern  # and no media:",
    ),
    Rule(
        "SC314",
        E,
        "Placeholder text left in the post",
        "`socialcal new` writes a placeholder where the text of the post goes. Replace it with the text "
        "that goes out before the post is proposed.",
        "---\nTODO: write the text of the post here.",
    ),
    # SC4xx: planning
    Rule(
        "SC401",
        W,
        "Clash on one account",
        "Two posts on the same account within the clash window (content/settings.yml) compete for attention.",
        "two posts on twitter-cern at 2027-01-15 10:00",
    ),
    # SC5xx: the repository's set-up: the editor configuration and the registries
    Rule(
        "SC501",
        W,
        "Editor configuration out of date",
        "frontmatter.json (the Front Matter CMS form for VS Code) is generated from the registries and "
        "the campaigns, so that a new channel, series, audience or campaign reaches the editor in the "
        "same pull request. A frontmatter.json written by hand (without the `socialcal.generated` key) "
        "is not checked.",
        "a channel added to content/channels.yml, and frontmatter.json not regenerated",
    ),
    # The registries (content/*.yml). A broken registry stops every command (exit code 2).
    Rule(
        "SC502",
        E,
        "Invalid registry id",
        "Channel, series and audience ids are lower-case letters, digits and dashes: they become "
        "file names, addresses, CSS classes and feed identifiers.",
        "../../etc:\n  platform: twitter",
    ),
    Rule(
        "SC503",
        E,
        "Invalid colour",
        "A channel's or series' colour is written #rrggbb; it goes into the site's stylesheet.",
        'color: "red; background: url(https://evil.example/)"',
    ),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


def rule(code: str) -> Rule:
    return RULES[code]
