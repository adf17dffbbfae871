"""The one table of the characters that hide or disguise text, and the few places some belong.

A control character rewrites what a terminal shows (ESC and its sequences, a carriage return), a
bidirectional override reorders a line ("Trojan Source"), and invisible characters hide text in
plain sight: tag characters spell a whole sentence no one sees, zero-width characters and blank
fillers split a word so that a reviewer, a search or a filter misses it. Content refuses each of
them (SC010: `content_file.decode`, `content_file.check_tree`, and registries through
`registry_reading.read_registry_yaml`)
except where writing needs it (`Unsafe.belongs`): the joiner inside an emoji sequence (a woman,
the joiner, a laptop), the tags of a subdivision flag (England's: a black flag, then "gbeng" as
tags), one variation selector after an emoji or an ideograph (a keycap, a red heart), a joiner or
non-joiner between two letters of a script that joins them (Persian, the Indic scripts).
Printed output escapes the controls (`terminal.printable`, `diagnostics.one_line`), calendar
feeds drop them (`views.feeds`).

Only the standard library at import: terminal.py, which `socialcal --help` goes through, reads
the table. The places a character belongs are told by Unicode's emoji and script properties, from
`regex`, imported when a text first has such a character.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

_HIDES = (
    "remove it: an invisible character can split a word or hide text so that a reviewer, a search or "
    "a filter misses it (it often comes with text pasted from a web page, a chat or a word processor)"
)


@dataclass(frozen=True, slots=True)
class Unsafe:
    """One row of the table: its characters (a regular expression's character class), what they
    are, the hint of the refusal, and where they belong (a key of `_PLACES`; "": nowhere)."""

    chars: str
    what: str
    hint: str = _HIDES
    control: bool = False  # changes what a terminal shows: escaped wherever text is printed
    belongs: str = ""


_CONTROL_HINT = (
    "remove it: control and bidirectional characters can hide or disguise text "
    "(it often comes with text pasted from a terminal or a word processor)"
)

TABLE: tuple[Unsafe, ...] = (
    # C0 controls but the tab and line feed, DEL, C1 controls.
    Unsafe("\x00-\x08\x0b-\x1f\x7f-\x9f", "control character", _CONTROL_HINT, control=True),
    Unsafe("\u2028\u2029", "line or paragraph separator", _CONTROL_HINT, control=True),
    # Embeddings, overrides and isolates. The marks (U+200E, U+200F, U+061C) stay: right-to-left
    # text needs them, and they move only neutral characters such as punctuation.
    Unsafe("\u202a-\u202e\u2066-\u2069", "bidirectional control", _CONTROL_HINT, control=True),
    # The space, the word joiner, and the byte-order mark anywhere but a file's start.
    Unsafe("\u200b\u2060\ufeff", "zero-width character"),
    Unsafe(
        "\u200c\u200d",
        "zero-width character",
        "remove it: a zero-width joiner or non-joiner belongs only inside an emoji sequence (👩\u200d💻) or "
        "between two letters of a script that joins them (Persian, the Indic scripts)",
        belongs="join",
    ),
    Unsafe(
        "\U000e0000-\U000e007f",
        "tag character",
        "remove it: tag characters are invisible; they belong only in a subdivision flag such as England's, "
        "a black flag 🏴 followed by its region as tags",
        belongs="flag",
    ),
    Unsafe(
        "\ufe00-\ufe0f\U000e0100-\U000e01ef",
        "variation selector",
        "remove it: a variation selector belongs once, right after an emoji (1\ufe0f\u20e3, \u2764\ufe0f) "
        "or a CJK ideograph, where it chooses how that one is drawn",
        belongs="variation",
    ),
    Unsafe(
        "\u180b-\u180d\u180f",
        "Mongolian variation selector",
        "remove it: a Mongolian variation selector belongs once, right after a Mongolian letter",
        belongs="mongolian",
    ),
    # Blank fillers: Hangul's, braille's blank, Khmer's invisible vowels, the Mongolian vowel separator.
    Unsafe("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e", "blank filler"),
    # The rest of Unicode's default-ignorable characters (drawn as nothing): the soft hyphen, the
    # combining grapheme joiner, invisible operators, deprecated format controls, interlinear
    # annotations, shorthand and musical format controls, and unassigned ones.
    Unsafe(
        "\u00ad\u034f\u2061-\u2065\u206a-\u206f\ufff0-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
        "\U000e0080-\U000e00ff\U000e01f0-\U000e0fff",
        "invisible character",
    ),
)

# What a terminal must never receive raw: the characters of the rows that are controls.
CONTROLS = "".join(row.chars for row in TABLE if row.control)
_ANY = re.compile("[" + "".join(row.chars for row in TABLE) + "]")

# Scripts whose writing puts a zero-width joiner or non-joiner between two letters: Persian and
# the other languages in Arabic script, Syriac, the Indic scripts, Sinhala, Khmer, Myanmar, Mongolian.
JOINING_SCRIPTS = (
    "Arabic", "Syriac", "Devanagari", "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu",
    "Kannada", "Malayalam", "Sinhala", "Khmer", "Myanmar", "Mongolian",
)  # fmt: skip
# A subdivision flag: the black flag, a region as tags (two letters, then one to four letters or
# digits: ISO 3166-2, "gbeng"), the cancel tag.
_TAG_LETTER = "\U000e0061-\U000e007a"
_FLAG = f"(?<=\U0001f3f4)[{_TAG_LETTER}]{{2}}[{_TAG_LETTER}\U000e0030-\U000e0039]{{1,4}}\U000e007f"
_LETTER = "[\\p{{L}}\\p{{M}}]&&\\p{{scx={}}}"  # a letter or mark (a virama, a vowel sign) of a script


@cache
def _places() -> dict[str, Any]:
    """The patterns of where a row's characters belong, each matched at the character."""
    import regex

    letters = [_LETTER.format(script) for script in JOINING_SCRIPTS]
    # In an emoji sequence: after an emoji (its skin tone or emoji style), before one.
    emoji = "(?<=\\p{Extended_Pictographic}[\U0001f3fb-\U0001f3ff\ufe0f]?)\u200d(?=\\p{Extended_Pictographic})"
    join = "|".join(f"(?<=[{s}])[\u200c\u200d](?=[{s}])" for s in letters)
    variation = (
        "(?<=\\p{Emoji})[\ufe0e\ufe0f]"
        "|(?<=\\p{Ideographic})[\ufe00-\ufe0f\U000e0100-\U000e01ef]"
        "|(?<=\\p{Sm})\ufe00"  # mathematical symbols' variants (a slanted ≤)
    )
    return {
        "join": regex.compile(f"(?V1){emoji}|{join}"),
        "flag": regex.compile(_FLAG),
        "variation": regex.compile(variation),
        "mongolian": regex.compile(f"(?V1)(?<=[{_LETTER.format('Mongolian')}])[\u180b-\u180d\u180f]"),
    }


@lru_cache(maxsize=1024)
def row_of(char: str) -> Unsafe | None:
    """The row of the table `char` is in, if any."""
    return next((row for row in TABLE if re.fullmatch(f"[{row.chars}]", char)), None)


def unsafe_at(text: str) -> int:
    """Where the first character of the table that is not in its place is in `text`; -1 if none.
    Linear: each character is looked at once, a flag's tags skipped together."""
    at = 0
    while found := _ANY.search(text, at):
        at = found.start()
        row = row_of(text[at])
        placed = _places()[row.belongs].match(text, at) if row is not None and row.belongs else None
        if placed is None:
            return at
        at = placed.end()
    return -1


def describe(char: str) -> str:
    """A character named so a contributor can find it: U+001B ESCAPE, U+200B ZERO WIDTH SPACE."""
    name = unicodedata.name(char, "") or {"\x1b": "ESCAPE", "\x00": "NULL", "\x7f": "DELETE"}.get(char, "control")
    return f"U+{ord(char):04X} {name}"


# Tags spell ASCII: U+E0020 to U+E007E are space to tilde, invisible.
_TAGGED = re.compile("[\U000e0020-\U000e007e]{1,80}")


def refusal(text: str, at: int) -> tuple[str, str]:
    """What the character at `at` is, for a message ("the zero-width character U+200B ZERO WIDTH
    SPACE"; for tags, the text they spell), and the hint of its row."""
    char = text[at]
    row = row_of(char)
    what = row.what if row else "control character"
    message = f"the {what} {describe(char)}"
    spelled = _TAGGED.match(text, at)
    if spelled and len(spelled.group()) > 1:  # say what they hide, so that a reviewer sees it
        hidden = "".join(chr(ord(c) - 0xE0000) for c in spelled.group())
        message += f", the first of {len(hidden)}{'+' if len(hidden) == 80 else ''} tag characters spelling {hidden!r}"
    return message, row.hint if row else _CONTROL_HINT


# An HTML character reference. Markdown hands it to the page as written and the browser turns it
# into its character: "&#x200B;" in a campaign's plan is a zero-width space on the site again.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def unsafe_reference(text: str) -> tuple[int, str, str] | None:
    """The first character reference in `text` to a character of the table (`&#x200B;`, `&zwj;`,
    `&#917577;`): where it starts, the reference, the character. Refused wherever it stands (a
    joiner is not written as a reference), so that no file makes a page show what it hides."""
    if "&" not in text:
        return None
    for found in _REFERENCE.finditer(text):
        char = html.unescape(found.group())
        if char != found.group() and _ANY.search(char):
            return found.start(), found.group(), char
    return None
