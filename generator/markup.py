"""Markdown written by contributors (a campaign's plan and evaluation), rendered safely.

Parsed by Python-Markdown with no raw HTML (a `<script>` is text) and no attribute lists (no
`{: onerror=… }`), then every element is checked in the parsed tree: links keep a target only
when it passes the address check (generator/linkcheck.py) or is a mailto: address, images become their
alt text (the site loads nothing from other hosts), and no attribute survives but the few the
tree's own elements need. Checking after parsing covers every way Markdown has to write a link
(inline, reference definitions anywhere, autolinks).

Python-Markdown is not linear: an opener it cannot close (`[`, `](`, a run of backticks) is
looked for to the end of its paragraph in Python, every construct it replaces copies the
paragraph again, blocks are split and joined in lists, and every level of nesting is a level of
recursion. So `excess` reads the text first, in one pass: too deep a nesting, or more work than
the length of the text pays for, is refused (rule SC115) and never reaches the parser.
"""

from __future__ import annotations

import html
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

from .linkcheck import address_problem

_MAILTO = re.compile(r"^mailto:[^\s@<>\"'\\]+@[A-Za-z0-9.-]+$")
_ALIGN = re.compile(r"^text-align: (?:left|right|center);$")
_KEEP = {"a": {"href", "title"}, "th": {"align", "style"}, "td": {"align", "style"}}


@dataclass(frozen=True, slots=True)
class Target:
    url: str
    image: bool


def safe_target(url: str) -> bool:
    return bool(_MAILTO.match(url)) or address_problem(url, None) is None


class _Guard(Treeprocessor):
    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.targets: list[Target] = []

    def run(self, root: ET.Element) -> None:
        for parent in root.iter():
            for el in list(parent):
                if el.tag == "img":
                    self.targets.append(Target(el.get("src", ""), True))
                    text = el.get("alt", "")
                    el.tag, el.text = "span", f"[image: {text}]" if text else "[image]"
                    el.attrib.clear()
                    el.set("class", "sc-image-ref")
                    continue
                if el.tag == "a":
                    href = el.get("href", "")
                    if href.startswith(AMP_SUBSTITUTE):  # an <address@example.org> autolink, encoded
                        href = html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
                        el.set("href", href)
                    self.targets.append(Target(href, False))
                    if not safe_target(href):
                        el.tag = "span"
                        el.attrib.clear()
                        el.set("class", "sc-unsafe-link")
                        continue
                    el.set("rel", "noopener nofollow")
                keep = _KEEP.get(el.tag, set())
                for name in list(el.attrib):
                    if name in ("rel", "class") and el.tag in ("a", "span"):
                        continue
                    if name not in keep or (name == "style" and not _ALIGN.match(el.get(name, ""))):
                        del el.attrib[name]


