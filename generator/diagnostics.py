"""Diagnostics: what the validator tells a contributor, and how it is printed."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import NamedTuple

from .terminal import UNSAFE


class Pos(NamedTuple):
    """Where something is written in a file: 1-based line and column; 0 when unknown or the whole file.

    A named tuple, not a dataclass: a file's positions cross from the loading child process to its
    parent (see load.py), and tuples pickle several times faster."""

    line: int
    col: int


WHOLE_FILE = Pos(0, 0)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str  # relative to the repository root, with forward slashes
    line: int  # 1-based; 0 when it concerns the whole file
    col: int  # 1-based; 0 when unknown
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        # User text quoted in a diagnostic can never start a line of its own: in a terminal, a
        # log or GitHub's workflow commands (`::error …`, `::stop-commands::`) it stays data.
        for name in ("path", "message", "hint"):
            value = getattr(self, name)
            if _UNSAFE.search(value):
                object.__setattr__(self, name, one_line(value))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        # The message too: diagnostics are deduplicated through a set, and the same rule can
        # speak twice at one place; without it their order would change from run to run.
        return (self.path, self.line, self.col, self.code, self.message)

    def location(self) -> str:
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.col:
                loc += f":{self.col}"
        return loc

    def to_text(self) -> str:
        """As a terminal shows it: code spans in quotes (see CODE_SPAN)."""
        text = f"{self.location()}: {self.severity} {self.code} {plain(self.message)}"
        if self.hint:
            text += f"\n    hint: {plain(self.hint)}"
        return text

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


# Line breaks of any kind, control characters, bidirectional controls (one list: terminal.py).
_UNSAFE = UNSAFE
_SHOWN = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def one_line(text: str) -> str:
    """User text quoted inside a diagnostic must not break the one-line format: every line break
    and control character is shown as an escape (\\n, \\x1b, \\u202e)."""
    return _UNSAFE.sub(lambda m: _SHOWN.get(m.group(), m.group().encode("unicode_escape").decode("ascii")), text)


# How alike a mistyped word and a choice must be (difflib's ratio, ignoring case) for the choice to
# be offered. 0.6, difflib's default, offered '#CERNOpenDays' for '#OpenData' (0.64): a different
# topic that merely shares letters. Typos of one or two letters stay well above (twiter: 0.92).
SIMILAR = 0.75


# Messages and hints mark what is typed (a key, a value, a command) as Markdown does:
# "add `alt:` describing the image". Each place that shows a diagnostic renders the spans its way:
# <code> on the site (views.pages.render.inline_code) and in the pull-request summary, quotes in a
# terminal, a log or an annotation (`plain`); JSON keeps them as written, for other tools.
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def plain(text: str) -> str:
    """Text with its code spans in single quotes, for a terminal: no literal backticks."""
    return CODE_SPAN.sub(r"'\1'", text)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """The choice a mistyped word most likely meant, or '' when none is close: the same word in
    other letter case first, else the most similar (ignoring case) at or above SIMILAR."""
    folded = word.casefold()
    best, score = "", SIMILAR
    matcher = difflib.SequenceMatcher(None, b=folded)  # difflib caches what it learns about b
    for choice in choices:
        candidate = choice.casefold()
        if candidate == folded:
            return choice
        matcher.set_seq1(candidate)
        # The quick upper bounds first: most choices are ruled out without the full comparison.
        if matcher.real_quick_ratio() >= score and matcher.quick_ratio() >= score:
            ratio = matcher.ratio()
            if ratio > score or (ratio == score and not best):
                best, score = choice, ratio
    return best


def unknown(kind: str, word: str, choices: Iterable[str]) -> tuple[str, str]:
    """The message for a value that is not one of `choices`, and the likely intended one."""
    guess = did_you_mean(word, choices)
    return f"unknown {kind} '{one_line(word)}'" + (f" (did you mean '{guess}'?)" if guess else ""), guess


def sort(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    noun = "file" if files == 1 else "files"
    if not diagnostics:
        return f"{files} {noun} checked: no problems."
    return f"{files} {noun} checked: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}."


def format_text(diagnostics: Sequence[Diagnostic], files: int) -> str:
    lines = [d.to_text() for d in diagnostics]
    lines.append(summary(diagnostics, files))
    return "\n".join(lines)


def format_json(diagnostics: Sequence[Diagnostic], files: int) -> str:
    errors = sum(d.is_error for d in diagnostics)
    return json.dumps(
        {
            "files": files,
            "errors": errors,
            "warnings": len(diagnostics) - errors,
            "diagnostics": [d.to_dict() for d in diagnostics],
        },
        indent=2,
        ensure_ascii=False,
    )


def _escape_data(value: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts).
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], files: int) -> str:
    """Workflow-command annotations, then the plain diagnostics for the log.

    GitHub shows at most ten annotations of each kind per step, so every diagnostic is also
    printed in full after them.
    """
    lines = []
    for d in diagnostics:
        props = [f"file={_escape_property(d.path)}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.col:
            props.append(f"col={d.col}")
        props.append(f"title={_escape_property(d.code)}")
        message = plain(d.message) + (f"\n{plain(d.hint)}" if d.hint else "")
        lines.append(f"::{d.severity} {','.join(props)}::{_escape_data(message)}")
    lines.append(format_text(diagnostics, files))
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
