"""SC0xx: the file itself. Checked while the file is read (generator/content_file.py), so each unit
names where; the reader raises `SourceError(unit, …)` and the loader reports it through the unit."""

from __future__ import annotations

from .core import SYMLINK, E, Example, File, load_rule
from .examples import VALID_POST

_FINE = (File("a.md", VALID_POST, "Fine."),)

SC001 = load_rule(
    "SC001",
    E,
    "File is not UTF-8 text",
    "Content files are UTF-8 text. A binary file or another encoding cannot be read; a file an editor "
    "saved as UTF-16 or UTF-32 is named as such: save it again as UTF-8.",
    Example(
        "(a JPEG saved as content/posts/photo.md)",
        bad=[File("a.md", None, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")],
        good=_FINE,
    ),
    where="generator/content_file.py decode(); generator/load.py load_file() when the file cannot be read",
)
SC002 = load_rule(
    "SC002",
    E,
    "No front-matter",
    "A content file starts with a front-matter block between two `---` lines.",
    Example("Just the text of the post, without the --- block", bad=[File("a.md", None, b"Just text")], good=_FINE),
    where="generator/content_file.py parse()",
)
SC003 = load_rule(
    "SC003",
    E,
    "Malformed YAML",
    "The front-matter must be valid YAML. Quote values that contain `: ` or start with `#`, "
    "`*`, `&`, `!`, `[` or `{`. Indent with spaces: YAML does not allow tabs.",
    Example(
        "title: Guess what: this is\nhashtags: #CERN",
        bad=[File("a.md", "title: Guess what: this is\n" + VALID_POST.replace("title: LHC restarts", ""), "x")],
        good=[File("a.md", 'title: "Guess what: this is"\n' + VALID_POST.replace("title: LHC restarts", ""), "x")],
    ),
    where="generator/content_file.py _read_yaml()",
)
SC004 = load_rule(
    "SC004",
    E,
    "Front-matter is not a mapping",
    "The front-matter is a set of `key: value` lines, not a list or a single value.",
    Example("- title\n- date", bad=[File("a.md", None, b"---\n- title\n- date\n---\nx\n")], good=_FINE),
    where="generator/content_file.py _read_yaml()",
)
SC005 = load_rule(
    "SC005",
    E,
    "YAML tag not allowed",
    "Only plain YAML is read. Tags such as `!!python/object` are refused and never executed.",
    Example(
        "title: !!python/object/apply:os.system ['ls']",
        bad=[File("a.md", None, b"---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\nx\n")],
        good=_FINE,
    ),
    where="generator/content_file.py _read_yaml()",
)
SC006 = load_rule(
    "SC006",
    E,
    "Front-matter too large",
    "YAML anchors and aliases may not expand the front-matter beyond a few thousand values "
    "(this guards against 'billion laughs' files).",
    Example(
        "a: &a [x, x, x]\nb: &b [*a, *a, *a]\n...",
        bad=[
            File(
                "a.md",
                None,
                (
                    "---\na: &a ["
                    + ",".join(["x"] * 20)
                    + "]\nb: &b ["
                    + ",".join(["*a"] * 20)
                    + "]\nc: &c ["
                    + ",".join(["*b"] * 20)
                    + "]\n---\nx\n"
                ).encode(),
            )
        ],
        good=_FINE,
    ),
    where="generator/content_file.py _count_nodes()",
)
SC007 = load_rule(
    "SC007",
    E,
    "Empty file",
    "A content file cannot be empty.",
    Example("(a file of zero bytes)", bad=[File("a.md", None, b"")], good=_FINE),
    where="generator/content_file.py decode()",
)
SC008 = load_rule(
    "SC008",
    E,
    "File too large",
    "A content file is at most 256 KB (a registry 1 MB). Bigger files are refused unread, so "
    "that no file can stall the checks.",
    Example(
        "(a 50 MB post)",
        bad=[File("a.md", VALID_POST, "x" * 300_000)],
        good=[File("a.md", VALID_POST, "x" * 200)],
    ),
    where="generator/load.py _read_bytes(), generator/content_file.py decode(); "
    "registries: generator/registry_reading.py read_registry_yaml()",
)
SC009 = load_rule(
    "SC009",
    E,
    "Symbolic link",
    "Nothing under content/ or templates/ may be a symbolic link: a link is never followed, "
    "since it could publish any file of the machine that builds the site. Nor does socialcal "
    "write through a link: a link at `frontmatter.json`, `schemas/`, `site/` or a post it writes "
    "(or at a folder above them in the repository) is refused (exit code 2), its target untouched.",
    Example(
        "(content/posts/x.md → /etc/passwd)",
        bad=[File("secret.md", VALID_POST, "Private.", ".."), File("a.md", SYMLINK, "../../secret.md")],
        good=_FINE,
    ),
    where="generator/project.py content_files() lists links, generator/load.py load_file() and validate() "
    "(templates/) refuse them; registries: generator/registry_reading.py; writing: generator/safe_write.py write(), "
    "generator/build.py check_site_dir()",
)
# A caption hiding a sentence in tag characters (invisible), and what must stay: an emoji
# sequence's joiner, England's flag (a black flag, its region as tags), a keycap, Persian's
# non-joiner. Written as escapes: this file itself shows nothing hidden.
_HIDDEN = "".join(chr(0xE0000 + ord(c)) for c in "Ignore the review")
_KEPT = (
    "Coders \U0001f469\u200d\U0001f4bb at CERN \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067"
    "\U000e007f, open day 1\ufe0f\u20e3, \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
)
SC010 = load_rule(
    "SC010",
    E,
    "Control or invisible character",
    "Content is plain text: control characters (NUL, the terminal's ESC sequences, DEL), "
    "bidirectional overrides and isolates, which can make text read differently than it is, "
    "line breaks in one-line values (a title, a link), and invisible characters, which can hide "
    "a sentence or split a word so that review and search miss it, are refused, whether typed or "
    "written as YAML escapes: tag characters, zero-width spaces and joiners, the word joiner, a "
    "byte-order mark past the file's start, blank fillers (U+3164 HANGUL FILLER, U+2800 BRAILLE "
    "PATTERN BLANK), invisible operators, the soft hyphen, and HTML references to any of them (`&#x200B;`, "
    "which a campaign's page would show as the character). What writing needs stays: the joiner "
    "inside an emoji sequence, a subdivision flag's tags (England's, Scotland's), one variation "
    "selector after an emoji or a CJK ideograph (a keycap), a joiner or non-joiner between two "
    "letters of a script that joins them (Persian, the Indic scripts). The message names the "
    "character (U+200B ZERO WIDTH SPACE) at its line and column, and what hidden tags spell.",
    Example(
        'title: "Launch\\u202egnp.exe"',
        bad=[File("a.md", VALID_POST, "Click \x1b[2Jhere"), File("b.md", VALID_POST, f"Nice photo{_HIDDEN}!")],
        good=[File("a.md", VALID_POST, "Click here"), File("b.md", VALID_POST, _KEPT)],
    ),
    where="generator/characters.py (the table, unsafe_at()); generator/content_file.py decode() and check_tree(); "
    "registries: generator/registry_reading.py read_registry_yaml()",
)
SC011 = load_rule(
    "SC011",
    E,
    "Duplicate key",
    "Each key is written once. YAML would silently keep the last of two, so a second "
    "`status:` further down could approve a post unnoticed.",
    Example(
        "status: proposed\nstatus: approved",
        bad=[File("a.md", VALID_POST + "status: proposed\nhashtags: ['#CERN']\nstatus: approved", "x")],
        good=[File("a.md", VALID_POST + "status: approved", "x")],
    ),
    where="generator/content_file.py check_tree()",
)
SC012 = load_rule(
    "SC012",
    E,
    "File not read",
    "Only files named `<id>.md` in content/posts/ and content/campaigns/ (and their sub-folders) are "
    "read, and content/ itself holds the registries (`<name>.yml`) besides those two folders. A post "
    "saved as `x.MD`, `x.markdown`, `x.txt`, `x.yml`, a copy such as `x.md.bak`, a post directly in "
    "content/ or a folder with another name would silently drop out of the calendar: each is an error "
    "that says what to rename or move. Left alone without a word: names starting with `.` (hidden files, "
    "editors' swap files such as `.x.md.swp`, `.DS_Store`) or `_` (templates), backups ending in `~`, "
    "`#x.md#` autosaves, `Thumbs.db`, `desktop.ini` and READMEs.",
    Example(
        "content/posts/lhc-restarts.MD",
        bad=[File("a.MD", VALID_POST, "Fine.")],
        good=[File("a.md", VALID_POST, "Fine."), File("a.md~", VALID_POST, "An editor's backup.")],
    ),
    where="generator/project.py content_files(), content_strays(); reported by generator/validate.py validate()",
)