def _parser() -> tuple[markdown.Markdown, _Guard]:
    md = markdown.Markdown(extensions=["tables"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks are text
    md.inlinePatterns.deregister("html")  # and so are inline tags
    guard = _Guard(md)
    md.treeprocessors.register(guard, "sc-guard", 0)  # after every other tree change
    return md, guard


def render(text: str) -> Markup:
    """HTML for a page, safe to place as it is (inside a raw HTML block of the page). A text that
    `excess` refuses (reported as SC115; `serve` still shows it) is shown as it is written."""
    if excess(text) is not None:
        return Markup(f'<div class="sc-markdown sc-markdown-refused">\n<pre>{html.escape(text)}</pre>\n</div>')
    md, _ = _parser()
    return Markup(f'<div class="sc-markdown">\n{md.convert(text)}\n</div>')


def targets(text: str) -> list[Target]:
    """Every link and image target in `text`, as a browser would get it after parsing; none for a
    text that `excess` refuses (it is not parsed, and SC115 reports it)."""
    if excess(text) is not None:
        return []
    md, guard = _parser()
    md.convert(text)
    return guard.targets


# --- the cost of parsing, bounded before parsing ------------------------------------------------

# Python-Markdown recurses once per level of lists and quotes (a RecursionError near 400 levels,
# and each level parses its content again); people nest three or four.
MAX_NESTING = 16
# Its work, counted in units of about 10 ns (measured on an idle machine; tests/test_markdown_cost.py
# holds the bound), may grow with the length of the text but no faster: WORK_PER_CHAR per
# character, plus WORK_FLOOR for any text (a short text may be dense). At 256 KB: about a second.
WORK_PER_CHAR = 300
WORK_FLOOR = 10_000_000
# What its work is made of, in units per character it passes over: each inline mark makes it
# search the rest of the paragraph and copy it once (1); its Python loops look for the end of a
# bracket or a code span (_SCAN); a heading splits its run of lines (_HEADING_SPLIT); and the
# tree it builds costs about _BLOCK units per block, per block.
_SCAN = 250
_HEADING_SPLIT = 4
_BLOCK = 1
# Blank lines end a run of lines (Python-Markdown blanks a line of spaces and tabs).
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
# A line that starts a list item or a heading (after any quote markers), or whose first
# characters could all be markers: the lines that cut a run, or may nest deep.
_NOTABLE = re.compile(
    r"^(?:[ \t]*>)*[ \t]*(?:#|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))|^[ \t>*+\-0-9.)]{17}", re.MULTILINE
)
_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*")
_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_HEADING = re.compile(r" {0,3}#")
# What starts an inline construct (a run of * _ ` counts once, as the parser takes it).
_MARK = re.compile(r"\\.|`+|\*+|_+|[\[<&]|!(?=\[)|  $", re.MULTILINE)
_BACKTICKS = re.compile(r"(?<!\\)`+")
_BRACKETS = re.compile(r"\\.|[\[\]()\"']")


@dataclass(frozen=True, slots=True)
class Excess:
    """Why a text is refused before parsing, and where (1-based line and column of the text)."""

    line: int
    col: int
    message: str
    hint: str


def excess(text: str) -> Excess | None:
    """None when Python-Markdown may parse `text` in time linear in its length; else the first
    reason not to, located. Linear itself: regular expressions over the text, Python code only
    for the lines that start with a marker and for brackets."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    units: list[tuple[int, int]] = []  # (start, end) of each text parsed inline as one string
    blocks = heading_work = 0
    worst_split = (0, 0)  # (work, offset) of the run of lines that its headings split most
    start = 0
    for gap in [*_BLANK_LINES.finditer(text), None]:
        end = gap.start() if gap else len(text)
        if text[start:end].strip(" \t\n"):
            found = _split_run(text, start, end, units)
            if isinstance(found, Excess):
                return found
            blocks += found[1]
            heading_work += found[0]
            worst_split = max(worst_split, (found[0], start))
        start = gap.end() if gap else end
    budget = WORK_PER_CHAR * len(text) + WORK_FLOOR
    block_work = _BLOCK * blocks * blocks
    inline = [_unit_work(text, start, end) for start, end in units]
    costliest = max(inline, default=(0, _no_excess), key=lambda found: found[0])
    if heading_work + block_work + sum(work for work, _ in inline) <= budget:
        return None
    if costliest[0] >= max(heading_work, block_work):
        return costliest[1]()
    if heading_work >= block_work:
        return _at(
            text,
            worst_split[1],
            "these headings follow each other without blank lines: Markdown would split the text once for each",
            "put a blank line after each heading",
        )
    return _at(
        text,
        0,
        f"the text has {blocks:,} paragraphs, list items and headings, more than Markdown reads in good time",
        "split it into several files, or shorten it",
    )


def _no_excess() -> Excess:
    raise AssertionError("no unit to blame")  # pragma: no cover (only when there is no text)


def _at(text: str, offset: int, message: str, hint: str) -> Excess:
    line = text.count("\n", 0, offset) + 1
    return Excess(line, offset - text.rfind("\n", 0, offset), message, hint)


def _split_run(text: str, start: int, end: int, units: list[tuple[int, int]]) -> tuple[int, int] | Excess:
    """Cut a run of non-blank lines into the texts Python-Markdown processes one by one: a list
    at each item, headings on their own, a paragraph whole (as the parser does). Returns (the work
    of splitting the run at its headings, its number of blocks), or why its nesting is refused.
    Only the lines `_NOTABLE` finds are looked at in Python."""
    cuts = [start]
    headings = 0
    is_list = None
    for found in _NOTABLE.finditer(text, start, end):
        line = found.start()
        line_end = text.find("\n", line, end)
        line_end = end if line_end < 0 else line_end
        prefix = _PREFIX.match(text, line, line_end).group()
        if len(prefix) > MAX_NESTING:  # each level takes a character at least
            refused = _nesting(text, line, line_end)
            if refused:
                return refused
        item = bool(prefix.replace(">", "").strip(" \t"))
        if is_list is None:
            is_list = item and line == cuts[-1]
        if _HEADING.match(text, line + len(prefix), line_end):
            headings += 1
            cuts += [line, line_end + 1]
            is_list = None  # what follows a heading is a block of its own
        elif is_list and item:
            cuts.append(line)
    cuts.append(end)
    before = len(units)
    units.extend((a, b) for a, b in itertools.pairwise(cuts) if a < b)
    return _HEADING_SPLIT * headings * (end - start), len(units) - before


def _nesting(text: str, line: int, line_end: int) -> Excess | None:
    """Each list or quote marker at the start of a line is a level, and so are four columns of
    indentation before one."""
    depth, pos = 0, line
    while found := _CONTAINER.match(text, pos, line_end):
        indent = found.group().expandtabs(4)
        depth += 1 + (len(indent) - len(indent.lstrip(" "))) // 4
        if depth > MAX_NESTING:
            marker = found.end() - len(found.group().lstrip(" \t"))
            return _at(
                text,
                marker,
                f"the lists and quotes here are nested more than {MAX_NESTING} levels deep",
                "flatten the list or quote: deeper levels cannot be told apart on a page anyway",
            )
        pos = found.end()
    return None


def _unit_work(text: str, start: int, end: int) -> tuple[int, Callable[[], Excess]]:
    """The work of one unit's inline constructs: each mark makes the parser search the rest of
    the unit and copy it (marks × length), and each bracket or code span that its Python loops
    look for the end of costs the distance they look. With what to say if it is too much."""
    unit = text[start:end]
    marks = len(_MARK.findall(unit))
    scanned, worst = _bracket_scans(unit) if "[" in unit or "(" in unit else (0, (0, 0, ""))
    if "`" in unit:
        code, code_worst = _code_span_scans(unit)
        scanned += code
        worst = max(worst, code_worst)
    work = marks * len(unit) + _SCAN * scanned

    def why() -> Excess:
        if _SCAN * scanned > marks * len(unit):
            return _at(
                text,
                start + worst[1],
                f"{worst[2]} here and the brackets or backticks after it are not closed soon enough: "
                "Markdown would look for each one's end through the paragraph",
                "close them, or write them as \\[ \\( or \\` so that they are text; split long paragraphs",
            )
        return _at(
            text,
            start,
            f"this paragraph of {len(unit):,} characters has {marks:,} Markdown marks (* _ ` [ < & \\), "
            "more than Markdown reads in good time",
            "split it with blank lines, or write the marks as text (\\* \\_ \\[)",
        )

    return work, why


def _bracket_scans(text: str) -> tuple[int, tuple[int, int, str]]:
    """How far Python-Markdown looks for the end of each `[` (to its `]`, counting nested ones)
    and of each link's `(` (to its `)`; with a quote inside, perhaps to the end), else to the end
    of the text; and the costliest opener as (distance, offset, name)."""
    end = len(text)
    scanned = 0
    worst = (0, 0, "")
    brackets: list[int] = []
    parens: list[tuple[int, bool, int]] = []  # (offset, opens a link's target, quotes before it)
    quotes = 0
    link_paren = -1  # the offset of the `(` right after a closed `]`
    for found in _BRACKETS.finditer(text):
        i, char = found.start(), found.group()
        if char == "[":
            brackets.append(i)
        elif char == "]":
            if brackets:
                opened = brackets.pop()
                scanned += i - opened
                worst = max(worst, (i - opened, opened, "the `[`"))
                link_paren = i + 1
        elif char == "(":
            parens.append((i, i == link_paren, quotes))
        elif char == ")":
            if parens:
                opened, link, seen = parens.pop()
                if link:
                    cost = i - opened if seen == quotes else end - opened
                    scanned += cost
                    worst = max(worst, (cost, opened, "the link's `(`"))
        elif char in "\"'":
            quotes += 1
        # else an escaped character (\[): text, not an opener
    for opened in brackets:
        scanned += end - opened
        worst = max(worst, (end - opened, opened, "the `[`"))
    for opened, link, _ in parens:
        if link:
            scanned += end - opened
            worst = max(worst, (end - opened, opened, "the link's `(`"))
    return scanned, worst


def _code_span_scans(text: str) -> tuple[int, tuple[int, int, str]]:
    """How far Python-Markdown looks for the ends of code spans: from a run of backticks, entered
    with any of its lengths, to the next run of exactly that length, else to the end of the text;
    and the costliest run as (distance, offset, name)."""
    end = len(text)
    scanned = 0
    worst = (0, 0, "")
    following: dict[int, int] = {}  # length → offset of the next run of that length
    for found in reversed(list(_BACKTICKS.finditer(text))):
        offset, length = found.start(), len(found.group())
        cost = sum(following.get(k, end) - offset for k in range(1, length + 1))
        scanned += cost
        worst = max(worst, (cost, offset, "the run of backticks"))
        following[length] = offset
    return scanned, worst
