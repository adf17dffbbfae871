"""What socialcal prints: every message reaches the terminal (or a CI log) through one stream, so
no message, ours or click's, can forget to be made safe.

Messages quote text from outside: a file's path or value, an analytics export's header, a git
author's name. A control character in it (ESC and its sequences, the 8-bit CSI, a carriage return,
a backspace, a bidirectional override) would retitle the window, clear the screen, overwrite or
reorder a line on the reader's terminal. `SafeStream` shows each as an escape (``\\u001b``: also
valid inside a JSON string) as it is written; line feeds and tabs are layout and pass. And
printing never fails on encoding: under a Latin-1 or ASCII locale a character the terminal has no
byte for is written as an escape too, never a UnicodeEncodeError.

Kept free of imports beyond the standard library: `socialcal --help` goes through it too.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import TextIO

from .characters import CONTROLS

# Control characters (C0 but the tab and line feed, DEL, C1), the line and paragraph separators,
# bidirectional embeddings, overrides and isolates: the controls of the one table (characters.py).
_PRINTED = re.compile(f"[{CONTROLS}]")  # in printed output
UNSAFE = re.compile(f"[\t\n{CONTROLS}]")  # in a one-line value: line breaks and tabs too


def printable(text: str) -> str:
    """`text` with every control character but line feeds and tabs shown as an escape."""
    if not _PRINTED.search(text):
        return text
    return _PRINTED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeStream:
    """A text stream that writes what it is given through `printable`; everything else (flush,
    isatty, fileno, encoding) is the wrapped stream's. It has no `buffer`: click writes bytes
    there when it finds one, which would go around the escaping."""

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click tells a binary stream by writing b"" to it
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.wrapped.write(printable(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> object:
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self.wrapped, name)


def write_data(data: bytes) -> None:
    """Output that is data, not a message (an export's CSV to standard output): written as it is,
    CRLF line ends included, to the stream under the `SafeStream`. Its text was checked when it
    was read (SC010 refuses control characters in content), so nothing in it can steer a terminal."""
    stream = getattr(sys.stdout, "wrapped", sys.stdout)
    buffer = getattr(stream, "buffer", None)
    stream.flush()
    if buffer is None:  # a text-only stream (an in-memory one)
        stream.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()


@contextmanager
def safe_output() -> Iterator[None]:
    """Standard output and error as `SafeStream`s, writing what their encoding cannot as
    backslash escapes, while the block runs; then as they were."""
    saved = sys.stdout, sys.stderr
    errors = [_never_fail(stream) for stream in saved]
    sys.stdout, sys.stderr = (SafeStream(s) if s is not None else s for s in saved)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        # Last changed, first restored: stdout and stderr may be one stream.
        for stream, before in reversed(list(zip(saved, errors, strict=True))):
            if before is not None:
                with suppress(OSError, ValueError):  # closed, or its reader gone (EPIPE)
                    stream.reconfigure(errors=before)  # type: ignore[union-attr]


def _never_fail(stream: TextIO | None) -> str | None:
    """Have a real stream (not a StringIO) escape what its encoding cannot write; its former
    error handler, or None when it has none to change."""
    reconfigure = getattr(stream, "reconfigure", None)
    before = getattr(stream, "errors", None)
    if reconfigure is None or not isinstance(before, str):
        return None
    reconfigure(errors="backslashreplace")
    return before
